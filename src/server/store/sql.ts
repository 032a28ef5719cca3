/**
 * The small async SQL interface both backends provide, so that the store's logic (accounts, sync,
 * migrations) is written once. Statements use `?` placeholders; PostgreSQL's adapter turns them into
 * `$n`. JSON is stored as text in both databases, timestamps as ISO strings.
 */

import { isStorableText } from '../../domain/text.ts'
import { UnstorableTextError } from './store.ts'

/** A bound parameter. Arrays only appear through `inList`. */
export type SqlValue = string | number | bigint | null | readonly string[]

export type Row = Readonly<Record<string, unknown>>

export type Dialect = 'sqlite' | 'postgres'

/** One connection: inside a transaction for writes, or a committed-data reader. */
export interface Sql {
  readonly dialect: Dialect
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>
}

/** Opens a write transaction, runs `fn` in it and commits, or rolls back if it throws. */
export type Transact = <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>

/**
 * Every adapter passes its parameters through here: text either database would refuse or change
 * never reaches one of them, whichever route or command it came from.
 */
export function storable(params: readonly SqlValue[]): readonly SqlValue[] {
  for (const value of params) {
    if (typeof value === 'string' && !isStorableText(value)) throw new UnstorableTextError()
    if (typeof value === 'object' && value !== null && !value.every(isStorableText))
      throw new UnstorableTextError()
  }
  return params
}

export async function one(
  sql: Sql,
  text: string,
  params?: readonly SqlValue[],
): Promise<Row | null> {
  const rows = await sql.all(text, params)
  return rows[0] ?? null
}

/**
 * `column` is one of a list bound as a single parameter, however long the list: a viewer of a
 * province reads thousands of units, more than either database accepts as separate parameters.
 * PostgreSQL takes a text[] (hashed by the executor for long lists); SQLite reads a JSON array.
 */
export function inList(dialect: Dialect, column: string): string {
  return dialect === 'postgres'
    ? `${column} = ANY(?::text[])`
    : `${column} IN (SELECT value FROM json_each(?))`
}

/** Row locking clause for a SELECT; SQLite has none (its write transaction already excludes others). */
export function forUpdate(dialect: Dialect): string {
  return dialect === 'postgres' ? ' FOR UPDATE' : ''
}

/** Whether a driver result row is a plain record (it always is; this keeps `as` out of adapters). */
export function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null
}

const pgText = new Map<string, string>()

/** `?` placeholders to PostgreSQL's `$1, $2, ...`. Statements never contain a literal `?`. */
export function toPgPlaceholders(sql: string): string {
  let text = pgText.get(sql)
  if (text === undefined) {
    let n = 0
    text = sql.replace(/\?/g, () => `$${++n}`)
    pgText.set(sql, text)
  }
  return text
}
