/**
 * Roll-ups for dashboards and reports: every figure is a sum of unit-month counts up the hierarchy
 * that was in force in that month. A period that crosses 2025-07-01 sums January–June through the
 * old districts and July onwards straight to the province, so the same code can have different
 * children in different months and a province total is always the sum of what its units reported.
 *
 * Province and district units never report figures of their own; an entry on one is a published or
 * imported total, which is checked against the sum of its parts instead of being added to it.
 */
import { DATA_ELEMENTS, type Counts, type DataElement } from './indicators.ts'
import { monthStart, type Month } from './periods.ts'
import { addCounts, emptyTally, type Tally } from './tally.ts'
import {
  GOVERNMENT_LEVELS,
  REFORM_DATE,
  indexUnits,
  isActiveOn,
  isReportingUnit,
  type GovernmentLevel,
  type Unit,
  type UnitIndex,
} from './units.ts'

/** The part of an entry dashboards read. */
export interface Fact {
  unitCode: string
  month: Month
  counts: Counts
  /** When the unit first reported this month (ISO); null or absent when unknown. */
  reportedAt?: string | null
}

/** The units in force over one stretch of time, with the lookups roll-ups need. */
export interface Era {
  /** ISO date, inclusive. */
  from: string
  /** ISO date, exclusive; null for the open-ended current era. */
  to: string | null
  units: readonly Unit[]
  index: UnitIndex
  /** Units by parent code. */
  children: ReadonlyMap<string, readonly Unit[]>
  /** `code` followed by its ancestors, nearest first; empty for a code not in this era. */
  chain(code: string): readonly string[]
  /**
   * Every unit at or below `rootCode` in this era, each with its chain cut at the root (the unit
   * first, the root last). Cached: a dashboard asks for the same root on every period switch.
   */
  subtree(rootCode: string): readonly SubtreeUnit[]
}

export interface SubtreeUnit {
  unit: Unit
  /** The unit's code up to and including the root's. */
  path: readonly string[]
}

/** Facts indexed by month, with the eras of the unit hierarchy, built once per data change. */
export interface Dataset {
  units: readonly Unit[]
  byMonth: ReadonlyMap<Month, readonly Fact[]>
  /** The fact of one unit in one month, if any. */
  factOf(month: Month, unitCode: string): Fact | undefined
  /** Months that hold at least one fact, ascending. */
  months: readonly Month[]
  eraOf(month: Month): Era
}

export function buildDataset(units: readonly Unit[], facts: Iterable<Fact>): Dataset {
  const byMonth = new Map<Month, Fact[]>()
  const byMonthUnit = new Map<Month, Map<string, Fact>>()
  for (const fact of facts) {
    const list = byMonth.get(fact.month)
    if (list) {
      list.push(fact)
      byMonthUnit.get(fact.month)!.set(fact.unitCode, fact)
    } else {
      byMonth.set(fact.month, [fact])
      byMonthUnit.set(fact.month, new Map([[fact.unitCode, fact]]))
    }
  }
  // Every validFrom/validTo splits time into stretches over which the set of units is constant.
  const bounds = [
    ...new Set(
      units.flatMap((u) => (u.validTo === null ? [u.validFrom] : [u.validFrom, u.validTo])),
    ),
  ].sort()
  const eras = new Map<number, Era>()
  const eraOf = (month: Month): Era => {
    const date = monthStart(month)
    let slot = 0
    while (slot < bounds.length && bounds[slot]! <= date) slot += 1
    let era = eras.get(slot)
    if (!era) {
      era = buildEra(
        units.filter((unit) => isActiveOn(unit, date)),
        slot === 0 ? '0000-01-01' : bounds[slot - 1]!,
        bounds[slot] ?? null,
      )
      eras.set(slot, era)
    }
    return era
  }
  return {
    units,
    byMonth,
    factOf: (month, unitCode) => byMonthUnit.get(month)?.get(unitCode),
    months: [...byMonth.keys()].sort(),
    eraOf,
  }
}

function buildEra(units: readonly Unit[], from: string, to: string | null): Era {
  const index = indexUnits(units)
  const children = new Map<string, Unit[]>()
  for (const unit of units) {
    if (unit.parentCode === null) continue
    const list = children.get(unit.parentCode)
    if (list) list.push(unit)
    else children.set(unit.parentCode, [unit])
  }
  const chains = new Map<string, readonly string[]>()
  const chain = (code: string): readonly string[] => {
    let known = chains.get(code)
    if (known) return known
    const list: string[] = []
    // The seen set ends a parent cycle in imported data.
    const seen = new Set<string>()
    for (let unit = index.get(code); unit && !seen.has(unit.code);) {
      seen.add(unit.code)
      list.push(unit.code)
      unit = unit.parentCode === null ? undefined : index.get(unit.parentCode)
    }
    known = list
    chains.set(code, known)
    return known
  }
  const subtrees = new Map<string, readonly SubtreeUnit[]>()
  const subtree = (rootCode: string): readonly SubtreeUnit[] => {
    let known = subtrees.get(rootCode)
    if (known) return known
    const list: SubtreeUnit[] = []
    for (const unit of units) {
      const path = chain(unit.code)
      const depth = path.indexOf(rootCode)
      if (depth >= 0) list.push({ unit, path: path.slice(0, depth + 1) })
    }
    known = list
    subtrees.set(rootCode, known)
    return known
  }
  return { from, to, units, index, children, chain, subtree }
}

