import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EntryLockedError, getEntry, saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { applyPullPage } from '../../../src/app/db/pull.ts'
import { applyPushResults } from '../../../src/app/db/pushResults.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import { ReviewRefusedError, reviewMonth, type ReviewInput } from '../../../src/app/db/reviews.ts'
import type { EntryReview, QueuedOp, SohoaDb } from '../../../src/app/db/schema.ts'
import { toWireOp } from '../../../src/app/sync/outbox.ts'
import { authorFor, dropDb, makeChange, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

const LAN = authorFor('lan')
const AT = new Date('2025-04-05T01:00:00Z')
const SUBMIT: ReviewInput = { unitCode: '00004', month: '2025-03', action: 'submit', comment: '' }
const accepted: EntryReview = {
  state: 'accepted',
  comment: '',
  updatedBy: 'huyen',
  updatedAt: '2025-04-06T01:00:00.000Z',
}

/** The default entry as pulled from the server, with `review`. */
async function pulled(review: EntryReview | null): Promise<void> {
  await applyPullPage(db, 'lan', [makeChange({ review })], '1')
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof ReviewRefusedError)) throw new Error(`Not refused: ${String(error)}`)
  return error.reason
}

describe('reviewMonth', () => {
  it('writes the expected review and queues its op together', async () => {
    await pulled(null)

    const review = await reviewMonth(db, { ...SUBMIT, comment: '  xong  ' }, LAN, 'reporter', AT)

    expect(review).toEqual({
      state: 'submitted',
      comment: 'xong',
      updatedBy: 'user-lan',
      updatedAt: AT.toISOString(),
    })
    expect((await getEntry(db, '00004', '2025-03'))?.review).toEqual(review)
    const [op] = await pendingOps(db, 'lan')
    expect(op).toMatchObject({ kind: 'review', entryKey: '00004/2025-03', before: null })
    if (op === undefined) throw new Error('no op')
    expect(toWireOp(op)).toEqual({
      id: op.id,
      seq: op.seq,
      kind: 'review',
      action: 'submit',
      unitCode: '00004',
      month: '2025-03',
      comment: 'xong',
      createdAt: AT.toISOString(),
    })
  })

  it('refuses locally what the rules refuse, writing nothing', async () => {
    expect(await refusal(reviewMonth(db, SUBMIT, LAN, 'reporter'))).toBe('noEntry')
    await pulled(null)
    expect(await refusal(reviewMonth(db, SUBMIT, LAN, 'supervisor'))).toBe('notAllowed')
    const accept = { ...SUBMIT, action: 'accept' } as const
    expect(await refusal(reviewMonth(db, accept, LAN, 'supervisor'))).toBe('wrongState')
    await reviewMonth(db, SUBMIT, LAN, 'reporter')
    const back = { ...SUBMIT, action: 'return', comment: '   ' } as const
    expect(await refusal(reviewMonth(db, back, LAN, 'supervisor'))).toBe('commentRequired')

    expect(await pendingOps(db, 'lan')).toHaveLength(1)
    expect((await getEntry(db, '00004', '2025-03'))?.review?.state).toBe('submitted')
  })
})

describe('locked months', () => {
  it('refuses a save on an accepted month and writes nothing', async () => {
    await pulled(accepted)

    await expect(saveEntry(db, makeInput({ note: 'sửa' }), LAN)).rejects.toBeInstanceOf(
      EntryLockedError,
    )
    expect(await pendingOps(db, 'lan')).toEqual([])
    expect((await getEntry(db, '00004', '2025-03'))?.note).toBe('từ máy chủ')
  })

  it('takes the server review even onto an entry whose values are still queued', async () => {
    await saveEntry(db, makeInput({ note: 'của tôi' }), LAN)

    await pulled(accepted)

    const entry = await getEntry(db, '00004', '2025-03')
    expect(entry).toMatchObject({ note: 'của tôi', state: 'local', review: accepted })
    // A server before protocol 3 sends no review: the stored one stays.
    await applyPullPage(db, 'lan', [makeChange({ version: 3 })], '2')
    expect((await getEntry(db, '00004', '2025-03'))?.review).toEqual(accepted)
  })

  it('keeps an edit refused as locked, with its values, in the refused list', async () => {
    await saveEntry(
      db,
      makeInput({ note: 'ngoại tuyến', counts: { received: 7, digitized: 3 } }),
      LAN,
    )
    const [op] = await pendingOps(db, 'lan')
    if (op === undefined) throw new Error('no op')

    await applyPushResults(db, [op], {
      results: [{ id: op.id, seq: op.seq, status: 'rejected', reason: 'locked', detail: '' }],
      ackSeq: op.seq,
    })

    expect(await pendingOps(db, 'lan')).toEqual([])
    expect(await listRejected(db, 'lan')).toEqual([
      expect.objectContaining({
        reason: 'locked',
        counts: { received: 7, digitized: 3 },
        note: 'ngoại tuyến',
      }),
    ])
  })
})

describe('review push results', () => {
  async function pushed(status: 'applied' | 'rejected'): Promise<QueuedOp> {
    const [op] = await pendingOps(db, 'lan')
    if (op === undefined) throw new Error('no op')
    await applyPushResults(db, [op], {
      results: [
        status === 'applied'
          ? { id: op.id, seq: op.seq, status, version: 2 }
          : { id: op.id, seq: op.seq, status, reason: 'wrongState', detail: '' },
      ],
      ackSeq: op.seq,
    })
    return op
  }

  it('settles an applied review op and keeps the expected review for the pull to confirm', async () => {
    await pulled(null)
    await reviewMonth(db, SUBMIT, LAN, 'reporter', AT)

    await pushed('applied')

    expect(await pendingOps(db, 'lan')).toEqual([])
    expect((await getEntry(db, '00004', '2025-03'))?.review?.state).toBe('submitted')
    expect(await listRejected(db, 'lan')).toEqual([])
  })

  it('lists a refused review op and restores the review the month had', async () => {
    const returned: EntryReview = { ...accepted, state: 'returned', comment: 'sai số liệu' }
    await pulled(returned)
    await reviewMonth(db, SUBMIT, LAN, 'reporter', AT)

    await pushed('rejected')

    expect(await listRejected(db, 'lan')).toEqual([
      expect.objectContaining({ kind: 'review', action: 'submit', reason: 'wrongState' }),
    ])
    expect((await getEntry(db, '00004', '2025-03'))?.review).toEqual(returned)
  })
})
