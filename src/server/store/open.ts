/** Picks the backend from configuration: PostgreSQL when a URL is given, else the SQLite file. */
import { PostgresStore } from './postgres.ts'
import { SqliteStore } from './sqlite.ts'
import type { Store } from './store.ts'

export interface StoreConfig {
  /** `postgres://...`; empty or absent means SQLite. */
  databaseUrl?: string
  /** Directory of the SQLite file (`sohoa.db`); created if missing. */
  dataDir: string
  /** PostgreSQL only: a schema of its own (created by migrate), e.g. to isolate a test. */
  schema?: string
}

/** Opens the store without migrating it; call `migrate()` before use. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl)
    return new PostgresStore({
      databaseUrl: config.databaseUrl,
      ...(config.schema === undefined ? {} : { schema: config.schema }),
    })
  return new SqliteStore(config.dataDir)
}
