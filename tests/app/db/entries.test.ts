import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  EntryValidationError,
  bulkPutEntries,
  entriesForMonths,
  entriesForUnit,
  getEntry,
  saveEntry,
} from '../../../src/app/db/entries.ts'
import { getDraft, saveDraft } from '../../../src/app/db/drafts.ts'
import { getInstallId } from '../../../src/app/db/meta.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { toMonth } from '../../../src/domain/periods.ts'
import { AUTHOR, DEVICE, dropDb, makeEntry, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('saveEntry', () => {
  it('writes the entry as local and queues one op, together', async () => {
    const now = new Date('2025-04-02T03:00:00Z')
    const saved = await saveEntry(db, makeInput({ note: 'đủ' }), AUTHOR, now)

    expect(saved).toMatchObject({
      key: '00004/2025-03',
      state: 'local',
      baseVersion: null,
      sentAt: null,
      note: 'đủ',
      updatedAt: now.toISOString(),
    })
    expect(await getEntry(db, '00004', '2025-03')).toEqual(saved)
    const ops = await db.outbox.toArray()
    expect(ops).toHaveLength(1)
    expect(ops[0]).toMatchObject({
      deviceId: DEVICE,
      kind: 'entry.put',
      entryKey: '00004/2025-03',
      counts: saved.counts,
      note: 'đủ',
      baseVersion: null,
      createdAt: now.toISOString(),
    })
  })

  it('writes no entry when the outbox write fails', async () => {
    db.outbox.hook('creating', () => {
      throw new Error('outbox broken')
    })

    await expect(saveEntry(db, makeInput(), AUTHOR)).rejects.toThrow('outbox broken')
    expect(await db.entries.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
  })

  it('keeps the draft and the earlier entry when the outbox write fails', async () => {
    const first = await saveEntry(db, makeInput(), AUTHOR)
    await saveDraft(db, { unitCode: '00004', month: '2025-03', input: { received: '1' }, note: '' })
    db.outbox.hook('creating', () => {
      throw new Error('outbox broken')
    })

    await expect(saveEntry(db, makeInput({ note: 'lần 2' }), AUTHOR)).rejects.toThrow()
    expect(await getEntry(db, '00004', '2025-03')).toEqual(first)
    expect(await getDraft(db, '00004', '2025-03')).toBeDefined()
  })

  it('refuses invalid counts with their errors and writes nothing', async () => {
    const input = makeInput({ counts: { received: 10, digitized: 11 } })

    const error: unknown = await saveEntry(db, input, AUTHOR).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EntryValidationError)
    if (!(error instanceof EntryValidationError)) return
    expect(error.errors).toEqual([{ field: 'digitized', code: 'exceeds', other: 'received' }])
    expect(await db.entries.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
  })

  it('refuses missing required counts', async () => {
    await expect(saveEntry(db, makeInput({ counts: { received: 5 } }), AUTHOR)).rejects.toThrow(
      EntryValidationError,
    )
  })

  it('keeps one entry and appends one op per save, in order', async () => {
    await saveEntry(db, makeInput({ note: 'một' }), AUTHOR, new Date('2025-04-02T03:00:00Z'))
    await saveEntry(db, makeInput({ note: 'hai' }), AUTHOR, new Date('2025-04-03T03:00:00Z'))

    expect(await db.entries.count()).toBe(1)
    expect((await getEntry(db, '00004', '2025-03'))?.note).toBe('hai')
    const ops = (await db.outbox.toArray()).filter((op) => op.kind === 'entry.put')
    expect(ops.map((op) => op.note)).toEqual(['một', 'hai'])
    expect(ops[1]!.seq!).toBeGreaterThan(ops[0]!.seq!)
    expect(new Set(ops.map((op) => op.id)).size).toBe(2)
  })

  it('deletes the draft of that unit and month only', async () => {
    await saveDraft(db, {
      unitCode: '00004',
      month: '2025-03',
      input: { received: '12' },
      note: '',
    })
    await saveDraft(db, { unitCode: '00004', month: '2025-04', input: { received: '7' }, note: '' })

    await saveEntry(db, makeInput(), AUTHOR)

    expect(await getDraft(db, '00004', '2025-03')).toBeUndefined()
    expect(await getDraft(db, '00004', '2025-04')).toBeDefined()
  })

  it('keeps the server version the edit is based on', async () => {
    await bulkPutEntries(db, [{ ...makeEntry(), baseVersion: 7 }], 'sent')

    const saved = await saveEntry(db, makeInput(), AUTHOR)

    expect(saved.baseVersion).toBe(7)
    expect(
      (await db.outbox.toArray()).filter((op) => op.kind === 'entry.put')[0]?.baseVersion,
    ).toBe(7)
  })

  it('records when the month was first reported, and keeps that time through edits', async () => {
    const first = new Date('2025-04-02T03:00:00Z')
    await saveEntry(db, makeInput({ note: 'một' }), AUTHOR, first)
    await saveEntry(db, makeInput({ note: 'hai' }), AUTHOR, new Date('2025-04-09T03:00:00Z'))

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      note: 'hai',
      updatedAt: '2025-04-09T03:00:00.000Z',
      reportedAt: first.toISOString(),
    })
  })

  it('keeps an entry’s unknown report time unknown when it is edited', async () => {
    await bulkPutEntries(db, [makeEntry()], 'sent')
    await saveEntry(db, makeInput(), AUTHOR)
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ reportedAt: null })
  })

  it('stores only known elements, as a plain object', async () => {
    const counts = new Proxy(
      { received: 10, digitized: 5, stray: 3 },
      { get: (target, key) => Reflect.get(target, key) },
    )

    const saved = await saveEntry(db, makeInput({ counts }), AUTHOR)

    expect(saved.counts).toEqual({ received: 10, digitized: 5 })
  })
})

