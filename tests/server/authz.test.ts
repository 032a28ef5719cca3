/**
 * Every endpoint × every kind of caller, over real HTTP on both backends. The table says what each
 * caller gets; the refusals must be problems of the right type.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken, newToken } from '../../src/server/auth/tokens.ts'
import type { UserRecord } from '../../src/server/store/store.ts'
import type {
  HistoryResponse,
  Op,
  PushResponse,
  ReviewOp,
  TargetsResponse,
} from '../../src/domain/sync/protocol.ts'
import {
  BACKENDS,
  deviceOf,
  login,
  makeApp,
  makeOp,
  makeTargetOp,
  syncHeaders,
  type AccountName,
  type TestApp,
} from './helpers.ts'
import { openSse } from './sse.ts'

type Caller = 'anonymous' | 'reporter' | 'viewer' | 'admin' | 'deactivated'
const CALLERS: readonly Caller[] = ['anonymous', 'reporter', 'viewer', 'admin', 'deactivated']

interface Call {
  method: string
  path: string
  body?: unknown
  sync?: boolean
}

interface Endpoint {
  name: string
  call(user: UserRecord | null, target: UserRecord): Call
  expected: Record<Caller, number>
}

const ANY_SIGNED_IN = { anonymous: 401, reporter: 200, viewer: 200, admin: 200, deactivated: 403 }
const ADMIN_ONLY = (ok: number) => ({
  anonymous: 401,
  reporter: 403,
  viewer: 403,
  admin: ok,
  deactivated: 403,
})

const ENDPOINTS: readonly Endpoint[] = [
  {
    name: 'GET /api/health',
    call: () => ({ method: 'GET', path: '/api/health' }),
    expected: { anonymous: 200, reporter: 200, viewer: 200, admin: 200, deactivated: 200 },
  },
  {
    name: 'GET /api/auth/me',
    call: () => ({ method: 'GET', path: '/api/auth/me' }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'POST /api/sync/push',
    call: (user) => ({
      method: 'POST',
      path: '/api/sync/push',
      sync: true,
      body: {
        deviceId: user ? deviceOf(user) : 'install-0001:nobody',
        ops: [makeOp({ unitCode: '99019' })],
      },
    }),
    // Every role may push; what it may write is answered per op (see "per-op answers" below).
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/sync/pull',
    call: () => ({ method: 'GET', path: '/api/sync/pull?cursor=0', sync: true }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/sync/targets',
    call: () => ({ method: 'GET', path: '/api/sync/targets', sync: true }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/units',
    call: () => ({ method: 'GET', path: '/api/units' }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/events',
    call: () => ({ method: 'GET', path: '/api/events' }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/users',
    call: () => ({ method: 'GET', path: '/api/users' }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: 'POST /api/users',
    call: () => ({
      method: 'POST',
      path: '/api/users',
      body: {
        username: `u${randomUUID().slice(0, 8)}`,
        role: 'reporter',
        unitCodes: ['99025'],
        password: 'a long enough password',
      },
    }),
    expected: ADMIN_ONLY(201),
  },
  {
    name: 'PATCH /api/users/:id',
    call: (_user, target) => ({
      method: 'PATCH',
      path: `/api/users/${target.id}`,
      body: { displayName: 'Xã Phú Bình' },
    }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: 'POST /api/users/:id/password',
    call: (_user, target) => ({
      method: 'POST',
      path: `/api/users/${target.id}/password`,
      body: { password: 'another long password' },
    }),
    expected: ADMIN_ONLY(204),
  },
  {
    name: 'GET /api/history/:unitCode/:month',
    call: () => ({ method: 'GET', path: '/api/history/99019/2025-09' }),
    expected: ANY_SIGNED_IN,
  },
  {
    name: 'GET /api/history of another commune',
    call: () => ({ method: 'GET', path: '/api/history/99022/2025-09' }),
    // Only whoever reads the unit's entries reads its history.
    expected: { anonymous: 401, reporter: 403, viewer: 200, admin: 200, deactivated: 403 },
  },
  {
    name: 'POST /api/admin/units/import (dry run)',
    call: () => ({
      method: 'POST',
      path: '/api/admin/units/import',
      body: {
        format: 'units-new',
        fileName: 'units.json',
        content: JSON.stringify([{ Code: '42', FullName: 'Tỉnh Hà Tĩnh', Wards: [] }]),
        encoding: 'text',
        dryRun: true,
      },
    }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: 'GET /api/admin/audit',
    call: () => ({ method: 'GET', path: '/api/admin/audit' }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: 'POST /api/auth/logout',
    call: () => ({ method: 'POST', path: '/api/auth/logout' }),
    // Signing out is always allowed to whoever holds a token.
    expected: { anonymous: 401, reporter: 204, viewer: 204, admin: 204, deactivated: 204 },
  },
]

describe.each(BACKENDS)('authorization matrix on %s', (backend) => {
  let t: TestApp
  let base: string
  const tokens = new Map<Caller, string>()

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 1000, timeWindow: 60_000 } })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    for (const caller of ['reporter', 'viewer', 'admin'] satisfies AccountName[]) {
      tokens.set(caller, await login(t.app, caller))
    }
    // A session opened while the account was active, then the account deactivated.
    await t.store.updateUser(t.users.deactivated.id, { active: true })
    tokens.set('deactivated', await login(t.app, 'deactivated'))
    await t.store.updateUser(t.users.deactivated.id, { active: false })
  })
  afterAll(async () => t.dispose())

  async function send(endpoint: Endpoint, caller: Caller, token = tokens.get(caller)) {
    const user = caller === 'anonymous' ? null : t.users[caller]
    const call = endpoint.call(user, t.users.otherReporter)
    const headers: Record<string, string> = {
      ...(call.sync ? syncHeaders() : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    }
    const controller = new AbortController()
    const response = await fetch(`${base}${call.path}`, {
      method: call.method,
      headers,
      signal: controller.signal,
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    })
    const contentType = response.headers.get('content-type') ?? ''
    // The event stream never ends by itself: read the status, then hang up.
    const body = contentType.startsWith('text/event-stream') ? '' : await response.text()
    controller.abort()
    return { status: response.status, contentType, body }
  }

  // Logout last: it ends the sessions the other rows use.
  for (const endpoint of ENDPOINTS) {
    it.each(CALLERS)(`${endpoint.name} as %s`, async (caller) => {
      const response = await send(endpoint, caller)
      expect(response.status, response.body).toBe(endpoint.expected[caller])
      if (response.status >= 400) {
        expect(response.contentType).toMatch(/^application\/problem\+json/)
        const problem = JSON.parse(response.body)
        expect(problem.status).toBe(response.status)
        expect(problem.type).toBe(
          response.status === 401 ? '/problems/unauthorized' : '/problems/forbidden',
        )
      }
    })
  }

  const protectedEndpoints = ENDPOINTS.filter(
    (endpoint) => endpoint.expected.anonymous === 401 && endpoint.name !== 'POST /api/auth/logout',
  )

  it.each(protectedEndpoints.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s refuses an expired session as session-expired',
    async (_name, endpoint) => {
      const token = newToken()
      await t.store.createSession(hashToken(token), {
        userId: t.users.admin.id,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      })
      const response = await send(endpoint, 'admin', token)
      expect(response.status).toBe(401)
      expect(JSON.parse(response.body).type).toBe('/problems/session-expired')
    },
  )

  it.each(protectedEndpoints.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s refuses forged and malformed tokens',
    async (_name, endpoint) => {
      for (const token of [newToken(), 'not-a-token', `${newToken()}x`]) {
        const response = await send(endpoint, 'admin', token)
        expect(response.status, token).toBe(401)
        expect(JSON.parse(response.body).type).toBe('/problems/unauthorized')
      }
    },
  )

  describe('per-op answers', () => {
    type Writer = 'reporter' | 'viewer' | 'admin'
    type Answer = 'applied' | 'forbidden' | 'unknownUnit' | 'invalid' | 'wrongState' | 'locked'
    // Review cases run in order on month 2025-08 of 99019 (its entry is made below): the
    // reporter submits, the viewer accepts, and the admin then finds the state moved on.
    const review =
      (action: ReviewOp['action'], overrides: Partial<ReviewOp> = {}) =>
      (): Op => ({
        id: randomUUID(),
        seq: 1,
        kind: 'review',
        action,
        unitCode: '99019',
        month: '2025-08',
        comment: '',
        createdAt: '2025-09-01T01:00:00.000Z',
        ...overrides,
      })
    const OPS: [string, () => Op, Record<Writer, Answer>][] = [
      [
        'an entry of commune 99019',
        () => makeOp({ unitCode: '99019' }),
        { reporter: 'applied', viewer: 'forbidden', admin: 'applied' },
      ],
      [
        'a nationwide target',
        () => makeTargetOp({ unitCode: null, level: 'commune', year: 2031 }),
        { reporter: 'forbidden', viewer: 'forbidden', admin: 'applied' },
      ],
      [
        'a commune default of province 99',
        () => makeTargetOp({ unitCode: '99', level: 'commune', year: 2031 }),
        { reporter: 'forbidden', viewer: 'applied', admin: 'applied' },
      ],
      [
        'an override on commune 99019',
        () => makeTargetOp({ unitCode: '99019', level: null, year: 2031 }),
        { reporter: 'forbidden', viewer: 'applied', admin: 'applied' },
      ],
      [
        'a target on a unit outside every tree',
        () => makeTargetOp({ unitCode: '42', level: 'commune', year: 2031 }),
        { reporter: 'forbidden', viewer: 'unknownUnit', admin: 'unknownUnit' },
      ],
      [
        'a submit of commune 99019',
        review('submit'),
        { reporter: 'applied', viewer: 'forbidden', admin: 'wrongState' },
      ],
      [
        'an accept of commune 99019',
        review('accept'),
        { reporter: 'forbidden', viewer: 'applied', admin: 'wrongState' },
      ],
      [
        'an entry of the accepted month',
        () => makeOp({ unitCode: '99019', month: '2025-08' }),
        { reporter: 'locked', viewer: 'forbidden', admin: 'locked' },
      ],
      [
        'a review of a month without figures',
        review('accept', { month: '2025-07' }),
        { reporter: 'forbidden', viewer: 'invalid', admin: 'invalid' },
      ],
      [
        'a review of a unit outside every tree',
        review('accept', { unitCode: '42001' }),
        { reporter: 'unknownUnit', viewer: 'unknownUnit', admin: 'unknownUnit' },
      ],
    ]
    // The matrix above signs every caller out last: these answers need sessions of their own.
    const writers = new Map<Writer, string>()
    beforeAll(async () => {
      for (const writer of ['reporter', 'viewer', 'admin'] as const) {
        writers.set(writer, await login(t.app, writer))
      }
      // The month the review cases move through.
      const made = await fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { ...syncHeaders(writers.get('admin')), 'content-type': 'application/json' },
        body: JSON.stringify({
          deviceId: deviceOf(t.users.admin, 'install-review'),
          ops: [makeOp({ unitCode: '99019', month: '2025-08' })],
        }),
      })
      expect(made.status).toBe(200)
    })
    const cases = OPS.flatMap(([name, op, expected]) =>
      (['reporter', 'viewer', 'admin'] as const).map(
        (writer) => [`${writer}: ${name}`, writer, op, expected[writer]] as const,
      ),
    )

    it.each(cases)('%s', async (_name, writer, op, expected) => {
      const response = await fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { ...syncHeaders(writers.get(writer)), 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId: deviceOf(t.users[writer]), ops: [op()] }),
      })
      expect(response.status).toBe(200)
      const { results }: PushResponse = await response.json()
      const result = results[0]
      expect(result?.status === 'rejected' ? result.reason : result?.status).toBe(expected)
    })

    it('shows the reviewed month’s history to its readers', async () => {
      const read = async (caller: Writer) =>
        fetch(`${base}/api/history/99019/2025-08`, {
          headers: { authorization: `Bearer ${writers.get(caller)}` },
        })
      const response = await read('viewer')
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      const { events }: HistoryResponse = await response.json()
      expect(events).toEqual([
        {
          type: 'edit',
          at: expect.any(String),
          by: 'admin',
          deviceId: deviceOf(t.users.admin, 'install-review'),
          version: 1,
          changes: [
            { field: 'received', from: null, to: 120 },
            { field: 'digitized', from: null, to: 80 },
          ],
        },
        { type: 'review', at: expect.any(String), by: 'reporter', action: 'submit', comment: '' },
        { type: 'review', at: expect.any(String), by: 'viewer', action: 'accept', comment: '' },
      ])
      expect(await (await read('reporter')).json()).toEqual({ events })
      // An admin reads every unit: one nobody knows simply has no history.
      const unknown = await fetch(`${base}/api/history/42001/2025-08`, {
        headers: { authorization: `Bearer ${writers.get('admin')}` },
      })
      expect(unknown.status).toBe(200)
      expect(await unknown.json()).toEqual({ events: [] })
    })

    it('lets each role read the nationwide targets, its units’ and their ancestors’', async () => {
      const year = 2032
      const admin = { ...syncHeaders(writers.get('admin')), 'content-type': 'application/json' }
      const set = await fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          deviceId: deviceOf(t.users.admin, 'install-targets'),
          ops: [
            makeTargetOp({ year, unitCode: null, level: 'commune' }),
            makeTargetOp({ year, unitCode: '99', level: 'commune' }),
            makeTargetOp({ year, unitCode: '99022', level: null }),
          ],
        }),
      })
      expect(set.status).toBe(200)
      const read = async (caller: Writer) => {
        const response = await fetch(`${base}/api/sync/targets`, {
          headers: syncHeaders(writers.get(caller)),
        })
        expect(response.headers.get('cache-control')).toBe('no-store')
        const { targets }: TargetsResponse = await response.json()
        return targets
          .filter((target) => target.year === year)
          .map((target) => target.unitCode)
          .sort()
      }
      // The reporter of 99019 needs its province's default, not another commune's override.
      expect(await read('reporter')).toEqual(['99', null])
      expect(await read('viewer')).toEqual(['99', '99022', null])
      expect(await read('admin')).toEqual(['99', '99022', null])
    })
  })

  it('refuses the token of a session that was signed out', async () => {
    const token = await login(t.app, 'viewer')
    const me = ENDPOINTS.find((endpoint) => endpoint.name === 'GET /api/auth/me')
    if (!me) throw new Error('no /me')
    expect((await send(me, 'viewer', token)).status).toBe(200)
    const logout = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(logout.status).toBe(204)
    const after = await send(me, 'viewer', token)
    expect(after.status).toBe(401)
    expect(JSON.parse(after.body).type).toBe('/problems/unauthorized')
  })

  it('takes the event-stream token from the query string too', async () => {
    const token = await login(t.app, 'viewer')
    const stream = await openSse(`${base}/api/events?token=${token}`)
    expect(stream.status).toBe(200)
    expect(stream.contentType).toMatch(/^text\/event-stream/)
    stream.close()
    const refused = await openSse(`${base}/api/events?token=${newToken()}`)
    expect(refused.status).toBe(401)
    refused.close()
  })
})
