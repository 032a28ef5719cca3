/**
 * Realistic entries for the benchmarks: many units, a few years of months, all six counts, each
 * set valid (no numerator above its denominator). Pure, so the bench pages and Node share it.
 */
import type { BulkEntry } from '../../src/app/db/entries.ts'
import type { Counts } from '../../src/domain/indicators.ts'
import { addMonths, type Month } from '../../src/domain/periods.ts'

/** The six counts of the `i`-th entry. */
export function benchCounts(i: number): Counts {
  const received = 100 + (i % 900)
  return {
    received,
    digitized: Math.floor(received * 0.8),
    resolved: Math.floor(received * 0.9),
    eResults: Math.floor(received * 0.5),
    reused: Math.floor(received * 0.2),
    online: Math.floor(received * 0.6),
  }
}

/** `n` entries: 120 months for each unit, units numbered from 10000. */
export function makeEntries(n: number): BulkEntry[] {
  const entries: BulkEntry[] = []
  const start: Month = '2020-01'
  for (let i = 0; i < n; i++) {
    entries.push({
      unitCode: String(10000 + Math.floor(i / 120)),
      month: addMonths(start, i % 120),
      counts: benchCounts(i),
      note: '',
      updatedAt: '2026-01-01T00:00:00.000Z',
    })
  }
  return entries
}