/** A published or imported total that differs from the sum of the units below it. */
export interface Discrepancy {
  unitCode: string
  month: Month
  element: DataElement
  /** The figure entered for the aggregate unit. */
  declared: number
  /** The sum of what its units reported. */
  computed: number
}

export interface Rollup {
  rootCode: string
  months: readonly Month[]
  /** Everything at or below the root. */
  total: Tally
  /** By government level of the reporting unit: the "3 cấp chính quyền" of the reports. */
  byLevel: ReadonlyMap<GovernmentLevel, Tally>
  /** The root's total per month (months without data are absent). */
  byMonth: ReadonlyMap<Month, Tally>
  /** Each unit at or below the root (itself included), summed over the months it was in force. */
  byUnit: ReadonlyMap<string, Tally>
  /** Units directly under the root in any month of the period, latest version of each code. */
  children: readonly Unit[]
  /** The root as it was in the latest month of the period in which it existed; null if never. */
  root: Unit | null
  discrepancies: readonly Discrepancy[]
  /** The months fall on both sides of 2025-07-01. */
  spansReform: boolean
}

export function rollup(dataset: Dataset, rootCode: string, months: readonly Month[]): Rollup {
  const total = emptyTally()
  const byLevel = new Map<GovernmentLevel, Tally>()
  const byMonth = new Map<Month, Tally>()
  const byUnit = new Map<string, Tally>()
  const children = new Map<string, Unit>()
  const declaredFacts: Array<{ fact: Fact; era: Era }> = []
  let root: Unit | null = null
  // A month listed twice is still one month of data.
  for (const month of [...new Set(months)].sort()) {
    const era = dataset.eraOf(month)
    const rootUnit = era.index.get(rootCode)
    if (!rootUnit) continue
    root = rootUnit
    for (const child of era.children.get(rootCode) ?? []) children.set(child.code, child)
    if (!dataset.byMonth.has(month)) continue
    let monthTally: Tally | undefined
    // Only the root's own units are visited: a province of a national dataset reads its few
    // hundred units a month, not every fact of the month.
    for (const { unit, path } of era.subtree(rootCode)) {
      const fact = dataset.factOf(month, unit.code)
      if (!fact) continue
      if (!isReportingUnit(unit)) {
        declaredFacts.push({ fact, era })
        continue
      }
      for (const code of path) addCounts(tallyOf(byUnit, code), fact.counts)
      addCounts(tallyOf(byLevel, unit.level), fact.counts)
      monthTally ??= tallyOf(byMonth, month)
      addCounts(monthTally, fact.counts)
      addCounts(total, fact.counts)
    }
  }
  const sortedLevels = new Map(
    GOVERNMENT_LEVELS.filter((level) => byLevel.has(level)).map((level) => [
      level,
      byLevel.get(level)!,
    ]),
  )
  return {
    rootCode,
    months,
    total,
    byLevel: sortedLevels,
    byMonth,
    byUnit,
    children: [...children.values()].sort((a, b) => a.code.localeCompare(b.code)),
    root,
    discrepancies: declaredFacts.flatMap(({ fact, era }) => discrepanciesOf(dataset, era, fact)),
    spansReform:
      months.some((m) => monthStart(m) < REFORM_DATE) &&
      months.some((m) => monthStart(m) >= REFORM_DATE),
  }
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let tally = map.get(key)
  if (!tally) {
    tally = emptyTally()
    map.set(key, tally)
  }
  return tally
}

/** Elements where an aggregate unit's own figure differs from the sum of its reporting units. */
function discrepanciesOf(dataset: Dataset, era: Era, declared: Fact): Discrepancy[] {
  const sums = emptyTally()
  for (const { unit } of era.subtree(declared.unitCode)) {
    const fact = dataset.factOf(declared.month, unit.code)
    if (fact && isReportingUnit(unit)) addCounts(sums, fact.counts)
  }
  const found: Discrepancy[] = []
  for (const element of DATA_ELEMENTS) {
    const value = declared.counts[element]
    if (value === undefined || value === sums.counts[element]) continue
    found.push({
      unitCode: declared.unitCode,
      month: declared.month,
      element,
      declared: value,
      computed: sums.counts[element],
    })
  }
  return found
}
