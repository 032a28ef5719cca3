import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { getUserMeta } from '../../../src/app/db/meta.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { getSession, signIn } from '../../../src/app/db/session.ts'
import {
  BUSY_RETRY_MS,
  NUDGE_DELAY_MS,
  PERIOD_MS,
  createSyncEngine,
  type SyncEngine,
  type SyncStatus,
} from '../../../src/app/sync/engine.ts'
import {
  ClientTooOldError,
  OfflineError,
  RateLimitedError,
  SessionExpiredError,
} from '../../../src/app/sync/errors.ts'
import { authorFor, dropDb, makeChange, makeInput, openTestDb } from '../db/builders.ts'
import { FakeClock, FakeEventSources, FakeLocks, FakeWindow, ScriptedTransport } from './fakes.ts'
import { makeSession } from './builders.ts'

interface Rig {
  db: SohoaDb
  clock: FakeClock
  win: FakeWindow
  transport: ScriptedTransport
  sources: FakeEventSources
  engine: SyncEngine
  statuses: SyncStatus[]
  /** How many statuses `settled` has already looked at. */
  seen: number
  checkForUpdate: ReturnType<typeof vi.fn>
}

const rigs: Rig[] = []
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.engine.stop()
    await dropDb(rig.db)
  }
})

function makeRig(options: { db?: SohoaDb; locks?: FakeLocks; random?: number } = {}): Rig {
  const db = options.db ?? openTestDb()
  const clock = new FakeClock()
  const win = new FakeWindow()
  if (options.locks) win.navigator.locks = options.locks
  const transport = new ScriptedTransport()
  const sources = new FakeEventSources()
  const checkForUpdate = vi.fn()
  const engine = createSyncEngine({
    db,
    transport,
    window: win,
    timers: clock.timers,
    now: clock.now,
    random: () => options.random ?? 0.5,
    createEventSource: sources.create,
    checkForUpdate,
  })
  const statuses: SyncStatus[] = []
  engine.subscribe((status) => statuses.push(status))
  const rig = { db, clock, win, transport, sources, engine, statuses, seen: 0, checkForUpdate }
  rigs.push(rig)
  return rig
}

/**
 * Waits until the engine has come to rest in `state` since the last call; reaching `idle` takes a
 * completed pass (the status is also `idle` before the first one).
 */
async function settled(rig: Rig, state: SyncStatus['state'] = 'idle'): Promise<void> {
  await vi.waitFor(() => {
    const recent = rig.statuses.slice(rig.seen)
    expect(recent.at(-1)?.state).toBe(state)
    if (state === 'idle') expect(recent.some((status) => status.state === 'syncing')).toBe(true)
  })
  rig.seen = rig.statuses.length
}

/** Lets any pass that was (wrongly) started get as far as the network. */
async function quiet(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50))
}

/** The delay the engine's retry timer was set with, if one is pending (any but the periodic). */
function retryDelay(rig: Rig): number | undefined {
  return rig.clock.pending().find((ms) => ms !== PERIOD_MS)
}

