/** One unit's counts for one month: the record officials enter and that syncs. */
import type { Counts } from './indicators.ts'
import type { Month } from './periods.ts'

export interface Entry {
  unitCode: string
  month: Month
  counts: Counts
  /** Free-text remark from the official, shown as plain text only. */
  note: string
  /** ISO timestamp of the last local change. */
  updatedAt: string
}

/** Stable key of an entry: one record per unit and month. */
export function entryKey(unitCode: string, month: Month): string {
  return `${unitCode}/${month}`
}
