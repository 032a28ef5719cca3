import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import {
  allPendingOps,
  pendingCount,
  pendingOps,
  unclaimedCount,
} from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { AUTHOR, authorFor, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('outbox', () => {
  it("lists one user's waiting ops oldest first, with their seq", async () => {
    await saveEntry(db, makeInput({ month: '2025-02' }), authorFor('lan'))
    await saveEntry(db, makeInput({ month: '2025-01' }), authorFor('lan'))
    await saveEntry(db, makeInput({ month: '2025-03' }), authorFor('lan'))

    const ops = (await pendingOps(db, 'lan')).filter((op) => op.kind === 'entry.put')
    expect(ops.map((op) => op.month)).toEqual(['2025-02', '2025-01', '2025-03'])
    expect(ops.every((op) => op.userId === 'lan')).toBe(true)
    expect((await pendingOps(db, 'lan', 2)).map((op) => op.seq)).toEqual(
      ops.slice(0, 2).map((op) => op.seq),
    )
  })

  it("never lists another user's ops, even interleaved with this user's", async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), authorFor('lan'))
    await saveEntry(db, makeInput({ month: '2025-02' }), authorFor('minh'))
    await saveEntry(db, makeInput({ month: '2025-03' }), authorFor('lan'))
    await saveEntry(db, makeInput({ month: '2025-04' }), AUTHOR)

    expect(
      (await pendingOps(db, 'lan')).filter((op) => op.kind === 'entry.put').map((op) => op.month),
    ).toEqual(['2025-01', '2025-03'])
    expect(
      (await pendingOps(db, 'minh')).filter((op) => op.kind === 'entry.put').map((op) => op.month),
    ).toEqual(['2025-02'])
    expect(await allPendingOps(db)).toHaveLength(4)
  })

  it("counts the user's ops plus the unclaimed ones, never another user's", async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), authorFor('lan'))
    await saveEntry(db, makeInput({ month: '2025-02' }), authorFor('minh'))
    await saveEntry(db, makeInput({ month: '2025-03' }), AUTHOR)
    await saveEntry(db, makeInput({ month: '2025-04' }), AUTHOR)

    expect(await unclaimedCount(db)).toBe(2)
    expect(await pendingCount(db, 'lan')).toBe(3)
    expect(await pendingCount(db, 'minh')).toBe(3)
    expect(await pendingCount(db, null)).toBe(2)
    expect(await pendingCount(db, 'nobody')).toBe(2)
  })
})
