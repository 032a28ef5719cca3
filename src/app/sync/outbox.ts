/**
 * Sending the signed-in user's queued changes. Batches go out oldest first; each answer is applied
 * in one transaction before the next batch is read, so a lost answer only means the same ops (same
 * ids) go out again and come back as `duplicate`: nothing is applied twice, nothing is skipped.
 */
import { MAX_PUSH_OPS } from '../../domain/sync/constants.ts'
import type { EntryPutOp, Op } from '../../domain/sync/protocol.ts'
import { ownCount, pendingOps } from '../db/outbox.ts'
import { applyPushResults } from '../db/pushResults.ts'
import type { QueuedOp, SohoaDb } from '../db/schema.ts'
import { ServerError } from './errors.ts'
import type { Transport } from './transport.ts'

/** How far a push or pull has come; `total` may grow while it runs. */
export interface SyncProgress {
  phase: 'push' | 'pull'
  done: number
  total: number
}

export interface PushOptions {
  db: SohoaDb
  transport: Transport
  token: string
  userId: string
  installId: string
  now?: () => Date
  onProgress?: (progress: SyncProgress) => void
}

/** What a push did in all. */
export interface PushSummary {
  batches: number
  acknowledged: number
  rejected: number
  conflicts: number
}

/**
 * The server's name for this user's op stream on this phone. One stream per user keeps each
 * user's ops in their own order and lets the server refuse a stream that is not the caller's.
 */
export function streamId(installId: string, userId: string): string {
  return `${installId}:${userId}`
}

/** The op as the protocol carries it: the local bookkeeping fields stay home. */
export function toWireOp(op: QueuedOp): Op {
  if (op.kind === 'target.put') {
    return {
      id: op.id,
      seq: op.seq,
      kind: op.kind,
      indicator: op.indicator,
      year: op.year,
      unitCode: op.unitCode,
      level: op.level,
      basisPoints: op.basisPoints,
      maxPoints: op.maxPoints,
      createdAt: op.createdAt,
    }
  }
  if (op.kind === 'review') {
    return {
      id: op.id,
      seq: op.seq,
      kind: op.kind,
      action: op.action,
      unitCode: op.unitCode,
      month: op.month,
      comment: op.comment,
      createdAt: op.createdAt,
    }
  }
  const wire: EntryPutOp = {
    id: op.id,
    seq: op.seq,
    kind: op.kind,
    unitCode: op.unitCode,
    month: op.month,
    counts: op.counts,
    note: op.note,
    baseVersion: op.baseVersion,
    createdAt: op.createdAt,
  }
  if (op.resolves !== undefined && op.resolves.length > 0) wire.resolves = op.resolves
  return wire
}

/** Pushes every queued op of `userId`, including ops saved while it runs. */
export async function pushOutbox(options: PushOptions): Promise<PushSummary> {
  const { db, transport, token, userId } = options
  const now = options.now ?? (() => new Date())
  const deviceId = streamId(options.installId, userId)
  const summary: PushSummary = { batches: 0, acknowledged: 0, rejected: 0, conflicts: 0 }
  let done = 0
  for (;;) {
    const batch = await pendingOps(db, userId, MAX_PUSH_OPS)
    if (batch.length === 0) return summary
    options.onProgress?.({ phase: 'push', done, total: done + (await ownCount(db, userId)) })
    const response = await transport.push(token, { deviceId, ops: batch.map(toWireOp) })
    const outcome = await applyPushResults(db, batch, response, now())
    const settled = outcome.acknowledged + outcome.rejected
    // An answer that settles nothing would send the same batch forever.
    if (settled === 0) throw new ServerError(200, null, 'The push was not acknowledged')
    summary.batches++
    summary.acknowledged += outcome.acknowledged
    summary.rejected += outcome.rejected
    summary.conflicts += outcome.conflicts
    done += settled
    options.onProgress?.({ phase: 'push', done, total: done })
  }
}
