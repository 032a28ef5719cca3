/**
 * After a burst: does the database hold every operation exactly once? Read behind the API, straight
 * from the tables, so a bug in the answers cannot hide one in the data.
 */
import { int, text } from '../../../src/server/store/rows.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'

/** What the tables hold, next to what was sent. */
export interface StoredCounts {
  idsSent: number
  opsRows: number
  /** Op ids sent that have no row, and rows whose id was never sent. */
  missing: number
  unexpected: number
  entries: number
  /** Entries at version 1: each commune's month written once, never overwritten by a resend. */
  version1: number
  history: number
}

export async function storedCounts(
  store: SqlStore,
  sent: ReadonlySet<string>,
): Promise<StoredCounts> {
  return store.transaction(async (tx) => {
    const ids = (await tx.all('SELECT op_id FROM ops')).map((row) => text(row, 'op_id'))
    const stored = new Set(ids)
    const [entries] = await tx.all(
      'SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN version = 1 THEN 1 ELSE 0 END), 0) AS v1 FROM entries',
    )
    const [history] = await tx.all('SELECT COUNT(*) AS n FROM entry_history')
    if (!entries || !history) throw new Error('COUNT(*) returned no row')
    return {
      idsSent: sent.size,
      opsRows: ids.length,
      missing: [...sent].filter((id) => !stored.has(id)).length,
      unexpected: ids.filter((id) => !sent.has(id)).length,
      entries: int(entries, 'n'),
      version1: int(entries, 'v1'),
      history: int(history, 'n'),
    }
  })
}

/** Every op once, and one entry at version 1 per device. */
export function holdsEachOnce(counts: StoredCounts, devices: number): boolean {
  return (
    counts.idsSent === devices &&
    counts.opsRows === devices &&
    counts.missing === 0 &&
    counts.unexpected === 0 &&
    counts.entries === devices &&
    counts.version1 === devices &&
    counts.history === devices
  )
}
