/**
 * Periods as written in addresses (`/report?period=2026-Q3`) and file names: `2026` (year),
 * `2026-H1` (half), `2026-Q3` (quarter), `2026-10` (month), `ytd-2026-10` (January to October).
 * One spelling per period, so a link, a file name and a bookmark always name the same months.
 */
import type { Period } from './periods.ts'

const YEAR = '(\\d{4})'
const PATTERNS: ReadonlyArray<{ re: RegExp; kind: Period['kind']; max: number }> = [
  { re: new RegExp(`^${YEAR}$`), kind: 'year', max: 0 },
  { re: new RegExp(`^${YEAR}-H([12])$`), kind: 'half', max: 2 },
  { re: new RegExp(`^${YEAR}-Q([1-4])$`), kind: 'quarter', max: 4 },
  { re: new RegExp(`^${YEAR}-(0[1-9]|1[0-2])$`), kind: 'month', max: 12 },
  { re: new RegExp(`^ytd-${YEAR}-(0[1-9]|1[0-2])$`), kind: 'ytd', max: 12 },
]

/** Reads a period parameter; null when it is not one of the spellings above. */
export function parsePeriodParam(value: string): Period | null {
  const trimmed = value.trim()
  for (const { re, kind } of PATTERNS) {
    const match = re.exec(trimmed)
    if (!match) continue
    const year = Number(match[1])
    if (year < 2000 || year > 2100) return null
    return { kind, year, index: kind === 'year' ? 0 : Number(match[2]) }
  }
  return null
}

/** The one spelling of `period`; throws on an index outside its kind's range. */
export function formatPeriodParam(period: Period): string {
  const { kind, year, index } = period
  const max = PATTERNS.find((pattern) => pattern.kind === kind)?.max ?? 0
  if (kind !== 'year' && (!Number.isInteger(index) || index < 1 || index > max)) {
    throw new RangeError(`Bad ${kind} index: ${index}`)
  }
  const month = String(index).padStart(2, '0')
  switch (kind) {
    case 'year':
      return String(year)
    case 'half':
      return `${year}-H${index}`
    case 'quarter':
      return `${year}-Q${index}`
    case 'month':
      return `${year}-${month}`
    case 'ytd':
      return `ytd-${year}-${month}`
  }
}
