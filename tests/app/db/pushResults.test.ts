import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getEntry, saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { applyPullPage } from '../../../src/app/db/pull.ts'
import { applyPushResults } from '../../../src/app/db/pushResults.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import type { QueuedOp, SohoaDb } from '../../../src/app/db/schema.ts'
import type { OpResult } from '../../../src/domain/sync/protocol.ts'
import { authorFor, dropDb, makeChange, makeConflict, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

const ACK_TIME = new Date('2025-04-05T01:00:00Z')
const LAN = authorFor('lan')

const applied = (op: QueuedOp, version: number): OpResult => ({
  id: op.id,
  seq: op.seq,
  status: 'applied',
  version,
})

/** Saves edits of the default entry and returns their queued ops. */
async function queue(...notes: string[]): Promise<QueuedOp[]> {
  for (const note of notes) await saveEntry(db, makeInput({ note }), LAN)
  return pendingOps(db, 'lan')
}

describe('applyPushResults', () => {
  it('removes an applied op and marks its entry sent at the new version', async () => {
    const [op] = await queue('một')

    const outcome = await applyPushResults(
      db,
      [op!],
      { results: [applied(op!, 1)], ackSeq: op!.seq },
      ACK_TIME,
    )

    expect(outcome).toEqual({ acknowledged: 1, rejected: 0, conflicts: 0 })
    expect(await pendingOps(db, 'lan')).toEqual([])
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'sent',
      sentAt: ACK_TIME.toISOString(),
      baseVersion: 1,
    })
  })

  it('keeps the old base when the server merged in changes this phone has not pulled', async () => {
    const [op] = await queue('một')

    await applyPushResults(db, [op!], { results: [applied(op!, 3)], ackSeq: op!.seq }, ACK_TIME)

    // Version 3 holds someone else's fields too; claiming it with our values would let the next
    // edit undo them. The pull that follows brings version 3 itself.
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'sent',
      baseVersion: null,
    })
  })

  it('keeps the entry local while a later edit waits, rebasing that edit when safe', async () => {
    const [first, second] = await queue('một', 'hai')

    await applyPushResults(db, [first!], { results: [applied(first!, 1)], ackSeq: first!.seq })

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'local',
      note: 'hai',
      baseVersion: 1,
    })
    expect(
      (await pendingOps(db, 'lan'))
        .filter((op) => op.kind === 'entry.put')
        .map((op) => [op.id, op.baseVersion]),
    ).toEqual([[second!.id, 1]])
  })

  it('does not rebase a later edit when the server merged other changes', async () => {
    const [first] = await queue('một', 'hai')

    await applyPushResults(db, [first!], { results: [applied(first!, 4)], ackSeq: first!.seq })

    expect(
      (await pendingOps(db, 'lan'))
        .filter((op) => op.kind === 'entry.put')
        .map((op) => op.baseVersion),
    ).toEqual([null])
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ baseVersion: null })
  })

  it('applies a duplicate like an applied op, and a repeated answer changes nothing', async () => {
    const [op] = await queue('một')
    const response = {
      results: [{ id: op!.id, seq: op!.seq, status: 'duplicate' as const, version: 1 }],
      ackSeq: op!.seq,
    }

    expect((await applyPushResults(db, [op!], response, ACK_TIME)).acknowledged).toBe(1)
    expect(await applyPushResults(db, [op!], response, new Date('2025-05-01T00:00:00Z'))).toEqual({
      acknowledged: 0,
      rejected: 0,
      conflicts: 0,
    })
    expect((await getEntry(db, '00004', '2025-03'))?.sentAt).toBe(ACK_TIME.toISOString())
  })

  it('stores the conflicts the server reports on the entry', async () => {
    const [op] = await queue('một')
    const conflict = makeConflict()

    const outcome = await applyPushResults(db, [op!], {
      results: [
        { id: op!.id, seq: op!.seq, status: 'conflict', version: 3, conflicts: [conflict] },
      ],
      ackSeq: op!.seq,
    })

    expect(outcome.conflicts).toBe(1)
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({
      state: 'sent',
      conflicts: [conflict],
    })
  })

  it('drops conflicts an applied op settled', async () => {
    await saveEntry(db, makeInput(), LAN)
    const [first] = await pendingOps(db, 'lan')
    await applyPushResults(db, [first!], {
      results: [
        {
          id: first!.id,
          seq: first!.seq,
          status: 'conflict',
          version: 3,
          conflicts: [makeConflict()],
        },
      ],
      ackSeq: first!.seq,
    })
    await saveEntry(db, makeInput({ resolves: ['conflict-1'] }), LAN)
    const [settling] = (await pendingOps(db, 'lan')).filter((op) => op.kind === 'entry.put')

    expect(settling?.resolves).toEqual(['conflict-1'])
    expect((await getEntry(db, '00004', '2025-03'))?.conflicts).toEqual([])
    await applyPushResults(db, [settling!], {
      results: [applied(settling!, 4)],
      ackSeq: settling!.seq,
    })
    expect((await getEntry(db, '00004', '2025-03'))?.conflicts).toEqual([])
  })

  it('moves a rejected op to the rejected list and settles the rest of the batch', async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), LAN)
    await saveEntry(db, makeInput({ month: '2025-02' }), LAN)
    const [refused, accepted] = await pendingOps(db, 'lan')

    const outcome = await applyPushResults(
      db,
      [refused!, accepted!],
      {
        results: [
          { id: refused!.id, seq: refused!.seq, status: 'rejected', reason: 'locked', detail: 'x' },
          applied(accepted!, 1),
        ],
        ackSeq: accepted!.seq,
      },
      ACK_TIME,
    )

    expect(outcome).toEqual({ acknowledged: 1, rejected: 1, conflicts: 0 })
    expect(await pendingOps(db, 'lan')).toEqual([])
    expect(await listRejected(db, 'lan')).toEqual([
      { ...refused, reason: 'locked', detail: 'x', rejectedAt: ACK_TIME.toISOString() },
    ])
    // The server does not have those values: the entry still shows as not sent.
    expect(await getEntry(db, '00004', '2025-01')).toMatchObject({ state: 'local' })
    expect(await getEntry(db, '00004', '2025-02')).toMatchObject({ state: 'sent' })
  })

  it('settles an op without a result only when ackSeq covers it', async () => {
    const [first, second] = await queue('một', 'hai')

    await applyPushResults(db, [first!, second!], { results: [], ackSeq: first!.seq })

    expect((await pendingOps(db, 'lan')).map((op) => op.id)).toEqual([second!.id])
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ state: 'local' })
  })

  it("never rebases an entry that shows newer values than another user's older op", async () => {
    await applyPullPage(db, 'lan', [makeChange({ version: 3 })], '3')
    // On a shared phone Minh's edit waits for Minh; Lan then confirms the server's values.
    await saveEntry(db, makeInput({ counts: { received: 140, digitized: 90 } }), authorFor('minh'))
    const { counts, note } = makeChange()
    await saveEntry(db, makeInput({ counts, note }), LAN)
    const [mine] = await pendingOps(db, 'lan')
    const [minhs] = await pendingOps(db, 'minh')
    await applyPushResults(db, [mine!], { results: [applied(mine!, 3)], ackSeq: mine!.seq })
    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ state: 'sent', baseVersion: 3 })

    // Minh's op fast-forwards version 3 to 4 with Minh's values, which this entry does not show.
    await applyPushResults(db, [minhs!], { results: [applied(minhs!, 4)], ackSeq: minhs!.seq })

    expect(await getEntry(db, '00004', '2025-03')).toMatchObject({ baseVersion: 3, note })
  })

  it('ignores ops that have left the outbox since the batch was read', async () => {
    const [op] = await queue('một')
    await db.outbox.delete(op!.seq)

    expect(
      await applyPushResults(db, [op!], { results: [applied(op!, 1)], ackSeq: op!.seq }),
    ).toEqual({ acknowledged: 0, rejected: 0, conflicts: 0 })
  })
})
