/**
 * When to sync, and what a failure means. A pass (run.ts) starts when the app starts, when the
 * browser comes online or back to the foreground, ~2 s after a save, every 5 minutes while the app
 * is visible, and when the server pokes. Failures back off exponentially with full jitter; success
 * resets. One tab syncs at a time (Web Locks); the others see its writes through live queries.
 *
 * The engine is plain TypeScript with injectable window, timers and transport, so tests drive it
 * without a browser; stores/sync.ts mirrors its status into Vue.
 */
import { getUserMeta } from '../db/meta.ts'
import { pendingCount } from '../db/outbox.ts'
import type { SohoaDb } from '../db/schema.ts'
import { getSession, markSessionExpired, type StoredSession } from '../db/session.ts'
import { backoffDelay, SYNC_BACKOFF, type BackoffPolicy } from './backoff.ts'
import {
  createPokeStream,
  defaultTimers,
  type Cancel,
  type EventSourceLike,
  type Timers,
} from './events.ts'
import { runExclusive, type LockManagerLike } from './lock.ts'
import type { SyncProgress } from './outbox.ts'
import { syncPass } from './run.ts'
import { judgeFailure, type SyncStatus } from './status.ts'
import type { Transport } from './transport.ts'

export type { SyncErrorCode, SyncState, SyncStatus } from './status.ts'
export type { LockManagerLike } from './lock.ts'

/** Where the engine listens for online/offline and visibility; `window` in the app. */
export interface EngineWindow {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
  navigator: { onLine: boolean; locks?: LockManagerLike }
  document?: {
    visibilityState: string
    addEventListener(type: string, listener: () => void): void
    removeEventListener(type: string, listener: () => void): void
  }
}

export interface SyncEngineOptions {
  db: SohoaDb
  transport: Transport
  window?: EngineWindow
  timers?: Timers
  /** In [0, 1); jitter for backoff and pokes. */
  random?: () => number
  now?: () => Date
  /** Null where EventSource is missing; the periodic sync then carries everything. */
  createEventSource?: ((url: string) => EventSourceLike) | null
  /** Asks the service worker for a new version when the server says this one is too old. */
  checkForUpdate?: () => unknown
  backoff?: BackoffPolicy
}

export interface SyncEngine {
  readonly status: SyncStatus
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: SyncStatus) => void): () => void
  start(): void
  stop(): void
  /** A change was saved: sync shortly, letting a burst of saves go out together. */
  nudge(): void
  /** Syncs now, backoff or not (the official asked); resolves when that pass is over. */
  syncNow(): Promise<void>
  /** Someone signed in or out: forget the old user's backoff, reconnect, sync now. */
  sessionChanged(): Promise<void>
}

