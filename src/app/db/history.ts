/**
 * The server's history of a month (edits, conflicts, reviews), cached so that an official can read
 * it offline. The server is the only source: a fetched copy replaces the stored one whole.
 */
import { entryKey } from '../../domain/entries.ts'
import type { Month } from '../../domain/periods.ts'
import type { HistoryEvent } from '../../domain/sync/protocol.ts'
import type { HistoryRecord, SohoaDb } from './schema.ts'

/** The cached history of one unit's month, or undefined when it was never fetched. */
export async function getHistory(
  db: SohoaDb,
  unitCode: string,
  month: Month,
): Promise<HistoryRecord | undefined> {
  return db.history.get(entryKey(unitCode, month))
}

/** Stores a freshly fetched history, replacing the cached one. */
export async function storeHistory(
  db: SohoaDb,
  unitCode: string,
  month: Month,
  events: readonly HistoryEvent[],
  now: Date = new Date(),
): Promise<HistoryRecord> {
  const record: HistoryRecord = {
    key: entryKey(unitCode, month),
    unitCode,
    month,
    events: [...events],
    fetchedAt: now.toISOString(),
  }
  await db.history.put(record)
  return record
}
