import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { saveTarget } from '../../../src/app/db/targets.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { ServerError } from '../../../src/app/sync/errors.ts'
import { pushOutbox, toWireOp, type SyncProgress } from '../../../src/app/sync/outbox.ts'
import { pullChanges } from '../../../src/app/sync/pull.ts'
import { toMonth } from '../../../src/domain/periods.ts'
import { MAX_PUSH_OPS } from '../../../src/domain/sync/protocol.ts'
import { authorFor, dropDb, makeChange, makeInput, openTestDb } from '../db/builders.ts'
import { ScriptedTransport } from './fakes.ts'

let db: SohoaDb
let transport: ScriptedTransport
beforeEach(() => {
  db = openTestDb()
  transport = new ScriptedTransport()
})
afterEach(async () => {
  await dropDb(db)
})

const push = (onProgress?: (progress: SyncProgress) => void) =>
  pushOutbox({ db, transport, token: 't', userId: 'lan', installId: 'install-1', onProgress })

describe('pushOutbox', () => {
  it('sends the queue oldest first in batches of at most MAX_PUSH_OPS', async () => {
    const count = MAX_PUSH_OPS * 2 + 5
    for (let i = 0; i < count; i++) {
      const month = toMonth(2000 + Math.floor(i / 12), (i % 12) + 1)
      await saveEntry(db, makeInput({ month }), authorFor('lan'))
    }
    const progress: SyncProgress[] = []

    const summary = await push((p) => progress.push(p))

    expect(summary).toEqual({ batches: 3, acknowledged: count, rejected: 0, conflicts: 0 })
    expect(transport.pushes.map((request) => request.ops.length)).toEqual([
      MAX_PUSH_OPS,
      MAX_PUSH_OPS,
      5,
    ])
    const seqs = transport.pushes.flatMap((request) => request.ops.map((op) => op.seq))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(transport.pushes[0]?.deviceId).toBe('install-1:lan')
    expect(progress[0]).toEqual({ phase: 'push', done: 0, total: count })
    expect(progress.at(-1)).toEqual({ phase: 'push', done: count, total: count })
    expect(await pendingOps(db, 'lan')).toEqual([])
  })

  it('stops rather than resending forever when an answer settles nothing', async () => {
    await saveEntry(db, makeInput(), authorFor('lan'))
    transport.onPush = async () => ({ results: [], ackSeq: 0 })

    await expect(push()).rejects.toBeInstanceOf(ServerError)
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
  })

  it('sends only what the protocol carries', async () => {
    await saveEntry(db, makeInput(), authorFor('lan'))
    await saveEntry(db, makeInput({ resolves: ['c-1'] }), authorFor('lan'))
    const [plain, settling] = (await pendingOps(db, 'lan')).map(toWireOp)

    expect(Object.keys(plain ?? {}).sort()).toEqual([
      'baseVersion',
      'counts',
      'createdAt',
      'id',
      'kind',
      'month',
      'note',
      'seq',
      'unitCode',
    ])
    expect(settling?.kind === 'entry.put' && settling.resolves).toEqual(['c-1'])
  })
})

describe('target ops on the wire', () => {
  it('sends only what the protocol carries', async () => {
    await saveTarget(
      db,
      {
        indicator: 'reuse',
        year: 2025,
        unitCode: null,
        level: 'district',
        basisPoints: 5000,
        maxPoints: 2.5,
      },
      authorFor('lan'),
    )
    const [op] = await pendingOps(db, 'lan')
    expect(op && toWireOp(op)).toEqual({
      id: op?.id,
      seq: op?.seq,
      kind: 'target.put',
      indicator: 'reuse',
      year: 2025,
      unitCode: null,
      level: 'district',
      basisPoints: 5000,
      maxPoints: 2.5,
      createdAt: op?.createdAt,
    })
  })
})

describe('pullChanges', () => {
  it('resumes from the stored cursor', async () => {
    const cursors: string[] = []
    transport.onPull = async (cursor) => {
      cursors.push(cursor)
      return {
        changes: [makeChange()],
        cursor: String(Number(cursor) + 10),
        more: false,
        remaining: 0,
      }
    }

    await pullChanges({ db, transport, token: 't', userId: 'lan' })
    await pullChanges({ db, transport, token: 't', userId: 'lan' })
    await pullChanges({ db, transport, token: 't', userId: 'minh' })

    expect(cursors).toEqual(['0', '10', '0'])
  })

  it('stops when the server says "more" without moving the cursor', async () => {
    transport.onPull = async (cursor) => ({ changes: [], cursor, more: true, remaining: 1 })

    await expect(pullChanges({ db, transport, token: 't', userId: 'lan' })).rejects.toBeInstanceOf(
      ServerError,
    )
  })
})
