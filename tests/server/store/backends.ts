/**
 * The two storage backends under test, each giving every test a fresh database: SQLite in a new
 * temporary directory, PostgreSQL in a new schema dropped afterwards. Without a reachable PostgreSQL
 * the PostgreSQL half is skipped with a message, or fails when CI is set.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, describe, it } from 'vitest'
import { PostgresStore } from '../../../src/server/store/postgres.ts'
import { SqliteStore } from '../../../src/server/store/sqlite.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'

export const PG_URL =
  process.env.SOHOA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDb {
  store: SqlStore
  /** Another store on the same database: a second connection set, or a second instance. */
  another(): Promise<SqlStore>
  /** Closes every store it opened and deletes the database. */
  drop(): Promise<void>
}

export interface Backend {
  name: 'sqlite' | 'postgres'
  open(options?: { migrate?: boolean }): Promise<TestDb>
}

async function openSqlite({ migrate = true } = {}): Promise<TestDb> {
  const dir = await mkdtemp(join(tmpdir(), 'sohoa-store-'))
  const stores: SqlStore[] = []
  const another = async () => {
    const store = new SqliteStore(dir)
    stores.push(store)
    return store
  }
  const store = await another()
  if (migrate) await store.migrate()
  return {
    store,
    another,
    drop: async () => {
      await Promise.all(stores.map((s) => s.close()))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export function freshSchema(): string {
  return `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
}

async function openPostgres({ migrate = true } = {}): Promise<TestDb> {
  const schema = freshSchema()
  const stores: PostgresStore[] = []
  const another = async () => {
    const store = new PostgresStore({ databaseUrl: PG_URL, schema, poolSize: 4 })
    stores.push(store)
    return store
  }
  const store = await another()
  if (migrate) await store.migrate()
  return {
    store,
    another,
    drop: async () => {
      await Promise.all(stores.map((s) => s.close()))
      await dropSchema(schema)
    },
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

export const POSTGRES_AVAILABLE = await postgresReachable()

export const SQLITE: Backend = { name: 'sqlite', open: openSqlite }
export const POSTGRES: Backend = { name: 'postgres', open: openPostgres }

/** The backends this run can test; registers the loud failure or the skip for PostgreSQL. */
export function backends(): Backend[] {
  if (POSTGRES_AVAILABLE) return [SQLITE, POSTGRES]
  requirePostgres()
  return [SQLITE]
}

/** For PostgreSQL-only files: true when they should run. */
export function requirePostgres(): boolean {
  if (POSTGRES_AVAILABLE) return true
  const message = `PostgreSQL is not reachable at ${PG_URL} (set SOHOA_TEST_DATABASE_URL)`
  if (process.env.CI) {
    describe('postgres', () => {
      it('is reachable (required when CI is set)', () => {
        throw new Error(message)
      })
    })
  } else {
    console.warn(`\n⚠ ${message}: skipping the PostgreSQL storage tests.\n`)
  }
  return false
}

/** A fresh database per test; read `db()` inside the test. */
export function useDb(backend: Backend): () => TestDb {
  let current: TestDb | null = null
  beforeEach(async () => {
    current = await backend.open()
  })
  afterEach(async () => {
    await current?.drop()
    current = null
  })
  return () => {
    if (current === null) throw new Error('useDb: no database outside a test')
    return current
  }
}
