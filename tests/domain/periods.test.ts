import { describe, expect, it } from 'vitest'
import {
  addMonths,
  isMonth,
  monthOf,
  monthRange,
  monthStart,
  monthsOf,
  parseMonth,
  periodsContaining,
  toMonth,
  yearToDate,
  type Month,
  type Period,
} from '../../src/domain/periods.ts'

describe('isMonth / parseMonth', () => {
  it.each(['2025-01', '2025-12', '1999-07'])('accepts %s', (value) => {
    expect(isMonth(value)).toBe(true)
    expect(toMonth(parseMonth(value).year, parseMonth(value).month)).toBe(value)
  })

  it.each(['2025-00', '2025-13', '2025-1', '25-01', '2025/01', '2025-01-01', ''])(
    'rejects %j',
    (value) => {
      expect(isMonth(value)).toBe(false)
      expect(() => parseMonth(value)).toThrow(RangeError)
    },
  )
})

describe('addMonths', () => {
  it.each<[Month, number, Month]>([
    ['2025-03', 0, '2025-03'],
    ['2025-03', 1, '2025-04'],
    ['2024-12', 1, '2025-01'],
    ['2025-01', -1, '2024-12'],
    ['2025-11', 3, '2026-02'],
    ['2025-03', -15, '2023-12'],
    ['2025-06', 24, '2027-06'],
    ['2025-12', -12, '2024-12'],
    ['2025-12', -24, '2023-12'],
  ])('%s %+d → %s', (month, delta, expected) => {
    expect(addMonths(month, delta)).toBe(expected)
  })
})

describe('monthRange', () => {
  it('runs inclusively across a year boundary', () => {
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
  })

  it('is one month when both ends match and empty when reversed', () => {
    expect(monthRange('2025-07', '2025-07')).toEqual(['2025-07'])
    expect(monthRange('2025-08', '2025-07')).toEqual([])
  })

  it('spans 24 months for a two-year window', () => {
    const months = monthRange(addMonths('2026-10', -23), '2026-10')
    expect(months).toHaveLength(24)
    expect(months[0]).toBe('2024-11')
  })
})

describe('monthsOf', () => {
  it.each<[Period, Month[]]>([
    [{ kind: 'month', year: 2025, index: 7 }, ['2025-07']],
    [{ kind: 'quarter', year: 2025, index: 1 }, ['2025-01', '2025-02', '2025-03']],
    [{ kind: 'quarter', year: 2025, index: 4 }, ['2025-10', '2025-11', '2025-12']],
    [
      { kind: 'half', year: 2025, index: 2 },
      ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'],
    ],
    [{ kind: 'ytd', year: 2025, index: 1 }, ['2025-01']],
    [{ kind: 'ytd', year: 2025, index: 3 }, ['2025-01', '2025-02', '2025-03']],
  ])('%o', (period, expected) => {
    expect(monthsOf(period)).toEqual(expected)
  })

  it('gives the twelve months of a year, and ytd through December equals the year', () => {
    const year = monthsOf({ kind: 'year', year: 2024, index: 0 })
    expect(year).toHaveLength(12)
    expect([year[0], year[11]]).toEqual(['2024-01', '2024-12'])
    expect(monthsOf({ kind: 'ytd', year: 2024, index: 12 })).toEqual(year)
  })

  it('partitions a year into quarters and halves without gaps or overlap', () => {
    const year = monthsOf({ kind: 'year', year: 2025, index: 0 })
    const quarters = [1, 2, 3, 4].flatMap((index) =>
      monthsOf({ kind: 'quarter', year: 2025, index }),
    )
    const halves = [1, 2].flatMap((index) => monthsOf({ kind: 'half', year: 2025, index }))
    expect(quarters).toEqual(year)
    expect(halves).toEqual(year)
  })
})

describe('periodsContaining', () => {
  it.each<[Month, number, number]>([
    ['2025-01', 1, 1],
    ['2025-03', 1, 1],
    ['2025-04', 2, 1],
    ['2025-06', 2, 1],
    ['2025-07', 3, 2],
    ['2025-12', 4, 2],
  ])('%s is in quarter %i and half %i', (month, quarter, half) => {
    expect(periodsContaining(month)).toEqual([
      { kind: 'month', year: 2025, index: parseMonth(month).month },
      { kind: 'quarter', year: 2025, index: quarter },
      { kind: 'half', year: 2025, index: half },
      { kind: 'year', year: 2025, index: 0 },
      { kind: 'ytd', year: 2025, index: parseMonth(month).month },
    ])
  })

  it.each<Month>(['2024-01', '2024-05', '2025-09', '2025-12'])(
    'every period containing %s includes it',
    (month) => {
      for (const period of periodsContaining(month)) expect(monthsOf(period)).toContain(month)
    },
  )
})

describe('yearToDate, monthStart, monthOf', () => {
  it('yearToDate runs from January of the same year', () => {
    expect(yearToDate('2026-02')).toEqual(['2026-01', '2026-02'])
    expect(yearToDate('2026-01')).toEqual(['2026-01'])
  })

  it('monthStart is the ISO first day', () => {
    expect(monthStart('2025-07')).toBe('2025-07-01')
  })

  it('monthOf reads local time', () => {
    expect(monthOf(new Date(2025, 0, 31, 23, 59))).toBe('2025-01')
    expect(monthOf(new Date(2025, 11, 1, 0, 0))).toBe('2025-12')
  })
})
