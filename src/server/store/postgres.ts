/**
 * PostgreSQL, for several stateless instances on one database. Changes reach the other instances
 * through NOTIFY, sent inside the writing transaction (PostgreSQL delivers it at commit, never on
 * rollback) and received by one dedicated LISTEN connection per store.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { applyMigrations } from './migrations.ts'
import { PgListener } from './pgListener.ts'
import { storable, toPgPlaceholders, type Row, type Sql, type SqlValue } from './sql.ts'
import { SqlStore } from './sqlStore.ts'
import type { ChangeNotice } from './store.ts'

/** The NOTIFY channel; database-wide, so payloads carry the schema and are filtered by it. */
export const CHANGE_CHANNEL = 'sohoa_changes'
export const LISTENER_NAME = 'sohoa-listen'
/** First key of the migration advisory lock ("SoHo" in ASCII); the second is the schema's hash. */
const MIGRATION_LOCK = 0x536f486f
/** NOTIFY payloads must stay under 8000 bytes; a large batch is split into several notices. */
const MAX_PAYLOAD = 6000
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/
/**
 * A transaction left open by an instance that stopped talking (a frozen process, or a host gone
 * without closing its connections) would keep the change_seq row lock until TCP keepalive gives
 * up on it, over two hours by default, and every push on every instance would wait behind it.
 * PostgreSQL ends a session idle this long inside a transaction, rolling it back. Ours are idle
 * for milliseconds between statements; the app's push times out after 45 s.
 */
const IDLE_IN_TRANSACTION_MS = 30_000

export interface PostgresOptions {
  databaseUrl: string
  /** Schema to use instead of the search_path default; created by migrate(). */
  schema?: string
  poolSize?: number
  /** How long a transaction may sit idle before PostgreSQL ends it; tests shorten it. */
  idleInTransactionMs?: number
}

type Query = (text: string, values: unknown[]) => Promise<pg.QueryResult<Row>>

class PgSql implements Sql {
  readonly dialect = 'postgres'

  constructor(private readonly query: Query) {}

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return (await this.query(toPgPlaceholders(sql), storable(params).map(bind))).rows
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(toPgPlaceholders(sql), storable(params).map(bind))).rowCount ?? 0
  }
}

/** pg sends a bigint with toString() already; being explicit keeps JSON.stringify out of it. */
function bind(value: SqlValue): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres'
  readonly schema: string | null
  protected readonly reader: Sql
  private readonly clientConfig: pg.ClientConfig
  /** Opens a transaction with its idle timeout. */
  private readonly begin: string
  private readonly pool: pg.Pool
  /** Tells this instance's own notices apart from other instances'. */
  private readonly instanceId = randomUUID()
  private readonly listener: PgListener
  private closed = false

  constructor(options: PostgresOptions) {
    super()
    const schema = options.schema ?? null
    if (schema !== null && !SCHEMA_NAME.test(schema))
      throw new RangeError(`Schema name must match ${SCHEMA_NAME}: ${schema}`)
    this.schema = schema
    const idle = Math.round(options.idleInTransactionMs ?? IDLE_IN_TRANSACTION_MS)
    // Set per transaction, in the same round trip as BEGIN, rather than as a startup option:
    // PgBouncer in transaction pooling refuses startup options.
    this.begin = `BEGIN; SET LOCAL idle_in_transaction_session_timeout = ${idle}`
    this.clientConfig = {
      connectionString: options.databaseUrl,
      ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
    }
    this.pool = new pg.Pool({ ...this.clientConfig, max: options.poolSize ?? 10 })
    // An idle pooled connection that dies is dropped by the pool; the next query opens a new one.
    this.pool.on('error', () => undefined)
    this.reader = new PgSql((text, values) => this.pool.query<Row>(text, values))
    // Listen from the start, not at the first onChange: by the time a client can push through
    // another instance, this one is already listening.
    this.listener = this.listen()
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken: Error | undefined
    // A connection lost between two statements (the idle timeout above, a failover) is reported
    // as an event, not as a query's error, and an unheard 'error' event ends the process. Heard,
    // it only fails this transaction: the next query rejects and the connection is destroyed.
    const onError = (error: Error): void => {
      broken = error
    }
    client.on('error', onError)
    try {
      await client.query(this.begin)
      const result = await fn(new PgSql((text, values) => client.query<Row>(text, values)))
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError
      })
      throw error
    } finally {
      client.off('error', onError)
      // A connection whose ROLLBACK failed is in an unknown state: destroy it, do not reuse it.
      client.release(broken)
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (tx) => {
      // Two instances starting together: the second waits here, then finds everything applied.
      await tx.all('SELECT pg_advisory_xact_lock(?, hashtext(?))', [
        MIGRATION_LOCK,
        this.schema ?? 'public',
      ])
      if (this.schema !== null) await tx.run(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`)
      await applyMigrations(tx)
    })
  }

  /** Resolves once this store receives other instances' notices (LISTEN is active). */
  listening(): Promise<void> {
    return this.listener.listening()
  }

  /** Idempotent: a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.listener.close()
    await this.pool.end()
  }

  protected async announce(tx: Sql, notice: ChangeNotice): Promise<void> {
    for (const unitCodes of chunks(notice.unitCodes)) {
      const payload: NoticePayload = { s: this.schema ?? '', i: this.instanceId, u: unitCodes }
      await tx.all('SELECT pg_notify(?, ?)', [CHANGE_CHANNEL, JSON.stringify(payload)])
    }
  }

  private listen(): PgListener {
    // Named so operators (and the reconnect test) can find it in pg_stat_activity.
    const name = this.schema === null ? LISTENER_NAME : `${LISTENER_NAME}:${this.schema}`
    const config = { ...this.clientConfig, application_name: name }
    return new PgListener(config, CHANGE_CHANNEL, (payload) => {
      const notice = parsePayload(payload)
      // This instance's own changes were already emitted right after its commit.
      if (notice === null || notice.s !== (this.schema ?? '') || notice.i === this.instanceId)
        return
      this.emit({ unitCodes: notice.u })
    })
  }
}

/** s: schema, i: sending instance, u: unit codes. Short keys: the payload limit is small. */
interface NoticePayload {
  s: string
  i: string
  u: string[]
}

function parsePayload(payload: string): NoticePayload | null {
  let value: unknown
  try {
    value = JSON.parse(payload)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const s: unknown = Reflect.get(value, 's')
  const i: unknown = Reflect.get(value, 'i')
  const u: unknown = Reflect.get(value, 'u')
  if (typeof s !== 'string' || typeof i !== 'string' || !Array.isArray(u)) return null
  return { s, i, u: u.filter((code): code is string => typeof code === 'string') }
}

function chunks(unitCodes: readonly string[]): string[][] {
  const result: string[][] = [[]]
  let size = 0
  for (const code of unitCodes) {
    if (size + code.length + 3 > MAX_PAYLOAD) {
      result.push([])
      size = 0
    }
    result.at(-1)?.push(code)
    size += code.length + 3
  }
  return result
}
