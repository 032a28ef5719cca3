/**
 * Test doubles at the edges the engine is built to have injected: the network (a scripted
 * Transport), the clock and timers, the window (online, visibility) and EventSource. The database is
 * never faked: tests use fake-indexeddb.
 */
import type {
  HistoryEvent,
  LoginResponse,
  PullResponse,
  PushRequest,
  PushResponse,
} from '../../../src/domain/sync/protocol.ts'
import type { EngineWindow, LockManagerLike } from '../../../src/app/sync/engine.ts'
import type { EventSourceLike, Timers } from '../../../src/app/sync/events.ts'
import type { Transport, UnitsResult } from '../../../src/app/sync/transport.ts'
import type { Target } from '../../../src/domain/targets.ts'

/** A clock whose timers fire only when the test advances it. */
export class FakeClock {
  time = Date.parse('2025-04-10T00:00:00Z')
  private nextId = 1
  private readonly due = new Map<number, { at: number; ms: number; callback: () => void }>()

  readonly now = (): Date => new Date(this.time)

  readonly timers: Timers = {
    schedule: (callback, ms) => {
      const id = this.nextId++
      this.due.set(id, { at: this.time + Math.max(0, ms), ms, callback })
      return () => this.due.delete(id)
    },
  }

  /** The delays the pending timers were set with, soonest due first. */
  pending(): number[] {
    return [...this.due.values()].sort((a, b) => a.at - b.at).map((timer) => timer.ms)
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      const next = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0]
      if (next === undefined || next[1].at > end) break
      this.due.delete(next[0])
      this.time = next[1].at
      next[1].callback()
    }
    this.time = end
  }
}

type Listener = () => void

/** A window with switchable network and visibility, and optionally a Web Locks stand-in. */
export class FakeWindow implements EngineWindow {
  private readonly listeners = new Map<string, Set<Listener>>()
  private readonly docListeners = new Map<string, Set<Listener>>()
  readonly navigator: { onLine: boolean; locks?: LockManagerLike } = { onLine: true }
  readonly document = {
    visibilityState: 'visible',
    addEventListener: (type: string, listener: Listener) => add(this.docListeners, type, listener),
    removeEventListener: (type: string, listener: Listener) =>
      this.docListeners.get(type)?.delete(listener),
  }

  addEventListener(type: string, listener: Listener): void {
    add(this.listeners, type, listener)
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener)
  }

  setOnline(online: boolean): void {
    this.navigator.onLine = online
    for (const listener of this.listeners.get(online ? 'online' : 'offline') ?? []) listener()
  }

  setVisible(visible: boolean): void {
    this.document.visibilityState = visible ? 'visible' : 'hidden'
    for (const listener of this.docListeners.get('visibilitychange') ?? []) listener()
  }
}

function add(map: Map<string, Set<Listener>>, type: string, listener: Listener): void {
  const set = map.get(type) ?? new Set<Listener>()
  set.add(listener)
  map.set(type, set)
}

/** One lock shared by the "tabs" that use it; `ifAvailable` requests fail while it is held. */
export class FakeLocks implements LockManagerLike {
  held = false

  async request(
    _name: string,
    options: { ifAvailable: boolean },
    callback: (lock: object | null) => Promise<void>,
  ): Promise<void> {
    if (this.held && options.ifAvailable) return callback(null)
    this.held = true
    try {
      await callback({})
    } finally {
      this.held = false
    }
  }
}

/** EventSource stand-ins the test can open, poke and break. */
export class FakeEventSources {
  readonly opened: FakeEventSource[] = []
  readonly create = (url: string): EventSourceLike => {
    const source = new FakeEventSource(url)
    this.opened.push(source)
    return source
  }

  get live(): FakeEventSource[] {
    return this.opened.filter((source) => !source.closed)
  }
}

export class FakeEventSource implements EventSourceLike {
  closed = false
  private readonly listeners = new Map<string, Set<Listener>>()

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener): void {
    add(this.listeners, type, listener)
  }

  close(): void {
    this.closed = true
  }

  emit(type: 'open' | 'poke' | 'error'): void {
    for (const listener of this.listeners.get(type) ?? []) listener()
  }
}

/** A transport whose answers the test scripts; it records every call. */
export class ScriptedTransport implements Transport {
  readonly calls: string[] = []
  readonly pushes: PushRequest[] = []
  /** Answers a push; the default applies every op as version 1. */
  onPush: (request: PushRequest) => Promise<PushResponse> = async (request) => ({
    results: request.ops.map((op) => ({ id: op.id, seq: op.seq, status: 'applied', version: 1 })),
    ackSeq: Math.max(...request.ops.map((op) => op.seq)),
  })
  onPull: (cursor: string) => Promise<PullResponse> = async (cursor) => ({
    changes: [],
    cursor,
    more: false,
    remaining: 0,
  })
  onUnits: () => Promise<UnitsResult> = async () => ({ notModified: true })
  onTargets: () => Promise<Target[]> = async () => []
  onHistory: (unitCode: string, month: string) => Promise<HistoryEvent[]> = async () => []
  onLogin: () => Promise<LoginResponse> = () => Promise.reject(new Error('not scripted'))

  async login(): Promise<LoginResponse> {
    this.calls.push('login')
    return this.onLogin()
  }

  async logout(): Promise<void> {
    this.calls.push('logout')
  }

  async me(): Promise<never> {
    throw new Error('not scripted')
  }

  async push(_token: string, request: PushRequest): Promise<PushResponse> {
    this.calls.push('push')
    this.pushes.push(request)
    return this.onPush(request)
  }

  async pull(_token: string, cursor: string): Promise<PullResponse> {
    this.calls.push('pull')
    return this.onPull(cursor)
  }

  async units(): Promise<UnitsResult> {
    this.calls.push('units')
    return this.onUnits()
  }

  async targets(): Promise<Target[]> {
    this.calls.push('targets')
    return this.onTargets()
  }

  async history(_token: string, unitCode: string, month: string): Promise<HistoryEvent[]> {
    this.calls.push(`history ${unitCode}/${month}`)
    return this.onHistory(unitCode, month)
  }

  eventsUrl(token: string): string {
    return `/api/events?token=${token}`
  }
}
