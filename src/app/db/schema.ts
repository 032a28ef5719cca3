/**
 * The IndexedDB schema and its version history. Phones stay offline for weeks and update the app
 * whenever they next see a network, so any shipped version may still be on a device: old versions
 * are never edited, only followed by new ones whose upgrade brings old rows forward.
 */
import { Dexie, type Table, type Transaction } from 'dexie'
import type { Entry } from '../../domain/entries.ts'
import type { Counts, DataElement } from '../../domain/indicators.ts'
import type { Month } from '../../domain/periods.ts'
import type { Unit } from '../../domain/units.ts'

export const DB_NAME = 'sohoa'

/** `local`: saved on this phone, not yet acknowledged by the server. `sent`: the server has it. */
export type EntryState = 'local' | 'sent'

export interface EntryRecord extends Entry {
  /** `entryKey(unitCode, month)`. */
  key: string
  state: EntryState
  /** Server version this edit was based on; null if the entry never came from the server. */
  baseVersion: number | null
  /** When the server last acknowledged a version of this entry; null if it never did. */
  sentAt: string | null
}

/** One change waiting to be sent. The outbox is the per-device, ordered log the sync engine drains. */
export interface OutboxOp {
  /** Auto-increment primary key: the order this device made its changes in. */
  seq?: number
  /** Lets the server recognise an op it has already applied when a reply was lost. */
  id: string
  deviceId: string
  kind: 'entry.put'
  entryKey: string
  unitCode: string
  month: Month
  counts: Counts
  note: string
  baseVersion: number | null
  createdAt: string
}

/** An op as read back from the table, where the database has assigned its `seq`. */
export type QueuedOp = OutboxOp & { seq: number }

/** Text typed into the entry form but not yet confirmed, so a closed tab loses nothing. */
export interface DraftRecord {
  /** `entryKey(unitCode, month)`. */
  key: string
  unitCode: string
  month: Month
  input: Partial<Record<DataElement, string>>
  note: string
  updatedAt: string
}

/** Small per-device settings; read and write them through the typed accessors in meta.ts. */
export interface MetaRecord {
  key: string
  value: unknown
}

/** What an entry row looked like in version 1: no sync state, which version 2 derives. */
type EntryRecordV1 = Entry & { key: string; baseVersion?: number | null }

/**
 * Version 2 adds `state` and `sentAt`. Version 1 had no way to tell sent rows from unsent ones
 * other than the outbox, so an entry with a queued op is `local` and everything else was sent.
 * `sentAt` stays null for those: the acknowledgement time was never recorded.
 */
async function fillEntryState(tx: Transaction): Promise<void> {
  const queued = await tx.table<OutboxOp, number>('outbox').orderBy('entryKey').uniqueKeys()
  const unsent = new Set(queued.filter((key) => typeof key === 'string'))
  await tx
    .table<EntryRecordV1 & Partial<EntryRecord>, string>('entries')
    .toCollection()
    .modify((row) => {
      row.state ??= unsent.has(row.key) ? 'local' : 'sent'
      row.sentAt ??= null
      row.baseVersion ??= null
    })
}

export class SohoaDb extends Dexie {
  // `declare`: Dexie creates these properties in stores(); the class only states their types.
  declare entries: Table<EntryRecord, string>
  declare outbox: Table<OutboxOp, number>
  declare drafts: Table<DraftRecord, string>
  declare meta: Table<MetaRecord, string>
  declare units: Table<Unit, [string, string]>

  constructor(name: string) {
    super(name)
    // Each version lists only the tables it changes; Dexie carries the others forward. To change
    // the schema, append `this.version(n + 1)` with its own upgrade; never edit the ones above it.
    this.version(1).stores({
      // [unitCode+month] serves one unit's history in month order; month serves a dashboard's month.
      entries: 'key, [unitCode+month], month',
      outbox: '++seq, &id, entryKey',
      meta: 'key',
      // A code may name different units before and after the 2025 reform, hence the date in the key.
      units: '[code+validFrom]',
    })
    this.version(2)
      .stores({
        // state is indexed so that a bulk load can find unsent entries without reading every row.
        entries: 'key, [unitCode+month], month, state',
        drafts: 'key',
      })
      .upgrade(fillEntryState)
  }
}
