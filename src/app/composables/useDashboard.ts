/**
 * The figures of one dashboard: a unit, a period and an indicator read off the live dataset. Each
 * figure is its own computed, so switching the period re-aggregates only the period's months, and
 * the 36-month trend (which depends on the unit alone) is rolled up once per dataset, whatever the
 * period or indicator.
 *
 * Figures of a unit formed in the 2025 reorganization include, before it existed, the sum of its
 * predecessors; each figure says whether it does (`derived`) and whether such a sum went through a
 * partial predecessor (`approximate`), so the screen can mark it "≈" and never show it as exact.
 */
import { computed, toValue, type ComputedRef, type MaybeRefOrGetter } from 'vue'
import { completeness, DEFAULT_DEADLINE_DAY, type Completeness } from '../../domain/completeness.ts'
import type { Predecessor } from '../../domain/continuity.ts'
import { forecast, type Forecast } from '../../domain/forecast.ts'
import type { Indicator } from '../../domain/indicators.ts'
import {
  addMonths,
  monthOf,
  monthRange,
  monthsOf,
  parseMonth,
  toMonth,
  type Month,
  type Period,
} from '../../domain/periods.ts'
import type { Ratio } from '../../domain/rates.ts'
import {
  isApproximate,
  isDerived,
  rollup,
  type Dataset,
  type Discrepancy,
  type Era,
  type Rollup,
} from '../../domain/rollup.ts'
import { addTally, emptyTally, tallyRatio, type Tally } from '../../domain/tally.ts'
import {
  DEFAULT_TARGETS,
  indexTargets,
  MAX_BASIS_POINTS,
  meetsTarget,
  resolveTarget,
  score766,
  SCORED_INDICATORS,
  type ResolvedTarget,
  type Target,
  type TargetIndex,
} from '../../domain/targets.ts'
import {
  ancestorsOf,
  isReportingUnit,
  type GovernmentLevel,
  type Unit,
} from '../../domain/units.ts'

/** How many months the trend chart covers. */
export const TREND_MONTHS = 36

export interface UseDashboardOptions {
  dataset: MaybeRefOrGetter<Dataset | null>
  targets: MaybeRefOrGetter<readonly Target[]>
  unitCode: MaybeRefOrGetter<string | null>
  period: MaybeRefOrGetter<Period>
  indicator: MaybeRefOrGetter<Indicator>
  /** Day of the following month reports are due. */
  deadlineDay?: MaybeRefOrGetter<number>
  /** The clock, injectable for tests. */
  now?: () => Date
}

/** A result against the target that applies to it. */
export interface Scored {
  ratio: Ratio
  target: ResolvedTarget | null
  /** Null without a rate or a target. */
  meets: boolean | null
  /** Target minus rate in percentage points when short of the target, else null. */
  gap: number | null
  /** Decision 766 points for scored indicators; null without a rate or a target. */
  score: number | null
  /** Includes figures summed through a partial predecessor: shown with "≈", never as exact. */
  approximate: boolean
}

export interface LevelRow extends Scored {
  level: GovernmentLevel
}

export interface RankRow extends Scored {
  unit: Unit
}

export interface MonthPoint {
  month: Month
  /** Null when nothing was reported in the month. */
  tally: Tally | null
  ratio: Ratio
  target: ResolvedTarget | null
  /** The month's figures are the sum of the unit's predecessors. */
  derived: boolean
  /** … summed through a partial predecessor. */
  approximate: boolean
}

export interface YearRow extends Scored {
  year: number
  /** Months of the year with data, within the trend's window. */
  months: number
}

export interface UseDashboardReturn {
  /** The period's year. */
  year: ComputedRef<number>
  /** The period's months. */
  months: ComputedRef<Month[]>
  /** The unit as it was in the period (its latest version if it did not exist then). */
  unit: ComputedRef<Unit | null>
  /** The unit existed in the period. */
  inPeriod: ComputedRef<boolean>
  /** A commune or office: no units below it. */
  reporting: ComputedRef<boolean>
  roll: ComputedRef<Rollup | null>
  headline: ComputedRef<Scored | null>
  levels: ComputedRef<LevelRow[]>
  /** Units directly below, best rate first. */
  ranking: ComputedRef<RankRow[]>
  /** Reporting under an aggregate unit, for the months of the period up to today. */
  completeness: ComputedRef<Completeness | null>
  forecast: ComputedRef<Forecast | null>
  /** The twelve months of the period's year. */
  yearMonths: ComputedRef<MonthPoint[]>
  /** Up to TREND_MONTHS months to the latest with data on this device, from the unit's first. */
  trend: ComputedRef<MonthPoint[]>
  /** Whole years of the trend's window, oldest first. */
  years: ComputedRef<YearRow[]>
  /** The unit and its ancestors in the period, top first. */
  chain: ComputedRef<Unit[]>
  discrepancies: ComputedRef<readonly Discrepancy[]>
  spansReform: ComputedRef<boolean>
  /** The forecast rests on approximate months of the year. */
  forecastApproximate: ComputedRef<boolean>
  /** How the figures on screen before the unit existed were made up; null when none were. */
  continuity: ComputedRef<Continuity | null>
}