describe('sync engine', () => {
  it('asks for a sign-in when nobody is signed in, and sends nothing', async () => {
    const rig = makeRig()
    await saveEntry(rig.db, makeInput(), authorFor('lan'))

    rig.engine.start()
    await settled(rig, 'needsLogin')

    expect(rig.transport.calls).toEqual([])
    expect(rig.engine.status.error).toBeNull()
  })

  it('pushes, pulls and refreshes units on start, then records the time', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    await saveEntry(rig.db, makeInput(), authorFor('lan'))

    rig.engine.start()
    await settled(rig)

    expect(rig.transport.calls).toEqual(['push', 'pull', 'units', 'targets'])
    expect(rig.transport.pushes[0]?.deviceId).toMatch(/^[0-9a-f-]{36}:lan$/)
    expect(await pendingOps(rig.db, 'lan')).toEqual([])
    const at = rig.clock.now().toISOString()
    expect(rig.engine.status).toEqual({
      state: 'idle',
      lastSyncAt: at,
      progress: null,
      error: null,
    })
    expect(await getUserMeta(rig.db, 'lastSyncAt', 'lan')).toBe(at)
  })

  it("pushes only the signed-in user's ops", async () => {
    const rig = makeRig()
    await saveEntry(rig.db, makeInput({ month: '2025-01' }), authorFor('lan'))
    await saveEntry(rig.db, makeInput({ month: '2025-02' }), authorFor('minh'))
    await signIn(rig.db, makeSession('minh'))

    rig.engine.start()
    await settled(rig)

    expect(
      rig.transport.pushes.flatMap((push) =>
        push.ops.filter((op) => op.kind === 'entry.put').map((op) => op.month),
      ),
    ).toEqual(['2025-02'])
    expect(rig.transport.pushes[0]?.deviceId).toMatch(/:minh$/)
    expect(await pendingOps(rig.db, 'lan')).toHaveLength(1)
  })

  it('sends a burst of saves together, 2 s after the last one', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.engine.start()
    await settled(rig)
    rig.transport.calls.length = 0

    await saveEntry(rig.db, makeInput({ month: '2025-01' }), authorFor('lan'))
    rig.engine.nudge()
    rig.clock.advance(1_000)
    await saveEntry(rig.db, makeInput({ month: '2025-02' }), authorFor('lan'))
    rig.engine.nudge()
    rig.clock.advance(NUDGE_DELAY_MS - 1)
    await quiet()
    expect(rig.transport.calls).toEqual([])

    rig.clock.advance(1)
    await vi.waitFor(() =>
      expect(rig.transport.calls).toEqual(['push', 'pull', 'units', 'targets']),
    )
    expect(
      rig.transport.pushes
        .at(-1)
        ?.ops.filter((op) => op.kind === 'entry.put')
        .map((op) => op.month),
    ).toEqual(['2025-01', '2025-02'])
  })

  it('backs off exponentially after failures and starts over after a success', async () => {
    const rig = makeRig({ random: 0.5 })
    await signIn(rig.db, makeSession('lan'))
    let failing = true
    rig.transport.onPull = async (cursor) => {
      if (failing) throw new OfflineError('network')
      return { changes: [], cursor, more: false, remaining: 0 }
    }

    rig.engine.start()
    await settled(rig, 'offline')
    // Full jitter: half of 2 s, 4 s, 8 s with random() = 0.5.
    expect(retryDelay(rig)).toBe(1_000)
    rig.clock.advance(1_000)
    await vi.waitFor(() => expect(retryDelay(rig)).toBe(2_000))
    rig.clock.advance(2_000)
    await vi.waitFor(() => expect(retryDelay(rig)).toBe(4_000))
    expect(rig.engine.status).toMatchObject({ state: 'offline', error: 'network' })

    failing = false
    rig.clock.advance(4_000)
    await settled(rig)
    expect(retryDelay(rig)).toBeUndefined()

    failing = true
    await rig.engine.syncNow()
    expect(retryDelay(rig)).toBe(1_000)
  })

  it('holds nudges back during a backoff but syncs at once when the network returns', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.transport.onPull = () => Promise.reject(new RateLimitedError(60))
    rig.engine.start()
    await settled(rig, 'error')
    const calls = rig.transport.calls.length

    rig.engine.nudge()
    rig.clock.advance(NUDGE_DELAY_MS)
    await quiet()
    expect(rig.transport.calls).toHaveLength(calls)

    rig.win.setOnline(false)
    rig.win.setOnline(true)
    await vi.waitFor(() => expect(rig.transport.calls.length).toBeGreaterThan(calls))
  })

  it('waits at least as long as the server asks when rate limited', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.transport.onPull = () => Promise.reject(new RateLimitedError(90))

    rig.engine.start()
    await settled(rig, 'error')

    expect(rig.engine.status.error).toBe('rateLimited')
    expect(retryDelay(rig)).toBe(90_000)
  })

  it('stays quiet while the browser says it is offline, and syncs when it comes back', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.win.navigator.onLine = false

    rig.engine.start()
    await settled(rig, 'offline')
    expect(rig.transport.calls).toEqual([])

    rig.win.setOnline(true)
    await settled(rig)
    expect(rig.transport.calls).toEqual(['pull', 'units', 'targets'])
  })

  it('asks for a sign-in when the session expired, keeping every unsent change', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    await saveEntry(rig.db, makeInput(), authorFor('lan'))
    rig.transport.onPush = () => Promise.reject(new SessionExpiredError('expired'))

    rig.engine.start()
    await settled(rig, 'needsLogin')

    expect(rig.engine.status.error).toBe('sessionExpired')
    expect(await getSession(rig.db)).toMatchObject({ expired: true, user: { id: 'lan' } })
    expect(await pendingOps(rig.db, 'lan')).toHaveLength(1)
    expect(retryDelay(rig)).toBeUndefined()
    expect(rig.sources.live).toEqual([])

    // Signing in again sends them.
    rig.transport.onPush = new ScriptedTransport().onPush
    await signIn(rig.db, makeSession('lan', 'fresh'))
    await rig.engine.sessionChanged()
    expect(rig.engine.status.state).toBe('idle')
    expect(await pendingOps(rig.db, 'lan')).toEqual([])
  })

  it('asks for an update when the app is too old, keeping the outbox', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    await saveEntry(rig.db, makeInput(), authorFor('lan'))
    rig.transport.onPush = () => Promise.reject(new ClientTooOldError('old'))

    rig.engine.start()
    await settled(rig, 'needsUpdate')

    expect(rig.engine.status.error).toBe('tooOld')
    expect(rig.checkForUpdate).toHaveBeenCalledOnce()
    expect(await pendingOps(rig.db, 'lan')).toHaveLength(1)
  })

  it('reports progress through a paged pull', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.transport.onPull = async (cursor) => {
      const page = Number(cursor)
      return {
        changes: [makeChange({ month: `2025-0${page + 1}` })],
        cursor: String(page + 1),
        more: page < 2,
        remaining: 2 - page,
      }
    }

    rig.engine.start()
    await settled(rig)

    const progress = rig.statuses.flatMap((status) => (status.progress ? [status.progress] : []))
    expect(progress).toEqual([
      { phase: 'pull', done: 1, total: 3 },
      { phase: 'pull', done: 2, total: 3 },
      { phase: 'pull', done: 3, total: 3 },
    ])
    expect(await getUserMeta(rig.db, 'cursor', 'lan')).toBe('3')
  })

  it('lets only one tab sync, and comes back for its own changes', async () => {
    const locks = new FakeLocks()
    const rig = makeRig({ locks })
    await signIn(rig.db, makeSession('lan'))
    await saveEntry(rig.db, makeInput(), authorFor('lan'))
    locks.held = true

    rig.engine.start()
    await vi.waitFor(() => expect(retryDelay(rig)).toBe(BUSY_RETRY_MS))
    await quiet()
    expect(rig.transport.calls).toEqual([])

    locks.held = false
    rig.clock.advance(BUSY_RETRY_MS)
    await settled(rig)
    expect(rig.transport.calls).toEqual(['push', 'pull', 'units', 'targets'])
  })

  it('syncs every 5 minutes while visible, and not while hidden', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.engine.start()
    await settled(rig)
    rig.transport.calls.length = 0

    rig.clock.advance(PERIOD_MS)
    await vi.waitFor(() => expect(rig.transport.calls).toEqual(['pull', 'units', 'targets']))

    rig.win.setVisible(false)
    rig.clock.advance(3 * PERIOD_MS)
    await quiet()
    expect(rig.transport.calls).toHaveLength(3)

    rig.win.setVisible(true)
    await vi.waitFor(() => expect(rig.transport.calls).toHaveLength(6))
  })

  it('listens for pokes while visible and online, and pulls when poked', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan', 'tok'))
    rig.engine.start()
    await settled(rig)
    await vi.waitFor(() => expect(rig.sources.live).toHaveLength(1))
    const [source] = rig.sources.live
    expect(source?.url).toBe('/api/events?token=tok')
    rig.transport.calls.length = 0

    source?.emit('open')
    source?.emit('poke')
    rig.clock.advance(3_000)
    await vi.waitFor(() => expect(rig.transport.calls).toEqual(['pull', 'units', 'targets']))

    rig.win.setVisible(false)
    await vi.waitFor(() => expect(rig.sources.live).toEqual([]))
    rig.win.setVisible(true)
    await vi.waitFor(() => expect(rig.sources.live).toHaveLength(1))
    rig.win.setOnline(false)
    expect(rig.sources.live).toEqual([])
  })

  it('reconnects a dropped poke stream with backoff and pulls what it may have missed', async () => {
    const rig = makeRig()
    await signIn(rig.db, makeSession('lan'))
    rig.engine.start()
    await settled(rig)
    await vi.waitFor(() => expect(rig.sources.live).toHaveLength(1))
    rig.sources.live[0]?.emit('error')
    expect(rig.sources.live).toEqual([])

    // Events back off from 5 s; random() = 0.5 gives 2.5 s.
    rig.clock.advance(2_499)
    expect(rig.sources.opened).toHaveLength(1)
    rig.clock.advance(1)
    expect(rig.sources.live).toHaveLength(1)
    rig.transport.calls.length = 0
    rig.sources.live[0]?.emit('open')
    rig.clock.advance(3_000)
    await vi.waitFor(() => expect(rig.transport.calls).toEqual(['pull', 'units', 'targets']))
  })
})
