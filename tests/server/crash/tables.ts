/**
 * The sync tables as the database holds them after the crashes, read behind the API (a bug in the
 * answers must not be able to hide one in the data) with the store's own typed row readers.
 */
import type { Counts } from '../../../src/domain/indicators.ts'
import type { FieldMeta } from '../../../src/domain/sync/merge.ts'
import type { Conflict, OpResult } from '../../../src/domain/sync/protocol.ts'
import type { Target } from '../../../src/domain/targets.ts'
import {
  TARGET_COLUMNS,
  bigint,
  counts,
  fieldMeta,
  int,
  opResult,
  text,
  toConflict,
  toTarget,
} from '../../../src/server/store/rows.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'

export interface OpRow {
  opId: string
  deviceId: string
  seq: number
  userId: string
  result: OpResult
}

export interface EntryRow {
  unitCode: string
  month: string
  counts: Counts
  note: string
  version: number
  fieldMeta: FieldMeta
  changeSeq: bigint
}

export interface HistoryRow {
  unitCode: string
  month: string
  version: number
  counts: Counts
  note: string
  deviceId: string
  opId: string
}

export interface ConflictRow extends Conflict {
  resolved: boolean
  changeSeq: bigint
}

export interface Tables {
  ops: OpRow[]
  /** last_seq by device id. */
  devices: Map<string, number>
  entries: EntryRow[]
  history: HistoryRow[]
  conflicts: ConflictRow[]
  /** The change_seq counter's value. */
  changeSeq: bigint
  targets: Target[]
}

export function readTables(store: SqlStore): Promise<Tables> {
  // One transaction: a consistent snapshot of every table.
  return store.transaction(async (tx) => {
    const ops = (await tx.all('SELECT op_id, device_id, seq, user_id, result FROM ops')).map(
      (row): OpRow => ({
        opId: text(row, 'op_id'),
        deviceId: text(row, 'device_id'),
        seq: int(row, 'seq'),
        userId: text(row, 'user_id'),
        result: opResult(row, 'result'),
      }),
    )
    const devices = new Map(
      (await tx.all('SELECT device_id, last_seq FROM devices')).map((row) => [
        text(row, 'device_id'),
        int(row, 'last_seq'),
      ]),
    )
    const entries = (
      await tx.all(
        'SELECT unit_code, month, counts, note, version, field_meta, change_seq FROM entries',
      )
    ).map((row): EntryRow => ({
      unitCode: text(row, 'unit_code'),
      month: text(row, 'month'),
      counts: counts(row, 'counts'),
      note: text(row, 'note'),
      version: int(row, 'version'),
      fieldMeta: fieldMeta(row, 'field_meta'),
      changeSeq: bigint(row, 'change_seq'),
    }))
    const history = (
      await tx.all(
        'SELECT unit_code, month, version, counts, note, device_id, op_id FROM entry_history',
      )
    ).map((row): HistoryRow => ({
      unitCode: text(row, 'unit_code'),
      month: text(row, 'month'),
      version: int(row, 'version'),
      counts: counts(row, 'counts'),
      note: text(row, 'note'),
      deviceId: text(row, 'device_id'),
      opId: text(row, 'op_id'),
    }))
    const conflicts = (await tx.all('SELECT * FROM conflicts')).map((row): ConflictRow => ({
      ...toConflict(row),
      resolved: row.resolved_at !== null,
      changeSeq: bigint(row, 'change_seq'),
    }))
    const [counter] = await tx.all("SELECT value FROM counters WHERE name = 'change_seq'")
    if (counter === undefined) throw new Error('counters has no change_seq row')
    const targets = (await tx.all(`SELECT ${TARGET_COLUMNS} FROM targets`)).map(toTarget)
    return {
      ops,
      devices,
      entries,
      history,
      conflicts,
      changeSeq: bigint(counter, 'value'),
      targets,
    }
  })
}
