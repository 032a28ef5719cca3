import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getEntry, saveEntry } from '../../../src/app/db/entries.ts'
import { acknowledge, pendingCount, pendingOps } from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { DEVICE, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

const ACK_TIME = new Date('2025-04-05T01:00:00Z')

describe('outbox', () => {
  it('lists waiting ops oldest first, with their seq', async () => {
    await saveEntry(db, makeInput({ month: '2025-02' }), DEVICE)
    await saveEntry(db, makeInput({ month: '2025-01' }), DEVICE)
    await saveEntry(db, makeInput({ month: '2025-03' }), DEVICE)

    expect(await pendingCount(db)).toBe(3)
    const ops = await pendingOps(db)
    expect(ops.map((op) => op.month)).toEqual(['2025-02', '2025-01', '2025-03'])
    expect((await pendingOps(db, 2)).map((op) => op.seq)).toEqual(
      ops.slice(0, 2).map((op) => op.seq),
    )
  })

  it('marks an entry sent once its only op is acknowledged', async () => {
    await saveEntry(db, makeInput(), DEVICE)
    const [op] = await pendingOps(db)

    expect(await acknowledge(db, [op!.seq], ACK_TIME, new Map([[op!.entryKey, 4]]))).toBe(1)

    expect(await pendingCount(db)).toBe(0)
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'sent',
      sentAt: ACK_TIME.toISOString(),
      baseVersion: 4,
    })
  })

  it('keeps an entry local while a later edit still waits', async () => {
    await saveEntry(db, makeInput({ note: 'một' }), DEVICE)
    await saveEntry(db, makeInput({ note: 'hai' }), DEVICE)
    const [first, second] = await pendingOps(db)

    await acknowledge(db, [first!.seq], ACK_TIME)
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ state: 'local', sentAt: null })

    await acknowledge(db, [second!.seq], ACK_TIME)
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ state: 'sent', note: 'hai' })
  })

  it('acknowledges several entries at once and only those', async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), DEVICE)
    await saveEntry(db, makeInput({ month: '2025-02' }), DEVICE)
    await saveEntry(db, makeInput({ month: '2025-03' }), DEVICE)
    const ops = await pendingOps(db)

    await acknowledge(db, [ops[0]!.seq, ops[2]!.seq], ACK_TIME)

    expect((await db.entries.where('state').equals('local').toArray()).map((e) => e.month)).toEqual(
      ['2025-02'],
    )
  })

  it('ignores seqs it no longer holds, so a repeated acknowledgement is harmless', async () => {
    await saveEntry(db, makeInput(), DEVICE)
    const [op] = await pendingOps(db)
    await acknowledge(db, [op!.seq], ACK_TIME)

    expect(await acknowledge(db, [op!.seq, 999], new Date('2025-05-01T00:00:00Z'))).toBe(0)
    expect((await getEntry(db, '00004', '2025-03'))?.sentAt).toBe(ACK_TIME.toISOString())
  })
})
