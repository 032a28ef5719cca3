/**
 * The server's "poke" stream (Server-Sent Events): a hint that something this user reads changed,
 * so a pull is worth doing now. Correctness never depends on it; the periodic sync catches anything
 * a lost poke missed. Reconnects are ours, with backoff, rather than the browser's fixed retry:
 * a refused token would otherwise be retried every few seconds for as long as the app is open.
 */
import { backoffDelay, type BackoffPolicy } from './backoff.ts'

/** The parts of EventSource used here. */
export interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void
  close(): void
}

/** Cancels a scheduled callback; harmless once it has run. */
export type Cancel = () => void

/** setTimeout, injectable for tests; it returns how to cancel rather than a handle. */
export interface Timers {
  schedule(callback: () => void, ms: number): Cancel
}

export const defaultTimers: Timers = {
  schedule(callback, ms) {
    const handle = setTimeout(callback, ms)
    return () => clearTimeout(handle)
  },
}

export interface PokeStreamOptions {
  createEventSource: (url: string) => EventSourceLike
  /** Called on every poke, and after a reconnect (pokes may have been missed meanwhile). */
  onPoke: () => void
  timers?: Timers
  random?: () => number
  backoff?: BackoffPolicy
}

export interface PokeStream {
  /** Listens at `url`; a different url replaces the current stream, the same one is kept. */
  open(url: string): void
  close(): void
  readonly url: string | null
}

/** Pokes arrive rarely; 5 s doubling to 5 min keeps a dead or refusing server quiet. */
const EVENTS_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 5 * 60_000 }

export function createPokeStream(options: PokeStreamOptions): PokeStream {
  const timers = options.timers ?? defaultTimers
  const random = options.random ?? Math.random
  let source: EventSourceLike | null = null
  let url: string | null = null
  let failures = 0
  let cancelReconnect: Cancel | null = null

  function connect(): void {
    if (url === null) return
    const target = url
    const current = options.createEventSource(target)
    source = current
    let opened = false
    current.addEventListener('open', () => {
      if (failures > 0) options.onPoke()
      failures = 0
      opened = true
    })
    current.addEventListener('poke', () => options.onPoke())
    current.addEventListener('error', () => {
      if (source !== current) return
      current.close()
      source = null
      // A stream that opened and then dropped starts its backoff afresh.
      failures = opened ? 1 : failures + 1
      const delay = backoffDelay(failures, random, options.backoff ?? EVENTS_BACKOFF)
      cancelReconnect = timers.schedule(() => {
        cancelReconnect = null
        if (url === target) connect()
      }, delay)
    })
  }

  function close(): void {
    cancelReconnect?.()
    cancelReconnect = null
    source?.close()
    source = null
    url = null
    failures = 0
  }

  return {
    open(next) {
      if (next === url) return
      close()
      url = next
      connect()
    },
    close,
    get url() {
      return url
    },
  }
}
