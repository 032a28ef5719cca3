/** Push, pull, units and pokes through the API, on both backends. */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  Op,
  PullResponse,
  PushResponse,
  TargetsResponse,
} from '../../src/domain/sync/protocol.ts'
import type { UserRecord } from '../../src/server/store/store.ts'
import {
  BACKENDS,
  deviceOf,
  login,
  makeApp,
  makeOp,
  makeTargetOp,
  problemOf,
  syncHeaders,
  type TestApp,
} from './helpers.ts'
import { openSse } from './sse.ts'

/** Mid-October 2025 in Hà Nội: September is reportable, November is the future. */
const NOW = new Date('2025-10-15T03:00:00Z')

async function push(app: FastifyInstance, token: string, user: UserRecord, ops: Op[] = [makeOp()]) {
  return app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: syncHeaders(token),
    payload: { deviceId: deviceOf(user), ops },
  })
}

async function pullAll(app: FastifyInstance, token: string, limit = 1000): Promise<PullResponse> {
  const changes: PullResponse['changes'] = []
  let cursor = '0'
  for (;;) {
    const response = await app.inject({
      method: 'GET',
      url: `/api/sync/pull?cursor=${cursor}&limit=${limit}`,
      headers: syncHeaders(token),
    })
    expect(response.statusCode, response.body).toBe(200)
    const page = response.json<PullResponse>()
    changes.push(...page.changes)
    cursor = page.cursor
    if (!page.more) return { changes, cursor, more: false, remaining: 0 }
  }
}

describe.each(BACKENDS)('sync API on %s', (backend) => {
  let t: TestApp
  const token: Record<'reporter' | 'otherReporter' | 'viewer' | 'admin', string> = {
    reporter: '',
    otherReporter: '',
    viewer: '',
    admin: '',
  }

  beforeAll(async () => {
    t = await makeApp(backend, { now: () => NOW })
    token.reporter = await login(t.app, 'reporter')
    token.otherReporter = await login(t.app, 'otherreporter')
    token.viewer = await login(t.app, 'viewer')
    token.admin = await login(t.app, 'admin')
  })
  afterAll(async () => t.dispose())

  it('applies a reporter’s op once and answers a retry as a duplicate', async () => {
    const op = makeOp({
      unitCode: '99019',
      month: '2025-09',
      counts: { received: 7, digitized: 7 },
    })
    const first = await push(t.app, token.reporter, t.users.reporter, [op])
    expect(first.statusCode, first.body).toBe(200)
    const body = first.json<PushResponse>()
    expect(body.results).toEqual([{ id: op.id, seq: op.seq, status: 'applied', version: 1 }])
    expect(body.ackSeq).toBe(op.seq)
    const retry = await push(t.app, token.reporter, t.users.reporter, [op])
    expect(retry.json<PushResponse>().results[0]).toMatchObject({ status: 'duplicate', version: 1 })
  })

  it('rejects a reporter’s op on another commune, acknowledges it, and writes nothing', async () => {
    const op = makeOp({
      unitCode: '99022',
      month: '2025-08',
      counts: { received: 999, digitized: 1 },
    })
    const response = await push(t.app, token.reporter, t.users.reporter, [op])
    expect(response.statusCode).toBe(200)
    const body = response.json<PushResponse>()
    expect(body.results[0]).toMatchObject({ id: op.id, status: 'rejected', reason: 'forbidden' })
    expect(body.ackSeq).toBeGreaterThanOrEqual(op.seq)
    const all = await pullAll(t.app, token.admin)
    expect(all.changes.filter((change) => change.unitCode === '99022')).toEqual([])
  })

  it.each([
    ['futureMonth', { unitCode: '99019', month: '2025-11' }],
    ['unitNotActive', { unitCode: '99019', month: '2025-05' }],
    ['unknownUnit', { unitCode: '42001', month: '2025-09' }],
    ['invalid', { counts: { received: 5, digitized: 9 } }],
  ] as const)('rejects %s per op without blocking the ops after it', async (reason, fields) => {
    const bad = makeOp(fields)
    const good = makeOp({ month: '2025-07', counts: { received: 3, digitized: 3 } })
    const response = await push(t.app, token.reporter, t.users.reporter, [bad, good])
    const { results } = response.json<PushResponse>()
    expect(results[0]).toMatchObject({ status: 'rejected', reason })
    expect(results[1]?.status).toMatch(/applied|conflict/)
  })

  it('refuses a viewer’s entry ops one by one, and applies its targets', async () => {
    const response = await push(t.app, token.viewer, t.users.viewer, [
      makeOp({ unitCode: '99019' }),
      makeTargetOp({ unitCode: '99', level: 'commune', basisPoints: 7500 }),
    ])
    expect(response.statusCode).toBe(200)
    const { results } = response.json<PushResponse>()
    expect(results.map((result) => result.status)).toEqual(['rejected', 'applied'])
    expect(results[0]).toMatchObject({ reason: 'forbidden' })
    const targets = await t.app.inject({
      method: 'GET',
      url: '/api/sync/targets',
      headers: syncHeaders(token.viewer),
    })
    expect(targets.json<TargetsResponse>().targets).toMatchObject([
      { unitCode: '99', level: 'commune', basisPoints: 7500, updatedBy: 'viewer' },
    ])
  })

  it('refuses a device stream bound to another user', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: syncHeaders(token.otherReporter),
      payload: { deviceId: deviceOf(t.users.reporter), ops: [makeOp({ unitCode: '99022' })] },
    })
    expect(response.statusCode).toBe(403)
    expect(problemOf(response).detail).toMatch(/another user/)
  })

  it('pulls only what each user may read', async () => {
    await push(t.app, token.otherReporter, t.users.otherReporter, [
      makeOp({ unitCode: '99022', month: '2025-09', counts: { received: 11, digitized: 2 } }),
    ])
    const units = async (key: keyof typeof token) =>
      new Set((await pullAll(t.app, token[key])).changes.map((change) => change.unitCode))
    expect(await units('reporter')).toEqual(new Set(['99019']))
    expect(await units('otherReporter')).toEqual(new Set(['99022']))
    expect(await units('viewer')).toEqual(new Set(['99019', '99022']))
    expect(await units('admin')).toEqual(new Set(['99019', '99022']))
  })

  it('pages a pull and resumes from the cursor', async () => {
    const ops = ['2025-01', '2025-02', '2025-03', '2025-04'].map((month) =>
      makeOp({ unitCode: '99001', month, counts: { received: 1, digitized: 1 } }),
    )
    // 99001 existed before the reform only: the admin writes its history.
    const response = await push(t.app, token.admin, t.users.admin, ops)
    expect(response.json<PushResponse>().results.map((result) => result.status)).toEqual(
      ops.map(() => 'applied'),
    )
    const paged = await pullAll(t.app, token.admin, 2)
    const whole = await pullAll(t.app, token.admin)
    expect(paged.changes).toEqual(whole.changes)
    expect(whole.changes.filter((change) => change.unitCode === '99001')).toHaveLength(4)
  })

  it('answers the unit list with an ETag and a 304 on revalidation', async () => {
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${token.reporter}` },
    })
    expect(first.statusCode).toBe(200)
    const codes = first.json<{ units: { code: string }[] }>().units.map((unit) => unit.code)
    expect(codes).toEqual(['99', '99019'])
    const etag = String(first.headers.etag)
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${token.reporter}`, 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    const viewer = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${token.viewer}`, 'if-none-match': etag },
    })
    expect(viewer.statusCode).toBe(200)
    expect(viewer.json<{ units: unknown[] }>().units.length).toBe(16)
  })

  it('compresses large API responses', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${token.viewer}`, 'accept-encoding': 'br, gzip' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-encoding']).toBe('br')
  })
})

