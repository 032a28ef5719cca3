import 'fake-indexeddb/auto'
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { makeUnit, uniqueDbName } from './builders.ts'

// Frozen copy of what version 1 shipped: the test plays an old phone, so it must not follow later
// edits to schema.ts.
const V1_STORES = {
  entries: 'key, [unitCode+month], month',
  outbox: '++seq, &id, entryKey',
  meta: 'key',
  units: '[code+validFrom]',
}

const names: string[] = []
afterEach(async () => {
  await Promise.all(names.splice(0).map((name) => Dexie.delete(name)))
})

async function createV1(name: string): Promise<void> {
  const old = new Dexie(name)
  old.version(1).stores(V1_STORES)
  await old.open()
  await old.table('entries').bulkAdd([
    {
      key: '00004/2025-01',
      unitCode: '00004',
      month: '2025-01',
      counts: { received: 10, digitized: 4 },
      note: 'đã gửi',
      updatedAt: '2025-02-01T00:00:00.000Z',
      baseVersion: 3,
    },
    {
      key: '00004/2025-02',
      unitCode: '00004',
      month: '2025-02',
      counts: { received: 12, digitized: 6 },
      note: 'chưa gửi',
      updatedAt: '2025-03-01T00:00:00.000Z',
    },
  ])
  await old.table('outbox').add({
    id: 'op-1',
    deviceId: 'device-old',
    kind: 'entry.put',
    entryKey: '00004/2025-02',
    unitCode: '00004',
    month: '2025-02',
    counts: { received: 12, digitized: 6 },
    note: 'chưa gửi',
    baseVersion: null,
    createdAt: '2025-03-01T00:00:00.000Z',
  })
  await old.table('meta').put({ key: 'deviceId', value: 'device-old' })
  await old.table('units').put(makeUnit())
  old.close()
}

describe('schema upgrades', () => {
  it('opens a version 1 database and derives each entry state from the outbox', async () => {
    const name = uniqueDbName()
    names.push(name)
    await createV1(name)

    const db = new SohoaDb(name)
    await db.open()

    expect(await db.entries.get('00004/2025-01')).toMatchObject({
      state: 'sent',
      sentAt: null,
      baseVersion: 3,
      note: 'đã gửi',
    })
    expect(await db.entries.get('00004/2025-02')).toMatchObject({
      state: 'local',
      sentAt: null,
      baseVersion: null,
      counts: { received: 12, digitized: 6 },
    })
    expect(await db.outbox.count()).toBe(1)
    expect(await db.meta.get('deviceId')).toEqual({ key: 'deviceId', value: 'device-old' })
    expect(await db.units.count()).toBe(1)
    expect(await db.entries.where('state').equals('local').primaryKeys()).toEqual(['00004/2025-02'])
    expect(await db.drafts.count()).toBe(0)
    db.close()
  })

  it('creates the current schema on a new phone', async () => {
    const name = uniqueDbName()
    names.push(name)
    const db = new SohoaDb(name)
    await db.open()

    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'drafts',
      'entries',
      'meta',
      'outbox',
      'units',
    ])
    db.close()
  })
})
