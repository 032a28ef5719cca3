import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { applyPushResults } from '../../../src/app/db/pushResults.ts'
import { dismissRejected, listRejected } from '../../../src/app/db/rejected.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { authorFor, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

/** Saves one entry for `userId` and has the server refuse it. */
async function refuse(userId: string, month: `${number}-${number}`): Promise<string> {
  await saveEntry(db, makeInput({ month }), authorFor(userId))
  const [op] = await pendingOps(db, userId)
  if (op === undefined) throw new Error('nothing queued')
  await applyPushResults(db, [op], {
    results: [{ id: op.id, seq: op.seq, status: 'rejected', reason: 'futureMonth', detail: '' }],
    ackSeq: op.seq,
  })
  return op.id
}

describe('rejected ops', () => {
  it("lists each user's refusals, oldest first, until dismissed", async () => {
    const first = await refuse('lan', '2025-01')
    await refuse('minh', '2025-02')
    const second = await refuse('lan', '2025-03')

    expect((await listRejected(db, 'lan')).map((op) => op.id)).toEqual([first, second])
    expect(await listRejected(db, 'minh')).toHaveLength(1)

    await dismissRejected(db, first)
    expect((await listRejected(db, 'lan')).map((op) => op.id)).toEqual([second])
  })
})
