/**
 * Confirmed entries. A save writes the entry and its outbox op in one transaction, so the phone can
 * never hold an edit the sync engine does not know about, nor send one the official cannot see.
 */
import { Dexie } from 'dexie'
import { entryKey, type Entry } from '../../domain/entries.ts'
import { DATA_ELEMENTS, type Counts } from '../../domain/indicators.ts'
import { isMonth, type Month } from '../../domain/periods.ts'
import { validateCounts, type FieldError } from '../../domain/validation.ts'
import { getDeviceId } from './meta.ts'
import type { EntryRecord, EntryState, OutboxOp, SohoaDb } from './schema.ts'

// Callers of saveEntry look here for how to read its failures.
export { isQuotaError } from './errors.ts'

/** An entry as a bulk load supplies it, with the server version when it came from the server. */
export type BulkEntry = Entry & { baseVersion?: number | null }

/** What the entry form confirms. */
export interface EntryInput {
  unitCode: string
  month: Month
  counts: Counts
  note: string
}

/** Thrown by `saveEntry` when the counts break a rule; nothing has been written. */
export class EntryValidationError extends Error {
  override readonly name = 'EntryValidationError'
  readonly errors: FieldError[]

  constructor(errors: FieldError[]) {
    super(`Invalid counts: ${errors.map((error) => `${error.field} ${error.code}`).join(', ')}`)
    this.errors = errors
  }
}

/**
 * Saves what the official confirmed: writes the entry as `local`, queues an op for the server and
 * drops the form's draft, all in one transaction. Throws `EntryValidationError` before writing
 * anything if the counts are invalid; warnings do not block.
 */
export async function saveEntry(
  db: SohoaDb,
  input: EntryInput,
  deviceId: string,
  now: Date = new Date(),
): Promise<EntryRecord> {
  if (!isMonth(input.month)) throw new RangeError(`Not a month (YYYY-MM): ${input.month}`)
  const counts = plainCounts(input.counts)
  const { errors } = validateCounts(counts)
  if (errors.length > 0) throw new EntryValidationError(errors)

  const key = entryKey(input.unitCode, input.month)
  const at = now.toISOString()
  return db.transaction('rw', [db.entries, db.outbox, db.drafts], async () => {
    const existing = await db.entries.get(key)
    const record: EntryRecord = {
      key,
      unitCode: input.unitCode,
      month: input.month,
      counts,
      note: input.note,
      updatedAt: at,
      state: 'local',
      baseVersion: existing?.baseVersion ?? null,
      sentAt: existing?.sentAt ?? null,
    }
    await db.entries.put(record)
    await db.outbox.add(opFor(record, deviceId, at))
    await db.drafts.delete(key)
    return record
  })
}

/** The entry of one unit and month, if any. */
export async function getEntry(
  db: SohoaDb,
  unitCode: string,
  month: Month,
): Promise<EntryRecord | undefined> {
  return db.entries.get(entryKey(unitCode, month))
}

/** All entries of one unit, oldest month first. */
export async function entriesForUnit(db: SohoaDb, unitCode: string): Promise<EntryRecord[]> {
  return db.entries
    .where('[unitCode+month]')
    .between([unitCode, Dexie.minKey], [unitCode, Dexie.maxKey])
    .toArray()
}

/** The entries that exist for any of `unitCodes` in any of `months`, unit by unit in the given order. */
export async function entriesForMonths(
  db: SohoaDb,
  unitCodes: readonly string[],
  months: readonly Month[],
): Promise<EntryRecord[]> {
  const keys = unitCodes.flatMap((unitCode) => months.map((month) => entryKey(unitCode, month)))
  const found = await db.entries.bulkGet(keys)
  return found.filter((entry) => entry !== undefined)
}

/**
 * Loads many entries at once (demo data, a first pull) in one transaction. `sent` entries never
 * replace an entry with unsent local changes; `local` ones are queued for the server like a save.
 * Counts are not validated: this is for data that was validated where it came from.
 * Resolves to the number of entries written.
 */
export async function bulkPutEntries(
  db: SohoaDb,
  entries: readonly BulkEntry[],
  state: EntryState = 'sent',
  now: Date = new Date(),
): Promise<number> {
  const at = now.toISOString()
  return db.transaction('rw', [db.entries, db.outbox, db.meta], async () => {
    if (state === 'sent') {
      // Unsent entries are few, and the state index finds them without reading the rest.
      const unsent = new Set(await db.entries.where('state').equals('local').primaryKeys())
      const records = entries
        .map((entry) => toRecord(entry, 'sent', entry.baseVersion ?? null, null))
        .filter((record) => !unsent.has(record.key))
      await db.entries.bulkPut(records)
      return records.length
    }
    const deviceId = await getDeviceId(db)
    const keys = entries.map((entry) => entryKey(entry.unitCode, entry.month))
    const existing = await db.entries.bulkGet(keys)
    const records = entries.map((entry, i) =>
      toRecord(
        entry,
        'local',
        entry.baseVersion ?? existing[i]?.baseVersion ?? null,
        existing[i]?.sentAt ?? null,
      ),
    )
    await db.entries.bulkPut(records)
    await db.outbox.bulkAdd(records.map((record) => opFor(record, deviceId, at)))
    return records.length
  })
}

/** The op that carries `record` to the server. */
export function opFor(record: EntryRecord, deviceId: string, createdAt: string): OutboxOp {
  return {
    id: crypto.randomUUID(),
    deviceId,
    kind: 'entry.put',
    entryKey: record.key,
    unitCode: record.unitCode,
    month: record.month,
    counts: record.counts,
    note: record.note,
    baseVersion: record.baseVersion,
    createdAt,
  }
}

function toRecord(
  entry: Entry,
  state: EntryState,
  baseVersion: number | null,
  sentAt: string | null,
): EntryRecord {
  return {
    key: entryKey(entry.unitCode, entry.month),
    unitCode: entry.unitCode,
    month: entry.month,
    counts: plainCounts(entry.counts),
    note: entry.note,
    updatedAt: entry.updatedAt,
    state,
    baseVersion,
    sentAt,
  }
}

/**
 * A plain copy holding only known elements: IndexedDB cannot clone a Vue proxy, and a stray key
 * would be stored and synced unchecked.
 */
function plainCounts(counts: Counts): Counts {
  const plain: Counts = {}
  for (const field of DATA_ELEMENTS) {
    const value = counts[field]
    if (value !== undefined) plain[field] = value
  }
  return plain
}
