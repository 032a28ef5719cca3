/**
 * PostgreSQL only: the pull cursor under a long-running concurrent transaction, and several
 * instances on one database (notices, serialized merges, a dropped LISTEN connection).
 */
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LISTENER_NAME, PostgresStore } from '../../../src/server/store/postgres.ts'
import { pushOps } from '../../../src/server/store/push.ts'
import { int, text } from '../../../src/server/store/rows.ts'
import type { ChangeNotice } from '../../../src/server/store/store.ts'
import { PG_URL, dropSchema, freshSchema, requirePostgres } from './backends.ts'
import { ALL, MONTH, addUser, makeContext, makeOp, waitFor } from './builders.ts'

const enabled = requirePostgres()

let schema = ''
let stores: PostgresStore[] = []
let clients: pg.Client[] = []

/** A store (an "instance") on this test's schema. */
async function instance(): Promise<PostgresStore> {
  const store = new PostgresStore({ databaseUrl: PG_URL, schema, poolSize: 4 })
  stores.push(store)
  await store.migrate()
  return store
}

/** A raw connection on this test's schema. */
async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` })
  clients.push(client)
  await client.connect()
  return client
}

async function scalar(client: pg.Client, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await client.query<Record<string, unknown>>(sql, values)
  return rows[0] ? int(rows[0], 'n') : 0
}

describe.runIf(enabled)('PostgreSQL store', () => {
  beforeEach(() => {
    schema = freshSchema()
  })

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)))
    await Promise.all(stores.map((store) => store.close()))
    await dropSchema(schema)
    clients = []
    stores = []
  })

  it('a pull never skips a change that commits late: the next writer waits', async () => {
    const store = await instance()
    const admin = await connect()
    const user = await addUser(store)
    await store.push(makeContext(user), [makeOp({ unitCode: '00001' })])
    const cursor = BigInt((await store.pull(ALL, 0n, 100)).cursor)

    // Transaction A takes the next change_seq and stays open.
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let pidA = 0
    const a = store.transaction(async (tx) => {
      const [row] = await tx.all('SELECT pg_backend_pid() AS pid')
      const pushed = await pushOps(tx, makeContext(user, { deviceId: 'device-a-1' }), [
        makeOp({ unitCode: '00002' }),
      ])
      pidA = row ? int(row, 'pid') : -1
      await gate
      return pushed
    })
    await waitFor(() => pidA !== 0)

    // Transaction B, a later change, cannot take its number until A ends.
    const b = store.push(makeContext(user, { deviceId: 'device-b-1' }), [
      makeOp({ unitCode: '00003' }),
    ])
    const blockedByA =
      'SELECT COUNT(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))'
    await waitFor(async () => (await scalar(admin, blockedByA, [pidA])) > 0)

    const during = await store.pull(ALL, cursor, 100)
    expect(during).toEqual({ changes: [], cursor: String(cursor), more: false, remaining: 0 })

    release()
    await Promise.all([a, b])
    const after = await store.pull(ALL, BigInt(during.cursor), 100)
    expect(after.changes.map((change) => change.unitCode)).toEqual(['00002', '00003'])
  })

  it('shows why: with an identity column the same interleaving skips a change', async () => {
    const admin = await connect()
    await admin.query(`CREATE SCHEMA ${schema}`)
    await admin.query('CREATE TABLE naive (id BIGINT GENERATED ALWAYS AS IDENTITY, unit TEXT)')
    const a = await connect()
    const b = await connect()
    await a.query('BEGIN')
    await a.query("INSERT INTO naive (unit) VALUES ('A')") // takes id 1, stays open
    await b.query("INSERT INTO naive (unit) VALUES ('B')") // takes id 2, commits
    const first = await admin.query<Record<string, unknown>>(
      'SELECT id, unit FROM naive WHERE id > 0 ORDER BY id',
    )
    expect(first.rows.map((row) => text(row, 'unit'))).toEqual(['B'])
    const cursor = first.rows.map((row) => int(row, 'id')).at(-1)
    await a.query('COMMIT')
    const next = await admin.query('SELECT id FROM naive WHERE id > $1', [cursor])
    expect(next.rows).toEqual([]) // A's change, committed, is never pulled
    expect(await scalar(admin, "SELECT COUNT(*) AS n FROM naive WHERE unit = 'A'")).toBe(1)
  })

  it('a push through one instance pokes the other, after commit only', async () => {
    const one = await instance()
    const two = await instance()
    const notices: ChangeNotice[] = []
    two.onChange((notice) => notices.push(notice))
    await two.listening()
    const context = makeContext(await addUser(one))

    const failing = { ...context, check: (): null => failWith('rolled back') }
    await expect(one.push(failing, [makeOp({ unitCode: '00009' })])).rejects.toThrow()
    await one.push(context, [makeOp({ unitCode: '00001' }), makeOp({ unitCode: '00002', seq: 2 })])
    await waitFor(() => notices.length > 0)
    expect(notices).toEqual([{ unitCodes: ['00001', '00002'] }])
    expect((await two.pull(ALL, 0n, 10)).changes).toHaveLength(2)
  })

  it('ignores notices from another schema on the same database', async () => {
    const mine = await instance()
    const notices: ChangeNotice[] = []
    mine.onChange((notice) => notices.push(notice))
    await mine.listening()
    const other = new PostgresStore({ databaseUrl: PG_URL, schema: freshSchema(), poolSize: 2 })
    try {
      await other.migrate()
      await other.push(makeContext(await addUser(other)), [makeOp()])
      await mine.push(makeContext(await addUser(mine)), [makeOp({ unitCode: '00007' })])
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(notices).toEqual([{ unitCodes: ['00007'] }]) // its own, emitted locally
    } finally {
      await other.close()
      if (other.schema !== null) await dropSchema(other.schema)
    }
  })

  it('listens again after its connection is killed', async () => {
    const one = await instance()
    const two = await instance()
    const admin = await connect()
    const notices: ChangeNotice[] = []
    two.onChange((notice) => notices.push(notice))
    await two.listening()
    // Every instance of this schema has one listener; kill them all.
    const pidsOf = async () => {
      const { rows } = await admin.query<Record<string, unknown>>(
        'SELECT pid AS n FROM pg_stat_activity WHERE application_name = $1',
        [`${LISTENER_NAME}:${schema}`],
      )
      return rows.map((row) => int(row, 'n'))
    }
    const killed = await pidsOf()
    expect(killed).toHaveLength(2)
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [killed])
    await waitFor(async () => {
      const pids = await pidsOf()
      return pids.length === 2 && pids.every((pid) => !killed.includes(pid))
    })
    await two.listening()
    await one.push(makeContext(await addUser(one)), [makeOp()])
    await waitFor(() => notices.length > 0)
  })

  it('serializes concurrent edits of one month from two instances: no lost update', async () => {
    const one = await instance()
    const two = await instance()
    const user = await addUser(one)
    const edits = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? one : two).push(makeContext(user, { deviceId: `device-${i}-x` }), [
        makeOp({ note: `n${i}` }),
      ]),
    )
    const results = (await Promise.all(edits)).map((response) => response.results[0])
    const versions = results.map((result) => (result && 'version' in result ? result.version : 0))
    expect(versions.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    const [entry] = (await one.pull(ALL, 0n, 10)).changes
    expect(entry).toMatchObject({ month: MONTH, version: 20 })
    // Every losing note is kept: 19 conflicts, one per overwritten value.
    expect(entry?.conflicts).toHaveLength(19)
  })
})

function failWith(message: string): never {
  throw new Error(message)
}
