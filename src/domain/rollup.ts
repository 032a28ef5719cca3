/**
 * Roll-ups for dashboards and reports: every figure is a sum of unit-month counts up the hierarchy
 * that was in force in that month. A period that crosses 2025-07-01 sums January–June through the
 * old districts and July onwards straight to the province, so the same code can have different
 * children in different months and a province total is always the sum of what its units reported.
 *
 * Province and district units never report figures of their own; an entry on one is a published or
 * imported total, which is checked against the sum of its parts instead of being added to it.
 *
 * Before a unit formed in a reorganization existed, its figures are the sum of its predecessors'
 * (continuity.ts); such months are listed, and those summed through a partial link are approximate.
 */
import { lineage, type LineageOptions, type MonthScope, type Predecessor } from './continuity.ts'
import { DATA_ELEMENTS, type Counts, type DataElement } from './indicators.ts'
import { monthStart, type Month } from './periods.ts'
import { addCounts, emptyTally, type Tally } from './tally.ts'
import { linkKey, type UnitLink } from './unitLinks.ts'
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
  /** Links between units across reorganizations, each once. */
  links: readonly UnitLink[]
  /** The links that name `newCode` as the unit formed: its predecessors, of every date. */
  linksTo(newCode: string): readonly UnitLink[]
  /** Every version of a code, oldest first. */
  versionsOf(code: string): readonly Unit[]
}

export function buildDataset(
  units: readonly Unit[],
  facts: Iterable<Fact>,
  links: readonly UnitLink[] = [],
): Dataset {
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
  // A mapping imported twice, or sent by two pulls, is still one set of links.
  const uniqueLinks = [...new Map(links.map((link) => [linkKey(link), link])).values()]
  const linksByNew = groupBy(uniqueLinks, (link) => link.newCode)
  const versions = groupBy(units, (unit) => unit.code)
  for (const list of versions.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom))
  return {
    units,
    byMonth,
    factOf: (month, unitCode) => byMonthUnit.get(month)?.get(unitCode),
    months: [...byMonth.keys()].sort(),
    eraOf,
    links: uniqueLinks,
    linksTo: (newCode) => linksByNew.get(newCode) ?? [],
    versionsOf: (code) => versions.get(code) ?? [],
  }
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const list = groups.get(key)
    if (list) list.push(item)
    else groups.set(key, [item])
  }
  return groups
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
  /**
   * The unit the figures are about: as it was in the latest month of the period in which it existed,
   * or, for a unit formed after the period, as it was formed; null if neither it nor its
   * predecessors existed in the period.
   */
  root: Unit | null
  /** The era `root` belongs to (its latest month in the period, else its first month). */
  rootEra: Era | null
  discrepancies: readonly Discrepancy[]
  /** The months fall on both sides of 2025-07-01. */
  spansReform: boolean
  /** Months of the period whose figures are the sum of the root's predecessors. */
  derivedMonths: ReadonlySet<Month>
  /** Derived months summed through at least one partial link: their figures are approximate. */
  approximateMonths: ReadonlySet<Month>
  /** The old units summed in derived months, by code; partial if partial in any month. */
  predecessors: readonly Predecessor[]
  /** Government levels whose figures include a unit counted through a partial link. */
  approximateLevels: ReadonlySet<GovernmentLevel>
  /**
   * Units below the root counted in it through a partial link (a partial predecessor and the units
   * under it): their own figures are exact, but only part of them belongs to the root.
   */
  approximateUnits: ReadonlySet<string>
}

export type RollupOptions = LineageOptions

export function rollup(
  dataset: Dataset,
  rootCode: string,
  months: readonly Month[],
  options: RollupOptions = {},
): Rollup {
  const total = emptyTally()
  const byLevel = new Map<GovernmentLevel, Tally>()
  const byMonth = new Map<Month, Tally>()
  const byUnit = new Map<string, Tally>()
  const children = new Map<string, Unit>()
  const declaredFacts: Array<{ fact: Fact; era: Era }> = []
  const derivedMonths = new Set<Month>()
  const approximateMonths = new Set<Month>()
  const predecessors = new Map<string, Predecessor>()
  const approximateLevels = new Set<GovernmentLevel>()
  const approximateUnits = new Set<string>()
  // A month listed twice is still one month of data.
  const line = lineage(dataset, rootCode, months, options)
  for (const [month, scope] of line.scopes) {
    const { era } = scope
    const tops = scope.predecessors ? [...scope.predecessors.keys()] : [rootCode]
    for (const top of tops) {
      for (const child of era.children.get(top) ?? []) children.set(child.code, child)
    }
    // Units under a partial predecessor this month: the figures they add to are approximate.
    const partial = scope.predecessors ? noteDerived(scope, month) : null
    if (!dataset.byMonth.has(month)) continue
    let monthTally: Tally | undefined
    // Only the root's own units are visited: a province of a national dataset reads its few
    // hundred units a month, not every fact of the month.
    for (const { unit, path } of scope.units) {
      const fact = dataset.factOf(month, unit.code)
      if (!fact) continue
      if (!isReportingUnit(unit)) {
        declaredFacts.push({ fact, era })
        continue
      }
      for (const code of path) addCounts(tallyOf(byUnit, code), fact.counts)
      addCounts(tallyOf(byLevel, unit.level), fact.counts)
      if (partial?.has(unit.code)) approximateLevels.add(unit.level)
      monthTally ??= tallyOf(byMonth, month)
      addCounts(monthTally, fact.counts)
      addCounts(total, fact.counts)
    }
  }

  /** Records a derived month; returns the units it counts through a partial link. */
  function noteDerived(scope: MonthScope, month: Month): ReadonlySet<string> {
    derivedMonths.add(month)
    const partial = new Set<string>()
    for (const [code, kind] of scope.predecessors ?? []) {
      const unit = scope.era.index.get(code)
      if (!unit) continue
      const known = predecessors.get(code)
      // Months run in order, so each keeps its latest version.
      predecessors.set(code, { unit, kind: known?.kind === 'partial' ? 'partial' : kind })
      if (kind !== 'partial') continue
      for (const below of scope.era.subtree(code)) {
        partial.add(below.unit.code)
        if (below.unit.code !== rootCode) approximateUnits.add(below.unit.code)
      }
    }
    if (partial.size > 0) approximateMonths.add(month)
    return partial
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
    root: line.root,
    rootEra: line.rootEra,
    discrepancies: declaredFacts.flatMap(({ fact, era }) => discrepanciesOf(dataset, era, fact)),
    spansReform:
      months.some((m) => monthStart(m) < REFORM_DATE) &&
      months.some((m) => monthStart(m) >= REFORM_DATE),
    derivedMonths,
    approximateMonths,
    predecessors: [...predecessors.values()].sort((a, b) => a.unit.code.localeCompare(b.unit.code)),
    approximateLevels,
    approximateUnits,
  }
}

/**
 * Whether the root's figures over `months` (the whole roll-up by default) include an approximate
 * month with data: such a figure is shown with "≈", never as if exact.
 */
export function isApproximate(
  roll: Rollup,
  months: Iterable<Month> = roll.byMonth.keys(),
): boolean {
  for (const month of months) {
    if (roll.approximateMonths.has(month) && roll.byMonth.has(month)) return true
  }
  return false
}

/** Whether the root's figures over `months` (all by default) include a month with derived data. */
export function isDerived(roll: Rollup, months: Iterable<Month> = roll.byMonth.keys()): boolean {
  for (const month of months) {
    if (roll.derivedMonths.has(month) && roll.byMonth.has(month)) return true
  }
  return false
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
