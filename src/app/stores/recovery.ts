import { shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { db, watchDatabaseLoss, type DatabaseLoss } from '../db/connection.ts'
import { getInstallId, hasRecoveryNotice } from '../db/meta.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'

/**
 * Data this phone lost: whether home has a notice to show (after the browser erased the database,
 * or a sign-in restored it from the server; its code loads only then), and the database vanishing
 * while the app runs, which only a reload recovers from.
 */
export const useRecoveryStore = defineStore('recovery', () => {
  const { data: hasNotice } = useLiveQuery(() => hasRecoveryNotice(db), { initial: false })
  /** Set when the database was deleted or upgraded elsewhere while this page runs. */
  const loss = shallowRef<DatabaseLoss | null>(null)
  let starting: Promise<void> | null = null

  /**
   * Watches the database, reports an erasure the ledger reveals, then keeps the ledger up to date.
   * The ledger is read before anything rewrites it; its code loads after the first screen. Never
   * rejects: a database that cannot be read now leaves the stored ledger as it was.
   */
  function start(): Promise<void> {
    starting ??= (async () => {
      watchDatabaseLoss((reason) => {
        loss.value = reason
      })
      const { keepLedger, noteErasure, readLedger } = await import('../db/ledger.ts')
      try {
        const ledger = readLedger()
        if (ledger !== null) await noteErasure(db, ledger)
        // A phone that has never synced gets its id now: the ledger names only an install's changes,
        // and those typed before the first sign-in are the ones most at risk.
        await getInstallId(db)
      } catch {
        // Full or closed storage: keepLedger starts writing once the database answers again.
      }
      keepLedger(db)
    })().catch(() => undefined)
    return starting
  }

  return { hasNotice, loss, start }
})
