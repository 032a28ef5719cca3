import { computed, shallowRef } from 'vue'
import { defineStore, storeToRefs } from 'pinia'
import { db } from '../db/connection.ts'
import { dismissRejected as dismissRejectedOp, listRejected } from '../db/rejected.ts'
import type { RejectedOp } from '../db/schema.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'
import type { SyncEngine, SyncErrorCode, SyncState, SyncStatus } from '../sync/engine.ts'
import type { SyncProgress } from '../sync/outbox.ts'
import { useOutboxStore } from './outbox.ts'
import { useSessionStore } from './session.ts'

export interface StartSyncOptions {
  /** Asks the service worker for a new version; called when the server says the app is too old. */
  checkForUpdate?: () => unknown
}

/**
 * The sync engine's status for the UI, the signed-in user's refused changes, and the actions the
 * UI may take. The engine itself is loaded after the first screen (start), so nothing here slows
 * the first paint; calls made before it loads are harmless (it syncs on start anyway).
 */
export const useSyncStore = defineStore('sync', () => {
  const state = shallowRef<SyncState>('idle')
  const lastSyncAt = shallowRef<string | null>(null)
  const progress = shallowRef<SyncProgress | null>(null)
  const error = shallowRef<SyncErrorCode | null>(null)
  const { pending } = storeToRefs(useOutboxStore())
  const session = useSessionStore()
  const userId = computed(() => session.user?.id ?? null)
  const { data: rejected } = useLiveQuery<RejectedOp[]>(
    () => (userId.value === null ? [] : listRejected(db, userId.value)),
    { initial: [], deps: [userId] },
  )
  let engine: SyncEngine | null = null
  let starting: Promise<void> | null = null

  function show(status: SyncStatus): void {
    state.value = status.state
    lastSyncAt.value = status.lastSyncAt
    progress.value = status.progress
    error.value = status.error
  }

  /** Loads and starts the engine once; later calls wait for the first. */
  function start(options: StartSyncOptions = {}): Promise<void> {
    starting ??= (async () => {
      const [{ createSyncEngine }, { createTransport }] = await Promise.all([
        import('../sync/engine.ts'),
        import('../sync/transport.ts'),
      ])
      engine = createSyncEngine({
        db,
        transport: createTransport(),
        checkForUpdate: options.checkForUpdate,
      })
      engine.subscribe(show)
      show(engine.status)
      engine.start()
    })()
    return starting
  }

  /** A change was saved: it goes out in a couple of seconds, together with any that follow. */
  function nudge(): void {
    engine?.nudge()
  }

  /** Syncs now, even during a backoff; resolves when the pass is over. */
  async function syncNow(): Promise<void> {
    await engine?.syncNow()
  }

  /** For the session store: the user changed. */
  async function sessionChanged(): Promise<void> {
    await engine?.sessionChanged()
  }

  /** Removes a refusal from the list once the official has read it. */
  function dismissRejected(id: string): Promise<void> {
    return dismissRejectedOp(db, id)
  }

  return {
    state,
    lastSyncAt,
    progress,
    error,
    pending,
    rejected,
    start,
    nudge,
    syncNow,
    sessionChanged,
    dismissRejected,
  }
})
