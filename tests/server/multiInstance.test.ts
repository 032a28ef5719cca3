/**
 * Two server instances on one PostgreSQL, as behind a load balancer: each has its own store (own
 * pool, own LISTEN connection) on the same schema and listens on its own port. A push through A is
 * pulled through B, and an event stream open on B is poked about it (NOTIFY → LISTEN).
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PullResponse, PushResponse } from '../../src/domain/sync/protocol.ts'
import { buildApp } from '../../src/server/app.ts'
import type { Store, UserRecord } from '../../src/server/store/store.ts'
import {
  HAS_PG,
  PASSWORD,
  deviceOf,
  makeOp,
  makeStore,
  seedAccounts,
  syncHeaders,
  type TestStore,
} from './helpers.ts'
import { openSse } from './sse.ts'

async function loginAt(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  expect(response.status).toBe(200)
  const body: { token: string } = await response.json()
  return body.token
}

describe.runIf(HAS_PG)('two instances on one PostgreSQL', () => {
  let shared: TestStore
  let storeB: Store
  let a: FastifyInstance
  let b: FastifyInstance
  let baseA: string
  let baseB: string
  let reporter: UserRecord

  beforeAll(async () => {
    shared = await makeStore('postgres')
    reporter = (await seedAccounts(shared.store)).reporter
    storeB = await shared.open()
    a = await buildApp({ store: shared.store })
    b = await buildApp({ store: storeB })
    baseA = await a.listen({ port: 0, host: '127.0.0.1' })
    baseB = await b.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await storeB?.close()
    await shared?.dispose()
  })

  it('pulls through B and pokes B’s stream about a push through A', async () => {
    expect(baseA).not.toBe(baseB)
    // A session made on A is valid on B: sessions live in the database, no stickiness needed.
    const reporterToken = await loginAt(baseA, 'reporter')
    const viewerToken = await loginAt(baseB, 'viewer')
    const stream = await openSse(`${baseB}/api/events?token=${viewerToken}`)
    expect(stream.status).toBe(200)

    const op = makeOp({
      unitCode: '99019',
      month: '2025-09',
      counts: { received: 42, digitized: 40 },
    })
    const pushed = await fetch(`${baseA}/api/sync/push`, {
      method: 'POST',
      headers: { ...syncHeaders(reporterToken), 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: deviceOf(reporter), ops: [op] }),
    })
    expect(pushed.status).toBe(200)
    const result: PushResponse = await pushed.json()
    expect(result.results[0]).toMatchObject({ status: 'applied' })

    const poke = await stream.next('poke', 5000)
    expect(JSON.parse(poke.data)).toEqual({ unitCodes: ['99019'] })

    const pulled = await fetch(`${baseB}/api/sync/pull?cursor=0`, {
      headers: syncHeaders(viewerToken),
    })
    expect(pulled.status).toBe(200)
    const page: PullResponse = await pulled.json()
    expect(page.changes).toEqual([
      expect.objectContaining({
        unitCode: '99019',
        month: '2025-09',
        counts: { received: 42, digitized: 40 },
        updatedBy: 'reporter',
      }),
    ])

    // The retry of the same op through B is recognised: exactly once across instances.
    const retried = await fetch(`${baseB}/api/sync/push`, {
      method: 'POST',
      headers: { ...syncHeaders(reporterToken), 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: deviceOf(reporter), ops: [op] }),
    })
    const retry: PushResponse = await retried.json()
    expect(retry.results[0]).toMatchObject({ status: 'duplicate' })
    stream.close()
  })

  it('reports both instances healthy on PostgreSQL', async () => {
    for (const base of [baseA, baseB]) {
      const response = await fetch(`${base}/api/health`)
      expect(await response.json()).toMatchObject({ status: 'ok', store: 'postgres' })
    }
  })
})

describe.runIf(HAS_PG)('health when the database is gone', () => {
  it('answers 503 with a problem', async () => {
    const testStore = await makeStore('postgres')
    const app = await buildApp({ store: testStore.store })
    try {
      await testStore.store.close()
      const response = await app.inject({ method: 'GET', url: '/api/health' })
      expect(response.statusCode).toBe(503)
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    } finally {
      await app.close()
      await testStore.dispose().catch(() => undefined)
    }
  })
})
