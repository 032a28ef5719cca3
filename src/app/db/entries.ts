/**
 * Confirmed entries. A save writes the entry and its outbox op in one transaction, so the phone can
 * never hold an edit the sync engine does not know about, nor send one the official cannot see.
 */
import { entryKey, type Entry } from '../../domain/entries.ts'
import { DATA_ELEMENTS, type Counts } from '../../domain/indicators.ts'
import { isMonth, type Month } from '../../domain/periods.ts'
import { isLocked } from '../../domain/review.ts'
import { validateCounts, type FieldError } from '../../domain/validation.ts'
import { getInstallId, getMeta } from './meta.ts'
import type { EntryOutboxOp, EntryRecord, EntryState, SohoaDb } from './schema.ts'

// Callers of saveEntry look here for how to read its failures.
export { isQuotaError } from './errors.ts'

/**
 * An entry as a bulk load supplies it, with the server version when it came from the server and
 * the time it was first reported when known.
 */
export type BulkEntry = Entry & { baseVersion?: number | null; reportedAt?: string | null }

/** What the entry form confirms. */
export interface EntryInput {
  unitCode: string
  month: Month
  counts: Counts
  note: string
  /** Ids of the entry's open conflicts the official has looked at and settles with these values. */
  resolves?: readonly string[]
}

/** Who makes a change: this installation, and the signed-in user (null when nobody is). */
export interface OpAuthor {
  deviceId: string
  userId: string | null
  /** Shown as the entry's author until the server's `updatedBy` replaces it. */
  username?: string | null
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
 * Thrown by `saveEntry` when the month has been accepted by its supervisor (locked until reopened);
 * nothing has been written. The server would refuse the change as `locked` anyway.
 */
export class EntryLockedError extends Error {
  override readonly name = 'EntryLockedError'
  readonly unitCode: string
  readonly month: Month
  constructor(unitCode: string, month: Month) {
    super(`Month accepted and locked: ${unitCode} ${month}`)
    this.unitCode = unitCode
    this.month = month
  }
}

/**
 * Saves what the official confirmed: writes the entry as `local`, queues an op owned by
 * `author.userId` for the server and drops the form's draft, all in one transaction. Throws
 * `EntryValidationError` before writing anything if the counts are invalid; warnings do not block.
 * Conflicts listed in `input.resolves` leave the entry at once: the decision is queued with the op.
 * The save that creates the entry records when the unit reported the month (`reportedAt`); later
 * saves keep that time. Throws `EntryLockedError`, writing nothing, when the month is accepted as
 * far as this phone knows (a month accepted elsewhere and not yet pulled is refused by the server).
 */
export async function saveEntry(
  db: SohoaDb,
  input: EntryInput,
  author: OpAuthor,
  now: Date = new Date(),
): Promise<EntryRecord> {
  if (!isMonth(input.month)) throw new RangeError(`Not a month (YYYY-MM): ${input.month}`)
  const counts = plainCounts(input.counts)
  const { errors } = validateCounts(counts)
  if (errors.length > 0) throw new EntryValidationError(errors)

  const key = entryKey(input.unitCode, input.month)
  const at = now.toISOString()
  // Copied: the form may hand over a reactive array, which IndexedDB cannot clone.
  const resolves = [...(input.resolves ?? [])]
  return db.transaction('rw', [db.entries, db.outbox, db.drafts], async () => {
    const existing = await db.entries.get(key)
    if (existing?.review != null && isLocked(existing.review.state)) {
      throw new EntryLockedError(input.unitCode, input.month)
    }
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
      conflicts: (existing?.conflicts ?? []).filter((c) => !resolves.includes(c.id)),
      updatedBy: author.username ?? null,
      reportedAt: existing === undefined ? at : existing.reportedAt,
      review: existing?.review ?? null,
    }
    await db.entries.put(record)
    await db.outbox.add(opFor(record, author, at, resolves))
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
  // Keys are `unitCode/YYYY-MM` (entryKey) and unit codes hold no '/', so the unit's entries are
  // exactly the keys under that prefix, and key order is month order.
  return db.entries.where(':id').startsWith(`${unitCode}/`).toArray()
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
 * Loads many entries at once (demo data) in one transaction. `sent` entries never replace an entry
 * with unsent local changes; `local` ones are queued for the server like a save, owned by the user
 * signed in on this phone (or by nobody yet). Counts are not validated: this is for data that was
 * validated where it came from. Resolves to the number of entries written.
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
        .map((entry) =>
          toRecord(entry, 'sent', entry.baseVersion ?? null, null, [], entry.reportedAt),
        )
        .filter((record) => !unsent.has(record.key))
      await db.entries.bulkPut(records)
      return records.length
    }
    const deviceId = await getInstallId(db)
    const userId = (await getMeta(db, 'session'))?.user.id ?? null
    const keys = entries.map((entry) => entryKey(entry.unitCode, entry.month))
    const existing = await db.entries.bulkGet(keys)
    const records = entries.map((entry, i) => ({
      ...toRecord(
        entry,
        'local',
        entry.baseVersion ?? existing[i]?.baseVersion ?? null,
        existing[i]?.sentAt ?? null,
        existing[i]?.conflicts ?? [],
        existing[i] === undefined ? (entry.reportedAt ?? at) : existing[i].reportedAt,
      ),
      review: existing[i]?.review ?? null,
    }))
    await db.entries.bulkPut(records)
    await db.outbox.bulkAdd(records.map((record) => opFor(record, { deviceId, userId }, at)))
    return records.length
  })
}

/** The op that carries `record` to the server. */
export function opFor(
  record: EntryRecord,
  author: OpAuthor,
  createdAt: string,
  resolves: readonly string[] = [],
): EntryOutboxOp {
  const op: EntryOutboxOp = {
    id: crypto.randomUUID(),
    deviceId: author.deviceId,
    userId: author.userId,
    kind: 'entry.put',
    entryKey: record.key,
    unitCode: record.unitCode,
    month: record.month,
    counts: record.counts,
    note: record.note,
    baseVersion: record.baseVersion,
    createdAt,
  }
  // Absent rather than empty: most ops settle nothing, and the wire schema makes it optional.
  if (resolves.length > 0) op.resolves = [...resolves]
  return op
}

function toRecord(
  entry: Entry,
  state: EntryState,
  baseVersion: number | null,
  sentAt: string | null,
  conflicts: EntryRecord['conflicts'] = [],
  reportedAt: string | null = null,
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
    conflicts,
    updatedBy: null,
    reportedAt,
    review: null,
  }
}

/**
 * A plain copy holding only known elements: IndexedDB cannot clone a Vue proxy, and a stray key
 * would be stored and synced unchecked.
 */
export function plainCounts(counts: Counts): Counts {
  const plain: Counts = {}
  for (const field of DATA_ELEMENTS) {
    const value = counts[field]
    if (value !== undefined) plain[field] = value
  }
  return plain
}
