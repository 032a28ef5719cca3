import { describe, expect, it } from 'vitest'
import { PACE_MONTHS, forecast } from '../../src/domain/forecast.ts'
import { DIGITIZATION } from '../../src/domain/indicators.ts'
import { addMonths, type Month } from '../../src/domain/periods.ts'
import type { Tally } from '../../src/domain/tally.ts'
import { tallyOf } from './builders.ts'

/** A province's month totals from January 2025 on: [received, digitized] per month; null skips one. */
function months(...values: Array<readonly [number, number] | null>): Map<Month, Tally> {
  const byMonth = new Map<Month, Tally>()
  values.forEach((value, i) => {
    if (value)
      byMonth.set(addMonths('2025-01', i), tallyOf({ received: value[0], digitized: value[1] }))
  })
  return byMonth
}

/** `count` months of the same figures. */
function same(
  count: number,
  received: number,
  digitized: number,
): Array<readonly [number, number]> {
  return Array.from({ length: count }, () => [received, digitized] as const)
}

describe('forecast', () => {
  it('behind: a pace exactly at the target never closes the gap', () => {
    // Jan–Apr received 100 each, digitized 60, 70, 80, 90.
    const result = forecast(
      months([100, 60], [100, 70], [100, 80], [100, 90]),
      '2025-04',
      DIGITIZATION,
      0.8,
    )
    expect(result).toEqual({
      asOf: '2025-04',
      ytd: { numerator: 300, denominator: 400, rate: 0.75, records: 4 },
      target: 0.8,
      remainingMonths: 8,
      // 400 + 8 months × 400/4.
      projectedDenominator: 1200,
      // ⌈0,8 × 1200 − 300⌉ = 660.
      needed: 660,
      // ⌈660 / 8⌉ = ⌈82,5⌉.
      perMonth: 83,
      // Feb–Apr: 240/300 = 80%: each month adds 80 − 0,8 × 100 = 0 towards the 20 missing.
      pace: { numerator: 240, denominator: 300, rate: 0.8, records: 3 },
      reachMonth: null,
      status: 'behind',
    })
    expect(PACE_MONTHS).toBe(3)
  })

  it('on track: reaches the target in the month worked out by hand', () => {
    // Jan–Apr received 100 each, digitized 40, 70, 90, 95: 295/400.
    const result = forecast(
      months([100, 40], [100, 70], [100, 90], [100, 95]),
      '2025-04',
      DIGITIZATION,
      0.8,
    )
    expect(result.ytd).toEqual({ numerator: 295, denominator: 400, rate: 0.7375, records: 4 })
    // Pace Feb–Apr 255/300 = 85%: each month gains 85 − 80 = 5 on a gap of 320 − 295 = 25, so
    // 5 months: September. Check: 295 + 5 × 85 = 720 = 80% of 400 + 5 × 100 = 900; after 4 months
    // 635/800 = 79,375%.
    expect(result.pace).toEqual({ numerator: 255, denominator: 300, rate: 0.85, records: 3 })
    expect(result.reachMonth).toBe('2025-09')
    expect(result.status).toBe('onTrack')
    // ⌈0,8 × 1200 − 295⌉ = 665; ⌈665 / 8⌉ = ⌈83,125⌉ = 84.
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1200, 665, 84])
  })

  it('on track when the target is reached in December exactly', () => {
    // Jan 100/40, Feb–Jul 100/70, Aug–Oct 100/100: 40 + 420 + 300 = 760 of 1000; gap 800 − 760 = 40.
    // Pace 300/300 gains 100 − 80 = 20 a month: 2 months, December (960/1200 = 80%).
    const result = forecast(
      months([100, 40], ...same(6, 100, 70), ...same(3, 100, 100)),
      '2025-10',
      DIGITIZATION,
      0.8,
    )
    expect(result.ytd.numerator).toBe(760)
    expect(result.reachMonth).toBe('2025-12')
    expect(result.status).toBe('onTrack')
  })

  it('behind when the pace reaches the target only next year', () => {
    // Jan–Jul 100/50, Aug–Oct 100/100: 350 + 300 = 650 of 1000; gap 800 − 650 = 150.
    // Pace 300/300 gains 20 a month: ⌈150 / 20⌉ = ⌈7,5⌉ = 8 months after October, June 2026.
    // Check: after 7 months 1350/1700 < 80% (1360); after 8, 1450/1800 ≥ 80% (1440).
    const result = forecast(
      months(...same(7, 100, 50), ...same(3, 100, 100)),
      '2025-10',
      DIGITIZATION,
      0.8,
    )
    expect(result.ytd).toEqual({ numerator: 650, denominator: 1000, rate: 0.65, records: 10 })
    expect(result.reachMonth).toBe('2026-06')
    expect(result.status).toBe('behind')
    // 2 months left; 1000 + 2 × 100 = 1200; ⌈960 − 650⌉ = 310; ⌈310 / 2⌉ = 155.
    expect(result.remainingMonths).toBe(2)
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1200, 310, 155])
  })

  it('reached: the year to date already meets the target', () => {
    // Jan–Mar received 100, digitized 80, 85, 90: 255/300 = 85%.
    const result = forecast(months([100, 80], [100, 85], [100, 90]), '2025-03', DIGITIZATION, 0.8)
    expect(result.reachMonth).toBe('2025-03')
    expect(result.status).toBe('reached')
    // Staying on target still needs 80% of what is to come: 300 + 9 × 100 = 1200,
    // ⌈960 − 255⌉ = 705, ⌈705 / 9⌉ = ⌈78,33⌉ = 79.
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1200, 705, 79])
  })

  it('reached at exactly the target rate', () => {
    // 80/100 is 80%, not a hair below it.
    const result = forecast(months([100, 80]), '2025-01', DIGITIZATION, 0.8)
    expect(result.status).toBe('reached')
  })

  it('needs nothing more when the year is safe whatever comes', () => {
    // Jan–Nov 100/100: 1100/1100; the year ends at 1200 at most 1100 + 0 → ⌈960 − 1100⌉ < 0 → 0.
    const result = forecast(months(...same(11, 100, 100)), '2025-11', DIGITIZATION, 0.8)
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1200, 0, 0])
    expect(result.status).toBe('reached')
  })

  it('in December has no months left to spread over', () => {
    // Jan–Dec 100/75: 900/1200; ⌈960 − 900⌉ = 60 short, no month left; pace 75% falls further behind.
    const result = forecast(months(...same(12, 100, 75)), '2025-12', DIGITIZATION, 0.8)
    expect(result.remainingMonths).toBe(0)
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1200, 60, null])
    expect(result.reachMonth).toBeNull()
    expect(result.status).toBe('behind')
  })

  it('takes the pace from the last reported months and ignores months after asOf', () => {
    // Jan 100/0, Feb 100/90, Mar 100/90, nothing in Apr or May, Jun 100/100, then Jul 100/0.
    const byMonth = months([100, 0], [100, 90], [100, 90], null, null, [100, 100], [100, 0])
    const result = forecast(byMonth, '2025-06', DIGITIZATION, 0.8)
    // Year to date Jan–Jun: 280/400; July is after asOf.
    expect(result.ytd).toEqual({ numerator: 280, denominator: 400, rate: 0.7, records: 4 })
    // Pace Feb, Mar, Jun: 280/300; gains (280 − 240)/3 a month on a gap of 40: 3 months, September.
    expect(result.pace).toEqual({ numerator: 280, denominator: 300, rate: 280 / 300, records: 3 })
    expect(result.reachMonth).toBe('2025-09')
    expect(result.status).toBe('onTrack')
    // 400 over 4 reported months: 100 a month for the 6 left → 1000; ⌈800 − 280⌉ = 520; ⌈520 / 6⌉ = 87.
    expect([result.projectedDenominator, result.needed, result.perMonth]).toEqual([1000, 520, 87])
  })

  it('has no data without a month that reports both counts this year', () => {
    const empty = forecast(new Map(), '2025-04', DIGITIZATION, 0.8)
    expect(empty).toEqual({
      asOf: '2025-04',
      ytd: { numerator: 0, denominator: 0, rate: null, records: 0 },
      target: 0.8,
      remainingMonths: 8,
      projectedDenominator: 0,
      needed: 0,
      perMonth: null,
      pace: null,
      reachMonth: null,
      status: 'noData',
    })
    const elsewhere = new Map<Month, Tally>([
      ['2024-12', tallyOf({ received: 100, digitized: 100 })], // last year
      ['2025-05', tallyOf({ received: 100, digitized: 100 })], // after asOf
      ['2025-02', tallyOf({ received: 100 })], // no digitized
    ])
    expect(forecast(elsewhere, '2025-04', DIGITIZATION, 0.8).status).toBe('noData')
    // Reported zeros are data, but 0 received leaves no rate to forecast.
    expect(forecast(months([0, 0]), '2025-01', DIGITIZATION, 0.8).status).toBe('noData')
  })
})
