import { defineStore } from 'pinia'
import type { Ref } from 'vue'
import { db } from '../db/connection.ts'
import { getHistory } from '../db/history.ts'
import type { HistoryRecord } from '../db/schema.ts'
import { getSession } from '../db/session.ts'
import { useLiveQuery, type UseLiveQueryReturn } from '../composables/useLiveQuery.ts'
import type { Month } from '../../domain/periods.ts'
import type { Transport } from '../sync/transport.ts'

export type HistoryRefreshFailure = 'signedOut' | 'offline' | 'forbidden' | 'unknown'

export type HistoryRefreshResult = { ok: true } | { ok: false; reason: HistoryRefreshFailure }

/**
 * Months' histories: read from the phone's cache (live, so a refresh or a sync's prefetch shows at
 * once) and refreshed from the server when online. The sync prefetches a reporter's own months.
 */
export const useHistoryStore = defineStore('history', () => {
  let transport: Transport | null = null
  // The transport carries the protocol module; loaded on first use, not with the first screen.
  async function api(): Promise<Transport> {
    transport ??= (await import('../sync/transport.ts')).createTransport()
    return transport
  }

  /**
   * The cached history of the month `unitCode` and `month` name, following both; null while either
   * is null or the month was never fetched. Call from a component's setup (or another scope).
   */
  function cached(
    unitCode: Ref<string | null>,
    month: Ref<Month | null>,
  ): UseLiveQueryReturn<HistoryRecord | null> {
    return useLiveQuery<HistoryRecord | null>(
      async () => {
        const code = unitCode.value
        const m = month.value
        if (code === null || m === null) return null
        return (await getHistory(db, code, m)) ?? null
      },
      { initial: null, deps: [unitCode, month] },
    )
  }

  /** Fetches the month's history into the cache; failures come back as reasons, not throws. */
  async function refresh(unitCode: string, month: Month): Promise<HistoryRefreshResult> {
    const session = await getSession(db)
    if (session === null || session.expired) return { ok: false, reason: 'signedOut' }
    const [{ refreshHistory }, errors, client] = await Promise.all([
      import('../sync/history.ts'),
      import('../sync/errors.ts'),
      api(),
    ])
    try {
      await refreshHistory({ db, transport: client, token: session.token }, unitCode, month)
      return { ok: true }
    } catch (error) {
      if (error instanceof errors.OfflineError) return { ok: false, reason: 'offline' }
      if (error instanceof errors.SessionExpiredError) return { ok: false, reason: 'signedOut' }
      if (error instanceof errors.ServerError && error.status === 403) {
        return { ok: false, reason: 'forbidden' }
      }
      return { ok: false, reason: 'unknown' }
    }
  }

  return { cached, refresh }
})
