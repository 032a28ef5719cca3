/**
 * The figures of the official periodic report (báo cáo định kỳ) on one unit: the overall result, the
 * result per government level and per unit directly below, each against its target and scored as
 * Decision 766 scores it, and who reported on time. Texts are the app's business; this holds numbers.
 */
import type { Predecessor } from './continuity.ts'
import {
  completeness,
  deadlineOf,
  DEFAULT_DEADLINE_DAY,
  type Completeness,
} from './completeness.ts'
import { DIGITIZATION, INDICATORS, type Indicator } from './indicators.ts'
import { monthOf, monthsOf, type Month, type Period } from './periods.ts'
import type { Ratio } from './rates.ts'
import { isApproximate, isDerived, rollup, type Dataset, type Era } from './rollup.ts'
import { emptyTally, tallyRatio, type Tally } from './tally.ts'
import {
  indexTargets,
  meetsTarget,
  resolveTarget,
  score766,
  type ResolvedTarget,
  type Target,
} from './targets.ts'
import type { GovernmentLevel, Unit } from './units.ts'

export interface ReportInput {
  dataset: Dataset
  rootCode: string
  period: Period
  targets: Iterable<Target>
  /** The day the report is made: months after it are not expected yet. */
  now: Date
  deadlineDay?: number
}

/** A unit's digitization result against the target that applies to it. */
export interface ReportScore {
  ratio: Ratio
  target: ResolvedTarget | null
  meets: boolean | null
  /** Decision 766 points; null without a rate or a target. */
  points: number | null
}

export interface ReportLevel {
  level: GovernmentLevel
  tally: Tally
  digitization: Ratio
  /** Includes figures of months summed through a partial link. */
  approximate: boolean
}

export interface ReportUnit extends ReportScore {
  unit: Unit
  tally: Tally
  /** Counted in the root through a partial link: only part of it belongs to the root. */
  approximate: boolean
}

/** How the root's figures before it existed were made up (see continuity.ts). */
export interface ReportContinuity {
  /** Some figures are the sum of the root's predecessors. */
  derived: boolean
  /** Some of those were summed through a partial link: the totals are approximate. */
  approximate: boolean
  predecessors: readonly Predecessor[]
}

export interface Report {
  period: Period
  /** The period's months up to the month of `now`. */
  months: readonly Month[]
  /** The unit as it was in the latest month of the period it existed in; null if never. */
  root: Unit | null
  /** The province the root belongs to (the root itself for a province), for the place line. */
  province: Unit | null
  total: Tally
  /** Each indicator over the whole root. */
  indicators: ReadonlyArray<{ indicator: Indicator; ratio: Ratio }>
  overall: ReportScore
  /** Government levels that have figures in the period, province first. */
  levels: readonly ReportLevel[]
  /** Units directly below the root, by code. */
  units: readonly ReportUnit[]
  /** Over the months whose reports were due by `now`. */
  completeness: Completeness
  spansReform: boolean
  continuity: ReportContinuity
}

export function buildReport(input: ReportInput): Report {
  const { dataset, rootCode, period, now } = input
  const current = monthOf(now)
  const months = monthsOf(period).filter((month) => month <= current)
  const deadlineDay = input.deadlineDay ?? DEFAULT_DEADLINE_DAY
  const result = rollup(dataset, rootCode, months)
  const targets = indexTargets(input.targets, DIGITIZATION.id, period.year)
  const scoreIn = (era: Era | null, unit: Unit, tally: Tally): ReportScore => {
    const ratio = tallyRatio(tally, DIGITIZATION)
    const target = era ? resolveTarget(targets, unit, era.index, DIGITIZATION.id) : null
    return {
      ratio,
      target,
      meets: meetsTarget(ratio.rate, target),
      points: target ? score766(ratio.rate, target.maxPoints) : null,
    }
  }
  const score = (unit: Unit, tally: Tally): ReportScore =>
    scoreIn(latestEraOf(dataset, months, unit.code), unit, tally)
  // A root formed after the period from predecessors is held to the target of its own era.
  const scoreRoot = (unit: Unit, tally: Tally): ReportScore => scoreIn(result.rootEra, unit, tally)
  const rootEra = result.rootEra
  const chain = rootEra?.chain(rootCode) ?? []
  const province = rootEra && chain.length > 0 ? (rootEra.index.get(chain.at(-1)!) ?? null) : null
  return {
    period,
    months,
    root: result.root,
    province,
    total: result.total,
    indicators: INDICATORS.map((indicator) => ({
      indicator,
      ratio: tallyRatio(result.total, indicator),
    })),
    overall: result.root
      ? scoreRoot(result.root, result.total)
      : { ratio: tallyRatio(result.total, DIGITIZATION), target: null, meets: null, points: null },
    levels: [...result.byLevel]
      .filter(([, tally]) => tally.records > 0)
      .map(([level, tally]) => ({
        level,
        tally,
        digitization: tallyRatio(tally, DIGITIZATION),
        approximate: result.approximateLevels.has(level),
      })),
    units: result.children.map((unit) => {
      const tally = result.byUnit.get(unit.code) ?? emptyTally()
      return {
        unit,
        tally,
        ...score(unit, tally),
        approximate: result.approximateUnits.has(unit.code),
      }
    }),
    // Only reports already due count as expected: a month still open is not "not reported".
    completeness: completeness(
      dataset,
      rootCode,
      months.filter((month) => deadlineOf(month, deadlineDay).getTime() < now.getTime()),
      // About the same unit as the figures, though fewer months are due than are summed.
      { now, deadlineDay, asOf: result.root?.validFrom },
    ),
    spansReform: result.spansReform,
    continuity: {
      derived: isDerived(result),
      approximate: isApproximate(result),
      predecessors: result.predecessors,
    },
  }
}

/** The era of the latest month of `months` in which `code` existed. */
function latestEraOf(dataset: Dataset, months: readonly Month[], code: string): Era | null {
  const sorted = [...months].sort()
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const era = dataset.eraOf(sorted[i]!)
    if (era.index.has(code)) return era
  }
  return null
}
