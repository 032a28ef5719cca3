/**
 * Every table's rows, read behind the store's back through a connection of its own (the SQLite file
 * read-only, or the PostgreSQL schema), so a test can prove that a refused request wrote nothing.
 */
import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import pg from 'pg'
import { PostgresStore } from '../../src/server/store/postgres.ts'
import { SqliteStore } from '../../src/server/store/sqlite.ts'
import type { Store } from '../../src/server/store/store.ts'
import { PG_URL } from './helpers.ts'

/** Table name → a digest of its rows (order-independent) and how many there are. */
export type Snapshot = ReadonlyMap<string, { rows: number; digest: string }>

export interface DbReader {
  /** Every row of `table`, in no particular order. */
  rows(table: string): Promise<Record<string, unknown>[]>
  snapshot(): Promise<Snapshot>
  close(): Promise<void>
}

function digestOf(rows: readonly Record<string, unknown>[]): string {
  const lines = rows.map((row) => JSON.stringify(row, (_key, value: unknown) => sqlValue(value)))
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex')
}

/** BIGINTs arrive as strings from pg and as bigint or number from SQLite: compare them as text. */
function sqlValue(value: unknown): unknown {
  return typeof value === 'bigint' || typeof value === 'number' ? String(value) : value
}

const SAFE_NAME = /^[a-z_][a-z0-9_]*$/

/** Opens a reader on the database behind `store`. */
export async function openDbReader(store: Store): Promise<DbReader> {
  let all: (sql: string, params?: string[]) => Promise<Record<string, unknown>[]>
  let close: () => Promise<void>
  let tables: () => Promise<string[]>
  /** One round trip for every table's digest, where the database can compute them. */
  let digests: ((names: string[]) => Promise<Snapshot>) | null = null
  if (store instanceof SqliteStore) {
    const db = new Database(store.file, { readonly: true })
    all = async (sql, params = []) =>
      db
        .prepare<unknown[], Record<string, unknown>>(sql)
        .all(...params)
        .map((row) => ({ ...row }))
    tables = async () =>
      (await all(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)).map((row) =>
        String(row.name),
      )
    close = async () => {
      db.close()
    }
  } else if (store instanceof PostgresStore && store.schema !== null) {
    const schema = store.schema
    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
    await client.connect()
    all = async (sql, params = []) => (await client.query(sql, params)).rows
    tables = async () =>
      (
        await all(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
          [schema],
        )
      ).map((row) => String(row.table_name))
    close = () => client.end()
    digests = async (names) => {
      const query = names
        .map(
          (name) =>
            `SELECT '${name}' AS t, count(*)::int AS n,
               md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) AS d FROM ${name} r`,
        )
        .join(' UNION ALL ')
      const rows = await all(query)
      return new Map(
        rows.map((row) => [String(row.t), { rows: Number(row.n), digest: String(row.d) }]),
      )
    }
  } else {
    throw new Error('openDbReader needs a test store (SQLite file or PostgreSQL test schema)')
  }
  const rows = (table: string) => {
    if (!SAFE_NAME.test(table)) throw new Error(`Not a table name: ${table}`)
    return all(`SELECT * FROM ${table}`)
  }
  let names: string[] | null = null
  return {
    rows,
    async snapshot() {
      names ??= await tables()
      if (names.some((name) => !SAFE_NAME.test(name))) throw new Error('Unexpected table name')
      if (digests) return digests(names)
      const result = new Map<string, { rows: number; digest: string }>()
      for (const table of names) {
        const list = await rows(table)
        result.set(table, { rows: list.length, digest: digestOf(list) })
      }
      return result
    },
    close,
  }
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names].filter((name) => before.get(name)?.digest !== after.get(name)?.digest).sort()
}
