/**
 * Applies a device's ops exactly once, inside the caller's transaction. Shared by both backends.
 *
 * Idempotency: every op's result is stored under its id in `ops` in the same transaction as its
 * effect, so a retried op (lost reply, server restart between commit and reply) finds its result
 * and changes nothing. A refused op is stored too: it is acknowledged and never blocks the queue.
 */
import { randomUUID } from 'node:crypto'
import { mergeEntry, type EntryValues } from '../../domain/sync/merge.ts'
import {
  NOTE_MAX_LENGTH,
  type Conflict,
  type EntryPutOp,
  type Op,
  type OpResult,
  type PushResponse,
  type TargetPutOp,
} from '../../domain/sync/protocol.ts'
import { targetKey, targetProblem } from '../../domain/targets.ts'
import { isLocked } from '../../domain/review.ts'
import { isStorableText } from '../../domain/text.ts'
import { validateCounts } from '../../domain/validation.ts'
import { lockChanges, nextChangeSeq } from './changeSeq.ts'
import {
  ENTRY_COLUMNS,
  TARGET_COLUMNS,
  counts,
  int,
  opResult,
  text,
  toCurrentEntry,
} from './rows.ts'
import { applyReview, reviewStateOf } from './review.ts'
import { inList, one, type Sql } from './sql.ts'
import type { PushContext } from './store.ts'

export interface PushOutcome {
  response: PushResponse
  /** Units whose entries, conflicts or reviews changed, for change notices after commit. */
  changedUnits: string[]
}

export async function pushOps(
  tx: Sql,
  context: PushContext,
  ops: readonly Op[],
): Promise<PushOutcome> {
  await lockChanges(tx)
  const results: OpResult[] = []
  const changedUnits = new Set<string>()
  let maxSeq = 0
  for (const op of ops) {
    maxSeq = Math.max(maxSeq, op.seq)
    const known = await one(tx, 'SELECT user_id, result FROM ops WHERE op_id = ?', [op.id])
    if (known !== null) {
      results.push(
        replay(text(known, 'user_id') === context.user.id, opResult(known, 'result'), op),
      )
      continue
    }
    let result = refuse(context, op)
    if (result === null) {
      if (op.kind === 'target.put') {
        result = await applyTarget(tx, context, op)
      } else if (op.kind === 'review') {
        const applied = await applyReview(tx, context, op)
        if (applied.wrote) changedUnits.add(op.unitCode)
        result = applied.result
      } else if (isLocked(await reviewStateOf(tx, op.unitCode, op.month))) {
        result = rejected(op, 'locked', 'This month was accepted: reopen it before changing it.')
      } else {
        const applied = await applyOp(tx, context, op)
        if (applied.wrote) changedUnits.add(op.unitCode)
        result = applied.result
      }
    }
    await tx.run(
      'INSERT INTO ops (op_id, device_id, seq, user_id, result, applied_at) VALUES (?, ?, ?, ?, ?, ?)',
      [op.id, context.deviceId, op.seq, context.user.id, JSON.stringify(result), iso(context.now)],
    )
    results.push(result)
  }
  // Every op in the batch got a result, so every one is acknowledged.
  const device = await one(
    tx,
    `INSERT INTO devices (device_id, user_id, last_seq) VALUES (?, ?, ?)
     ON CONFLICT (device_id) DO UPDATE SET user_id = excluded.user_id,
       last_seq = CASE WHEN excluded.last_seq > devices.last_seq
         THEN excluded.last_seq ELSE devices.last_seq END
     RETURNING last_seq`,
    [context.deviceId, context.user.id, maxSeq],
  )
  const ackSeq = device === null ? maxSeq : int(device, 'last_seq')
  return { response: { results, ackSeq }, changedUnits: [...changedUnits] }
}

