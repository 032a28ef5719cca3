/**
 * What the sync simulation's checks look at once a run has healed: the server's own tables (ops,
 * entry_history, conflicts) read through its store's connection rather than the API, so nothing
 * the API hides can hide a bug, and each device's final database.
 */
import type { Counts } from '../../../src/domain/indicators.ts'
import type { MergeField } from '../../../src/domain/sync/merge.ts'
import type {
  Conflict,
  EntryChange,
  OpResult,
  SessionUser,
} from '../../../src/domain/sync/protocol.ts'
import { plainCounts } from '../../../src/app/db/entries.ts'
import type { EntryRecord } from '../../../src/app/db/schema.ts'
import { counts, int, opResult, text, toConflict } from '../../../src/server/store/rows.ts'
import type { SimulatedServer } from './simulatedServer.ts'

export interface Values {
  counts: Counts
  note: string
}

export interface OpRow {
  opId: string
  deviceId: string
  seq: number
  userId: string
  result: OpResult
}

export interface HistoryRow extends Values {
  unitCode: string
  month: string
  version: number
  opId: string
}

export interface ServerState {
  /** In the order the server inserted them (SQLite rowid). */
  ops: OpRow[]
  /** By entry, then version. */
  history: HistoryRow[]
  /** Open and resolved. */
  conflicts: Conflict[]
  /** Current entries with their open conflicts, as a pull returns them. */
  entries: EntryChange[]
}

export interface DeviceState {
  name: string
  installId: string
  users: SessionUser[]
  entries: EntryRecord[]
  outbox: number
  rejectedIds: string[]
}

export async function readServerState(server: SimulatedServer): Promise<ServerState> {
  const ops = await server.query(
    'SELECT op_id, device_id, seq, user_id, result FROM ops ORDER BY rowid',
  )
  const history = await server.query(
    `SELECT unit_code, month, version, counts, note, op_id FROM entry_history
     ORDER BY unit_code, month, version`,
  )
  const conflicts = await server.query(
    `SELECT id, unit_code, month, field, value, current_value, author, authored_at, winner,
       created_at FROM conflicts`,
  )
  const page = await server.currentStore.pull({ all: true }, 0n, 1000)
  return {
    ops: ops.map((row) => ({
      opId: text(row, 'op_id'),
      deviceId: text(row, 'device_id'),
      seq: int(row, 'seq'),
      userId: text(row, 'user_id'),
      result: opResult(row, 'result'),
    })),
    history: history.map((row) => ({
      unitCode: text(row, 'unit_code'),
      month: text(row, 'month'),
      version: int(row, 'version'),
      counts: counts(row, 'counts'),
      note: text(row, 'note'),
      opId: text(row, 'op_id'),
    })),
    conflicts: conflicts.map(toConflict),
    entries: page.changes,
  }
}

export const mayWrite = (user: SessionUser, unitCode: string): boolean =>
  user.role === 'reporter' && user.unitCodes.includes(unitCode)

/** The simulation's only viewer reads the whole demo province. */
export const mayRead = (user: SessionUser, unitCode: string): boolean =>
  user.role === 'viewer' || user.unitCodes.includes(unitCode)

export const key = (unitCode: string, month: string) => `${unitCode}/${month}`

export function canonical(values: Values): string {
  return JSON.stringify([plainCounts(values.counts), values.note])
}

export function valueOf(values: Values, field: MergeField): number | string | null {
  return field === 'note' ? values.note : (values.counts[field] ?? null)
}

/** What a device that never had the entry based its edit on. */
export const EMPTY: Values = { counts: {}, note: '' }

/**
 * The version that wrote the value `field` holds in versions of `entryKey` older than `version`:
 * the first of the run of versions, ending just before `version`, that all hold that value.
 */
export function writerOf(
  history: readonly HistoryRow[],
  entryKey: string,
  field: MergeField,
  version: number,
): HistoryRow | undefined {
  const earlier = history.filter(
    (h) => key(h.unitCode, h.month) === entryKey && h.version < version,
  )
  const last = earlier.at(-1)
  if (last === undefined) return undefined
  const value = valueOf(last, field)
  let writer: HistoryRow | undefined
  for (const h of earlier.reverse()) {
    if (valueOf(h, field) !== value) break
    writer = h
  }
  return writer
}
