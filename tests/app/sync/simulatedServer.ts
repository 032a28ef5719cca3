/**
 * The real SoHoa server for the sync simulation: buildApp over an SqliteStore, reached through
 * `app.inject` (no sockets, so a run is fast and a restart is instant), and restartable on its
 * SQLite file. Accounts are made once in a template database that each run copies, because scrypt
 * hashing and signing in are not what the simulation tests and would dominate its time.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildDemo } from '../../../src/domain/demo.ts'
import type { LoginResponse, Role } from '../../../src/domain/sync/protocol.ts'
import { buildApp } from '../../../src/server/app.ts'
import { createAccount } from '../../../src/server/auth/accounts.ts'
import { buildUnitTree } from '../../../src/server/auth/scope.ts'
import { SQLITE_FILE, SqliteStore } from '../../../src/server/store/sqlite.ts'
import type { Row } from '../../../src/server/store/sql.ts'
import { createTransport } from '../../../src/app/sync/transport.ts'
import {
  toResponse,
  toWireRequest,
  type Endpoint,
  type WireRequest,
  type WireResponse,
} from './simulatedNetwork.ts'

const PASSWORD = 'mật khẩu đủ dài'

export interface AccountSpec {
  username: string
  role: Role
  unitCodes: string[]
}

/** A database with units and accounts, and a session for each account. */
export interface Template {
  dir: string
  logins: ReadonlyMap<string, LoginResponse>
}

async function boot(dataDir: string): Promise<{ app: FastifyInstance; store: SqliteStore }> {
  const store = new SqliteStore(dataDir)
  await store.migrate()
  const app = await buildApp({ store })
  await app.ready()
  return { app, store }
}

/** Creates the template database: demo units, `accounts`, one sign-in each. */
export async function makeTemplate(accounts: readonly AccountSpec[]): Promise<Template> {
  const dir = await mkdtemp(join(tmpdir(), 'sohoa-sim-template-'))
  const server = await SimulatedServer.open(dir)
  const store = server.currentStore
  await store.putUnits(buildDemo({ endMonth: '2025-12' }).units)
  const tree = buildUnitTree(await store.listUnits())
  const transport = createTransport({
    fetch: async (url, init) => toResponse(await server.handle(toWireRequest(url, init))),
    navigator: { onLine: true },
  })
  const logins = new Map<string, LoginResponse>()
  for (const account of accounts) {
    await createAccount(store, tree, { ...account, password: PASSWORD })
    logins.set(
      account.username,
      await transport.login({ username: account.username, password: PASSWORD }),
    )
  }
  await server.close()
  return { dir, logins }
}

/** The server of one run, on a copy of the template database. */
export class SimulatedServer implements Endpoint {
  restarts = 0

  private constructor(
    readonly dataDir: string,
    private app: FastifyInstance,
    private store: SqliteStore,
  ) {}

  static async open(dataDir: string): Promise<SimulatedServer> {
    const { app, store } = await boot(dataDir)
    return new SimulatedServer(dataDir, app, store)
  }

  /** A server on a fresh copy of `template`'s database. */
  static async fromTemplate(template: Template): Promise<SimulatedServer> {
    const dir = await mkdtemp(join(tmpdir(), 'sohoa-sim-'))
    // The template was closed, so its WAL is checkpointed; copy any leftover file all the same.
    for (const name of await readdir(template.dir)) {
      if (name.startsWith(SQLITE_FILE)) await copyFile(join(template.dir, name), join(dir, name))
    }
    return SimulatedServer.open(dir)
  }

  get currentStore(): SqliteStore {
    return this.store
  }

  async handle(request: WireRequest): Promise<WireResponse> {
    const response = await this.app.inject({
      method: request.method,
      url: request.path,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    })
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined)
        headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
    }
    return { status: response.statusCode, headers, body: response.body }
  }

  /**
   * A process restart: the app and the store are closed (the store waits for a running
   * transaction) and new ones open the same file. The simulation runs one actor at a time, so no
   * other request is inside the old instance meanwhile.
   */
  async restart(): Promise<void> {
    await this.app.close()
    await this.store.close()
    const { app, store } = await boot(this.dataDir)
    this.app = app
    this.store = store
    this.restarts++
  }

  /** Reads through the store's own connection, inside one of its transactions. */
  query(sql: string): Promise<Row[]> {
    return this.store.transaction((tx) => tx.all(sql))
  }

  async close(): Promise<void> {
    await this.app.close()
    await this.store.close()
  }

  async destroy(): Promise<void> {
    await this.close()
    await rm(this.dataDir, { recursive: true, force: true })
  }
}
