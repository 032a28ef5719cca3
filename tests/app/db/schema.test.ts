import 'fake-indexeddb/auto'
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { getInstallId, getMeta } from '../../../src/app/db/meta.ts'
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

// And of version 2, for the version 3 upgrade.
const V2_STORES = {
  ...V1_STORES,
  entries: 'key, [unitCode+month], month, state',
  drafts: 'key',
}

// And of version 3, for the version 4 upgrade.
const V3_STORES = {
  ...V2_STORES,
  outbox: '++seq, &id, entryKey, userId',
  rejected: 'id, userId',
}

// And of version 4, for the version 5 upgrade.
const V4_STORES = {
  ...V3_STORES,
  outbox: '++seq, &id, entryKey, userId, targetKey',
  targets: 'key',
}

async function createV4(name: string): Promise<void> {
  const old = new Dexie(name)
  old.version(4).stores(V4_STORES)
  await old.open()
  await old.table('entries').put({
    key: '00004/2025-01',
    unitCode: '00004',
    month: '2025-01',
    counts: { received: 10, digitized: 4 },
    note: '',
    updatedAt: '2025-02-01T00:00:00.000Z',
    state: 'sent',
    baseVersion: 3,
    sentAt: '2025-02-01T00:00:00.000Z',
    conflicts: [],
    updatedBy: 'lan',
    reportedAt: '2025-02-01T00:00:00.000Z',
  })
  old.close()
}

async function createV3(name: string): Promise<void> {
  const old = new Dexie(name)
  old.version(3).stores(V3_STORES)
  await old.open()
  await old.table('entries').put({
    key: '00004/2025-01',
    unitCode: '00004',
    month: '2025-01',
    counts: { received: 10, digitized: 4 },
    note: '',
    updatedAt: '2025-02-01T00:00:00.000Z',
    state: 'local',
    baseVersion: 3,
    sentAt: null,
    conflicts: [],
    updatedBy: 'lan',
  })
  await old.table('outbox').add({
    id: 'op-1',
    deviceId: 'device-old',
    userId: 'lan',
    kind: 'entry.put',
    entryKey: '00004/2025-01',
    unitCode: '00004',
    month: '2025-01',
    counts: { received: 10, digitized: 4 },
    note: '',
    baseVersion: 3,
    createdAt: '2025-02-01T00:00:00.000Z',
  })
  old.close()
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

async function createV2(name: string): Promise<void> {
  const old = new Dexie(name)
  old.version(2).stores(V2_STORES)
  await old.open()
  await old.table('entries').bulkAdd([
    {
      key: '00004/2025-01',
      unitCode: '00004',
      month: '2025-01',
      counts: { received: 10, digitized: 4 },
      note: 'đã gửi',
      updatedAt: '2025-02-01T00:00:00.000Z',
      state: 'sent',
      baseVersion: 3,
      sentAt: '2025-02-02T00:00:00.000Z',
    },
    {
      key: '00004/2025-02',
      unitCode: '00004',
      month: '2025-02',
      counts: { received: 12, digitized: 6 },
      note: 'chưa gửi',
      updatedAt: '2025-03-01T00:00:00.000Z',
      state: 'local',
      baseVersion: null,
      sentAt: null,
    },
  ])
  await old.table('outbox').bulkAdd([
    {
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
    },
  ])
  await old.table('meta').bulkPut([
    { key: 'deviceId', value: 'device-old' },
    { key: 'unitCode', value: '00004' },
  ])
  await old.table('drafts').put({
    key: '00004/2025-03',
    unitCode: '00004',
    month: '2025-03',
    input: { received: '5' },
    note: '',
    updatedAt: '2025-04-01T00:00:00.000Z',
  })
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

  it('opens a version 2 database with owners, conflicts, authors and the old device id', async () => {
    const name = uniqueDbName()
    names.push(name)
    await createV2(name)

    const db = new SohoaDb(name)
    await db.open()

    expect(await db.entries.get('00004/2025-01')).toMatchObject({
      state: 'sent',
      baseVersion: 3,
      sentAt: '2025-02-02T00:00:00.000Z',
      conflicts: [],
      updatedBy: null,
    })
    expect(await db.entries.get('00004/2025-02')).toMatchObject({
      state: 'local',
      note: 'chưa gửi',
      conflicts: [],
      updatedBy: null,
    })
    expect(await db.outbox.toArray()).toEqual([
      expect.objectContaining({ id: 'op-1', seq: 1, userId: null, deviceId: 'device-old' }),
    ])
    // Unclaimed ops are absent from the userId index until someone signs in.
    expect(await db.outbox.where('userId').equals('anyone').count()).toBe(0)
    expect(await getInstallId(db)).toBe('device-old')
    expect(await getMeta(db, 'unitCode')).toBe('00004')
    expect(await db.drafts.count()).toBe(1)
    expect(await db.units.count()).toBe(1)
    expect(await db.rejected.count()).toBe(0)
    db.close()
  })

  it('carries a version 1 database through both upgrades', async () => {
    const name = uniqueDbName()
    names.push(name)
    await createV1(name)

    const db = new SohoaDb(name)
    await db.open()

    expect(await db.entries.get('00004/2025-02')).toMatchObject({
      state: 'local',
      conflicts: [],
      updatedBy: null,
    })
    expect(await db.outbox.toArray()).toEqual([expect.objectContaining({ userId: null })])
    expect(await getInstallId(db)).toBe('device-old')
    db.close()
  })

  it('opens a version 3 database with an unknown report time and an empty target table', async () => {
    const name = uniqueDbName()
    names.push(name)
    await createV3(name)

    const db = new SohoaDb(name)
    await db.open()

    expect(await db.entries.get('00004/2025-01')).toMatchObject({
      state: 'local',
      baseVersion: 3,
      updatedBy: 'lan',
      reportedAt: null,
    })
    expect(await db.targets.count()).toBe(0)
    // The queued entry op is untouched and still found by its entry key.
    expect(await db.outbox.where('entryKey').equals('00004/2025-01').count()).toBe(1)
    expect(await db.outbox.where('targetKey').equals('anything').count()).toBe(0)
    db.close()
  })

  it('opens a version 4 database with every month a draft and no links', async () => {
    const name = uniqueDbName()
    names.push(name)
    await createV4(name)

    const db = new SohoaDb(name)
    await db.open()

    expect(await db.entries.get('00004/2025-01')).toMatchObject({
      baseVersion: 3,
      reportedAt: '2025-02-01T00:00:00.000Z',
      review: null,
    })
    expect(await db.unitLinks.count()).toBe(0)
    expect(await db.history.count()).toBe(0)
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
      'history',
      'meta',
      'outbox',
      'rejected',
      'targets',
      'unitLinks',
      'units',
    ])
    db.close()
  })
})
