/**
 * Reviewing months against the real server (SQLite, HTTP on 127.0.0.1): the commune submits, the
 * province accepts, and the accepted month is locked on the commune's phone and on the server.
 */
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EntryLockedError } from '../../../src/app/db/entries.ts'
import { getHistory } from '../../../src/app/db/history.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import type { UserRecord } from '../../../src/server/store/store.ts'
import { Phone, startServer, type LiveServer } from './liveServer.ts'

const UNIT = '99019'
const MONTH = '2025-09'
const COUNTS = { received: 120, digitized: 80 }

let server: LiveServer
let lan: UserRecord
const phones: Phone[] = []

async function signedIn(username: string): Promise<Phone> {
  const made = new Phone(server.baseUrl)
  phones.push(made)
  await made.signIn(username)
  return made
}

beforeEach(async () => {
  server = await startServer()
  lan = await server.createUser('lan', [UNIT])
  await server.createUser('huyen', ['99'], 'viewer')
})
afterEach(async () => {
  await Promise.all(phones.splice(0).map((p) => p.close()))
  await server.close()
})

describe('review against the server', () => {
  it('locks a month the province accepted, on the commune phone too', async () => {
    const commune = await signedIn('lan')
    await commune.save({ unitCode: UNIT, month: MONTH, counts: COUNTS })
    await commune.review(
      { unitCode: UNIT, month: MONTH, action: 'submit', comment: '' },
      'reporter',
    )
    await commune.sync()
    expect(await pendingOps(commune.db, lan.id)).toEqual([])

    const province = await signedIn('huyen')
    await province.sync()
    expect((await province.entry(UNIT, MONTH))?.review).toMatchObject({
      state: 'submitted',
      updatedBy: 'lan',
    })
    await province.review(
      { unitCode: UNIT, month: MONTH, action: 'accept', comment: 'Tốt' },
      'supervisor',
    )
    await province.sync()
    expect(await listRejected(province.db, (await province.userId()) ?? '')).toEqual([])

    await commune.sync()
    expect((await commune.entry(UNIT, MONTH))?.review).toMatchObject({
      state: 'accepted',
      comment: 'Tốt',
      updatedBy: 'huyen',
    })
    await expect(
      commune.save({ unitCode: UNIT, month: MONTH, counts: { ...COUNTS, received: 121 } }),
    ).rejects.toBeInstanceOf(EntryLockedError)
    expect(await pendingOps(commune.db, lan.id)).toEqual([])
  })

  it("caches the month's history, reviews included, on the commune phone after a sync", async () => {
    const commune = await signedIn('lan')
    await commune.save({ unitCode: UNIT, month: MONTH, counts: COUNTS })
    await commune.review(
      { unitCode: UNIT, month: MONTH, action: 'submit', comment: '' },
      'reporter',
    )
    await commune.sync()
    const province = await signedIn('huyen')
    await province.sync()
    await province.review(
      { unitCode: UNIT, month: MONTH, action: 'return', comment: 'Thiếu số liệu' },
      'supervisor',
    )
    await province.sync()

    await commune.sync()

    const history = await getHistory(commune.db, UNIT, MONTH)
    expect(history?.events.map((event) => event.type)).toEqual(['edit', 'review', 'review'])
    expect(history?.events.at(-1)).toMatchObject({
      type: 'review',
      by: 'huyen',
      action: 'return',
      comment: 'Thiếu số liệu',
    })
    // The province's viewer fetches a month's history only when it looks at it.
    expect(await province.db.history.count()).toBe(0)
  })

  it('refuses an offline edit pushed after the month was accepted, keeping its values', async () => {
    const commune = await signedIn('lan')
    await commune.save({ unitCode: UNIT, month: MONTH, counts: COUNTS })
    await commune.review(
      { unitCode: UNIT, month: MONTH, action: 'submit', comment: '' },
      'reporter',
    )
    await commune.sync()
    // Offline: corrected on the phone while the province accepts the submitted figures.
    await commune.save({ unitCode: UNIT, month: MONTH, counts: { ...COUNTS, received: 130 } })

    const province = await signedIn('huyen')
    await province.sync()
    await province.review(
      { unitCode: UNIT, month: MONTH, action: 'accept', comment: '' },
      'supervisor',
    )
    await province.sync()

    await commune.sync()

    expect(await pendingOps(commune.db, lan.id)).toEqual([])
    expect(await listRejected(commune.db, lan.id)).toEqual([
      expect.objectContaining({
        kind: 'entry.put',
        reason: 'locked',
        counts: { ...COUNTS, received: 130 },
      }),
    ])
    expect(await server.entryOnServer(UNIT, MONTH)).toMatchObject({ counts: COUNTS })
    expect((await commune.entry(UNIT, MONTH))?.review?.state).toBe('accepted')
  })

  it('lists a review the server refuses and shows the month as the server has it', async () => {
    const commune = await signedIn('lan')
    await commune.save({ unitCode: UNIT, month: MONTH, counts: COUNTS })
    await commune.review(
      { unitCode: UNIT, month: MONTH, action: 'submit', comment: '' },
      'reporter',
    )
    await commune.sync()
    const province = await signedIn('huyen')
    await province.sync()
    await province.review(
      { unitCode: UNIT, month: MONTH, action: 'accept', comment: '' },
      'supervisor',
    )
    await province.sync()

    // Two supervisors reopen the accepted month, each before seeing the other's: the second
    // reopen finds the month returned already.
    const other = await signedIn('huyen')
    await other.sync()
    await other.review(
      { unitCode: UNIT, month: MONTH, action: 'reopen', comment: 'Sửa lại' },
      'supervisor',
    )
    await province.review(
      { unitCode: UNIT, month: MONTH, action: 'reopen', comment: 'Xem lại' },
      'supervisor',
    )
    await other.sync()
    await province.sync()

    const huyen = (await province.userId()) ?? ''
    expect(await listRejected(province.db, huyen)).toEqual([
      expect.objectContaining({ kind: 'review', action: 'reopen', reason: 'wrongState' }),
    ])
    expect((await province.entry(UNIT, MONTH))?.review).toMatchObject({
      state: 'returned',
      comment: 'Sửa lại',
    })
  })
})