export const NUDGE_DELAY_MS = 2_000
export const PERIOD_MS = 5 * 60_000
/** Pokes reach every open app at once; spread the pulls they cause over a couple of seconds. */
export const POKE_DELAY_MS = 500
export const POKE_JITTER_MS = 2_000
/** Another tab holds the lock and this one has unsent changes: look again after this long. */
export const BUSY_RETRY_MS = 5_000

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, transport } = options
  const win = options.window ?? globalThis.window
  const timers = options.timers ?? defaultTimers
  const random = options.random ?? Math.random
  const now = options.now ?? (() => new Date())
  const defaultEventSource =
    typeof EventSource === 'undefined' ? null : (url: string) => new EventSource(url)
  const createEventSource =
    options.createEventSource === undefined ? defaultEventSource : options.createEventSource

  let status: SyncStatus = { state: 'idle', lastSyncAt: null, progress: null, error: null }
  const listeners = new Set<(status: SyncStatus) => void>()
  let started = false
  let running: Promise<void> | null = null
  let again = false
  let failures = 0
  let backoffUntil = 0
  type TimerName = 'retry' | 'nudge' | 'poke' | 'period'
  const pending = new Map<TimerName, Cancel>()

  const pokes =
    createEventSource === null
      ? null
      : createPokeStream({
          createEventSource,
          onPoke: () => later('poke', POKE_DELAY_MS + random() * POKE_JITTER_MS),
          timers,
          random,
        })

  function setStatus(patch: Partial<SyncStatus>): void {
    status = { ...status, ...patch }
    for (const listener of listeners) listener(status)
  }

  const visible = (): boolean => (win.document?.visibilityState ?? 'visible') === 'visible'

  function clear(name: TimerName): void {
    pending.get(name)?.()
    pending.delete(name)
  }

  /** Calls `callback` after `ms`, replacing any timer of the same name. */
  function setTimer(name: TimerName, ms: number, callback: () => void): void {
    clear(name)
    pending.set(
      name,
      timers.schedule(() => {
        pending.delete(name)
        callback()
      }, ms),
    )
  }

  /** Runs a pass after `ms` (restarting that timer), unless a backoff forbids it then. */
  function later(name: 'nudge' | 'poke', ms: number): void {
    setTimer(name, ms, () => void trigger(false))
  }

  function schedulePeriodic(): void {
    clear('period')
    if (!started || !visible()) return
    setTimer('period', PERIOD_MS, () => {
      void trigger(false)
      schedulePeriodic()
    })
  }

  /** Starts a pass now, or after the current one; `force` ignores a backoff in progress. */
  function trigger(force: boolean): Promise<void> {
    if (!started) return Promise.resolve()
    if (!force && now().getTime() < backoffUntil) return running ?? Promise.resolve()
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        // A pass that failed before it could judge itself (the database, say) still backs off.
        await withLock().catch((error: unknown) => failed(error, null))
      } while (again && started && failures === 0)
    })().finally(() => {
      running = null
    })
    return running
  }

  /** One pass under the cross-tab lock. */
  async function withLock(): Promise<void> {
    if ((await runExclusive(win.navigator.locks, pass)) === 'busy') await otherTabSyncs()
  }

  /** The other tab sends its own changes; ours may have been saved after it read the queue. */
  async function otherTabSyncs(): Promise<void> {
    const session = await getSession(db)
    if (session === null || (await pendingCount(db, session.user.id)) === 0) return
    setTimer('retry', BUSY_RETRY_MS, () => void trigger(false))
  }

  async function pass(): Promise<void> {
    const session = await getSession(db)
    if (session === null || session.expired) {
      pokes?.close()
      setStatus({
        state: 'needsLogin',
        progress: null,
        error: session === null ? null : 'sessionExpired',
      })
      return
    }
    if (!win.navigator.onLine) {
      setStatus({ state: 'offline', progress: null, error: null })
      return
    }
    setStatus({ state: 'syncing', progress: null, error: null })
    try {
      const onProgress = (progress: SyncProgress): void => setStatus({ progress })
      const at = await syncPass({ db, transport, session, now, onProgress })
      failures = 0
      backoffUntil = 0
      clear('retry')
      setStatus({ state: 'idle', lastSyncAt: at, progress: null, error: null })
      connectEvents(session)
    } catch (error) {
      await failed(error, session)
    }
  }

  async function failed(error: unknown, session: StoredSession | null): Promise<void> {
    const verdict = judgeFailure(error)
    if (verdict.state === 'needsLogin' && session !== null) {
      // The outbox is untouched: the changes go out once the same user signs in again.
      await markSessionExpired(db, session.token)
      pokes?.close()
    }
    setStatus({ state: verdict.state, progress: null, error: verdict.error })
    if (verdict.state === 'needsUpdate') {
      void Promise.resolve(options.checkForUpdate?.()).catch(() => undefined)
    }
    if (verdict.retry) retryLater(verdict.minDelayMs)
  }

  function retryLater(minDelay: number): void {
    failures++
    const delay = Math.max(
      minDelay,
      backoffDelay(failures, random, options.backoff ?? SYNC_BACKOFF),
    )
    backoffUntil = now().getTime() + delay
    setTimer('retry', delay, () => void trigger(true))
  }

  function connectEvents(session: StoredSession | null): void {
    if (pokes === null) return
    const wanted = started && visible() && win.navigator.onLine
    if (!wanted || session === null || session.expired) pokes.close()
    else pokes.open(transport.eventsUrl(session.token))
  }

  async function refreshEvents(): Promise<void> {
    connectEvents(await getSession(db))
  }

  async function loadLastSync(): Promise<void> {
    const session = await getSession(db)
    const lastSyncAt =
      session === null ? null : ((await getUserMeta(db, 'lastSyncAt', session.user.id)) ?? null)
    setStatus({ lastSyncAt })
  }

  const onOnline = (): void => {
    void refreshEvents()
    void trigger(true)
  }
  const onOffline = (): void => {
    pokes?.close()
    if (status.state !== 'syncing') setStatus({ state: 'offline', progress: null, error: null })
  }
  const onVisibility = (): void => {
    schedulePeriodic()
    void refreshEvents()
    if (visible()) void trigger(false)
  }

  return {
    get status() {
      return status
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (started) return
      started = true
      win.addEventListener('online', onOnline)
      win.addEventListener('offline', onOffline)
      win.document?.addEventListener('visibilitychange', onVisibility)
      schedulePeriodic()
      void loadLastSync().then(() => trigger(true))
    },
    stop() {
      started = false
      win.removeEventListener('online', onOnline)
      win.removeEventListener('offline', onOffline)
      win.document?.removeEventListener('visibilitychange', onVisibility)
      for (const name of [...pending.keys()]) clear(name)
      pokes?.close()
    },
    nudge() {
      later('nudge', NUDGE_DELAY_MS)
    },
    syncNow() {
      clear('nudge')
      return trigger(true)
    },
    async sessionChanged() {
      failures = 0
      backoffUntil = 0
      clear('retry')
      pokes?.close()
      await loadLastSync()
      await trigger(true)
    },
  }
}
