/**
 * The history of one unit's month, oldest first, from what the store keeps anyway: every version of
 * the entry (entry_history), the conflicts and their resolution, and the review transitions. Shared
 * by both backends; runs on committed data only.
 *
 * Events are ordered by server time; events of one push share that time, so ties go by the op's
 * seq in its device's stream, and a conflict or resolution follows the edit that made it.
 */
import { MERGE_FIELDS } from '../../domain/sync/merge.ts'
import { REVIEW_ACTIONS } from '../../domain/review.ts'
import type { HistoryEvent } from '../../domain/sync/protocol.ts'
import { counts, int, nullableText, text } from './rows.ts'
import type { Row, Sql } from './sql.ts'

type Value = number | string | null

interface Ordered {
  event: HistoryEvent
  seq: number
  rank: number
}

export async function monthHistory(
  sql: Sql,
  unitCode: string,
  month: string,
): Promise<HistoryEvent[]> {
  const key = [unitCode, month]
  const [versions, conflicts, reviews] = await Promise.all([
    sql.all(
      `SELECT h.version, h.counts, h.note, h.device_id, h.at,
         COALESCE(u.username, h.user_id) AS username, o.seq AS op_seq
       FROM entry_history h
       LEFT JOIN users u ON u.id = h.user_id
       LEFT JOIN ops o ON o.op_id = h.op_id
       WHERE h.unit_code = ? AND h.month = ? ORDER BY h.version`,
      key,
    ),
    sql.all(
      `SELECT field, value, current_value, author, winner, created_at, resolved_at, resolved_by
       FROM conflicts WHERE unit_code = ? AND month = ? ORDER BY created_at, field`,
      key,
    ),
    sql.all(
      `SELECT e.action, e.comment, e.at, COALESCE(u.username, e.user_id) AS username,
         o.seq AS op_seq
       FROM review_events e
       LEFT JOIN users u ON u.id = e.user_id
       LEFT JOIN ops o ON o.op_id = e.op_id
       WHERE e.unit_code = ? AND e.month = ? ORDER BY e.at`,
      key,
    ),
  ])

  const events: Ordered[] = []
  /** Server time → seq of the latest edit at that time, for the conflicts it made. */
  const editSeqAt = new Map<string, number>()
  let previous: Record<string, Value> | null = null
  for (const row of versions) {
    const values = valuesOf(row)
    const changes = MERGE_FIELDS.flatMap((field) => {
      const from = previous?.[field] ?? null
      const to = values[field] ?? null
      return from === to ? [] : [{ field, from, to }]
    })
    previous = values
    const at = text(row, 'at')
    const seq = opSeq(row)
    editSeqAt.set(at, Math.max(editSeqAt.get(at) ?? 0, seq))
    events.push({
      event: {
        type: 'edit',
        at,
        by: text(row, 'username'),
        deviceId: text(row, 'device_id'),
        version: int(row, 'version'),
        changes,
      },
      seq,
      rank: 0,
    })
  }
  for (const row of conflicts) {
    const field = text(row, 'field')
    const at = text(row, 'created_at')
    events.push({
      event: {
        type: 'conflict',
        at,
        by: text(row, 'author'),
        field,
        value: jsonValue(row, 'value'),
        currentValue: jsonValue(row, 'current_value'),
        winner: text(row, 'winner'),
      },
      seq: editSeqAt.get(at) ?? Number.MAX_SAFE_INTEGER,
      rank: 1,
    })
    const resolvedAt = nullableText(row, 'resolved_at')
    if (resolvedAt === null) continue
    events.push({
      event: { type: 'resolved', at: resolvedAt, by: text(row, 'resolved_by'), field },
      seq: editSeqAt.get(resolvedAt) ?? Number.MAX_SAFE_INTEGER,
      rank: 2,
    })
  }
  for (const row of reviews) {
    const value = text(row, 'action')
    const action = REVIEW_ACTIONS.find((a) => a === value)
    if (action === undefined) throw new TypeError(`review_events.action: unexpected ${value}`)
    events.push({
      event: {
        type: 'review',
        at: text(row, 'at'),
        by: text(row, 'username'),
        action,
        comment: text(row, 'comment'),
      },
      seq: opSeq(row),
      rank: 0,
    })
  }
  // ISO-8601 server times compare as strings.
  events.sort(
    (a, b) =>
      (a.event.at < b.event.at ? -1 : a.event.at > b.event.at ? 1 : 0) ||
      a.seq - b.seq ||
      a.rank - b.rank,
  )
  return events.map((ordered) => ordered.event)
}

/** The counts and note of one version; an empty note is no note. */
function valuesOf(row: Row): Record<string, Value> {
  const note = text(row, 'note')
  return { ...counts(row, 'counts'), note: note === '' ? null : note }
}

function opSeq(row: Row): number {
  return row['op_seq'] === null ? 0 : int(row, 'op_seq')
}

function jsonValue(row: Row, column: string): Value {
  const value: unknown = JSON.parse(text(row, column))
  if (value === null || typeof value === 'number' || typeof value === 'string') return value
  throw new TypeError(`${column}: unexpected JSON ${text(row, column)}`)
}
