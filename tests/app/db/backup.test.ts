import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BackupError, exportBackup, importBackup } from '../../../src/app/db/backup.ts'
import { getDraft, saveDraft } from '../../../src/app/db/drafts.ts'
import { bulkPutEntries, getEntry, saveEntry, type OpAuthor } from '../../../src/app/db/entries.ts'
import { setMeta } from '../../../src/app/db/meta.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { listUnits, putUnits } from '../../../src/app/db/units.ts'
import { dropDb, makeEntry, makeInput, makeUnit, openTestDb } from './builders.ts'

let source: SohoaDb
let target: SohoaDb
beforeEach(async () => {
  source = openTestDb()
  target = openTestDb()
  await setMeta(source, 'installId', 'phone-old')
})
afterEach(async () => {
  await dropDb(source)
  await dropDb(target)
})

const NOW = new Date('2025-06-01T00:00:00Z')
/** The phone importing, with an official signed in. */
const PHONE_NEW: OpAuthor = { deviceId: 'phone-new', userId: 'official-1' }

/** A phone with one sent entry, one unsent entry, a draft and a unit. */
async function seedOldPhone(): Promise<void> {
  await bulkPutEntries(source, [makeEntry({ month: '2025-01', note: 'đã gửi' })])
  await saveEntry(
    source,
    makeInput({ month: '2025-02', note: 'chưa gửi' }),
    { deviceId: 'phone-old', userId: null },
    new Date('2025-03-01T00:00:00Z'),
  )
  await saveDraft(
    source,
    { unitCode: '00004', month: '2025-03', input: { received: '1.200' }, note: '' },
    new Date('2025-05-01T00:00:00Z'),
  )
  await putUnits(source, [makeUnit()])
}

/** That phone's backup as an import sees it: a file read back through JSON. */
async function oldPhoneBackup(): Promise<unknown> {
  await seedOldPhone()
  const text = JSON.stringify(await exportBackup(source, NOW))
  const data: unknown = JSON.parse(text)
  return data
}

async function refusal(promise: Promise<unknown>): Promise<BackupError> {
  const error: unknown = await promise.catch((e: unknown) => e)
  if (error instanceof BackupError) return error
  throw new Error(`expected a BackupError, got ${String(error)}`)
}

describe('exportBackup', () => {
  it('writes every table with the format header', async () => {
    const backup = await exportBackup(source, NOW)

    expect(backup).toMatchObject({
      format: 'sohoa-backup',
      version: 1,
      exportedAt: NOW.toISOString(),
      deviceId: 'phone-old',
    })
    expect(await oldPhoneBackup()).toMatchObject({
      entries: [{ state: 'sent' }, { state: 'local' }],
      outbox: [{ entryKey: '00004/2025-02', deviceId: 'phone-old' }],
      drafts: [{ key: '00004/2025-03' }],
      units: [{ code: '00004' }],
    })
  })
})

