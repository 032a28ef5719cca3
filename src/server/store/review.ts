/**
 * Review ops and the lock they put on accepted months, inside the push transaction; the reviews of
 * a page of changes for pull. Who may act is decided before (auth/scope.ts reviewCheckFor); whether
 * the transition fits the month's current state is decided here with src/domain/review.ts.
 *
 * A review rides on its entry's change: an applied transition takes the next change_seq for the
 * entry, so every reader of the unit pulls the entry again with its new review.
 */
import {
  REVIEW_STATES,
  reviewTransition,
  type ReviewAction,
  type ReviewActor,
  type ReviewState,
} from '../../domain/review.ts'
import type { OpResult, ReviewOp, ReviewWire } from '../../domain/sync/protocol.ts'
import { nextChangeSeq } from './changeSeq.ts'
import { int, text } from './rows.ts'
import { inList, one, type Sql } from './sql.ts'
import type { PushContext } from './store.ts'

/** The scope check already decided who may act; the action alone says in which capacity. */
export function actorOf(action: ReviewAction): ReviewActor {
  return action === 'submit' ? 'reporter' : 'supervisor'
}

const WIRE_STATES: readonly ReviewWire['state'][] = ['submitted', 'returned', 'accepted']

function wireState(value: string): ReviewWire['state'] {
  const state = WIRE_STATES.find((s) => s === value)
  if (state === undefined) throw new TypeError(`reviews.state: unexpected value ${value}`)
  return state
}

/** The month's review state; no row is a draft. */
export async function reviewStateOf(
  tx: Sql,
  unitCode: string,
  month: string,
): Promise<ReviewState> {
  const row = await one(tx, 'SELECT state FROM reviews WHERE unit_code = ? AND month = ?', [
    unitCode,
    month,
  ])
  if (row === null) return 'draft'
  const value = text(row, 'state')
  const state = REVIEW_STATES.find((s) => s === value)
  if (state === undefined) throw new TypeError(`reviews.state: unexpected value ${value}`)
  return state
}

type Rejected = Extract<OpResult, { status: 'rejected' }>

function rejected(op: ReviewOp, reason: Rejected['reason'], detail: string): OpResult {
  return { id: op.id, seq: op.seq, status: 'rejected', reason, detail }
}

/**
 * Applies one review transition. Answered with the entry's current version, which the transition
 * does not change.
 */
export async function applyReview(
  tx: Sql,
  context: PushContext,
  op: ReviewOp,
): Promise<{ result: OpResult; wrote: boolean }> {
  const key = [op.unitCode, op.month]
  const entry = await one(tx, 'SELECT version FROM entries WHERE unit_code = ? AND month = ?', key)
  if (entry === null)
    return {
      result: rejected(op, 'invalid', 'No entry for this month: a review needs its figures first.'),
      wrote: false,
    }
  const current = await reviewStateOf(tx, op.unitCode, op.month)
  const next = reviewTransition(current, op.action, actorOf(op.action), op.comment)
  if ('refused' in next) {
    const result =
      next.refused === 'wrongState'
        ? rejected(op, 'wrongState', `Cannot ${op.action} a month that is ${current}.`)
        : next.refused === 'notAllowed'
          ? rejected(op, 'forbidden', `Refused: ${op.action} by this user.`)
          : rejected(op, 'invalid', `comment: ${next.refused}`)
    return { result, wrote: false }
  }
  const now = context.now.toISOString()
  await tx.run(
    `INSERT INTO reviews (unit_code, month, state, comment, updated_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (unit_code, month) DO UPDATE SET state = excluded.state,
       comment = excluded.comment, updated_by = excluded.updated_by,
       updated_at = excluded.updated_at`,
    [...key, next.state, op.comment, context.user.username, now],
  )
  await tx.run(
    `INSERT INTO review_events (unit_code, month, action, comment, user_id, op_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [...key, op.action, op.comment, context.user.id, op.id, now],
  )
  const seq = await nextChangeSeq(tx)
  await tx.run('UPDATE entries SET change_seq = ? WHERE unit_code = ? AND month = ?', [seq, ...key])
  return {
    result: { id: op.id, seq: op.seq, status: 'applied', version: int(entry, 'version') },
    wrote: true,
  }
}

/** The reviews of the given entries (unit/month keys), for one page of changes. */
export async function reviewsOf(
  sql: Sql,
  entries: readonly { unitCode: string; month: string }[],
): Promise<Map<string, ReviewWire>> {
  const byEntry = new Map<string, ReviewWire>()
  if (entries.length === 0) return byEntry
  const wanted = new Set(entries.map((e) => reviewKey(e.unitCode, e.month)))
  const rows = await sql.all(
    `SELECT unit_code, month, state, comment, updated_by, updated_at FROM reviews
     WHERE ${inList(sql.dialect, 'unit_code')} AND ${inList(sql.dialect, 'month')}`,
    [[...new Set(entries.map((e) => e.unitCode))], [...new Set(entries.map((e) => e.month))]],
  )
  for (const row of rows) {
    const key = reviewKey(text(row, 'unit_code'), text(row, 'month'))
    // The two lists select a few neighbours too (another month of a unit in the page).
    if (!wanted.has(key)) continue
    byEntry.set(key, {
      state: wireState(text(row, 'state')),
      comment: text(row, 'comment'),
      updatedBy: text(row, 'updated_by'),
      updatedAt: text(row, 'updated_at'),
    })
  }
  return byEntry
}

/** The key of one unit's month in the maps of a page (conflicts, reviews). */
export function reviewKey(unitCode: string, month: string): string {
  return `${unitCode}/${month}`
}