/** A known op id: its stored result again. Someone else's op id is refused, not revealed. */
function replay(sameUser: boolean, stored: OpResult, op: Op): OpResult {
  if (!sameUser)
    return rejected(op, 'forbidden', 'This operation id was already used by another user.')
  if (stored.status === 'rejected') return stored
  return { id: stored.id, seq: stored.seq, status: 'duplicate', version: stored.version }
}

function refuse(context: PushContext, op: Op): OpResult | null {
  const reason = context.check(op)
  if (reason !== null) return rejected(op, reason, `Refused: ${reason}.`)
  // Refused per op, not by the store's guard: that would fail the whole push, and the device would
  // resend the same batch forever (src/domain/text.ts).
  const unstorable = unstorableField(op)
  if (unstorable !== null) return rejected(op, 'invalid', `${unstorable}: unstorableText`)
  if (op.kind === 'target.put') {
    const problem = targetProblem(op)
    return problem === null ? null : rejected(op, 'invalid', `${problem}: outOfRange`)
  }
  // A review's comment is checked with its transition (review.ts).
  if (op.kind === 'review') return null
  const { errors } = validateCounts(op.counts)
  if (errors.length > 0)
    return rejected(op, 'invalid', errors.map((e) => `${e.field}: ${e.code}`).join(', '))
  if (op.note.length > NOTE_MAX_LENGTH) return rejected(op, 'invalid', 'note: tooLong')
  return null
}

/** The free-text field of `op` that neither database would store as sent, if any. */
function unstorableField(op: Op): string | null {
  if (op.kind === 'review') return isStorableText(op.comment) ? null : 'comment'
  if (op.kind === 'target.put') return null
  if (!isStorableText(op.note)) return 'note'
  return op.resolves?.every(isStorableText) === false ? 'resolves' : null
}

function rejected(
  op: Op,
  reason: Extract<OpResult, { status: 'rejected' }>['reason'],
  detail: string,
): OpResult {
  return { id: op.id, seq: op.seq, status: 'rejected', reason, detail }
}

