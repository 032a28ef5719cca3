/**
 * Completeness and timeliness of reporting: for each month, which reporting units (communes and
 * offices in force that month) were expected under a unit, which reported, and which reported by the
 * deadline. A month is "reported" by a unit when its entry holds every required count. Before a unit
 * formed in a reorganization existed, its predecessors' reporting units are the ones expected.
 */
import { lineage, type LineageOptions } from './continuity.ts'
import { REQUIRED_ELEMENTS } from './indicators.ts'
import { addMonths, parseMonth, type Month } from './periods.ts'
import type { Dataset, Fact, SubtreeUnit } from './rollup.ts'
import { isReportingUnit, type Unit } from './units.ts'

/** Reports are due by the end of this day of the following month unless configured otherwise. */
export const DEFAULT_DEADLINE_DAY = 5

/** Vietnam is UTC+7 all year. */
const VIETNAM_OFFSET_HOURS = 7

/** The instant a month's report is due: the end of day `day` of the next month, Vietnam time. */
export function deadlineOf(month: Month, day: number): Date {
  const { year, month: m } = parseMonth(addMonths(month, 1))
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate()
  // A setting read from storage may be anything; a NaN day would make every report late.
  const wanted = Number.isFinite(day) ? Math.trunc(day) : DEFAULT_DEADLINE_DAY
  const clamped = Math.min(Math.max(1, wanted), lastDay)
  return new Date(Date.UTC(year, m - 1, clamped, 24 - VIETNAM_OFFSET_HOURS) - 1)
}

export interface MonthCompleteness {
  month: Month
  deadline: Date
  /** The deadline has passed at `now`: a missing report is late, not merely not yet due. */
  due: boolean
  expected: number
  reported: number
  /** Reported no later than the deadline. */
  onTime: number
  /** Reported, but when is unknown (records from before timestamps were kept). */
  unknownTime: number
}

export interface MissingReport {
  /** The latest version of the unit among the months it is missing. */
  unit: Unit
  /** Months of the period the unit was expected to report and did not, ascending. */
  months: Month[]
}

export interface Completeness {
  months: MonthCompleteness[]
  expected: number
  reported: number
  onTime: number
  unknownTime: number
  /** Units with at least one missing month, by code. */
  missing: MissingReport[]
}

export interface CompletenessOptions extends LineageOptions {
  /** Day of the following month reports are due; DEFAULT_DEADLINE_DAY if absent. */
  deadlineDay?: number
  now: Date
}

export function completeness(
  dataset: Dataset,
  rootCode: string,
  months: readonly Month[],
  options: CompletenessOptions,
): Completeness {
  const day = options.deadlineDay ?? DEFAULT_DEADLINE_DAY
  // Keyed by the scope's unit list, which is shared by every month of an era with the same makeup.
  const expectedByScope = new Map<readonly SubtreeUnit[], Unit[]>()
  const missing = new Map<string, MissingReport>()
  const result: Completeness = {
    months: [],
    expected: 0,
    reported: 0,
    onTime: 0,
    unknownTime: 0,
    missing: [],
  }
  for (const [month, scope] of lineage(dataset, rootCode, months, options).scopes) {
    let expected = expectedByScope.get(scope.units)
    if (!expected) {
      expected = scope.units.map(({ unit }) => unit).filter(isReportingUnit)
      expectedByScope.set(scope.units, expected)
    }
    const deadline = deadlineOf(month, day)
    const row: MonthCompleteness = {
      month,
      deadline,
      due: options.now.getTime() > deadline.getTime(),
      expected: expected.length,
      reported: 0,
      onTime: 0,
      unknownTime: 0,
    }
    for (const unit of expected) {
      const fact = dataset.factOf(month, unit.code)
      if (fact && isComplete(fact)) {
        row.reported += 1
        const at = fact.reportedAt ? Date.parse(fact.reportedAt) : Number.NaN
        if (Number.isNaN(at)) row.unknownTime += 1
        else if (at <= deadline.getTime()) row.onTime += 1
        continue
      }
      const report = missing.get(unit.code) ?? { unit, months: [] }
      // Months run in order, so this keeps the latest version of a code kept across the reform,
      // as roll-ups list children.
      report.unit = unit
      report.months.push(month)
      missing.set(unit.code, report)
    }
    result.months.push(row)
    result.expected += row.expected
    result.reported += row.reported
    result.onTime += row.onTime
    result.unknownTime += row.unknownTime
  }
  result.missing = [...missing.values()].sort((a, b) => a.unit.code.localeCompare(b.unit.code))
  return result
}

function isComplete(fact: Fact): boolean {
  return REQUIRED_ELEMENTS.every((element) => fact.counts[element] !== undefined)
}
