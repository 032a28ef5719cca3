/**
 * Running totals for dashboards. A tally keeps, per indicator, the numerator and denominator summed
 * over the records that reported both, so any rate read from it is Σ numerator / Σ denominator over
 * exactly those records (see rates.ts), and two tallies add up without losing that property.
 */
import {
  DATA_ELEMENTS,
  INDICATORS,
  type Counts,
  type Indicator,
  type IndicatorId,
} from './indicators.ts'
import type { Ratio } from './rates.ts'

export interface IndicatorSums {
  numerator: number
  denominator: number
  records: number
}

export interface Tally {
  /** Each element summed over the records that reported it. */
  counts: Record<(typeof DATA_ELEMENTS)[number], number>
  /** Records (unit-months) added. */
  records: number
  indicators: Record<IndicatorId, IndicatorSums>
}

export function emptyTally(): Tally {
  return {
    counts: { received: 0, digitized: 0, resolved: 0, eResults: 0, reused: 0, online: 0 },
    records: 0,
    indicators: {
      digitization: { numerator: 0, denominator: 0, records: 0 },
      online: { numerator: 0, denominator: 0, records: 0 },
      reuse: { numerator: 0, denominator: 0, records: 0 },
      eResults: { numerator: 0, denominator: 0, records: 0 },
    },
  }
}

/** Adds one unit-month's counts to `tally` in place. */
export function addCounts(tally: Tally, counts: Counts): void {
  tally.records += 1
  for (const element of DATA_ELEMENTS) {
    const value = counts[element]
    if (value !== undefined) tally.counts[element] += value
  }
  for (const indicator of INDICATORS) {
    const n = counts[indicator.numerator]
    const d = counts[indicator.denominator]
    if (n === undefined || d === undefined) continue
    const sums = tally.indicators[indicator.id]
    sums.numerator += n
    sums.denominator += d
    sums.records += 1
  }
}

/** Adds `other` into `tally` in place. */
export function addTally(tally: Tally, other: Tally): void {
  tally.records += other.records
  for (const element of DATA_ELEMENTS) tally.counts[element] += other.counts[element]
  for (const indicator of INDICATORS) {
    const into = tally.indicators[indicator.id]
    const from = other.indicators[indicator.id]
    into.numerator += from.numerator
    into.denominator += from.denominator
    into.records += from.records
  }
}

/** The sum of several tallies, as a new tally. */
export function sumTallies(tallies: Iterable<Tally>): Tally {
  const total = emptyTally()
  for (const tally of tallies) addTally(total, tally)
  return total
}

/** The indicator's ratio over everything in the tally. */
export function tallyRatio(tally: Tally, indicator: Indicator): Ratio {
  const { numerator, denominator, records } = tally.indicators[indicator.id]
  return { numerator, denominator, rate: denominator > 0 ? numerator / denominator : null, records }
}