async function applyOp(
  tx: Sql,
  context: PushContext,
  op: EntryPutOp,
): Promise<{ result: OpResult; wrote: boolean }> {
  const key = [op.unitCode, op.month]
  const row = await one(
    tx,
    `SELECT ${ENTRY_COLUMNS} FROM entries WHERE unit_code = ? AND month = ?`,
    key,
  )
  const current = row === null ? null : toCurrentEntry(row)
  const base =
    op.baseVersion === null || current === null || op.baseVersion === current.version
      ? null
      : await versionOf(tx, op.unitCode, op.month, op.baseVersion)
  const author = context.user.username
  const merge = mergeEntry(current, base, {
    counts: op.counts,
    note: op.note,
    baseVersion: op.baseVersion,
    author,
    at: authoredAt(op.createdAt, context.now),
    stream: context.deviceId,
  })
  const resolves = await openConflictsAmong(tx, op)
  let version = current?.version ?? 0
  // An op merged into a newer version than its base gets a version of its own even when the merge
  // changes no value. The device holds the op's values, not the merged ones: answering the current
  // version could read as "applied on exactly your base" (version === baseVersion + 1), which the
  // app would take as the base of its next edit, and that edit would then silently undo the
  // changes it never saw. The new version also puts the entry back in the change feed, so the
  // device, which skipped it in pulls while its op was queued, receives the merged values.
  const writes = merge.changed || merge.mode !== 'fastForward'
  if (!writes && resolves.length === 0)
    return { result: { id: op.id, seq: op.seq, status: 'applied', version }, wrote: false }

  const now = iso(context.now)
  const seq = await nextChangeSeq(tx)
  if (writes) {
    version += 1
    // reported_at is written by the insert that creates the entry and kept by every update.
    await tx.run(
      `INSERT INTO entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (unit_code, month) DO UPDATE SET counts = excluded.counts,
         note = excluded.note, version = excluded.version, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by, field_meta = excluded.field_meta,
         change_seq = excluded.change_seq`,
      [
        ...key,
        JSON.stringify(merge.counts),
        merge.note,
        version,
        now,
        author,
        JSON.stringify(merge.fieldMeta),
        seq,
        authoredAt(op.createdAt, context.now),
      ],
    )
    await tx.run(
      `INSERT INTO entry_history (unit_code, month, version, counts, note, user_id, device_id,
         op_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        ...key,
        version,
        JSON.stringify(merge.counts),
        merge.note,
        context.user.id,
        context.deviceId,
        op.id,
        now,
      ],
    )
  } else {
    // Only conflicts were resolved: the values stand, but readers must see the entry again.
    await tx.run('UPDATE entries SET change_seq = ? WHERE unit_code = ? AND month = ?', [
      seq,
      ...key,
    ])
  }
  if (resolves.length > 0)
    await tx.run(
      `UPDATE conflicts SET resolved_at = ?, resolved_by = ?, change_seq = ?
       WHERE ${inList(tx.dialect, 'id')}`,
      [now, author, seq, resolves],
    )
  const conflicts: Conflict[] = merge.conflicts.map((conflict) => ({
    id: randomUUID(),
    unitCode: op.unitCode,
    month: op.month,
    ...conflict,
    createdAt: now,
  }))
  for (const c of conflicts)
    await tx.run(
      `INSERT INTO conflicts (id, unit_code, month, field, value, current_value, author,
         authored_at, winner, created_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.id,
        c.unitCode,
        c.month,
        c.field,
        JSON.stringify(c.value),
        JSON.stringify(c.currentValue),
        c.author,
        c.authoredAt,
        c.winner,
        now,
        seq,
      ],
    )
  const result: OpResult =
    conflicts.length > 0
      ? { id: op.id, seq: op.seq, status: 'conflict', version, conflicts }
      : { id: op.id, seq: op.seq, status: 'applied', version }
  return { result, wrote: true }
}

/**
 * Sets a target; the latest to arrive wins. Targets have no versions: an applied target op is
 * answered with version 0.
 */
async function applyTarget(tx: Sql, context: PushContext, op: TargetPutOp): Promise<OpResult> {
  await tx.run(
    `INSERT INTO targets (${TARGET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET basis_points = excluded.basis_points,
       max_points = excluded.max_points, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    [
      targetKey(op),
      op.indicator,
      op.year,
      op.unitCode,
      op.level,
      op.basisPoints,
      op.maxPoints,
      iso(context.now),
      context.user.username,
    ],
  )
  return { id: op.id, seq: op.seq, status: 'applied', version: 0 }
}

/** The entry as it was at `version`, or null if history does not have it. */
async function versionOf(
  tx: Sql,
  unitCode: string,
  month: string,
  version: number,
): Promise<EntryValues | null> {
  const row = await one(
    tx,
    'SELECT counts, note FROM entry_history WHERE unit_code = ? AND month = ? AND version = ?',
    [unitCode, month, version],
  )
  return row === null ? null : { counts: counts(row, 'counts'), note: text(row, 'note') }
}

/** The ids in `op.resolves` that are open conflicts of this op's own entry. */
async function openConflictsAmong(tx: Sql, op: EntryPutOp): Promise<string[]> {
  if (op.resolves === undefined || op.resolves.length === 0) return []
  const rows = await tx.all(
    `SELECT id FROM conflicts WHERE unit_code = ? AND month = ? AND resolved_at IS NULL
       AND ${inList(tx.dialect, 'id')}`,
    [op.unitCode, op.month, op.resolves],
  )
  return rows.map((row) => text(row, 'id'))
}

/**
 * When the official typed the value: the op's own time, which may be weeks before it reached the
 * server. A device clock ahead of the server (or garbage) falls back to the server's time.
 */
function authoredAt(createdAt: string, now: Date): string {
  const time = Date.parse(createdAt)
  return Number.isNaN(time) || time > now.getTime() ? iso(now) : new Date(time).toISOString()
}

function iso(date: Date): string {
  return date.toISOString()
}
