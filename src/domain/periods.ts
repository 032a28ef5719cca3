/**
 * Reporting periods. Data is entered per calendar month (`YYYY-MM`); every other period is a set of
 * months, so a roll-up is always a sum over months and never an average of rates.
 */

/** A calendar month, `YYYY-MM`. */
export type Month = `${number}-${number}`

export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'ytd'

export interface Period {
  kind: PeriodKind
  year: number
  /** Month 1-12 for `month` and `ytd` (the last month included), quarter 1-4, half 1-2; unused for `year`. */
  index: number
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/

export function isMonth(value: string): value is Month {
  return MONTH_RE.test(value)
}

export function parseMonth(value: string): { year: number; month: number } {
  const match = MONTH_RE.exec(value)
  if (!match) throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(value)}`)
  return { year: Number(match[1]), month: Number(match[2]) }
}

export function toMonth(year: number, month: number): Month {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as Month
}

/** Moves a month by `delta` months (negative goes back). */
export function addMonths(month: Month, delta: number): Month {
  const { year, month: m } = parseMonth(month)
  const zeroBased = year * 12 + (m - 1) + delta
  return toMonth(Math.floor(zeroBased / 12), (zeroBased % 12) + 1)
}

/** The month containing `date`, in local time. */
export function monthOf(date: Date): Month {
  return toMonth(date.getFullYear(), date.getMonth() + 1)
}

/** First day of the month as an ISO date, the date a month is compared against unit validity with. */
export function monthStart(month: Month): string {
  return `${month}-01`
}

/** Inclusive list of months from `from` to `to`; empty when `to` is before `from`. */
export function monthRange(from: Month, to: Month): Month[] {
  const months: Month[] = []
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m)
  return months
}

/** The months a period covers, in order. */
export function monthsOf(period: Period): Month[] {
  const { kind, year, index } = period
  switch (kind) {
    case 'month':
      return [toMonth(year, index)]
    case 'quarter':
      return monthRange(toMonth(year, index * 3 - 2), toMonth(year, index * 3))
    case 'half':
      return monthRange(toMonth(year, index * 6 - 5), toMonth(year, index * 6))
    case 'year':
      return monthRange(toMonth(year, 1), toMonth(year, 12))
    case 'ytd':
      return monthRange(toMonth(year, 1), toMonth(year, index))
  }
}

/** The periods of each kind that contain `month`: its quarter, half, year and year-to-date. */
export function periodsContaining(month: Month): Period[] {
  const { year, month: m } = parseMonth(month)
  return [
    { kind: 'month', year, index: m },
    { kind: 'quarter', year, index: Math.ceil(m / 3) },
    { kind: 'half', year, index: m <= 6 ? 1 : 2 },
    { kind: 'year', year, index: 0 },
    { kind: 'ytd', year, index: m },
  ]
}

/** Months of the year of `month` from January up to and including `month`. */
export function yearToDate(month: Month): Month[] {
  const { year, month: m } = parseMonth(month)
  return monthsOf({ kind: 'ytd', year, index: m })
}