describe('reading entries', () => {
  it('lists one unit by month and leaves out a unit whose code starts the same', async () => {
    await bulkPutEntries(db, [
      makeEntry({ month: '2025-05' }),
      makeEntry({ month: '2024-12' }),
      makeEntry({ month: '2025-01' }),
      makeEntry({ unitCode: '00004-UB', month: '2025-01' }),
      makeEntry({ unitCode: '00007', month: '2025-01' }),
    ])

    const months = (await entriesForUnit(db, '00004')).map((entry) => entry.month)
    expect(months).toEqual(['2024-12', '2025-01', '2025-05'])
  })

  it('finds the entries of several units and months, skipping gaps', async () => {
    await bulkPutEntries(db, [
      makeEntry({ unitCode: '00004', month: '2025-01' }),
      makeEntry({ unitCode: '00007', month: '2025-02' }),
      makeEntry({ unitCode: '00007', month: '2025-03' }),
      makeEntry({ unitCode: '00010', month: '2025-01' }),
    ])

    const found = await entriesForMonths(db, ['00007', '00004'], ['2025-01', '2025-02'])
    expect(found.map((entry) => entry.key)).toEqual(['00007/2025-02', '00004/2025-01'])
  })
})

describe('bulkPutEntries', () => {
  it('loads 1,000 entries as sent in one call', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) =>
      makeEntry({
        unitCode: String(10000 + Math.floor(i / 10)),
        month: toMonth(2025, (i % 10) + 1),
      }),
    )

    expect(await bulkPutEntries(db, entries)).toBe(1000)

    expect(await db.entries.count()).toBe(1000)
    expect(await db.entries.where('state').equals('sent').count()).toBe(1000)
    expect(await db.outbox.count()).toBe(0)
  })

  it('keeps the report time a bulk load supplies', async () => {
    await bulkPutEntries(db, [{ ...makeEntry(), reportedAt: '2025-04-01T02:00:00.000Z' }], 'sent')
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      reportedAt: '2025-04-01T02:00:00.000Z',
    })
  })

  it('never replaces an entry with unsent changes', async () => {
    const mine = await saveEntry(db, makeInput({ note: 'của tôi' }), AUTHOR)

    const written = await bulkPutEntries(db, [
      makeEntry({ note: 'từ máy chủ' }),
      makeEntry({ month: '2025-04' }),
    ])

    expect(written).toBe(1)
    expect(await getEntry(db, '00004', '2025-03')).toEqual(mine)
  })

  it('queues local entries under this device in the same call', async () => {
    const entries = [makeEntry({ month: '2025-01' }), makeEntry({ month: '2025-02' })]

    await bulkPutEntries(db, entries, 'local')

    const deviceId = await getInstallId(db)
    const ops = (await db.outbox.toArray()).filter((op) => op.kind === 'entry.put')
    expect(ops.map((op) => op.entryKey)).toEqual(['00004/2025-01', '00004/2025-02'])
    expect(ops.every((op) => op.deviceId === deviceId && op.userId === null)).toBe(true)
    expect(await db.entries.where('state').equals('local').count()).toBe(2)
  })

  it('writes no entry when the local queue cannot be written', async () => {
    db.outbox.hook('creating', () => {
      throw new Error('outbox broken')
    })

    await expect(bulkPutEntries(db, [makeEntry()], 'local')).rejects.toThrow()
    expect(await db.entries.count()).toBe(0)
  })
})