describe('importBackup', () => {
  it('restores the same entries and queues the unsent ones under this phone', async () => {
    const data = await oldPhoneBackup()

    const result = await importBackup(target, data, PHONE_NEW, NOW)

    expect(result).toEqual({ added: 2, updated: 0, skipped: 0 })
    expect(await target.entries.toArray()).toEqual(await source.entries.toArray())
    const ops = await pendingOps(target, 'official-1')
    expect(ops).toHaveLength(1)
    expect(ops[0]).toMatchObject({
      deviceId: 'phone-new',
      userId: 'official-1',
      entryKey: '00004/2025-02',
      note: 'chưa gửi',
      createdAt: NOW.toISOString(),
    })
    expect(await getDraft(target, '00004', '2025-03')).toEqual(
      await getDraft(source, '00004', '2025-03'),
    )
    expect(await listUnits(target)).toEqual([makeUnit()])
  })

  it('keeps what this phone has in the same or a newer version', async () => {
    const data = await oldPhoneBackup()
    const mine = await saveEntry(
      target,
      makeInput({ month: '2025-02', note: 'mới hơn' }),
      PHONE_NEW,
      new Date('2025-05-20T00:00:00Z'),
    )
    await bulkPutEntries(target, [makeEntry({ month: '2025-01', note: 'đã gửi' })])

    const result = await importBackup(target, data, PHONE_NEW, NOW)

    expect(result).toEqual({ added: 0, updated: 0, skipped: 2 })
    expect(await getEntry(target, '00004', '2025-02')).toEqual(mine)
    expect(await target.outbox.count()).toBe(1)
  })

  it('replaces an older entry, re-queuing it when an older edit here is still queued', async () => {
    await saveEntry(
      target,
      makeInput({ month: '2025-01', note: 'cũ' }),
      PHONE_NEW,
      new Date('2025-01-15T00:00:00Z'),
    )
    const data = await oldPhoneBackup()

    const result = await importBackup(target, data, PHONE_NEW, NOW)

    expect(result).toEqual({ added: 1, updated: 1, skipped: 0 })
    expect(await getEntry(target, '00004', '2025-01')).toMatchObject({
      note: 'đã gửi',
      state: 'local',
    })
    // The newest op of a key carries the entry as shown, so the server ends with the newest version.
    const ops = (await pendingOps(target, 'official-1')).filter((op) => op.kind === 'entry.put')
    expect(ops.filter((op) => op.month === '2025-01').map((op) => op.note)).toEqual([
      'cũ',
      'đã gửi',
    ])
  })

  it('does not bring back a draft older than the entry', async () => {
    const data = await oldPhoneBackup()
    await saveEntry(
      target,
      makeInput({ month: '2025-03' }),
      PHONE_NEW,
      new Date('2025-05-10T00:00:00Z'),
    )

    await importBackup(target, data, PHONE_NEW, NOW)

    expect(await getDraft(target, '00004', '2025-03')).toBeUndefined()
  })

  it('imports nothing from a file with one bad row, and names the row', async () => {
    await bulkPutEntries(source, [
      makeEntry({ month: '2025-01' }),
      makeEntry({ month: '2025-02' }),
      makeEntry({ month: '2025-03' }),
    ])
    await putUnits(source, [makeUnit()])
    const backup = await exportBackup(source, NOW)
    backup.entries[1]!.counts = { received: 5, digitized: 6 }

    const error = await refusal(importBackup(target, backup, PHONE_NEW, NOW))

    expect(error).toMatchObject({ reason: 'invalidEntry', row: 1, field: 'counts' })
    expect(error.errors).toEqual([{ field: 'digitized', code: 'exceeds', other: 'received' }])
    expect(await target.entries.count()).toBe(0)
    expect(await target.units.count()).toBe(0)
    expect(await target.outbox.count()).toBe(0)
  })

  it.each([
    ['a month', { month: '2025-13' }, 'month'],
    ['a unit code', { unitCode: 'Ba Đình' }, 'unitCode'],
    ['a count type', { counts: { received: '12', digitized: 1 } }, 'counts'],
    ['an element', { counts: { received: 12, digitized: 1, extra: 1 } }, 'counts'],
    ['a timestamp', { updatedAt: 'yesterday' }, 'updatedAt'],
    ['a state', { state: 'pending' }, 'state'],
  ])('refuses a row with a bad %s', async (_, change, field) => {
    await seedOldPhone()
    const data = await exportBackup(source, NOW)
    Object.assign(data.entries[1]!, change)

    expect(await refusal(importBackup(target, data, PHONE_NEW, NOW))).toMatchObject({
      reason: 'invalidEntry',
      row: 1,
      field,
    })
  })

  it('refuses two versions of one entry in one file', async () => {
    const backup = await exportBackup(source, NOW)
    const entry = {
      ...makeEntry(),
      key: '00004/2025-03',
      state: 'sent',
      baseVersion: null,
      sentAt: null,
    }
    const data = { ...backup, entries: [entry, { ...entry, note: 'khác' }] }

    expect(await refusal(importBackup(target, data, PHONE_NEW, NOW))).toMatchObject({
      reason: 'invalidEntry',
      row: 1,
      field: 'key',
    })
  })

  it('refuses bad drafts and units with their row', async () => {
    const backup = await exportBackup(source, NOW)

    const badDraft = { ...backup, drafts: [{ key: 'x', unitCode: '00004', month: '2025-01' }] }
    expect(await refusal(importBackup(target, badDraft, PHONE_NEW, NOW))).toMatchObject({
      reason: 'invalidDraft',
      row: 0,
    })
    const badUnit = { ...backup, units: [makeUnit(), makeUnit({ code: '4' })] }
    expect(await refusal(importBackup(target, badUnit, PHONE_NEW, NOW))).toMatchObject({
      reason: 'invalidUnit',
      row: 1,
      field: 'code',
    })
  })

  it.each([
    ['not an object', 'hello', 'notBackup'],
    ['another format', { format: 'other', version: 1, entries: [] }, 'notBackup'],
    ['no entries', { format: 'sohoa-backup', version: 1 }, 'notBackup'],
    ['a newer version', { format: 'sohoa-backup', version: 2, entries: [] }, 'newerVersion'],
  ])('refuses %s', async (_, data, reason) => {
    expect(await refusal(importBackup(target, data, PHONE_NEW, NOW))).toMatchObject({
      reason,
      row: null,
    })
  })

  it('keeps this phone’s version of a unit and adds the ones it lacks', async () => {
    await putUnits(target, [makeUnit({ name: 'Tên mới' })])
    const backup = await exportBackup(source, NOW)
    const data = {
      ...backup,
      units: [makeUnit({ name: 'Tên cũ' }), makeUnit({ code: '00007', name: 'Phường Ngọc Hà' })],
    }

    await importBackup(target, data, PHONE_NEW, NOW)

    expect((await listUnits(target)).map((unit) => unit.name)).toEqual([
      'Tên mới',
      'Phường Ngọc Hà',
    ])
  })
})
