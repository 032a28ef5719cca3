import { describe, expect, it } from 'vitest'
import { DEFAULT_DEADLINE_DAY, completeness, deadlineOf } from '../../src/domain/completeness.ts'
import { monthRange, type Month } from '../../src/domain/periods.ts'
import { buildDataset, type Fact } from '../../src/domain/rollup.ts'
import { makeFact, makeProvince } from './builders.ts'

describe('deadlineOf', () => {
  it.each([
    // month, day, instant: the end of that day of the next month in Vietnam (UTC+7) is 16:59:59.999Z.
    ['2025-07', 5, '2025-08-05T16:59:59.999Z'],
    ['2025-06', 5, '2025-07-05T16:59:59.999Z'],
    ['2025-01', 31, '2025-02-28T16:59:59.999Z'], // February 2025 has 28 days
    ['2024-01', 31, '2024-02-29T16:59:59.999Z'], // 2024 is a leap year
    ['2025-03', 31, '2025-04-30T16:59:59.999Z'], // April has 30
    ['2025-12', 5, '2026-01-05T16:59:59.999Z'], // December is due in January of the next year
    ['2025-11', 31, '2025-12-31T16:59:59.999Z'],
    ['2025-07', 0, '2025-08-01T16:59:59.999Z'], // below 1 means the 1st
    ['2025-07', 5.9, '2025-08-05T16:59:59.999Z'], // a whole day
  ] as const)('%s with day %s is due at %s', (month, day, instant) => {
    expect(deadlineOf(month, day).toISOString()).toBe(instant)
  })

  it('is midnight in Vietnam: one millisecond later is the next day there', () => {
    const deadline = deadlineOf('2025-07', 5)
    // 16:59:59.999Z + 7 h = 23:59:59.999 on 5 August in Hà Nội.
    expect(new Date(deadline.getTime() + 7 * 3_600_000).toISOString()).toBe(
      '2025-08-05T23:59:59.999Z',
    )
  })

  it('falls back to the default day for a day that is not a number', () => {
    expect(DEFAULT_DEADLINE_DAY).toBe(5)
    expect(deadlineOf('2025-07', Number.NaN).toISOString()).toBe('2025-08-05T16:59:59.999Z')
  })
})

/**
 * Province 42 (see makeProvince): 8 reporting units before the reform (42-STP, 42-SYT, 001-VP,
 * 00001, 00002, 002-VP, 00003, 00004), 4 after (42-STP, 42-SYT, 00010, 00003).
 *
 * May, due 2025-06-05T16:59:59.999Z:
 *   on time: 42-STP (1 June), 42-SYT (at the deadline to the millisecond), 00002, 00003
 *   late: 001-VP (one millisecond after the deadline)
 *   time unknown: 00001
 *   missing: 002-VP (received only, no digitized), 00004 (nothing)
 *   → 6 reported, 4 on time, 1 unknown.
 * June: all on time but 00004 → 7 reported, 7 on time.
 * July, due 2025-08-05T16:59:59.999Z: 42-STP and 00010 on time, 42-SYT late (10 August), 00003
 *   missing → 3 reported, 2 on time.
 * August, due 2025-09-05 (not yet at `now`): 42-STP on time, the other three missing
 *   → 1 reported, 1 on time.
 * 43001 of province 43 reports every month and is never counted for 42.
 */
function at(unitCode: string, month: Month, reportedAt: string | null): Fact {
  return makeFact({ unitCode, month, reportedAt })
}
const FACTS: Fact[] = [
  at('42-STP', '2025-05', '2025-06-01T00:00:00.000Z'),
  at('42-SYT', '2025-05', '2025-06-05T16:59:59.999Z'),
  at('001-VP', '2025-05', '2025-06-05T17:00:00.000Z'),
  at('00001', '2025-05', null),
  at('00002', '2025-05', '2025-05-31T09:00:00.000Z'),
  makeFact({ unitCode: '002-VP', month: '2025-05', counts: { received: 10 } }),
  at('00003', '2025-05', '2025-06-02T09:00:00+07:00'),
  ...['42-STP', '42-SYT', '001-VP', '00001', '00002', '002-VP', '00003'].map((code) =>
    at(code, '2025-06', '2025-07-03T02:00:00.000Z'),
  ),
  at('42-STP', '2025-07', '2025-08-01T02:00:00.000Z'),
  at('42-SYT', '2025-07', '2025-08-10T02:00:00.000Z'),
  at('00010', '2025-07', '2025-08-05T08:00:00.000Z'),
  at('42-STP', '2025-08', '2025-08-15T02:00:00.000Z'),
  ...monthRange('2025-05', '2025-08').map((month) => at('43001', month, null)),
]
const DATA = buildDataset(makeProvince(), FACTS)
const NOW = new Date('2025-08-20T00:00:00.000Z')
const MAY_TO_AUGUST = monthRange('2025-05', '2025-08')

