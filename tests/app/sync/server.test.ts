/**
 * The client's sync against the real server (SQLite, HTTP on 127.0.0.1): what the issue promises an
 * official, proved end to end through the app's own db, transport and sync code.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { getMeta } from '../../../src/app/db/meta.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import { listTargets } from '../../../src/app/db/targets.ts'
import { getSession, signIn, signOut } from '../../../src/app/db/session.ts'
import { createSyncEngine } from '../../../src/app/sync/engine.ts'
import { OfflineError } from '../../../src/app/sync/errors.ts'
import type { UserRecord } from '../../../src/server/store/store.ts'
import { FakeClock, FakeWindow } from './fakes.ts'
import { PASSWORD, Phone, startServer, type LiveServer } from './liveServer.ts'

const UNIT = '99019'
const OTHER_UNIT = '99022'
const MONTH = '2025-09'

let server: LiveServer
let lan: UserRecord
const phones: Phone[] = []

function phone(): Phone {
  const made = new Phone(server.baseUrl)
  phones.push(made)
  return made
}

beforeEach(async () => {
  server = await startServer()
  lan = await server.createUser('lan', [UNIT])
})
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()))
  await server.close()
})

/** The statuses of every op result in the push answers a phone received. */
function pushStatuses(p: Phone): string[] {
  return p.answers
    .filter((answer) => answer.path === '/api/sync/push')
    .flatMap((answer) => {
      const body = answer.body
      if (typeof body !== 'object' || body === null || !('results' in body)) return []
      return Array.isArray(body.results)
        ? body.results.map((r: { status?: unknown }) => String(r.status))
        : []
    })
}

