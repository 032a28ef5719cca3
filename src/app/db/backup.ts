/**
 * Backup files: the way data survives a lost, reset or replaced phone when there has been no
 * network to sync it. An import checks the whole file before touching the database and then applies
 * it in one transaction, so a damaged file changes nothing.
 */
import { entryKey } from '../../domain/entries.ts'
import type { DataElement } from '../../domain/indicators.ts'
import { isMonth, type Month } from '../../domain/periods.ts'
import type { Unit } from '../../domain/units.ts'
import { validateCounts, type FieldError } from '../../domain/validation.ts'
import { opFor, type OpAuthor } from './entries.ts'
import { getInstallId } from './meta.ts'
import { isDataElement, isDate, isRecord, isUnitCode, parseCounts, toUnit } from './shapes.ts'
import type { DraftRecord, EntryRecord, OutboxOp, SohoaDb } from './schema.ts'

export const BACKUP_FORMAT = 'sohoa-backup'
/** Bump when the file layout changes; older apps then refuse the file instead of misreading it. */
export const BACKUP_VERSION = 1

export interface Backup {
  format: typeof BACKUP_FORMAT
  version: typeof BACKUP_VERSION
  exportedAt: string
  /** The phone that wrote the file; informational, since imported changes are re-queued locally. */
  deviceId: string
  entries: EntryRecord[]
  /** The ops that phone had not sent; kept for diagnosis, not replayed on import. */
  outbox: OutboxOp[]
  drafts: DraftRecord[]
  units: Unit[]
}

/**
 * `notBackup`: not a SoHoa backup at all; `newerVersion`: written by a newer app, update first;
 * `invalidEntry` / `invalidDraft` / `invalidUnit`: the row at `row` is damaged.
 */
export type BackupErrorReason =
  'notBackup' | 'newerVersion' | 'invalidEntry' | 'invalidDraft' | 'invalidUnit'

/** Why a backup was refused. Nothing has been imported when this is thrown. */
export class BackupError extends Error {
  override readonly name = 'BackupError'
  readonly reason: BackupErrorReason
  /** Position (from 0) of the bad row in its list; null when the file as a whole is wrong. */
  readonly row: number | null
  /** The property of the row that is wrong, such as `month` or `counts`. */
  readonly field: string | null
  /** The broken rules when `field` is `counts`. */
  readonly errors: FieldError[]

  constructor(
    reason: BackupErrorReason,
    row: number | null = null,
    field: string | null = null,
    errors: FieldError[] = [],
  ) {
    super(
      row === null ? `Backup refused: ${reason}` : `Backup refused: ${reason} ${field} at ${row}`,
    )
    this.reason = reason
    this.row = row
    this.field = field
    this.errors = errors
  }
}

export interface ImportResult {
  /** Entries this phone did not have. */
  added: number
  /** Entries the backup held a newer version of. */
  updated: number
  /** Entries this phone already had in the same or a newer version. */
  skipped: number
}

/** Everything this phone holds, as one JSON-serializable object read in one consistent snapshot. */
export async function exportBackup(db: SohoaDb, now: Date = new Date()): Promise<Backup> {
  const deviceId = await getInstallId(db)
  return db.transaction('r', [db.entries, db.outbox, db.drafts, db.units], async () => ({
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: now.toISOString(),
    deviceId,
    entries: await db.entries.toArray(),
    outbox: await db.outbox.toArray(),
    drafts: await db.drafts.toArray(),
    units: await db.units.toArray(),
  }))
}

/**
 * Imports a backup file (already JSON-parsed). Throws `BackupError` before writing anything if any
 * part is invalid. Otherwise, in one transaction: an entry is written when this phone has none or
 * an older one; a written entry that was not yet sent, or that replaces one still queued here, is
 * queued again under `author` so the newest version reaches the server; a draft is restored
 * where this phone has none and it is newer than the entry; units this phone lacks are added.
 */
export async function importBackup(
  db: SohoaDb,
  data: unknown,
  author: OpAuthor,
  now: Date = new Date(),
): Promise<ImportResult> {
  const backup = parseBackup(data)
  const at = now.toISOString()
  return db.transaction('rw', [db.entries, db.outbox, db.drafts, db.units], async () => {
    const result: ImportResult = { added: 0, updated: 0, skipped: 0 }
    const keys = backup.entries.map((entry) => entry.key)
    const current = await db.entries.bulkGet(keys)
    const queued = new Set(
      (await db.outbox.where('entryKey').anyOf(keys).toArray())
        .filter((op) => op.kind === 'entry.put')
        .map((op) => op.entryKey),
    )
    const records: EntryRecord[] = []
    backup.entries.forEach((entry, i) => {
      const mine = current[i]
      if (mine !== undefined && Date.parse(entry.updatedAt) <= Date.parse(mine.updatedAt)) {
        result.skipped++
        return
      }
      if (mine === undefined) result.added++
      else result.updated++
      const unsent = entry.state === 'local' || queued.has(entry.key)
      // The backup's conflicts may be long settled; the next pull brings the open ones.
      records.push({
        ...entry,
        state: unsent ? 'local' : 'sent',
        conflicts: mine?.conflicts ?? [],
        // The review is the server's: this phone's is the newest it knows, the next pull corrects it.
        review: mine?.review ?? null,
        // Either side may know when the month was first reported; the earlier time is the report.
        reportedAt: earliest(entry.reportedAt, mine?.reportedAt ?? null),
      })
    })
    await db.entries.bulkPut(records)
    await db.outbox.bulkAdd(
      records.filter((record) => record.state === 'local').map((r) => opFor(r, author, at)),
    )

    const draftKeys = backup.drafts.map((draft) => draft.key)
    const draftsHere = await db.drafts.bulkGet(draftKeys)
    const entriesNow = await db.entries.bulkGet(draftKeys)
    await db.drafts.bulkPut(
      backup.drafts.filter((draft, i) => {
        const entry = entriesNow[i]
        const newer =
          entry === undefined || Date.parse(draft.updatedAt) > Date.parse(entry.updatedAt)
        return draftsHere[i] === undefined && newer
      }),
    )

    const unitsHere = await db.units.bulkGet(
      backup.units.map((unit) => [unit.code, unit.validFrom]),
    )
    // This phone's list comes from its own (newer) app or server; the backup only fills gaps.
    await db.units.bulkAdd(backup.units.filter((_, i) => unitsHere[i] === undefined))
    return result
  })
}

