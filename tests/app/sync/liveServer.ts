/**
 * The real SoHoa server for the client's sync tests: buildApp on an SQLite store in a temp dir,
 * listening on 127.0.0.1 on a free port, reached with Node's fetch. Each "phone" is a fake-indexeddb
 * database of its own with the app's real db, transport and sync code.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildDemo } from '../../../src/domain/demo.ts'
import type { EntryChange, Role } from '../../../src/domain/sync/protocol.ts'
import { buildApp } from '../../../src/server/app.ts'
import { createAccount } from '../../../src/server/auth/accounts.ts'
import { buildUnitTree } from '../../../src/server/auth/scope.ts'
import { openStore } from '../../../src/server/store/open.ts'
import type { Store, UserRecord } from '../../../src/server/store/store.ts'
import { saveEntry, type EntryInput } from '../../../src/app/db/entries.ts'
import { getInstallId } from '../../../src/app/db/meta.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { getSession, signIn } from '../../../src/app/db/session.ts'
import { syncPass } from '../../../src/app/sync/run.ts'
import { createTransport, type FetchLike, type Transport } from '../../../src/app/sync/transport.ts'
import type { EntryRecord, EntryReview, TargetRecord } from '../../../src/app/db/schema.ts'
import { reviewMonth, type ReviewInput } from '../../../src/app/db/reviews.ts'
import type { ReviewActor } from '../../../src/domain/review.ts'
import { saveTarget, type TargetInput } from '../../../src/app/db/targets.ts'

/** Every test account's password (the server wants at least 10 characters). */
export const PASSWORD = 'mật khẩu đủ dài'

export interface LiveServer {
  baseUrl: string
  store: Store
  /** Moves the server's clock, e.g. past a session's expiry. */
  advanceClock(ms: number): void
  createUser(username: string, unitCodes: string[], role?: Role): Promise<UserRecord>
  /** The server's current entry of one unit and month, read from its store. */
  entryOnServer(unitCode: string, month: string): Promise<EntryChange | undefined>
  close(): Promise<void>
}

export async function startServer(): Promise<LiveServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sohoa-sync-'))
  const store = await openStore({ dataDir })
  await store.migrate()
  await store.putUnits(buildDemo({ endMonth: '2025-12' }).units)
  const tree = buildUnitTree(await store.listUnits())
  let offset = 0
  const app = await buildApp({
    store,
    now: () => new Date(Date.now() + offset),
    loginRateLimit: { max: 1000, timeWindow: 60_000 },
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP')
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    store,
    advanceClock(ms) {
      offset += ms
    },
    createUser: (username, unitCodes, role = 'reporter') =>
      createAccount(store, tree, { username, role, unitCodes, password: PASSWORD }),
    async entryOnServer(unitCode, month) {
      const page = await store.pull({ all: true }, 0n, 1000)
      return page.changes.find((c) => c.unitCode === unitCode && c.month === month)
    },
    async close() {
      await app.close()
      await store.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A phone: its own database, a transport to the live server, and a switchable network. */
export class Phone {
  readonly db = new SohoaDb(`sohoa-phone-${crypto.randomUUID()}`)
  readonly transport: Transport
  /** Requests whose path starts with this get handled by the server, then lose their answer. */
  dropAnswerOf: string | null = null
  /** Every answer the phone received, by path, for assertions on what the server said. */
  readonly answers: { path: string; body: unknown }[] = []

  constructor(baseUrl: string) {
    const fetch: FetchLike = async (url, init) => {
      const path = url.slice(baseUrl.length)
      const response = await globalThis.fetch(url, init)
      if (this.dropAnswerOf !== null && path.startsWith(this.dropAnswerOf)) {
        this.dropAnswerOf = null
        // The server has committed; only the answer is lost on the way back.
        await response.arrayBuffer()
        throw new TypeError('fetch failed')
      }
      const copy = response.clone()
      if (copy.headers.get('content-type')?.includes('json')) {
        this.answers.push({ path, body: await copy.json() })
      }
      return response
    }
    this.transport = createTransport({ baseUrl, fetch, navigator: { onLine: true } })
  }

  /** Signs in online; resolves to how many unowned changes the user claimed. */
  async signIn(username: string): Promise<number> {
    const response = await this.transport.login({ username, password: PASSWORD })
    return (await signIn(this.db, response)).claimed
  }

  /** Who a change made now belongs to: whoever is signed in (or nobody). */
  private async author() {
    const user = (await getSession(this.db))?.user ?? null
    return {
      deviceId: await getInstallId(this.db),
      userId: user?.id ?? null,
      username: user?.username ?? null,
    }
  }

  /** Saves like the entry form does, as whoever is signed in (or nobody). */
  async save(
    input: Partial<EntryInput> & Pick<EntryInput, 'unitCode' | 'month'>,
  ): Promise<EntryRecord> {
    return saveEntry(this.db, { counts: {}, note: '', ...input }, await this.author())
  }

  /** Sets a target like the targets screen does: digitization 2025 at 80% unless told otherwise. */
  async saveTarget(
    input: Partial<TargetInput> & Pick<TargetInput, 'unitCode' | 'level'>,
  ): Promise<TargetRecord> {
    const defaults: Omit<TargetInput, 'unitCode' | 'level'> = {
      indicator: 'digitization',
      year: 2025,
      basisPoints: 8000,
      maxPoints: 10,
    }
    return saveTarget(this.db, { ...defaults, ...input }, await this.author())
  }

  /** Reviews a month like the review screen does, as whoever is signed in, playing `actor`. */
  async review(input: ReviewInput, actor: ReviewActor): Promise<EntryReview> {
    return reviewMonth(this.db, input, await this.author(), actor)
  }

  /** One sync pass, as the engine runs it. */
  async sync(): Promise<void> {
    const session = await getSession(this.db)
    if (session === null) throw new Error('not signed in')
    await syncPass({
      db: this.db,
      transport: this.transport,
      session,
      now: () => new Date(),
      onProgress: () => undefined,
    })
  }

  /** The signed-in user's id, or null. */
  async userId(): Promise<string | null> {
    return (await getSession(this.db))?.user.id ?? null
  }

  entry(unitCode: string, month: string): Promise<EntryRecord | undefined> {
    return this.db.entries.get(`${unitCode}/${month}`)
  }

  async close(): Promise<void> {
    await this.db.delete()
  }
}
