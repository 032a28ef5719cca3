/**
 * Applying a push's answers, one transaction per batch, so a crash leaves either the whole batch
 * queued (and the retry gets `duplicate` answers) or the whole batch settled.
 *
 * Versions: an op based on version b that comes back as version b + 1 was applied on top of exactly
 * what this phone had (the server gives every op it merges into a newer version a version of its
 * own, even when no value changes, so b + 1 never names someone else's version), so the entry (and
 * any later op for it, made on top of the same values) may take that version as its base. Any
 * other version means the server merged in changes this phone has not pulled yet; then bases stay
 * as they were, the server keeps merging field by field, and the pull that follows brings the
 * merged values. Claiming the newer base with stale values would let the next edit silently undo
 * someone else's count.
 */
import type { Conflict, OpResult, PushResponse } from '../../domain/sync/protocol.ts'
import type {
  QueuedEntryOp,
  QueuedOp,
  QueuedReviewOp,
  QueuedTargetOp,
  RejectedOp,
  SohoaDb,
} from './schema.ts'

/** What one batch did, for progress and tests. */
export interface PushOutcome {
  /** Ops that left the outbox as accepted (applied, duplicate, conflict, or acknowledged by seq). */
  acknowledged: number
  /** Ops moved to the `rejected` table. */
  rejected: number
  /** Ops that came back as conflicts. */
  conflicts: number
}

/**
 * Applies the answers to `sent` (the batch as pushed). An op with no result is settled anyway when
 * `ackSeq` covers it (the server has it; the pull will bring its outcome); otherwise it stays queued
 * and goes out again. Ops no longer in the outbox are ignored, so applying twice is harmless.
 */
export async function applyPushResults(
  db: SohoaDb,
  sent: readonly QueuedOp[],
  response: PushResponse,
  now: Date = new Date(),
): Promise<PushOutcome> {
  const at = now.toISOString()
  const results = new Map(response.results.map((result) => [result.id, result]))
  const outcome: PushOutcome = { acknowledged: 0, rejected: 0, conflicts: 0 }
  return db.transaction('rw', [db.outbox, db.entries, db.rejected, db.targets], async () => {
    for (const op of [...sent].sort((a, b) => a.seq - b.seq)) {
      const stored = await db.outbox.get(op.seq)
      if (stored === undefined || stored.id !== op.id) continue
      const result = results.get(op.id)
      if (result === undefined && op.seq > response.ackSeq) continue
      await db.outbox.delete(op.seq)
      if (result?.status === 'rejected') {
        const row: RejectedOp = {
          ...op,
          reason: result.reason,
          detail: result.detail,
          rejectedAt: at,
        }
        await db.rejected.put(row)
        outcome.rejected++
        if (op.kind === 'target.put') await settleTarget(db, op, false)
        if (op.kind === 'review') await restoreReview(db, op)
        continue
      }
      outcome.acknowledged++
      if (op.kind === 'target.put') {
        await settleTarget(db, op, true)
        continue
      }
      // The pull that follows brings the review as the server recorded it.
      if (op.kind === 'review') continue
      if (result?.status === 'conflict') outcome.conflicts++
      await settleEntry(db, op, result, at)
    }
    return outcome
  })
}

/**
 * Records an accepted op on its entry: the version when it is safe to build on, the server's
 * conflicts, and `sent` once no later op of the entry is waiting. An older op still waiting (another
 * user's on a shared phone, sent when they sign in again) does not hold the values shown.
 */
async function settleEntry(
  db: SohoaDb,
  op: QueuedEntryOp,
  result: Exclude<OpResult, { status: 'rejected' }> | undefined,
  at: string,
): Promise<void> {
  const later = (await db.outbox.where('entryKey').equals(op.entryKey).toArray()).filter(
    (next) => next.kind === 'entry.put',
  )
  const cleanVersion =
    result !== undefined &&
    result.status !== 'conflict' &&
    result.version === (op.baseVersion ?? 0) + 1
      ? result.version
      : null
  if (cleanVersion !== null) {
    for (const next of later) {
      // Only ops made after this one, on the same base, were built on its values.
      if (next.seq !== undefined && next.seq > op.seq && next.baseVersion === op.baseVersion) {
        await db.outbox.update(next.seq, (queued) => {
          if (queued.kind === 'entry.put') queued.baseVersion = cleanVersion
        })
      }
    }
  }
  const settled = new Set(op.resolves ?? [])
  const stillResolving = new Set(later.flatMap((o) => o.resolves ?? []))
  await db.entries.update(op.entryKey, (entry) => {
    // Already `sent`: the entry shows a newer op's values (another user's, acknowledged while
    // this older one waited) or a pull's, not this op's, so it must not claim this op's version.
    if (cleanVersion !== null && entry.state === 'local' && entry.baseVersion === op.baseVersion) {
      entry.baseVersion = cleanVersion
    }
    const reported = result?.status === 'conflict' ? result.conflicts : []
    entry.conflicts = mergeConflicts(entry.conflicts, reported).filter(
      (conflict) => !settled.has(conflict.id) && !stillResolving.has(conflict.id),
    )
    if (!later.some((next) => next.seq !== undefined && next.seq > op.seq)) {
      entry.state = 'sent'
      entry.sentAt = at
    }
  })
}

/**
 * Records the answer to a target op once no later edit of the same target waits (that one's answer
 * decides): accepted, the target is `sent`; refused, the local value goes, so the targets fetch that
 * follows the sync brings back the one in force. The refused op itself stays in `rejected`.
 */
async function settleTarget(db: SohoaDb, op: QueuedTargetOp, accepted: boolean): Promise<void> {
  const later = await db.outbox.where('targetKey').equals(op.targetKey).toArray()
  if (later.some((next) => next.seq !== undefined && next.seq > op.seq)) return
  const target = await db.targets.get(op.targetKey)
  if (target?.state !== 'local') return
  if (accepted) await db.targets.update(op.targetKey, { state: 'sent' })
  else await db.targets.delete(op.targetKey)
}

/**
 * Takes back the review a refused op expected, unless a later review op of the same month waits
 * (its answer decides) or the entry already shows something else (a pull brought the server's).
 */
async function restoreReview(db: SohoaDb, op: QueuedReviewOp): Promise<void> {
  const later = await db.outbox.where('entryKey').equals(op.entryKey).toArray()
  if (later.some((next) => next.kind === 'review' && next.seq !== undefined && next.seq > op.seq)) {
    return
  }
  await db.entries.update(op.entryKey, (entry) => {
    if (entry.review?.updatedAt === op.createdAt) entry.review = op.before
  })
}

/** `known` updated with `reported`, by id, keeping the order they were first seen in. */
function mergeConflicts(known: readonly Conflict[], reported: readonly Conflict[]): Conflict[] {
  const byId = new Map(known.map((conflict) => [conflict.id, conflict]))
  for (const conflict of reported) byId.set(conflict.id, conflict)
  return [...byId.values()]
}