/** Figures on screen include months before the unit existed, summed from its predecessors. */
export interface Continuity {
  unit: Unit
  /** The day the unit took effect: figures before it are its predecessors'. */
  since: string
  /** Some predecessor went in only in part: those sums are approximate. */
  approximate: boolean
  /** By code; `partial` if partial in any of the figures shown. */
  predecessors: readonly Predecessor[]
}

export function useDashboard(options: UseDashboardOptions): UseDashboardReturn {
  const now = options.now ?? (() => new Date())
  const code = computed(() => toValue(options.unitCode))
  const dataset = computed(() => toValue(options.dataset))
  // Kept as long as it names the same months, so an indicator switch (which brings a new but equal
  // period from the address) re-reads ratios without re-aggregating.
  const period = computed<Period>((previous) => {
    const next = toValue(options.period)
    return previous &&
      previous.kind === next.kind &&
      previous.year === next.year &&
      previous.index === next.index
      ? previous
      : next
  })
  const indicator = computed(() => toValue(options.indicator))
  const year = computed(() => period.value.year)
  const months = computed(() => monthsOf(period.value))

  /** The era of the latest of `months` in which `unitCode` existed. */
  function eraOf(data: Dataset, unitCode: string, within: readonly Month[]): Era | null {
    for (let i = within.length - 1; i >= 0; i -= 1) {
      const era = data.eraOf(within[i]!)
      if (era.index.has(unitCode)) return era
    }
    return null
  }

  // One index per year, rebuilt only when the targets or the indicator change.
  const targetIndexes = computed(() => {
    const targets = toValue(options.targets)
    const id = indicator.value.id
    const cache = new Map<number, TargetIndex>()
    return (forYear: number): TargetIndex => {
      let index = cache.get(forYear)
      if (!index) {
        index = indexTargets(targets, id, forYear)
        cache.set(forYear, index)
      }
      return index
    }
  })
  const targetOf = (unit: Unit, era: Era, forYear: number): ResolvedTarget | null =>
    resolveTarget(targetIndexes.value(forYear), unit, era.index, indicator.value.id)

  function scored(tally: Tally | null, target: ResolvedTarget | null, approximate = false): Scored {
    const ratio = tallyRatio(tally ?? emptyTally(), indicator.value)
    const meets = meetsTarget(ratio.rate, target)
    const gap =
      meets === false && target && ratio.rate !== null
        ? (target.basisPoints - ratio.rate * MAX_BASIS_POINTS) / 100
        : null
    const score =
      target && SCORED_INDICATORS.includes(indicator.value.id)
        ? score766(ratio.rate, target.maxPoints)
        : null
    return { ratio, target, meets, gap, score, approximate }
  }

  const roll = computed(() =>
    dataset.value && code.value ? rollup(dataset.value, code.value, months.value) : null,
  )
  const era = computed(() => roll.value?.rootEra ?? null)
  // The unit the period is about, by the day its version took effect: the trend and the year's
  // months are about the same unit (a code reused by a new commune names two units). A string, so
  // a period switch that keeps the unit does not redo the trend.
  const asOf = computed(() => roll.value?.root?.validFrom)
  const unit = computed<Unit | null>(() => {
    if (roll.value?.root) return roll.value.root
    const versions = (dataset.value?.units ?? []).filter((u) => u.code === code.value)
    return versions.sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0] ?? null
  })
  const inPeriod = computed(() => roll.value?.root != null)
  const reporting = computed(() => (unit.value ? isReportingUnit(unit.value) : false))

  const unitTarget = computed(() =>
    unit.value && era.value ? targetOf(unit.value, era.value, year.value) : null,
  )
  const headline = computed(() =>
    roll.value && inPeriod.value
      ? scored(roll.value.total, unitTarget.value, isApproximate(roll.value))
      : null,
  )

  /** What a unit of `level` under the root gets when it has no target of its own. */
  function levelTarget(root: Unit, rootEra: Era, level: GovernmentLevel): ResolvedTarget | null {
    const index = targetIndexes.value(year.value)
    for (const holder of [root, ...ancestorsOf(rootEra.index, root.code)]) {
      const target = index.get(holder.code, level)
      if (target) return resolvedFrom(target, 'level')
    }
    const national = index.get(null, level)
    if (national) return resolvedFrom(national, 'national')
    const builtIn = DEFAULT_TARGETS[indicator.value.id]
    return builtIn
      ? {
          ...builtIn,
          rate: builtIn.basisPoints / MAX_BASIS_POINTS,
          source: 'builtIn',
          target: null,
        }
      : null
  }

  const levels = computed<LevelRow[]>(() => {
    const root = unit.value
    const rootEra = era.value
    if (!roll.value || !root || !rootEra) return []
    const approximate = roll.value.approximateLevels
    return [...roll.value.byLevel].map(([level, tally]) => ({
      level,
      ...scored(tally, levelTarget(root, rootEra, level), approximate.has(level)),
    }))
  })

  const ranking = computed<RankRow[]>(() => {
    const data = dataset.value
    if (!data || !roll.value) return []
    const { byUnit, approximateUnits } = roll.value
    const rows = roll.value.children.map((child) => {
      const childEra = eraOf(data, child.code, months.value)
      const target = childEra ? targetOf(child, childEra, year.value) : null
      const tally = byUnit.get(child.code) ?? null
      return { unit: child, ...scored(tally, target, approximateUnits.has(child.code)) }
    })
    return rows.sort(
      (a, b) => (b.ratio.rate ?? -1) - (a.ratio.rate ?? -1) || (a.unit.code < b.unit.code ? -1 : 1),
    )
  })

  const completenessResult = computed(() => {
    const data = dataset.value
    if (!data || !code.value || reporting.value || !inPeriod.value) return null
    const today = now()
    const current = monthOf(today)
    return completeness(
      data,
      code.value,
      months.value.filter((month) => month <= current),
      {
        deadlineDay: toValue(options.deadlineDay) ?? DEFAULT_DEADLINE_DAY,
        now: today,
        asOf: asOf.value,
      },
    )
  })

  /**
   * The unit's roll-up over the period's year. Years the trend already covers are read from it,
   * so switching between them costs no roll-up; an older year gets its own.
   */
  const yearRoll = computed<Rollup | null>(() => {
    const data = dataset.value
    if (!data || !code.value) return null
    const yearMonthList = monthsOf({ kind: 'year', year: year.value, index: 0 })
    const base = trendRoll.value
    if (base && base.months[0]! <= yearMonthList[0]!) return base
    return rollup(data, code.value, yearMonthList, { asOf: asOf.value })
  })
  const yearByMonth = computed(() => yearRoll.value?.byMonth ?? null)
  const yearMonths = computed<MonthPoint[]>(() =>
    monthsOf({ kind: 'year', year: year.value, index: 0 }).map((month) =>
      point(month, yearByMonth.value?.get(month) ?? null, unitTarget.value, yearRoll.value),
    ),
  )
  const forecastApproximate = computed(() =>
    yearRoll.value
      ? isApproximate(yearRoll.value, monthsOf({ kind: 'year', year: year.value, index: 0 }))
      : false,
  )

  const forecastResult = computed(() => {
    const target = unitTarget.value
    const byMonth = yearByMonth.value
    if (!target || !byMonth) return null
    // A unit that ends before December (a district abolished in 2025) has no rest of the year.
    const endsAt = unit.value?.validTo
    if (endsAt && endsAt <= `${year.value}-12-01`) return null
    const last = [...yearMonths.value].reverse().find((p) => (p.tally?.records ?? 0) > 0)
    if (!last) return null
    return forecast(byMonth, last.month, indicator.value, target.rate)
  })

  function point(
    month: Month,
    tally: Tally | null,
    target: ResolvedTarget | null,
    from: Rollup | null,
  ): MonthPoint {
    return {
      month,
      tally,
      ratio: tallyRatio(tally ?? emptyTally(), indicator.value),
      target,
      derived: tally !== null && (from?.derivedMonths.has(month) ?? false),
      approximate: tally !== null && (from?.approximateMonths.has(month) ?? false),
    }
  }

  // Whole years up to the latest month on the device, so the by-year table starts in January.
  const trendRoll = computed(() => {
    const data = dataset.value
    const latest = data?.months.at(-1)
    if (!data || !latest || !code.value) return null
    const first = toMonth(parseMonth(addMonths(latest, 1 - TREND_MONTHS)).year, 1)
    return rollup(data, code.value, monthRange(first, latest), { asOf: asOf.value })
  })
  /** The unit's target in each year of the trend. */
  const yearTargets = computed(() => {
    const data = dataset.value
    const targets = new Map<number, ResolvedTarget | null>()
    if (!data || !trendRoll.value || !code.value) return targets
    const byYear = new Map<number, Month[]>()
    for (const month of trendRoll.value.months) {
      const y = parseMonth(month).year
      byYear.set(y, [...(byYear.get(y) ?? []), month])
    }
    const { root, rootEra } = trendRoll.value
    for (const [y, yearMonthList] of byYear) {
      const yearEra = eraOf(data, code.value, yearMonthList)
      const yearUnit = yearEra?.index.get(code.value)
      if (yearEra && yearUnit) targets.set(y, targetOf(yearUnit, yearEra, y))
      // A year before the unit existed, whose figures are its predecessors': its own target.
      else targets.set(y, root && rootEra ? targetOf(root, rootEra, y) : null)
    }
    return targets
  })
  const trend = computed<MonthPoint[]>(() => {
    const base = trendRoll.value
    if (!base) return []
    const recent = base.months.slice(-TREND_MONTHS)
    // A unit with a shorter history gets a shorter chart, not a blank start.
    const first = recent.findIndex((month) => base.byMonth.has(month))
    return recent
      .slice(Math.max(0, first))
      .map((month) =>
        point(
          month,
          base.byMonth.get(month) ?? null,
          yearTargets.value.get(parseMonth(month).year) ?? null,
          base,
        ),
      )
  })
  const years = computed<YearRow[]>(() => {
    const base = trendRoll.value
    if (!base) return []
    const sums = new Map<number, { tally: Tally; months: number; approximate: boolean }>()
    for (const [month, tally] of base.byMonth) {
      const y = parseMonth(month).year
      const sum = sums.get(y) ?? { tally: emptyTally(), months: 0, approximate: false }
      addTally(sum.tally, tally)
      sum.months += 1
      if (base.approximateMonths.has(month)) sum.approximate = true
      sums.set(y, sum)
    }
    return [...sums]
      .sort(([a], [b]) => a - b)
      .map(([y, sum]) => ({
        year: y,
        months: sum.months,
        ...scored(sum.tally, yearTargets.value.get(y) ?? null, sum.approximate),
      }))
  })

  const chain = computed<Unit[]>(() => {
    const self = unit.value
    if (!self) return []
    const index = era.value?.index
    return index ? [...ancestorsOf(index, self.code)].reverse().concat(self) : [self]
  })

  return {
    year,
    months,
    unit,
    inPeriod,
    reporting,
    roll,
    headline,
    levels,
    ranking,
    completeness: completenessResult,
    forecast: forecastResult,
    yearMonths,
    trend,
    years,
    chain,
    discrepancies: computed(() => roll.value?.discrepancies ?? []),
    spansReform: computed(() => roll.value?.spansReform ?? false),
    forecastApproximate,
    continuity: computed(() => {
      const self = unit.value
      if (!self || !roll.value || !inPeriod.value) return null
      // What the screen shows: the period's figures, and the year's months (a commune) or the
      // whole trend and its years (above it).
      const shown: Shown[] = [{ roll: roll.value }]
      if (reporting.value && yearRoll.value) {
        shown.push({
          roll: yearRoll.value,
          months: monthsOf({ kind: 'year', year: year.value, index: 0 }),
        })
      } else if (!reporting.value && trendRoll.value) {
        shown.push({ roll: trendRoll.value })
      }
      return continuityOf(self, shown)
    }),
  }
}

/** A roll-up on screen, over the given months of it (all by default). */
interface Shown {
  roll: Rollup
  months?: readonly Month[]
}

function continuityOf(unit: Unit, shown: readonly Shown[]): Continuity | null {
  const derived = shown.filter(({ roll, months }) => isDerived(roll, months))
  if (derived.length === 0) return null
  const predecessors = new Map<string, Predecessor>()
  for (const { roll } of derived) {
    for (const p of roll.predecessors) {
      const known = predecessors.get(p.unit.code)
      predecessors.set(p.unit.code, known?.kind === 'partial' ? known : p)
    }
  }
  return {
    unit,
    since: unit.validFrom,
    approximate: derived.some(({ roll, months }) => isApproximate(roll, months)),
    predecessors: [...predecessors.values()].sort((a, b) => a.unit.code.localeCompare(b.unit.code)),
  }
}

function resolvedFrom(target: Target, source: 'level' | 'national'): ResolvedTarget {
  return {
    rate: target.basisPoints / MAX_BASIS_POINTS,
    basisPoints: target.basisPoints,
    maxPoints: target.maxPoints,
    source,
    target,
  }
}