describe('sync against the server', () => {
  it('sends an entry saved offline exactly once, and a second phone pulls it', async () => {
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 120, digitized: 80 } })

    await a.sync()

    expect(await pendingOps(a.db, lan.id)).toEqual([])
    expect(await a.entry(UNIT, MONTH)).toMatchObject({ state: 'sent', baseVersion: 1 })
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({
      version: 1,
      counts: { received: 120, digitized: 80 },
      updatedBy: 'lan',
    })

    const b = phone()
    await server.createUser('huyen', ['99'], 'viewer')
    await b.signIn('huyen')
    await b.sync()
    expect(await b.entry(UNIT, MONTH)).toMatchObject({
      counts: { received: 120, digitized: 80 },
      state: 'sent',
      baseVersion: 1,
      updatedBy: 'lan',
      conflicts: [],
    })
    // The viewer's phone got the unit list too.
    expect(await b.db.units.count()).toBeGreaterThan(0)
  })

  it('resends ops whose answer was lost: the server answers duplicate and applies nothing twice', async () => {
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 5 } })
    await a.save({ unitCode: UNIT, month: '2025-08', counts: { received: 7, digitized: 7 } })
    a.dropAnswerOf = '/api/sync/push'

    await expect(a.sync()).rejects.toBeInstanceOf(OfflineError)
    // The server has both; the phone does not know it yet and keeps them.
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ version: 1 })
    expect(await pendingOps(a.db, lan.id)).toHaveLength(2)

    await a.sync()

    expect(pushStatuses(a)).toEqual(['duplicate', 'duplicate'])
    expect(await pendingOps(a.db, lan.id)).toEqual([])
    expect(await a.entry(UNIT, MONTH)).toMatchObject({ state: 'sent', baseVersion: 1 })
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ version: 1 })
    expect(await server.entryOnServer(UNIT, '2025-08')).toMatchObject({ version: 1 })
  })

  it('keeps a refused op in the rejected list and sends the rest of the queue', async () => {
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: OTHER_UNIT, month: MONTH, counts: { received: 3, digitized: 1 } })
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 4, digitized: 2 } })

    await a.sync()

    expect(await pendingOps(a.db, lan.id)).toEqual([])
    expect(await listRejected(a.db, lan.id)).toEqual([
      expect.objectContaining({ unitCode: OTHER_UNIT, month: MONTH, reason: 'forbidden' }),
    ])
    expect(await server.entryOnServer(OTHER_UNIT, MONTH)).toBeUndefined()
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ counts: { received: 4 } })
  })

  it('shows a month edited offline on two devices as a conflict on both, and settles it', async () => {
    const phoneA = phone()
    const office = phone()
    await phoneA.signIn('lan')
    await office.signIn('lan')
    await phoneA.save({ unitCode: UNIT, month: MONTH, counts: { received: 100, digitized: 50 } })
    await phoneA.sync()
    await office.sync()
    expect(await office.entry(UNIT, MONTH)).toMatchObject({ baseVersion: 1 })

    // Both offline: each changes `received` its own way.
    await phoneA.save({ unitCode: UNIT, month: MONTH, counts: { received: 110, digitized: 50 } })
    await office.save({ unitCode: UNIT, month: MONTH, counts: { received: 120, digitized: 50 } })
    await phoneA.sync()
    await office.sync()
    await phoneA.sync()

    const expected = { field: 'received', value: 110, currentValue: 120 }
    const onPhone = await phoneA.entry(UNIT, MONTH)
    const onOffice = await office.entry(UNIT, MONTH)
    expect(onPhone?.conflicts).toEqual([expect.objectContaining(expected)])
    expect(onOffice?.conflicts).toEqual([expect.objectContaining(expected)])
    expect(onPhone).toMatchObject({ counts: { received: 120 }, state: 'sent' })

    // The phone's official decides for 110; both devices then show no conflict.
    const id = onPhone?.conflicts[0]?.id ?? ''
    await phoneA.save({
      unitCode: UNIT,
      month: MONTH,
      counts: { received: 110, digitized: 50 },
      resolves: [id],
    })
    await phoneA.sync()
    await office.sync()
    expect(await phoneA.entry(UNIT, MONTH)).toMatchObject({
      conflicts: [],
      counts: { received: 110 },
    })
    expect(await office.entry(UNIT, MONTH)).toMatchObject({
      conflicts: [],
      counts: { received: 110 },
    })
  })

  it('asks to sign in again when the session expired, keeping the outbox, then sends it', async () => {
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 9, digitized: 9 } })
    server.advanceClock(31 * 24 * 60 * 60 * 1000)
    const clock = new FakeClock()
    const engine = createSyncEngine({
      db: a.db,
      transport: a.transport,
      window: new FakeWindow(),
      timers: clock.timers,
      createEventSource: null,
    })

    try {
      await engine.sessionChanged()
      engine.start()
      await engine.syncNow()

      expect(engine.status).toMatchObject({ state: 'needsLogin', error: 'sessionExpired' })
      expect(await getSession(a.db)).toMatchObject({ expired: true })
      expect(await pendingOps(a.db, lan.id)).toHaveLength(1)
      expect(await server.entryOnServer(UNIT, MONTH)).toBeUndefined()

      await a.signIn('lan')
      await engine.sessionChanged()
      expect(engine.status).toMatchObject({ state: 'idle', error: null })
      expect(await pendingOps(a.db, lan.id)).toEqual([])
      expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ version: 1 })
    } finally {
      engine.stop()
    }
  })

  it("never sends one user's changes when another user signs in on the same phone", async () => {
    const minh = await server.createUser('minh', [UNIT])
    const a = phone()
    await a.signIn('lan')
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 1, digitized: 1 } })
    await signOut(a.db)

    expect(await a.signIn('minh')).toBe(0)
    await a.save({ unitCode: UNIT, month: '2025-08', counts: { received: 2, digitized: 2 } })
    await a.sync()

    // Minh may write this unit too, so only the stream ownership kept Lan's change home.
    expect(await server.entryOnServer(UNIT, MONTH)).toBeUndefined()
    expect(await server.entryOnServer(UNIT, '2025-08')).toMatchObject({ updatedBy: 'minh' })
    expect(await pendingOps(a.db, lan.id)).toHaveLength(1)
    expect(await pendingOps(a.db, minh.id)).toEqual([])

    await signOut(a.db)
    await a.signIn('lan')
    await a.sync()
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ updatedBy: 'lan' })
  })

  it('sends changes made before the first sign-in under the first user, and picks their unit', async () => {
    const a = phone()
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 5, digitized: 4 } })

    expect(await a.signIn('lan')).toBe(1)
    await a.sync()

    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ updatedBy: 'lan' })
    expect(await getMeta(a.db, 'unitCode')).toBe(UNIT)
    expect(await getMeta(a.db, 'unitsEtag')).toMatch(/^"/)

    // The unit list is revalidated, not downloaded again.
    const units = vi.spyOn(a.transport, 'units')
    await a.sync()
    await expect(units.mock.results[0]?.value).resolves.toEqual({ notModified: true })
  })

  it('refuses a wrong password without touching the phone', async () => {
    const a = phone()
    await expect(
      a.transport.login({ username: 'lan', password: `${PASSWORD}!` }),
    ).rejects.toMatchObject({
      name: 'UnauthorizedError',
    })
    expect(await getSession(a.db)).toBeNull()
    await expect(
      signIn(a.db, await a.transport.login({ username: 'lan', password: PASSWORD })),
    ).resolves.toEqual({ claimed: 0 })
  })

  it('sends a target set offline once, and every phone of the province reads it', async () => {
    const tinh = await server.createUser('tinh', ['99'], 'viewer')
    const a = phone()
    await a.signIn('tinh')
    await a.saveTarget({ unitCode: '99', level: 'commune', basisPoints: 7500 })
    expect(await pendingOps(a.db, tinh.id)).toEqual([
      expect.objectContaining({ kind: 'target.put', targetKey: 'digitization/2025/99/commune' }),
    ])
    expect(await listTargets(a.db)).toMatchObject([{ state: 'local', basisPoints: 7500 }])

    await a.sync()

    expect(pushStatuses(a)).toEqual(['applied'])
    expect(await pendingOps(a.db, tinh.id)).toEqual([])
    expect(await listTargets(a.db)).toMatchObject([
      { state: 'sent', basisPoints: 7500, updatedBy: 'tinh' },
    ])
    expect(await server.store.listTargets({ all: true })).toMatchObject([
      { unitCode: '99', level: 'commune', basisPoints: 7500, updatedBy: 'tinh' },
    ])

    // The commune's reporter needs its province's default for communes.
    const b = phone()
    await b.signIn('lan')
    await b.sync()
    expect(await listTargets(b.db)).toMatchObject([
      { key: 'digitization/2025/99/commune', state: 'sent', basisPoints: 7500 },
    ])
  })

  it('moves a refused target op to the rejected list and drops its value', async () => {
    const a = phone()
    await a.signIn('lan')
    await a.saveTarget({ unitCode: UNIT, level: null, basisPoints: 100 })

    await a.sync()

    expect(await pendingOps(a.db, lan.id)).toEqual([])
    expect(await listRejected(a.db, lan.id)).toEqual([
      expect.objectContaining({ kind: 'target.put', unitCode: UNIT, reason: 'forbidden' }),
    ])
    expect(await listTargets(a.db)).toEqual([])
    expect(await server.store.listTargets({ all: true })).toEqual([])
  })

  it('records when a month was first reported, on the phone and the server, through edits', async () => {
    const a = phone()
    await a.signIn('lan')
    const first = await a.save({
      unitCode: UNIT,
      month: MONTH,
      counts: { received: 9, digitized: 3 },
    })
    expect(first.reportedAt).toEqual(expect.any(String))
    await a.sync()
    await a.save({ unitCode: UNIT, month: MONTH, counts: { received: 10, digitized: 3 } })
    await a.sync()

    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({
      version: 2,
      reportedAt: first.reportedAt,
    })
    expect(await a.entry(UNIT, MONTH)).toMatchObject({ reportedAt: first.reportedAt })
    const b = phone()
    await b.signIn('lan')
    await b.sync()
    expect(await b.entry(UNIT, MONTH)).toMatchObject({
      counts: { received: 10 },
      reportedAt: first.reportedAt,
    })
  })
})
