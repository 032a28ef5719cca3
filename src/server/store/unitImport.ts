/**
 * Unit list imports, unit links and the audit log, over `Sql` (both databases). The plan is computed
 * in memory from the stored units inside the transaction (src/domain/unitImport/plan.ts), then
 * written in batches; a dry run plans and counts without writing.
 */
import { randomUUID } from 'node:crypto'
import type { AuditEvent, ImportResult } from '../../domain/sync/protocol.ts'
import type { ParsedImport, UnitImportFormat } from '../../domain/unitImport/types.ts'
import {
  activeCounts,
  dayBefore,
  planLinkImport,
  planUnitImport,
} from '../../domain/unitImport/plan.ts'
import { LINK_KINDS, type UnitLink } from '../../domain/unitLinks.ts'
import type { Unit } from '../../domain/units.ts'
import { int, text, toUnit } from './rows.ts'
import { inList, one, type Row, type Sql } from './sql.ts'

const UNIT_COLUMNS = 'code, valid_from, valid_to, name, name_en, kind, type, level, parent_code'
/** Rows per INSERT: 9 parameters each stays far below both databases' parameter limits. */
const CHUNK = 500

export interface UnitImportInput {
  format: UnitImportFormat
  fileName: string
  effectiveDate: string
  parsed: ParsedImport
  dryRun: boolean
  /** Username of the admin, for the audit log. */
  actor: string
}

export async function listUnitsTx(sql: Sql): Promise<Unit[]> {
  const rows = await sql.all(`SELECT ${UNIT_COLUMNS} FROM units ORDER BY code, valid_from`)
  return rows.map(toUnit)
}

function toLink(row: Row): UnitLink {
  const kind = text(row, 'kind')
  const found = LINK_KINDS.find((k) => k === kind)
  if (found === undefined) throw new Error(`unit_links.kind: unexpected ${kind}`)
  return {
    newCode: text(row, 'new_code'),
    oldCode: text(row, 'old_code'),
    kind: found,
    date: text(row, 'date'),
  }
}

export async function listLinks(sql: Sql): Promise<UnitLink[]> {
  const rows = await sql.all(
    'SELECT new_code, old_code, kind, date FROM unit_links ORDER BY date, new_code, old_code',
  )
  return rows.map(toLink)
}

async function insertChunks<T>(
  tx: Sql,
  items: readonly T[],
  head: string,
  tail: string,
  width: number,
  values: (item: T) => (string | null)[],
): Promise<void> {
  const placeholders = `(${Array.from({ length: width }, () => '?').join(', ')})`
  for (let start = 0; start < items.length; start += CHUNK) {
    const chunk = items.slice(start, start + CHUNK)
    await tx.run(
      `${head} VALUES ${chunk.map(() => placeholders).join(', ')} ${tail}`,
      chunk.flatMap(values),
    )
  }
}

/** Closes or deletes versions, grouped by validFrom so each statement binds one list of codes. */
async function byValidFrom(
  tx: Sql,
  keys: readonly { code: string; validFrom: string }[],
  statement: (where: string) => string,
  lead: (string | null)[],
): Promise<void> {
  const groups = new Map<string, string[]>()
  for (const key of keys) {
    const codes = groups.get(key.validFrom)
    if (codes) codes.push(key.code)
    else groups.set(key.validFrom, [key.code])
  }
  for (const [validFrom, codes] of groups)
    await tx.run(statement(`valid_from = ? AND ${inList(tx.dialect, 'code')}`), [
      ...lead,
      validFrom,
      codes,
    ])
}

export async function importUnitsTx(
  tx: Sql,
  input: UnitImportInput,
  now: Date,
): Promise<ImportResult> {
  const date = input.effectiveDate
  const existing = await listUnitsTx(tx)
  let after: readonly Unit[] = existing
  const units = { added: 0, closed: 0, unchanged: 0 }
  const links = { added: 0, unchanged: 0 }
  if (input.parsed.kind === 'units') {
    const plan = planUnitImport(existing, input.parsed.list, date)
    after = plan.after
    units.added = plan.added
    units.closed = plan.closed
    units.unchanged = plan.unchanged
    if (!input.dryRun) {
      await byValidFrom(tx, plan.deletes, (where) => `DELETE FROM units WHERE ${where}`, [])
      await byValidFrom(
        tx,
        plan.closes,
        (where) => `UPDATE units SET valid_to = ? WHERE ${where}`,
        [date],
      )
      await insertChunks(
        tx,
        plan.upserts,
        `INSERT INTO units (${UNIT_COLUMNS})`,
        `ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
           name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
           type = excluded.type, level = excluded.level, parent_code = excluded.parent_code`,
        9,
        (u) => [
          u.code,
          u.validFrom,
          u.validTo,
          u.name,
          u.nameEn ?? null,
          u.kind,
          u.type,
          u.level,
          u.parentCode,
        ],
      )
    }
  } else {
    const plan = planLinkImport(await listLinks(tx), input.parsed.links)
    links.added = plan.upserts.length
    links.unchanged = plan.unchanged
    if (!input.dryRun)
      await insertChunks(
        tx,
        plan.upserts,
        'INSERT INTO unit_links (new_code, old_code, kind, date)',
        'ON CONFLICT (date, new_code, old_code) DO UPDATE SET kind = excluded.kind',
        4,
        (l) => [l.newCode, l.oldCode, l.kind, l.date],
      )
  }
  const result: ImportResult = {
    format: input.format,
    effectiveDate: date,
    dryRun: input.dryRun,
    units,
    links,
    active: { before: activeCounts(after, dayBefore(date)), after: activeCounts(after, date) },
  }
  if (!input.dryRun)
    await appendAudit(tx, now, {
      actor: input.actor,
      action: 'units.import',
      target: input.fileName,
      detail: JSON.stringify({ format: input.format, effectiveDate: date, units, links }),
    })
  return result
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>

export async function appendAudit(tx: Sql, now: Date, event: NewAuditEvent): Promise<void> {
  const counter = await one(
    tx,
    "UPDATE counters SET value = value + 1 WHERE name = 'audit_seq' RETURNING value",
  )
  const seq = counter === null ? 0 : int(counter, 'value')
  await tx.run(
    'INSERT INTO audit_log (id, seq, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [randomUUID(), seq, now.toISOString(), event.actor, event.action, event.target, event.detail],
  )
}

export async function listAudit(sql: Sql, limit: number): Promise<AuditEvent[]> {
  const rows = await sql.all(
    'SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT ?',
    [limit],
  )
  return rows.map((row) => ({
    id: text(row, 'id'),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
    action: text(row, 'action'),
    target: text(row, 'target'),
    detail: text(row, 'detail'),
  }))
}
