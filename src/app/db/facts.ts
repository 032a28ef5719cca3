import type { SohoaDb, EntryRecord } from './schema.ts'

/**
 * Every entry on this device, for dashboards. The device holds exactly what its user may read, so
 * this is the user's whole scope. One getAll is the fastest way IndexedDB can hand over a table
 * (npm run bench compares it with range reads); roll-ups then run in memory.
 */
export async function allEntries(db: SohoaDb): Promise<EntryRecord[]> {
  return db.entries.toArray()
}
