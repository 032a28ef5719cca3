/**
 * Backup files: the way data survives a lost, reset or replaced phone when there has been no
 * network to sync it. An import checks the whole file before touching the database and then applies
 * it in one transaction, so a damaged file changes nothing.
 */
import { entryKey } from '../../domain/entries.ts'
import { DATA_ELEMENTS, type Counts, type DataElement } from '../../domain/indicators.ts'
import { isMonth, type Month } from '../../domain/periods.ts'
import {
  isValidUnitCode,
  type GovernmentLevel,
  type Unit,
  type UnitKind,
  type UnitType,
} from '../../domain/units.ts'
import { validateCounts, type FieldError } from '../../domain/validation.ts'
import { opFor } from './entries.ts'
import { getDeviceId } from './meta.ts'
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
  const deviceId = await getDeviceId(db)
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
 * queued again under `deviceId` so the newest version reaches the server; a draft is restored
 * where this phone has none and it is newer than the entry; units this phone lacks are added.
 */
export async function importBackup(
  db: SohoaDb,
  data: unknown,
  deviceId: string,
  now: Date = new Date(),
): Promise<ImportResult> {
  const backup = parseBackup(data)
  const at = now.toISOString()
  return db.transaction('rw', [db.entries, db.outbox, db.drafts, db.units], async () => {
    const result: ImportResult = { added: 0, updated: 0, skipped: 0 }
    const keys = backup.entries.map((entry) => entry.key)
    const current = await db.entries.bulkGet(keys)
    const queued = new Set(await db.outbox.where('entryKey').anyOf(keys).keys())
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
      records.push({ ...entry, state: unsent ? 'local' : 'sent' })
    })
    await db.entries.bulkPut(records)
    await db.outbox.bulkAdd(
      records.filter((record) => record.state === 'local').map((r) => opFor(r, deviceId, at)),
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

const UNIT_KINDS: readonly UnitKind[] = ['province', 'district', 'commune', 'office']
const LEVELS: readonly GovernmentLevel[] = ['province', 'district', 'commune']
const UNIT_TYPES: readonly UnitType[] = [
  'Tỉnh',
  'Thành phố Trung ương',
  'Huyện',
  'Quận',
  'Thị xã',
  'Thành phố',
  'Xã',
  'Phường',
  'Thị trấn',
  'Đặc khu',
  'Cơ quan',
]

function parseUnit(value: unknown, index: number): Unit {
  const fail = (field: string): never => {
    throw new BackupError('invalidUnit', index, field)
  }
  if (!isRecord(value)) return fail('unit')
  const { code, name, nameEn, kind, type, level, parentCode, validFrom, validTo } = value
  const unitKind = UNIT_KINDS.find((k) => k === kind) ?? fail('kind')
  if (typeof code !== 'string' || !isValidUnitCode(unitKind, code)) return fail('code')
  if (typeof name !== 'string' || name === '') return fail('name')
  if (nameEn !== undefined && typeof nameEn !== 'string') return fail('nameEn')
  const unitType = UNIT_TYPES.find((t) => t === type) ?? fail('type')
  const unitLevel = LEVELS.find((l) => l === level) ?? fail('level')
  if (parentCode !== null && typeof parentCode !== 'string') return fail('parentCode')
  if (!isDate(validFrom)) return fail('validFrom')
  if (validTo !== null && !isDate(validTo)) return fail('validTo')
  const unit: Unit = {
    code,
    name,
    kind: unitKind,
    type: unitType,
    level: unitLevel,
    parentCode,
    validFrom,
    validTo,
  }
  if (nameEn !== undefined) unit.nameEn = nameEn
  return unit
}

/** Counts with only known elements and number values; their rules are checked separately. */
function parseCounts(value: unknown): Counts | null {
  if (!isRecord(value)) return null
  const counts: Counts = {}
  for (const [field, count] of Object.entries(value)) {
    if (!isDataElement(field) || typeof count !== 'number') return null
    counts[field] = count
  }
  return counts
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isDataElement(value: string): value is DataElement {
  return DATA_ELEMENTS.some((element) => element === value)
}

function isUnitCode(value: unknown): value is string {
  return typeof value === 'string' && UNIT_KINDS.some((kind) => isValidUnitCode(kind, value))
}

function isMonthString(value: unknown): value is Month {
  return typeof value === 'string' && isMonth(value)
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value))
}
