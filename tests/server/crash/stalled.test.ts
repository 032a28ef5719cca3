/**
 * PostgreSQL: an instance that stops talking in the middle of a push. SIGKILL closes a process's
 * connections, so PostgreSQL rolls its transaction back at once (sigkill.test.ts); a frozen process
 * or a host that lost power or network closes nothing, and its transaction would keep the change
 * lock, stalling every other instance's pushes until TCP keepalive gave up, hours later.
 */
import { performance } from 'node:perf_hooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PostgresStore } from '../../../src/server/store/postgres.ts'
import { pushOps } from '../../../src/server/store/push.ts'
import { ALL, addUser, makeContext, makeOp } from '../store/builders.ts'
import { PG_URL, dropSchema, freshSchema, requirePostgres } from '../store/backends.ts'

const enabled = requirePostgres()
/** Shortened from the 30 s default so the test waits half a second, not half a minute. */
const IDLE_MS = 500

describe.runIf(enabled)('an instance frozen mid-push on PostgreSQL', () => {
  let schema = ''
  let stores: PostgresStore[] = []
  let thaw = (): void => undefined
  const instance = async (): Promise<PostgresStore> => {
    const store = new PostgresStore({ databaseUrl: PG_URL, schema, idleInTransactionMs: IDLE_MS })
    stores.push(store)
    await store.migrate()
    return store
  }
  beforeEach(() => {
    schema = freshSchema()
    stores = []
  })
  afterEach(async () => {
    thaw() // a failed test must not leave the frozen transaction holding the stores open
    await Promise.all(stores.map((store) => store.close()))
    await dropSchema(schema)
  })

  it('holds the other instances up for the idle timeout only, and its push is rolled back', async () => {
    const frozen = await instance()
    const other = await instance()
    const user = await addUser(frozen)
    // Another commune: what the frozen push holds is the change lock every push takes, not a row.
    const stuckOp = makeOp({ unitCode: '00002' })
    let stopped = (): void => undefined
    const hasStopped = new Promise<void>((resolve) => (stopped = resolve))
    const stuck = frozen.transaction(async (tx) => {
      // The real push, which takes the change lock first, then nothing more from this process.
      await pushOps(tx, makeContext(user, { deviceId: 'frozen-phone' }), [stuckOp])
      stopped()
      await new Promise<void>((resolve) => (thaw = resolve))
      await tx.all('SELECT 1')
    })
    const settled = stuck.then(
      () => 'committed',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    )
    await hasStopped

    const started = performance.now()
    const pushed = await Promise.race([
      other.push(makeContext(user, { deviceId: 'other-phone' }), [makeOp()]),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the push waited 10 s behind a frozen one')), 10_000),
      ),
    ])
    const waited = performance.now() - started
    expect(pushed.results[0]).toMatchObject({ status: 'applied', version: 1 })
    expect(waited).toBeGreaterThanOrEqual(IDLE_MS * 0.8)

    thaw()
    expect(await settled).toMatch(/idle-in-transaction|terminat|not queryable/i)
    // Nothing of the frozen push stayed: its phone, never answered, sends it again and it applies.
    const resent = await other.push(makeContext(user, { deviceId: 'frozen-phone' }), [stuckOp])
    expect(resent.results[0]).toMatchObject({ status: 'applied', version: 1 })
    const { changes } = await other.pull(ALL, 0n, 10)
    expect(changes.map((change) => [change.unitCode, change.version])).toEqual([
      ['00001', 1],
      ['00002', 1],
    ])
  }, 20_000)
})