describe('pokes on SQLite', () => {
  let t: TestApp
  let base: string

  beforeAll(async () => {
    t = await makeApp('sqlite', { heartbeatMs: 100 })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => t.dispose())

  it('pokes the streams that may read the change, and only those', async () => {
    const viewer = await openSse(`${base}/api/events`, {
      authorization: `Bearer ${await login(t.app, 'viewer')}`,
    })
    const other = await openSse(`${base}/api/events?token=${await login(t.app, 'otherreporter')}`)
    expect(viewer.status).toBe(200)
    const reporterToken = await login(t.app, 'reporter')
    const pushed = await push(t.app, reporterToken, t.users.reporter, [
      makeOp({ unitCode: '99019', month: '2025-09' }),
    ])
    expect(pushed.statusCode).toBe(200)
    const poke = await viewer.next('poke')
    expect(JSON.parse(poke.data)).toEqual({ unitCodes: ['99019'] })
    // The other commune's stream heard nothing about 99019, but stays alive (heartbeats).
    await new Promise((resolve) => setTimeout(resolve, 250))
    expect(other.events.filter((event) => event.event === 'poke')).toEqual([])
    expect(other.comments).toContain('heartbeat')
    viewer.close()
    other.close()
  })

  it('ends open streams when the server closes', async () => {
    const local = await makeApp('sqlite')
    const url = await local.app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openSse(`${url}/api/events`, {
      authorization: `Bearer ${await login(local.app, 'viewer')}`,
    })
    const started = Date.now()
    await local.dispose()
    await stream.ended
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
