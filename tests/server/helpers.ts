/**
 * Builders for the server tests: real stores (an SQLite file in a temp dir, or a fresh schema on the
 * test PostgreSQL), the demo units, one account per role, and op builders.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { buildDemo } from '../../src/domain/demo.ts'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
  type EntryPutOp,
  type Role,
  type TargetPutOp,
} from '../../src/domain/sync/protocol.ts'
import { buildApp, type BuildAppOptions } from '../../src/server/app.ts'
import { hashPassword } from '../../src/server/auth/password.ts'
import { openStore } from '../../src/server/store/open.ts'
import type { Store, UserRecord } from '../../src/server/store/store.ts'

export type Backend = 'sqlite' | 'postgres'

export const PG_URL =
  process.env.SOHOA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch (error) {
    // In CI a missing PostgreSQL is a broken environment, not a reason to skip half the suite.
    if (process.env.CI)
      throw new Error(`PostgreSQL is required in CI at ${PG_URL}: ${String(error)}`)
    return false
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Whether the PostgreSQL runs happen; they are skipped (with a notice) only outside CI. */
export const HAS_PG = await pgReachable()
if (!HAS_PG) console.warn(`PostgreSQL not reachable at ${PG_URL}: its server tests are skipped`)

/** The backends to run a suite on. */
export const BACKENDS: readonly Backend[] = HAS_PG ? ['sqlite', 'postgres'] : ['sqlite']

export interface TestStore {
  store: Store
  /** For a second store on the same database (PostgreSQL) or file (SQLite). */
  open(): Promise<Store>
  /** Closes the store and removes its file or schema. */
  dispose(): Promise<void>
}

export async function makeStore(backend: Backend): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'sohoa-store-'))
    const open = () => openStore({ dataDir })
    const store = await open()
    await store.migrate()
    return {
      store,
      open,
      async dispose() {
        await store.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  }
  const schema = `t_server_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const open = () => openStore({ databaseUrl: PG_URL, dataDir: '', schema })
  const store = await open()
  await store.migrate()
  return {
    store,
    open,
    async dispose() {
      await store.close()
      const client = new pg.Client({ connectionString: PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
    },
  }
}

/** The password of every test account. */
export const PASSWORD = 'correct horse battery'

/** The accounts of the authorization matrix. */
export const ACCOUNTS = {
  reporter: { role: 'reporter', unitCodes: ['99019'] },
  otherReporter: { role: 'reporter', unitCodes: ['99022'] },
  viewer: { role: 'viewer', unitCodes: ['99'] },
  admin: { role: 'admin', unitCodes: [] },
  deactivated: { role: 'reporter', unitCodes: ['99025'] },
} as const satisfies Record<string, { role: Role; unitCodes: readonly string[] }>

export type AccountName = keyof typeof ACCOUNTS

let passwordHash: Promise<string> | undefined

/** Demo units and one user per entry of ACCOUNTS (username = the key in lower case). */
export async function seedAccounts(store: Store): Promise<Record<AccountName, UserRecord>> {
  await store.putUnits(buildDemo({ endMonth: '2025-12' }).units)
  // One cheap hash for every account: scrypt is slow on purpose, and the tests sign in a lot.
  // Verification reads the cost from the hash, so the production path is still the one tested.
  passwordHash ??= hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 })
  const hash = await passwordHash
  const make = (name: AccountName) =>
    store.createUser({
      username: name.toLowerCase(),
      displayName: name.toLowerCase(),
      role: ACCOUNTS[name].role,
      unitCodes: [...ACCOUNTS[name].unitCodes],
      passwordHash: hash,
    })
  const [reporter, otherReporter, viewer, admin, deactivated] = await Promise.all([
    make('reporter'),
    make('otherReporter'),
    make('viewer'),
    make('admin'),
    make('deactivated'),
  ])
  await store.updateUser(deactivated.id, { active: false })
  return {
    reporter,
    otherReporter,
    viewer,
    admin,
    deactivated: { ...deactivated, active: false },
  }
}

export interface TestApp {
  app: FastifyInstance
  store: Store
  users: Record<AccountName, UserRecord>
  dispose(): Promise<void>
}

/** A store with the test accounts and an app on it; no static files. */
export async function makeApp(
  backend: Backend,
  options: Partial<BuildAppOptions> = {},
): Promise<TestApp> {
  const testStore = await makeStore(backend)
  const users = await seedAccounts(testStore.store)
  const app = await buildApp({ store: testStore.store, ...options })
  return {
    app,
    store: testStore.store,
    users,
    async dispose() {
      await app.close()
      await testStore.dispose()
    },
  }
}

/** Signs in through the API and returns the bearer token. */
export async function login(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  })
  if (response.statusCode !== 200) throw new Error(`login ${username}: ${response.body}`)
  const body: unknown = response.json()
  if (typeof body !== 'object' || body === null || !('token' in body)) throw new Error('no token')
  return String(body.token)
}

/** Headers of a current client. */
export function syncHeaders(token?: string): Record<string, string> {
  return {
    [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
    [HEADER_SCHEMA]: String(SCHEMA_VERSION),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  }
}

let seqCounter = 0

/** An op with plausible values; override what the test is about. */
export function makeOp(overrides: Partial<EntryPutOp> = {}): EntryPutOp {
  seqCounter += 1
  return {
    id: randomUUID(),
    seq: seqCounter,
    kind: 'entry.put',
    unitCode: '99019',
    month: '2025-09',
    counts: { received: 120, digitized: 80 },
    note: '',
    baseVersion: null,
    createdAt: '2025-09-28T03:00:00.000Z',
    ...overrides,
  }
}

/** A target op: communes of province 99, digitization 2025, 80%; override what the test is about. */
export function makeTargetOp(overrides: Partial<TargetPutOp> = {}): TargetPutOp {
  seqCounter += 1
  return {
    id: randomUUID(),
    seq: seqCounter,
    kind: 'target.put',
    indicator: 'digitization',
    year: 2025,
    unitCode: '99',
    level: 'commune',
    basisPoints: 8000,
    maxPoints: 10,
    createdAt: '2025-09-28T03:00:00.000Z',
    ...overrides,
  }
}

/** A device id bound to `user`, as the app builds it. */
export function deviceOf(user: UserRecord, install = 'install-0001'): string {
  return `${install}:${user.id}`
}

/** Asserts an RFC 9457 answer and returns its body. */
export function problemOf(response: LightMyRequestResponse): {
  type: string
  status: number
  detail?: string
  errors?: { path: string; message: string }[]
} {
  const contentType = String(response.headers['content-type'])
  if (!contentType.startsWith('application/problem+json')) {
    throw new Error(`not a problem (${response.statusCode} ${contentType}): ${response.body}`)
  }
  const body = response.json<{ type: string; status: number }>()
  if (body.status !== response.statusCode) throw new Error('status mismatch')
  return body
}
