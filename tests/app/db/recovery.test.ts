import 'fake-indexeddb/auto'
import { Dexie } from 'dexie'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { watchDatabaseLoss, type DatabaseLoss } from '../../../src/app/db/connection.ts'
import { bulkPutEntries, saveEntry } from '../../../src/app/db/entries.ts'
import { noteErasure, type Ledger } from '../../../src/app/db/ledger.ts'
import { getInstallId, getMeta } from '../../../src/app/db/meta.ts'
import {
  completeRestore,
  dismissRecovery,
  expectRestore,
  getRecovery,
} from '../../../src/app/db/recovery.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { AUTHOR, dropDb, makeEntry, makeInput, openTestDb, uniqueDbName } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

const LEDGER: Ledger = {
  version: 1,
  installId: 'erased-install',
  user: { id: 'u-lan', username: 'lan' },
  unsent: [
    { kind: 'entry.put', unitCode: '00004', unitName: 'Xã An Lạc', month: '2026-11', year: null },
  ],
  more: 2,
  lastSyncAt: '2026-11-20T02:00:00.000Z',
}

describe('noteErasure', () => {
  it('records what a ledger of another install names, once', async () => {
    const now = new Date('2026-12-01T00:00:00.000Z')
    expect(await noteErasure(db, LEDGER, now)).toBe(true)
    expect(await getRecovery(db)).toEqual({
      erased: {
        installId: 'erased-install',
        noticedAt: now.toISOString(),
        username: 'lan',
        lost: LEDGER.unsent,
        more: 2,
        lastSyncAt: '2026-11-20T02:00:00.000Z',
      },
      restoring: false,
      restored: null,
    })
    // The database got its own id at once; a reload before the ledger is rewritten adds nothing.
    const installId = await getMeta(db, 'installId')
    expect(installId).toEqual(expect.any(String))
    expect(installId).not.toBe('erased-install')
    await dismissRecovery(db)
    expect(await noteErasure(db, LEDGER, now)).toBe(false)
    expect(await getRecovery(db)).toBeNull()
  })

  it('finds nothing when the ledger describes this very database', async () => {
    const installId = await getInstallId(db)
    expect(await noteErasure(db, { ...LEDGER, installId })).toBe(false)
    expect(await getRecovery(db)).toBeNull()
  })
})

describe('expectRestore and completeRestore', () => {
  it('after a sign-in on an empty phone, counts what the first pull restored', async () => {
    await noteErasure(db, LEDGER)
    await expectRestore(db)
    expect(await getRecovery(db)).toMatchObject({ restoring: true, restored: null })

    await bulkPutEntries(db, [
      makeEntry({ month: '2026-09', updatedAt: '2026-10-02T01:00:00.000Z' }),
      makeEntry({ month: '2026-10', updatedAt: '2026-11-03T01:00:00.000Z' }),
      makeEntry({ month: '2026-08', updatedAt: '2026-09-01T01:00:00.000Z' }),
    ])
    // Typed since the sign-in, not restored.
    await saveEntry(db, makeInput({ month: '2026-12' }), AUTHOR)
    await completeRestore(db)
    const notice = await getRecovery(db)
    expect(notice).toMatchObject({
      restoring: false,
      restored: { months: 3, latest: '2026-11-03T01:00:00.000Z' },
    })
    // What was lost stays named beside what came back.
    expect(notice?.erased?.lost).toEqual(LEDGER.unsent)
  })

  it('leaves a phone that holds entries alone, and a dismissed notice dismissed', async () => {
    await bulkPutEntries(db, [makeEntry()])
    await expectRestore(db)
    expect(await getRecovery(db)).toBeNull()

    const empty = openTestDb()
    try {
      await expectRestore(empty)
      expect(await getRecovery(empty)).toMatchObject({ erased: null, restoring: true })
      await dismissRecovery(empty)
      await bulkPutEntries(empty, [makeEntry()])
      await completeRestore(empty)
      expect(await getRecovery(empty)).toBeNull()
    } finally {
      await dropDb(empty)
    }
  })

  it('says nothing on a new phone that the server has nothing for, and keeps an erasure that got nothing back', async () => {
    await expectRestore(db)
    await completeRestore(db)
    expect(await getRecovery(db)).toBeNull()

    await noteErasure(db, LEDGER)
    await expectRestore(db)
    await completeRestore(db)
    expect(await getRecovery(db)).toMatchObject({
      restoring: false,
      restored: { months: 0, latest: null },
      erased: { lost: LEDGER.unsent },
    })
  })
})

describe('watchDatabaseLoss', () => {
  it('stops writing when the database is deleted under the app, instead of recreating it', async () => {
    const losses: DatabaseLoss[] = []
    watchDatabaseLoss((loss) => losses.push(loss), db)
    await saveEntry(db, makeInput(), AUTHOR)

    await Dexie.delete(db.name)
    await expect.poll(() => losses).toEqual(['deleted'])
    await expect(saveEntry(db, makeInput({ month: '2025-04' }), AUTHOR)).rejects.toThrow()
    expect(await Dexie.exists(db.name)).toBe(false)
  })

  it('reopens a connection the browser dropped while the database stays, losing nothing', async () => {
    const losses: DatabaseLoss[] = []
    watchDatabaseLoss((loss) => losses.push(loss), db)
    await saveEntry(db, makeInput(), AUTHOR)
    // What IndexedDB does when the browser closes a connection on its own (iOS in the background).
    const connection = db.backendDB()
    connection.onclose?.call(connection, new Event('close'))
    await expect.poll(() => db.isOpen()).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await saveEntry(db, makeInput({ month: '2025-04' }), AUTHOR)
    expect(await db.entries.count()).toBe(2)
    expect(losses).toEqual([])
  })

  it('does not report a loss when the database fails to open', async () => {
    const failing = new SohoaDb(uniqueDbName())
    const losses: DatabaseLoss[] = []
    watchDatabaseLoss((loss) => losses.push(loss), failing)
    failing.on('ready', () => Promise.reject(new Error('the open fails')))
    try {
      await expect(failing.open()).rejects.toThrow('the open fails')
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(losses).toEqual([])
    } finally {
      await Dexie.delete(failing.name)
    }
  })

  it('names an upgrade by a newer version of the app in another tab', async () => {
    const name = uniqueDbName()
    const old = new SohoaDb(name)
    const losses: DatabaseLoss[] = []
    watchDatabaseLoss((loss) => losses.push(loss), old)
    await old.open()
    const newer = new Dexie(name)
    newer.version(99).stores({ extra: 'key' })
    try {
      await newer.open()
      await expect.poll(() => losses).toEqual(['upgraded'])
    } finally {
      newer.close()
      await Dexie.delete(name)
    }
  })
})
