/**
 * Review of a month's report on this phone. A review action is written as the month's new review
 * state (what the official expects) together with its outbox op, in one transaction, like a save;
 * the server decides, and its answer (or the next pull) replaces the expected state.
 */
import { entryKey } from '../../domain/entries.ts'
import type { Month } from '../../domain/periods.ts'
import {
  reviewTransition,
  type ReviewAction,
  type ReviewActor,
  type ReviewRefusal,
} from '../../domain/review.ts'
import type { OpAuthor } from './entries.ts'
import type { EntryReview, ReviewOutboxOp, SohoaDb } from './schema.ts'

/** What the review screen confirms. */
export interface ReviewInput {
  unitCode: string
  month: Month
  action: ReviewAction
  /** The supervisor's comment; required to return or reopen a month. */
  comment: string
}

/** Why a review is refused on this phone: the domain's reasons, or `noEntry` (nothing to review). */
export type ReviewRefusedReason = ReviewRefusal | 'noEntry'

/** Thrown by `reviewMonth` when the action is not allowed; nothing has been written. */
export class ReviewRefusedError extends Error {
  override readonly name = 'ReviewRefusedError'
  readonly reason: ReviewRefusedReason
  constructor(reason: ReviewRefusedReason) {
    super(`Review refused: ${reason}`)
    this.reason = reason
  }
}

/**
 * Applies `input.action` by `actor` to the month as this phone knows it: writes the expected review
 * on the entry and queues the op, owned by `author.userId`, in one transaction. Throws
 * `ReviewRefusedError` before writing anything when `reviewTransition` refuses, or when the month
 * has no entry (the server reviews only months that were reported). Resolves to the new review.
 */
export async function reviewMonth(
  db: SohoaDb,
  input: ReviewInput,
  author: OpAuthor,
  actor: ReviewActor,
  now: Date = new Date(),
): Promise<EntryReview> {
  const key = entryKey(input.unitCode, input.month)
  const at = now.toISOString()
  const comment = input.comment.trim()
  return db.transaction('rw', [db.entries, db.outbox], async () => {
    const entry = await db.entries.get(key)
    if (entry === undefined) throw new ReviewRefusedError('noEntry')
    const outcome = reviewTransition(entry.review?.state ?? 'draft', input.action, actor, comment)
    if ('refused' in outcome) throw new ReviewRefusedError(outcome.refused)
    const review: EntryReview = {
      state: outcome.state,
      comment,
      updatedBy: author.username ?? '',
      updatedAt: at,
    }
    const op: ReviewOutboxOp = {
      id: crypto.randomUUID(),
      deviceId: author.deviceId,
      userId: author.userId,
      kind: 'review',
      entryKey: key,
      unitCode: input.unitCode,
      month: input.month,
      action: input.action,
      comment,
      createdAt: at,
      before: entry.review === null ? null : { ...entry.review },
    }
    await db.entries.update(key, { review })
    await db.outbox.add(op)
    return review
  })
}
