/**
 * The embedded default: one SQLite file in WAL mode. Writes go through one connection, serialized
 * by a mutex because a transaction spans await points; reads use a second, read-only connection,
 * which in WAL mode sees only committed data and never waits for the writer.
 */
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import { applyMigrations } from './migrations.ts'
import { Mutex } from './mutex.ts'
import { isRow, storable, type Row, type Sql, type SqlValue } from './sql.ts'
import { SqlStore } from './sqlStore.ts'
import type { ChangeNotice } from './store.ts'

export const SQLITE_FILE = 'sohoa.db'

type Statement = Database.Statement<unknown[], unknown>

/** better-sqlite3 is synchronous; this wraps it in the async `Sql` the shared logic expects. */
class SqliteSql implements Sql {
  readonly dialect = 'sqlite'
  private readonly statements = new Map<string, Statement>()

  constructor(private readonly db: Database.Database) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const statement = this.prepare(sql)
    const bound = storable(params).map(bind)
    if (!statement.reader) {
      statement.run(...bound)
      return []
    }
    return statement.all(...bound).filter(isRow)
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const statement = this.prepare(sql)
    const bound = storable(params).map(bind)
    return statement.reader ? statement.all(...bound).length : statement.run(...bound).changes
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}

/** Lists travel as JSON text and are read with json_each (see `inList`). */
function bind(value: SqlValue): string | number | bigint | null {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value
}

/**
 * One write lock per file for the whole process. A second store on the same file (a test, an admin
 * command run in-process) would otherwise block inside SQLite's synchronous busy wait, freezing
 * the event loop while the first store's transaction waits on it to continue.
 */
const writeLocks = new Map<string, Mutex>()

function writeLockOf(file: string): Mutex {
  let mutex = writeLocks.get(file)
  if (mutex === undefined) {
    mutex = new Mutex()
    writeLocks.set(file, mutex)
  }
  return mutex
}

export class SqliteStore extends SqlStore {
  readonly kind = 'sqlite'
  readonly file: string
  protected readonly reader: Sql
  private readonly writeDb: Database.Database
  private readonly readDb: Database.Database
  private readonly writer: SqliteSql
  private readonly mutex: Mutex

  constructor(dataDir: string) {
    super()
    mkdirSync(dataDir, { recursive: true })
    this.file = resolve(dataDir, SQLITE_FILE)
    this.mutex = writeLockOf(this.file)
    this.writeDb = new Database(this.file)
    this.writeDb.pragma('journal_mode = WAL')
    // FULL: an acknowledged op must survive a power cut, or the device would drop it from its
    // outbox and the count would be lost. The cost is one fsync per commit.
    this.writeDb.pragma('synchronous = FULL')
    // Another process (a second server, the CLI) may hold the write lock briefly.
    this.writeDb.pragma('busy_timeout = 5000')
    this.writer = new SqliteSql(this.writeDb)
    this.readDb = new Database(this.file, { readonly: true })
    this.readDb.pragma('busy_timeout = 5000')
    this.reader = new SqliteSql(this.readDb)
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      // IMMEDIATE takes the write lock at once, so no read-then-upgrade deadlock with another process.
      this.writeDb.exec('BEGIN IMMEDIATE')
      try {
        const result = await fn(this.writer)
        this.writeDb.exec('COMMIT')
        return result
      } catch (error) {
        if (this.writeDb.inTransaction) this.writeDb.exec('ROLLBACK')
        throw error
      }
    })
  }

  async migrate(): Promise<void> {
    await this.transaction((tx) => applyMigrations(tx))
  }

  /** Idempotent: a second call does nothing. */
  async close(): Promise<void> {
    // Waits for a running transaction to finish before closing under it.
    await this.mutex.run(async () => {
      if (!this.writeDb.open) return
      this.readDb.close()
      this.writeDb.close()
    })
  }

  /** One process per SQLite file: the in-process listeners are everyone. */
  protected async announce(_tx: Sql, _notice: ChangeNotice): Promise<void> {}
}
