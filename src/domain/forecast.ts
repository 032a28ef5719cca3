/**
 * "Are we on track for this year's target?": how many more dossiers must meet the indicator by
 * December, about how many a month, and when the year-to-date rate reaches the target if the recent
 * pace holds. Worked on sums, never on averaged rates.
 */
import type { Indicator } from './indicators.ts'
import { addMonths, parseMonth, toMonth, type Month } from './periods.ts'
import type { Ratio } from './rates.ts'
import { addTally, emptyTally, tallyRatio, type Tally } from './tally.ts'

/** How many of the latest reported months make "the current pace". */
export const PACE_MONTHS = 3

export type ForecastStatus = 'reached' | 'onTrack' | 'behind' | 'noData'

export interface Forecast {
  asOf: Month
  /** January to `asOf`. */
  ytd: Ratio
  /** Target rate, 0..1. */
  target: number
  /** Months of the year after `asOf`. */
  remainingMonths: number
  /** Denominator expected for the whole year: year to date plus the monthly average for each month left. */
  projectedDenominator: number
  /** More numerator (e.g. digitized dossiers) needed by December to end the year on target. */
  needed: number
  /** `needed` spread over the remaining months, rounded up; null in December. */
  perMonth: number | null
  /** The last PACE_MONTHS reported months; null without data. */
  pace: Ratio | null
  /**
   * The month the year-to-date rate reaches the target if the pace holds: `asOf` when already
   * reached, null when the pace is below the target (it never catches up).
   */
  reachMonth: Month | null
  status: ForecastStatus
}

const EPSILON = 1e-9

export function forecast(
  byMonth: ReadonlyMap<Month, Tally>,
  asOf: Month,
  indicator: Indicator,
  target: number,
): Forecast {
  const { year, month } = parseMonth(asOf)
  const reported: Tally[] = []
  const ytdTally = emptyTally()
  for (let m = 1; m <= month; m += 1) {
    const tally = byMonth.get(toMonth(year, m))
    if (!tally || tally.indicators[indicator.id].records === 0) continue
    reported.push(tally)
    addTally(ytdTally, tally)
  }
  const ytd = tallyRatio(ytdTally, indicator)
  const remainingMonths = 12 - month
  if (reported.length === 0 || ytd.denominator === 0) {
    return {
      asOf,
      ytd,
      target,
      remainingMonths,
      projectedDenominator: 0,
      needed: 0,
      perMonth: null,
      pace: null,
      reachMonth: null,
      status: 'noData',
    }
  }
  const monthlyDenominator = ytd.denominator / reported.length
  const projectedDenominator = ytd.denominator + monthlyDenominator * remainingMonths
  const needed = Math.max(0, Math.ceil(target * projectedDenominator - ytd.numerator - EPSILON))
  const perMonth = remainingMonths > 0 ? Math.ceil(needed / remainingMonths) : null

  const paceTally = emptyTally()
  for (const tally of reported.slice(-PACE_MONTHS)) addTally(paceTally, tally)
  const pace = tallyRatio(paceTally, indicator)
  const paceMonths = Math.min(PACE_MONTHS, reported.length)

  let reachMonth: Month | null = null
  const gap = target * ytd.denominator - ytd.numerator
  if (gap <= EPSILON) reachMonth = asOf
  else {
    // Each month at this pace adds n̄ to the numerator and d̄ to the denominator; the cumulative
    // rate reaches t after k months when (N + k n̄) ≥ t (D + k d̄), i.e. k ≥ gap / (n̄ − t d̄).
    const gain = (pace.numerator - target * pace.denominator) / paceMonths
    if (gain > EPSILON) reachMonth = addMonths(asOf, Math.ceil(gap / gain - EPSILON))
  }
  const status: ForecastStatus =
    reachMonth === asOf
      ? 'reached'
      : reachMonth !== null && parseMonth(reachMonth).year === year
        ? 'onTrack'
        : 'behind'
  return {
    asOf,
    ytd,
    target,
    remainingMonths,
    projectedDenominator,
    needed,
    perMonth,
    pace,
    reachMonth,
    status,
  }
}
