/**
 * A fresh database for one benchmark: SQLite in a new temporary directory, or PostgreSQL in a new
 * schema; either is deleted afterwards. Migrated here, so server instances only open it.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { PostgresStore } from '../../../src/server/store/postgres.ts'
import { SqliteStore } from '../../../src/server/store/sqlite.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'
import type { InstanceDb } from './instances.ts'

export type Backend = 'sqlite' | 'postgres'

export interface BenchDb {
  store: SqlStore
  instanceDb: InstanceDb
  drop(): Promise<void>
}

export async function openBenchDb(backend: Backend, databaseUrl: string): Promise<BenchDb> {
  if (backend === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'sohoa-burst-'))
    const store = new SqliteStore(dataDir)
    await store.migrate()
    return {
      store,
      instanceDb: { dataDir },
      drop: async () => {
        await store.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  }
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const store = new PostgresStore({ databaseUrl, schema, poolSize: 16 })
  const drop = async (): Promise<void> => {
    await store.close()
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    } finally {
      await client.end()
    }
  }
  try {
    await store.migrate()
  } catch (error) {
    await drop().catch(() => undefined)
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`PostgreSQL at ${databaseUrl} cannot be used: ${reason}`, { cause: error })
  }
  return { store, instanceDb: { databaseUrl, schema }, drop }
}
