/**
 * Aggregation and rates. A rate over any set of units and months is Σ numerator / Σ denominator over
 * the records that report both, never an average of the records' own rates.
 */
import { DATA_ELEMENTS, type Counts, type Indicator } from './indicators.ts'

export interface Ratio {
  numerator: number
  denominator: number
  /** numerator / denominator, or null when the denominator is 0 or nothing was reported. */
  rate: number | null
  /** How many records contributed (reported both counts). */
  records: number
}

/** Sums each element over the records that reported it. */
export function sumCounts(records: Iterable<Counts>): Required<Counts> & { records: number } {
  const totals = { records: 0 } as Required<Counts> & { records: number }
  for (const element of DATA_ELEMENTS) totals[element] = 0
  for (const counts of records) {
    totals.records += 1
    for (const element of DATA_ELEMENTS) {
      const value = counts[element]
      if (value !== undefined) totals[element] += value
    }
  }
  return totals
}

/** Σ numerator / Σ denominator over the records that reported both. */
export function ratio(records: Iterable<Counts>, indicator: Indicator): Ratio {
  let numerator = 0
  let denominator = 0
  let count = 0
  for (const counts of records) {
    const n = counts[indicator.numerator]
    const d = counts[indicator.denominator]
    if (n === undefined || d === undefined) continue
    numerator += n
    denominator += d
    count += 1
  }
  return {
    numerator,
    denominator,
    rate: denominator > 0 ? numerator / denominator : null,
    records: count,
  }
}

/** Ratio for one record, as the entry form shows it live. */
export function recordRate(counts: Counts, indicator: Indicator): number | null {
  return ratio([counts], indicator).rate
}

/** Groups records by a key (unit, level, month) so each group can be summed or rated. */
export function groupCounts<T>(
  items: Iterable<T>,
  keyOf: (item: T) => string,
  countsOf: (item: T) => Counts,
): Map<string, Counts[]> {
  const groups = new Map<string, Counts[]>()
  for (const item of items) {
    const key = keyOf(item)
    const list = groups.get(key)
    if (list) list.push(countsOf(item))
    else groups.set(key, [countsOf(item)])
  }
  return groups
}
