/**
 * One dedicated PostgreSQL connection that LISTENs on a channel and reconnects when it drops (a
 * database restart, a failover, an idle-connection killer). Pool connections cannot LISTEN: they
 * are handed to other queries and released. Notices missed while reconnecting are lost; clients
 * never depend on them for correctness, they only pull sooner.
 */
import pg from 'pg'

const FIRST_RETRY_MS = 200
const MAX_RETRY_MS = 10_000

export class PgListener {
  private client: pg.Client | null = null
  private closed = false
  private retryMs = FIRST_RETRY_MS
  private timer: NodeJS.Timeout | null = null
  private ready = pending()

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
  ) {
    void this.connect()
  }

  /** Resolves once LISTEN is active (again, after a reconnect). */
  listening(): Promise<void> {
    return this.ready.promise
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    const client = this.client
    this.client = null
    await client?.end().catch(() => undefined)
  }

  private async connect(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client(this.config)
    // Both fire when the connection dies; only the first schedules a retry.
    let dropped = false
    const drop = () => {
      if (dropped) return
      dropped = true
      if (this.client === client) this.client = null
      void client.end().catch(() => undefined)
      this.retry()
    }
    client.on('error', drop)
    client.on('end', drop)
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined)
        this.onPayload(message.payload)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${this.channel}`)
    } catch {
      drop()
      return
    }
    if (this.closed) {
      await client.end().catch(() => undefined)
      return
    }
    this.client = client
    this.retryMs = FIRST_RETRY_MS
    this.ready.resolve()
  }

  private retry(): void {
    if (this.closed) return
    if (this.ready.settled) this.ready = pending()
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.connect()
    }, delay)
  }
}

interface Pending {
  promise: Promise<void>
  resolve: () => void
  settled: boolean
}

function pending(): Pending {
  const state: Pending = { promise: Promise.resolve(), resolve: () => {}, settled: false }
  state.promise = new Promise((resolve) => {
    state.resolve = () => {
      state.settled = true
      resolve()
    }
  })
  return state
}
