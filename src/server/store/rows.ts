/**
 * Typed readers for database rows. Drivers return loosely typed values (pg gives int8 as a string,
 * better-sqlite3 gives numbers), so every row is read through these checks instead of casts; a
 * mismatch means a schema bug and throws.
 */
import { Compile } from 'typebox/compile'
import { INDICATORS, type Counts, type IndicatorId } from '../../domain/indicators.ts'
import type { Target } from '../../domain/targets.ts'
import { MERGE_FIELDS, type CurrentEntry, type FieldMeta } from '../../domain/sync/merge.ts'
import {
  ConflictSchema,
  CountsSchema,
  OpResultSchema,
  type Conflict,
  type EntryChange,
  type OpResult,
  type Role,
} from '../../domain/sync/protocol.ts'
import {
  GOVERNMENT_LEVELS as LEVELS,
  UNIT_KINDS,
  UNIT_TYPES,
  type Unit,
} from '../../domain/units.ts'
import type { Row } from './sql.ts'
import type { UserRecord } from './store.ts'

export function text(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string')
    throw new TypeError(`${column}: expected text, got ${typeof value}`)
  return value
}

export function nullableText(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column)
}

/** An integer column; pg returns int8 and COUNT(*) as strings. */
export function int(row: Row, column: string): number {
  const value = row[column]
  const n = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new TypeError(`${column}: expected an integer, got ${String(value)}`)
  return n
}

export function bigint(row: Row, column: string): bigint {
  const value = row[column]
  if (typeof value === 'bigint') return value
  if (typeof value === 'number' || typeof value === 'string') return BigInt(value)
  throw new TypeError(`${column}: expected an integer, got ${typeof value}`)
}

function json(row: Row, column: string): unknown {
  return JSON.parse(text(row, column))
}

function checked<T>(row: Row, column: string, check: (value: unknown) => value is T): T {
  const value = json(row, column)
  if (!check(value)) throw new TypeError(`${column}: unexpected JSON ${text(row, column)}`)
  return value
}

const countsValidator = Compile(CountsSchema)
const opResultValidator = Compile(OpResultSchema)
const conflictValueValidator = Compile(ConflictSchema.properties.value)

export function counts(row: Row, column: string): Counts {
  return checked(row, column, (value) => countsValidator.Check(value))
}

export function opResult(row: Row, column: string): OpResult {
  return checked(row, column, (value) => opResultValidator.Check(value))
}

export function stringArray(row: Row, column: string): string[] {
  return checked(row, column, isStringArray)
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** Per-field stamps; unknown keys (a field removed in a later schema) are dropped. */
export function fieldMeta(row: Row, column: string): FieldMeta {
  const value = json(row, column)
  const meta: FieldMeta = {}
  if (typeof value !== 'object' || value === null) return meta
  for (const field of MERGE_FIELDS) {
    const stamp: unknown = Reflect.get(value, field)
    if (typeof stamp !== 'object' || stamp === null) continue
    const by: unknown = Reflect.get(stamp, 'by')
    const at: unknown = Reflect.get(stamp, 'at')
    const stream: unknown = Reflect.get(stamp, 'stream')
    if (typeof by !== 'string' || typeof at !== 'string') continue
    meta[field] = typeof stream === 'string' ? { by, at, stream } : { by, at }
  }
  return meta
}

function oneOf<T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column)
  const found = allowed.find((item) => item === value)
  if (found === undefined) throw new TypeError(`${column}: unexpected value ${value}`)
  return found
}

const ROLES: readonly Role[] = ['reporter', 'viewer', 'admin']

export function toUser(row: Row): UserRecord {
  return {
    id: text(row, 'id'),
    username: text(row, 'username'),
    displayName: text(row, 'display_name'),
    role: oneOf(row, 'role', ROLES),
    unitCodes: stringArray(row, 'unit_codes'),
    passwordHash: text(row, 'password_hash'),
    active: int(row, 'active') === 1,
    createdAt: text(row, 'created_at'),
  }
}

export function toUnit(row: Row): Unit {
  const nameEn = nullableText(row, 'name_en')
  return {
    code: text(row, 'code'),
    name: text(row, 'name'),
    ...(nameEn === null ? {} : { nameEn }),
    kind: oneOf(row, 'kind', UNIT_KINDS),
    type: oneOf(row, 'type', UNIT_TYPES),
    level: oneOf(row, 'level', LEVELS),
    parentCode: nullableText(row, 'parent_code'),
    validFrom: text(row, 'valid_from'),
    validTo: nullableText(row, 'valid_to'),
  }
}

export function toConflict(row: Row): Conflict {
  return {
    id: text(row, 'id'),
    unitCode: text(row, 'unit_code'),
    month: text(row, 'month'),
    field: text(row, 'field'),
    value: checked(row, 'value', (v) => conflictValueValidator.Check(v)),
    currentValue: checked(row, 'current_value', (v) => conflictValueValidator.Check(v)),
    author: text(row, 'author'),
    authoredAt: text(row, 'authored_at'),
    winner: text(row, 'winner'),
    createdAt: text(row, 'created_at'),
  }
}

/** The columns `toCurrentEntry` and `toChange` read. */
export const ENTRY_COLUMNS =
  'unit_code, month, counts, note, version, updated_at, updated_by, field_meta, change_seq, reported_at'

export function toCurrentEntry(row: Row): CurrentEntry {
  return {
    counts: counts(row, 'counts'),
    note: text(row, 'note'),
    version: int(row, 'version'),
    fieldMeta: fieldMeta(row, 'field_meta'),
    updatedBy: text(row, 'updated_by'),
    updatedAt: text(row, 'updated_at'),
  }
}

export function toChange(row: Row, conflicts: Conflict[]): EntryChange {
  return {
    unitCode: text(row, 'unit_code'),
    month: text(row, 'month'),
    counts: counts(row, 'counts'),
    note: text(row, 'note'),
    version: int(row, 'version'),
    updatedAt: text(row, 'updated_at'),
    updatedBy: text(row, 'updated_by'),
    conflicts,
    reportedAt: nullableText(row, 'reported_at'),
  }
}

/** The columns `toTarget` reads. */
export const TARGET_COLUMNS =
  'key, indicator, year, unit_code, level, basis_points, max_points, updated_at, updated_by'

const INDICATOR_IDS: readonly IndicatorId[] = INDICATORS.map((indicator) => indicator.id)

export function toTarget(row: Row): Target {
  const level = nullableText(row, 'level')
  return {
    indicator: oneOf(row, 'indicator', INDICATOR_IDS),
    year: int(row, 'year'),
    unitCode: nullableText(row, 'unit_code'),
    level: level === null ? null : oneOf(row, 'level', LEVELS),
    basisPoints: int(row, 'basis_points'),
    maxPoints: real(row, 'max_points'),
    updatedAt: text(row, 'updated_at'),
    updatedBy: text(row, 'updated_by'),
  }
}

/** A floating-point column; pg returns DOUBLE PRECISION as a number. */
export function real(row: Row, column: string): number {
  const value = row[column]
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new TypeError(`${column}: expected a number, got ${String(value)}`)
  return n
}