interface ParsedBackup {
  entries: EntryRecord[]
  drafts: DraftRecord[]
  units: Unit[]
}

/** Checks every row of a backup, throwing on the first bad one. Outbox ops are not replayed. */
export function parseBackup(data: unknown): ParsedBackup {
  if (!isRecord(data) || data.format !== BACKUP_FORMAT || typeof data.version !== 'number') {
    throw new BackupError('notBackup')
  }
  if (data.version > BACKUP_VERSION) throw new BackupError('newerVersion')
  if (data.version !== BACKUP_VERSION || !Array.isArray(data.entries)) {
    throw new BackupError('notBackup')
  }
  const drafts = data.drafts ?? []
  const units = data.units ?? []
  if (!Array.isArray(drafts) || !Array.isArray(units)) throw new BackupError('notBackup')

  const entries = data.entries.map(parseEntry)
  const seen = new Set<string>()
  entries.forEach((entry, i) => {
    // Two versions of one entry in one file cannot both be right; refuse rather than guess.
    if (seen.has(entry.key)) throw new BackupError('invalidEntry', i, 'key')
    seen.add(entry.key)
  })
  return { entries, drafts: drafts.map(parseDraft), units: units.map(parseUnit) }
}

function parseEntry(value: unknown, index: number): EntryRecord {
  const fail = (field: string, errors: FieldError[] = []): never => {
    throw new BackupError('invalidEntry', index, field, errors)
  }
  if (!isRecord(value)) return fail('entry')
  const { unitCode, month, note, updatedAt, state, baseVersion, sentAt } = value
  if (!isUnitCode(unitCode)) return fail('unitCode')
  if (!isMonthString(month)) return fail('month')
  const counts = parseCounts(value.counts) ?? fail('counts')
  const { errors } = validateCounts(counts)
  if (errors.length > 0) fail('counts', errors)
  if (typeof note !== 'string') return fail('note')
  if (!isDate(updatedAt)) return fail('updatedAt')
  if (state !== 'local' && state !== 'sent') return fail('state')
  if (baseVersion !== null && !Number.isSafeInteger(baseVersion)) return fail('baseVersion')
  if (sentAt !== null && !isDate(sentAt)) return fail('sentAt')
  // Absent from files written before version 3 of the database.
  const updatedBy = typeof value.updatedBy === 'string' ? value.updatedBy : null
  // Absent from files written before version 4.
  const reportedAt = isDate(value.reportedAt) ? value.reportedAt : null
  return {
    key: entryKey(unitCode, month),
    unitCode,
    month,
    counts,
    note,
    updatedAt,
    state,
    baseVersion: typeof baseVersion === 'number' ? baseVersion : null,
    sentAt,
    conflicts: [],
    updatedBy,
    reportedAt,
    review: null,
  }
}

function parseDraft(value: unknown, index: number): DraftRecord {
  const fail = (field: string): never => {
    throw new BackupError('invalidDraft', index, field)
  }
  if (!isRecord(value)) return fail('draft')
  const { unitCode, month, note, updatedAt } = value
  if (!isUnitCode(unitCode)) return fail('unitCode')
  if (!isMonthString(month)) return fail('month')
  if (!isRecord(value.input)) return fail('input')
  const input: Partial<Record<DataElement, string>> = {}
  for (const [field, text] of Object.entries(value.input)) {
    if (!isDataElement(field) || typeof text !== 'string') return fail('input')
    input[field] = text
  }
  if (typeof note !== 'string') return fail('note')
  if (!isDate(updatedAt)) return fail('updatedAt')
  return { key: entryKey(unitCode, month), unitCode, month, input, note, updatedAt }
}

function parseUnit(value: unknown, index: number): Unit {
  const unit = toUnit(value)
  if (typeof unit === 'string') throw new BackupError('invalidUnit', index, unit)
  return unit
}

function isMonthString(value: unknown): value is Month {
  return typeof value === 'string' && isMonth(value)
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b
  return Date.parse(a) <= Date.parse(b) ? a : b
}
