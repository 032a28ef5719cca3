/**
 * Pages of entry changes after a cursor, within what the reader may see. Shared by both backends;
 * runs on committed data only. See changeSeq.ts for why `change_seq > cursor` skips nothing. Each
 * change carries its open conflicts and its month's review (null: never submitted).
 */
import { MAX_PULL_LIMIT, type Conflict, type PullResponse } from '../../domain/sync/protocol.ts'
import { ENTRY_COLUMNS, bigint, int, text, toChange, toConflict } from './rows.ts'
import { reviewKey, reviewsOf } from './review.ts'
import { inList, one, type Sql, type SqlValue } from './sql.ts'
import type { ReadScope } from './store.ts'

export async function pullChanges(
  sql: Sql,
  scope: ReadScope,
  cursor: bigint,
  limit: number,
): Promise<PullResponse> {
  const size = Math.max(1, Math.min(Math.trunc(limit), MAX_PULL_LIMIT))
  if (!scope.all && scope.unitCodes.size === 0)
    return { changes: [], cursor: String(cursor), more: false, remaining: 0 }
  // The scope is one bound list however large: a province viewer reads thousands of units.
  const inScope = scope.all ? '' : ` AND ${inList(sql.dialect, 'unit_code')}`
  const scopeParams: SqlValue[] = scope.all ? [] : [[...scope.unitCodes]]
  const rows = await sql.all(
    `SELECT ${ENTRY_COLUMNS} FROM entries WHERE change_seq > ?${inScope}
     ORDER BY change_seq LIMIT ?`,
    [cursor, ...scopeParams, size + 1],
  )
  const more = rows.length > size
  const page = rows.slice(0, size)
  const last = page.at(-1)
  const next = last === undefined ? cursor : bigint(last, 'change_seq')
  let remaining = 0
  if (more) {
    const count = await one(
      sql,
      `SELECT COUNT(*) AS n FROM entries WHERE change_seq > ?${inScope}`,
      [next, ...scopeParams],
    )
    remaining = count === null ? 0 : int(count, 'n')
  }
  const conflicts = await openConflicts(sql, [...new Set(page.map((r) => text(r, 'unit_code')))])
  const reviews = await reviewsOf(
    sql,
    page.map((row) => ({ unitCode: text(row, 'unit_code'), month: text(row, 'month') })),
  )
  return {
    changes: page.map((row) => {
      const entry = reviewKey(text(row, 'unit_code'), text(row, 'month'))
      return { ...toChange(row, conflicts.get(entry) ?? []), review: reviews.get(entry) ?? null }
    }),
    cursor: String(next),
    more,
    remaining,
  }
}

/** Open conflicts of the given units, by entry key, oldest first. */
async function openConflicts(sql: Sql, unitCodes: string[]): Promise<Map<string, Conflict[]>> {
  const byEntry = new Map<string, Conflict[]>()
  if (unitCodes.length === 0) return byEntry
  const rows = await sql.all(
    `SELECT id, unit_code, month, field, value, current_value, author, authored_at, winner,
       created_at FROM conflicts WHERE resolved_at IS NULL AND ${inList(sql.dialect, 'unit_code')}
     ORDER BY change_seq, field`,
    [unitCodes],
  )
  for (const row of rows) {
    const conflict = toConflict(row)
    const entry = reviewKey(conflict.unitCode, conflict.month)
    const list = byEntry.get(entry) ?? []
    list.push(conflict)
    byEntry.set(entry, list)
  }
  return byEntry
}
