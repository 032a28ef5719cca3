import { describe, expect, it } from 'vitest'
import { formatPeriodParam, parsePeriodParam } from '../../src/domain/periodParam.ts'
import { monthsOf, type Period } from '../../src/domain/periods.ts'

describe('period parameters', () => {
  it.each<[string, Period, string, string]>([
    ['2026', { kind: 'year', year: 2026, index: 0 }, '2026-01', '2026-12'],
    ['2026-H1', { kind: 'half', year: 2026, index: 1 }, '2026-01', '2026-06'],
    ['2026-Q3', { kind: 'quarter', year: 2026, index: 3 }, '2026-07', '2026-09'],
    ['2026-10', { kind: 'month', year: 2026, index: 10 }, '2026-10', '2026-10'],
    ['ytd-2026-10', { kind: 'ytd', year: 2026, index: 10 }, '2026-01', '2026-10'],
  ])('%s reads as its months and is written back the same', (text, period, first, last) => {
    const parsed = parsePeriodParam(text)
    expect(parsed).toEqual(period)
    const months = monthsOf(parsed!)
    expect([months[0], months.at(-1)]).toEqual([first, last])
    expect(formatPeriodParam(parsed!)).toBe(text)
  })

  it.each(['', '26', '2026-Q5', '2026-H3', '2026-13', '2026-1', 'ytd-2026', '2026-q3', '1999'])(
    'refuses %j',
    (text) => {
      expect(parsePeriodParam(text)).toBeNull()
    },
  )

  it('refuses to write an index outside the kind', () => {
    expect(() => formatPeriodParam({ kind: 'quarter', year: 2026, index: 5 })).toThrow(RangeError)
    expect(() => formatPeriodParam({ kind: 'month', year: 2026, index: 0 })).toThrow(RangeError)
  })
})
