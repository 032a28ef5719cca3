import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getEntry, saveEntry } from '../../../src/app/db/entries.ts'
import { getUserMeta } from '../../../src/app/db/meta.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { applyPullPage } from '../../../src/app/db/pull.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { authorFor, dropDb, makeChange, makeConflict, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('applyPullPage', () => {
  it('writes the changes as sent and stores the cursor for this user', async () => {
    const conflict = makeConflict()
    const outcome = await applyPullPage(
      db,
      'lan',
      [makeChange({ conflicts: [conflict] }), makeChange({ month: '2025-02', version: 1 })],
      '42',
    )

    expect(outcome).toEqual({ written: 2, keptLocal: 0 })
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      counts: { received: 125, digitized: 90 },
      note: 'từ máy chủ',
      state: 'sent',
      baseVersion: 2,
      updatedBy: 'minh',
      conflicts: [conflict],
    })
    expect(await getUserMeta(db, 'cursor', 'lan')).toBe('42')
    expect(await getUserMeta(db, 'cursor', 'minh')).toBeUndefined()
  })

  it('keeps unsent local values and base version, taking only the conflicts', async () => {
    const saved = await saveEntry(db, makeInput({ note: 'của tôi' }), authorFor('lan'))
    const other = makeConflict({ id: 'c-other' })
    const settled = makeConflict({ id: 'c-settled' })
    await saveEntry(db, makeInput({ note: 'của tôi', resolves: ['c-settled'] }), authorFor('lan'))

    const outcome = await applyPullPage(
      db,
      'lan',
      [makeChange({ version: 5, conflicts: [other, settled] })],
      '7',
    )

    expect(outcome).toEqual({ written: 0, keptLocal: 1 })
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      counts: saved.counts,
      note: 'của tôi',
      state: 'local',
      baseVersion: null,
      conflicts: [other],
    })
    expect(
      (await pendingOps(db, 'lan'))
        .filter((op) => op.kind === 'entry.put')
        .map((op) => op.baseVersion),
    ).toEqual([null, null])
  })

  it('keeps local values queued by another user of this phone too', async () => {
    await saveEntry(db, makeInput({ note: 'của Minh' }), authorFor('minh'))

    await applyPullPage(db, 'lan', [makeChange()], '3')

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ note: 'của Minh' })
  })

  it('takes the report time from the server', async () => {
    await saveEntry(db, makeInput(), authorFor('lan'), new Date('2025-04-20T00:00:00Z'))
    await applyPullPage(
      db,
      'lan',
      [
        // Reported first on another device, before this phone's save.
        makeChange({ reportedAt: '2025-04-02T01:00:00.000Z' }),
        makeChange({ month: '2025-02', reportedAt: '2025-03-03T01:00:00.000Z' }),
        makeChange({ month: '2025-01' }),
      ],
      '7',
    )

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'local',
      reportedAt: '2025-04-02T01:00:00.000Z',
    })
    expect(await getEntry(db, '00004', '2025-02')).toMatchObject({
      state: 'sent',
      reportedAt: '2025-03-03T01:00:00.000Z',
    })
    // A server before protocol 2 sends none: unknown.
    expect(await getEntry(db, '00004', '2025-01')).toMatchObject({ reportedAt: null })
  })

  it('skips a change older than the version this phone holds', async () => {
    await applyPullPage(db, 'lan', [makeChange({ version: 4, note: 'mới' })], '10')
    await applyPullPage(db, 'lan', [makeChange({ version: 3, note: 'cũ' })], '11')

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ note: 'mới', baseVersion: 4 })
    expect(await getUserMeta(db, 'cursor', 'lan')).toBe('11')
  })

  it('takes the later of two changes of one entry in a page', async () => {
    await applyPullPage(
      db,
      'lan',
      [makeChange({ version: 2, note: 'hai' }), makeChange({ version: 3, note: 'ba' })],
      '5',
    )
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ note: 'ba', baseVersion: 3 })
  })

  it('stores neither the page nor the cursor when the write fails', async () => {
    await applyPullPage(db, 'lan', [makeChange({ month: '2025-01' })], '1')
    db.entries.hook('creating', () => {
      throw new Error('disk full')
    })

    await expect(applyPullPage(db, 'lan', [makeChange()], '2')).rejects.toThrow()
    expect(await getEntry(db, '00004', '2025-03')).toBeUndefined()
    expect(await getUserMeta(db, 'cursor', 'lan')).toBe('1')
  })
})