describe('completeness', () => {
  const result = completeness(DATA, '42', MAY_TO_AUGUST, { now: NOW })

  it('expects the reporting units in force each month: 8 before the reform, 4 after', () => {
    expect(result.months.map((row) => [row.month, row.expected])).toEqual([
      ['2025-05', 8],
      ['2025-06', 8],
      ['2025-07', 4],
      ['2025-08', 4],
    ])
    expect(result.expected).toBe(24) // 8 + 8 + 4 + 4
  })

  it('counts reported, on time and unknown time per month', () => {
    expect(
      result.months.map(({ month, reported, onTime, unknownTime, due }) => ({
        month,
        reported,
        onTime,
        unknownTime,
        due,
      })),
    ).toEqual([
      { month: '2025-05', reported: 6, onTime: 4, unknownTime: 1, due: true },
      { month: '2025-06', reported: 7, onTime: 7, unknownTime: 0, due: true },
      { month: '2025-07', reported: 3, onTime: 2, unknownTime: 0, due: true },
      { month: '2025-08', reported: 1, onTime: 1, unknownTime: 0, due: false },
    ])
    // Late = reported − on time − unknown: May 6 − 4 − 1 = 1 (001-VP), July 3 − 2 = 1 (42-SYT).
    expect(result.months[0]?.deadline.toISOString()).toBe('2025-06-05T16:59:59.999Z')
  })

  it('totals the months', () => {
    expect(result.reported).toBe(17) // 6 + 7 + 3 + 1
    expect(result.onTime).toBe(14) // 4 + 7 + 2 + 1
    expect(result.unknownTime).toBe(1)
  })

  it('lists each unit with a missing month and the months, by code', () => {
    expect(result.missing.map(({ unit, months }) => [unit.code, months])).toEqual([
      ['00003', ['2025-07', '2025-08']], // reported May and June, not after the merger
      ['00004', ['2025-05', '2025-06']],
      ['00010', ['2025-08']],
      ['002-VP', ['2025-05']], // received without digitized is not a report
      ['42-SYT', ['2025-08']],
    ])
    // 00003 is first missing after the reform, in its version under the province.
    expect(result.missing[0]?.unit.parentCode).toBe('42')
  })

  it('is due only once the deadline has passed', () => {
    const deadline = deadlineOf('2025-07', DEFAULT_DEADLINE_DAY).getTime()
    const july = (now: number) =>
      completeness(DATA, '42', ['2025-07'], { now: new Date(now) }).months[0]?.due
    expect(july(deadline)).toBe(false)
    expect(july(deadline + 1)).toBe(true)
  })

  it('moves the deadline with the configured day', () => {
    // Due 10 June: 001-VP's report of 6 June 00:00 in Vietnam is on time.
    const may = completeness(DATA, '42', ['2025-05'], { now: NOW, deadlineDay: 10 }).months[0]
    expect(may?.deadline.toISOString()).toBe('2025-06-10T16:59:59.999Z')
    expect(may?.onTime).toBe(5)
  })

  it('counts only the months a root existed in, and only its units', () => {
    // District 002: 002-VP, 00003, 00004 in May and June; gone from July.
    const district = completeness(DATA, '002', MAY_TO_AUGUST, { now: NOW })
    expect(district.months.map((row) => [row.month, row.expected, row.reported])).toEqual([
      ['2025-05', 3, 1], // 00003
      ['2025-06', 3, 2], // 002-VP, 00003
    ])
    expect(district.missing.map(({ unit, months }) => [unit.code, months])).toEqual([
      ['00004', ['2025-05', '2025-06']],
      ['002-VP', ['2025-05']],
    ])
    // A commune is its own only reporting unit.
    const commune = completeness(DATA, '00003', MAY_TO_AUGUST, { now: NOW })
    expect([commune.expected, commune.reported]).toEqual([4, 2])
  })

  it('names a code kept across the reform by its latest version', () => {
    // Nobody reported anything in June or July: 00003 is missing under 002, then under 42.
    const nothing = buildDataset(makeProvince(), [])
    const result = completeness(nothing, '42', ['2025-06', '2025-07'], { now: NOW })
    const kept = result.missing.find(({ unit }) => unit.code === '00003')
    expect(kept?.months).toEqual(['2025-06', '2025-07'])
    expect(kept?.unit.parentCode).toBe('42')
    expect([result.expected, result.reported, result.missing.length]).toEqual([12, 0, 9])
  })

  it('counts a month given twice once', () => {
    const twice = completeness(DATA, '42', ['2025-06', '2025-06'], { now: NOW })
    expect([twice.expected, twice.reported]).toEqual([8, 7])
    expect(twice.missing.map(({ months }) => months)).toEqual([['2025-06']])
  })
})
