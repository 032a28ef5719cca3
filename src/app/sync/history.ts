/**
 * Fetching months' histories into the cache (db/history.ts). A reporter's own months that changed
 * in a sync are fetched right after it, a bounded number per pass, so their history is there when
 * the official next opens them offline; any other month is fetched when looked at.
 */
import { isMonth, type Month } from '../../domain/periods.ts'
import { storeHistory } from '../db/history.ts'
import type { HistoryRecord, SohoaDb } from '../db/schema.ts'
import type { Transport } from './transport.ts'

/** At most this many histories are fetched after one sync pass. */
export const HISTORY_PREFETCH_LIMIT = 24

export interface HistoryFetchOptions {
  db: SohoaDb
  transport: Transport
  token: string
  now?: () => Date
}

/** Fetches one month's history and stores it; throws the transport's errors. */
export async function refreshHistory(
  options: HistoryFetchOptions,
  unitCode: string,
  month: Month,
): Promise<HistoryRecord> {
  const { db, transport, token } = options
  const events = await transport.history(token, unitCode, month)
  return storeHistory(db, unitCode, month, events, (options.now ?? (() => new Date()))())
}

/**
 * Fetches the histories of `keys` (`unitCode/month` entry keys), newest month first, at most
 * `limit`. Best effort: the first failure (offline, say) ends it quietly, since the sync it follows
 * has succeeded and the months are fetched again when looked at. Resolves to how many were stored.
 */
export async function prefetchHistory(
  options: HistoryFetchOptions,
  keys: Iterable<string>,
  limit: number = HISTORY_PREFETCH_LIMIT,
): Promise<number> {
  const months = [...new Set(keys)].flatMap((key) => {
    const [unitCode, month] = key.split('/')
    return unitCode !== undefined && month !== undefined && isMonth(month)
      ? [{ unitCode, month }]
      : []
  })
  months.sort((a, b) => b.month.localeCompare(a.month) || a.unitCode.localeCompare(b.unitCode))
  let stored = 0
  for (const { unitCode, month } of months.slice(0, limit)) {
    try {
      await refreshHistory(options, unitCode, month)
    } catch {
      return stored
    }
    stored++
  }
  return stored
}
