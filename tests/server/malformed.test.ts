/**
 * Bad input gets a problem+json 4xx, never a 5xx: malformed JSON, wrong content types, oversized
 * bodies, huge arrays, wrong types, prototype poisoning, bad query strings, and random JSON values
 * thrown at the endpoints (fast-check). Also the version gate of /api/sync.
 */
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_COUNT } from '../../src/domain/format.ts'
import { HEADER_PROTOCOL, HEADER_SCHEMA } from '../../src/domain/sync/protocol.ts'
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

type Method = 'POST' | 'PATCH'

function expectProblem4xx(response: LightMyRequestResponse, status?: number): void {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400)
  expect(response.statusCode, response.body).toBeLessThan(500)
  if (status !== undefined) expect(response.statusCode, response.body).toBe(status)
  problemOf(response)
}

describe.each(BACKENDS)('malformed requests on %s', (backend) => {
  let t: TestApp
  let admin: string
  let reporter: string
  let viewer: string
  const bodyEndpoints: [Method, () => string][] = []

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 100_000, timeWindow: 60_000 } })
    admin = await login(t.app, 'admin')
    reporter = await login(t.app, 'reporter')
    viewer = await login(t.app, 'viewer')
    bodyEndpoints.push(
      ['POST', () => '/api/auth/login'],
      ['POST', () => '/api/sync/push'],
      ['POST', () => '/api/users'],
      ['PATCH', () => `/api/users/${t.users.otherReporter.id}`],
      ['POST', () => `/api/users/${t.users.otherReporter.id}/password`],
    )
  })
  afterAll(async () => t.dispose())

  function send(method: Method, url: string, payload: string, contentType = 'application/json') {
    return t.app.inject({
      method,
      url,
      headers: { ...syncHeaders(admin), 'content-type': contentType },
      payload,
    })
  }

  const BAD_BODIES: [string, string, string, number][] = [
    ['truncated JSON', '{"username": "a"', 'application/json', 400],
    ['not JSON at all', 'hello', 'application/json', 400],
    ['an empty body', '', 'application/json', 400],
    ['a JSON string', '"text"', 'application/json', 400],
    ['null', 'null', 'application/json', 400],
    ['an array', '[1,2,3]', 'application/json', 400],
    ['prototype poisoning', '{"__proto__": {"role": "admin"}}', 'application/json', 400],
    // Fastify parses text/plain as a string, which the schemas then refuse.
    ['text/plain', '{}', 'text/plain', 400],
    ['XML', '<user/>', 'application/xml', 415],
    ['a form', 'a=b', 'application/x-www-form-urlencoded', 415],
    ['more than 1 MiB', JSON.stringify({ pad: 'x'.repeat(1_100_000) }), 'application/json', 413],
  ]

  it.each(BAD_BODIES)('answers %s with a problem', async (_name, payload, contentType, status) => {
    for (const [method, url] of bodyEndpoints) {
      const response = await send(method, url(), payload, contentType)
      expectProblem4xx(response, status)
    }
  })

  it('lists the schema errors of a push', async () => {
    const response = await send(
      'POST',
      '/api/sync/push',
      JSON.stringify({ deviceId: 5, ops: [{ ...makeOp(), seq: 'one', extra: true }] }),
    )
    expectProblem4xx(response, 400)
    const problem = problemOf(response)
    expect(problem.type).toBe('/problems/bad-request')
    expect(problem.errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining(['body/deviceId', 'body/ops/0/seq']),
    )
  })

  it.each([
    ['too many ops', { ops: Array.from({ length: 201 }, () => makeOp()) }],
    ['a huge array of junk', { ops: Array.from({ length: 50_000 }, () => 0) }],
    ['no ops', { ops: [] }],
    ['a count above the maximum', { ops: [makeOp({ counts: { received: MAX_COUNT + 1 } })] }],
    ['a negative count', { ops: [makeOp({ counts: { received: -1 } })] }],
    ['a fractional count', { ops: [makeOp({ counts: { received: 1.5 } })] }],
    ['an unknown data element', { ops: [{ ...makeOp(), counts: { bribes: 1 } }] }],
    ['a bad month', { ops: [makeOp({ month: '2025-13' })] }],
    ['a bad unit code', { ops: [makeOp({ unitCode: "99019'; DROP TABLE entries" })] }],
    ['a note too long', { ops: [makeOp({ note: 'x'.repeat(501) })] }],
    ['a bad device id', { deviceId: 'a b', ops: [makeOp()] }],
    ['an unknown op kind', { ops: [{ ...makeTargetOp(), kind: 'target.delete' }] }],
    ['a target over 100%', { ops: [makeTargetOp({ basisPoints: 10_001 })] }],
    ['a negative target', { ops: [makeTargetOp({ basisPoints: -1 })] }],
    ['a fractional basis point', { ops: [makeTargetOp({ basisPoints: 8000.5 })] }],
    ['a target worth no points', { ops: [makeTargetOp({ maxPoints: 0 })] }],
    ['a target worth too many points', { ops: [makeTargetOp({ maxPoints: 101 })] }],
    ['a target year out of range', { ops: [makeTargetOp({ year: 1999 })] }],
    ['a fractional target year', { ops: [makeTargetOp({ year: 2025.5 })] }],
    ['an unknown indicator', { ops: [{ ...makeTargetOp(), indicator: 'happiness' }] }],
    ['an unknown level', { ops: [{ ...makeTargetOp(), level: 'village' }] }],
    ['a bad target unit code', { ops: [makeTargetOp({ unitCode: "99'; DROP TABLE targets" })] }],
    ['a target without points', { ops: [{ ...makeTargetOp(), maxPoints: undefined }] }],
    ['a target with entry fields', { ops: [{ ...makeTargetOp(), month: '2025-09' }] }],
    ['an entry op dressed as a target', { ops: [{ ...makeOp(), kind: 'target.put' }] }],
    // Past an exact JavaScript number, or past PostgreSQL's INTEGER: both once answered 500.
    ['a seq beyond 2^53', { ops: [{ ...makeOp(), seq: 2 ** 53 + 2 }] }],
    ['a base version beyond an INTEGER', { ops: [{ ...makeOp(), baseVersion: 2 ** 31 }] }],
  ])('refuses a push with %s', async (_name, fields) => {
    const body = { deviceId: deviceOf(t.users.admin), ...fields }
    expectProblem4xx(await send('POST', '/api/sync/push', JSON.stringify(body)), 400)
  })

  it.each([
    ['no cursor', ''],
    ['a word', 'cursor=abc'],
    ['a negative cursor', 'cursor=-1'],
    ['a huge cursor', 'cursor=99999999999999999999'],
    ['limit 0', 'cursor=0&limit=0'],
    ['limit too large', 'cursor=0&limit=100000'],
    ['two cursors', 'cursor=0&cursor=1'],
    ['an unknown parameter', 'cursor=0&since=yesterday'],
  ])('refuses a pull with %s', async (_name, query) => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/sync/pull?${query}`,
      headers: syncHeaders(admin),
    })
    expectProblem4xx(response, 400)
  })

  it.each([
    ['an unknown user', 'PATCH', '/api/users/nobody', { active: true }, 404],
    ['an empty patch', 'PATCH', '/api/users/ID', {}, 400],
    ['an unknown role', 'PATCH', '/api/users/ID', { role: 'mayor' }, 400],
    ['an unknown unit', 'PATCH', '/api/users/ID', { unitCodes: ['42001'] }, 400],
    ['a province for a reporter', 'PATCH', '/api/users/ID', { unitCodes: ['99'] }, 400],
    ['a short password', 'POST', '/api/users/ID/password', { password: 'short' }, 400],
    [
      'a taken username',
      'POST',
      '/api/users',
      { username: 'viewer', role: 'admin', unitCodes: [], password: 'long enough password' },
      409,
    ],
    [
      'a bad username',
      'POST',
      '/api/users',
      { username: 'a b c', role: 'admin', unitCodes: [], password: 'long enough password' },
      400,
    ],
    [
      'a viewer without units',
      'POST',
      '/api/users',
      { username: 'viewer2', role: 'viewer', unitCodes: [], password: 'long enough password' },
      400,
    ],
  ] as const)('refuses user management with %s', async (_name, method, url, body, status) => {
    const target = url.replace('ID', t.users.otherReporter.id)
    expectProblem4xx(await send(method, target, JSON.stringify(body)), status)
  })

  const IMPORT = { format: 'units-new', fileName: 'units.json', content: '[]', encoding: 'text' }
  it.each([
    ['an unknown format', { ...IMPORT, format: 'excel' }, 400],
    ['no content', { format: 'units-new', fileName: 'units.json', encoding: 'text' }, 400],
    ['an unknown key', { ...IMPORT, extra: 1 }, 400],
    ['a bad effective date', { ...IMPORT, effectiveDate: '2025-7-1' }, 400],
    ['an impossible effective date', { ...IMPORT, effectiveDate: '2025-02-30' }, 400],
    // Month 13 is an Invalid Date, which once threw a 500.
    ['a thirteenth month', { ...IMPORT, effectiveDate: '2025-13-01' }, 400],
    ['content that is not JSON', { ...IMPORT, content: '{' }, 400],
    ['a stats file without its date', { ...IMPORT, format: 'stats', content: 'a,b' }, 400],
    [
      'garbage as an XLSX file',
      {
        ...IMPORT,
        format: 'stats',
        content: 'UEsDBAo=',
        encoding: 'base64',
        effectiveDate: '2025-07-01',
      },
      400,
    ],
    ['more than 20 MiB', { ...IMPORT, content: 'x'.repeat(21 * 1024 * 1024) }, 413],
  ] as const)('refuses a unit import with %s', async (_name, body, status) => {
    const response = await send('POST', '/api/admin/units/import', JSON.stringify(body))
    expectProblem4xx(response, status)
  })

  it.each([
    ['a bad unit code', '/api/history/abc/2025-09', 400],
    ['a bad month', '/api/history/99019/2025-13', 400],
    ['a missing month', '/api/history/99019', 404],
    ['a unit outside the reader’s scope', '/api/history/99022/2025-09', 403],
  ] as const)('refuses a history request with %s', async (_name, url, status) => {
    const response = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${reporter}` },
    })
    expectProblem4xx(response, status)
  })

  it('never answers random history paths with a 5xx (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.constantFrom('admin', 'reporter', 'viewer'),
        async (unit, month, who) => {
          const response = await t.app.inject({
            method: 'GET',
            url: `/api/history/${encodeURIComponent(unit)}/${encodeURIComponent(month)}`,
            headers: { authorization: `Bearer ${{ admin, reporter, viewer }[who]}` },
          })
          expect(response.statusCode, response.body).toBeLessThan(500)
          if (response.statusCode >= 400) problemOf(response)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('never answers random JSON with a 5xx (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyEndpoints),
        fc.jsonValue(),
        async ([method, url], value) => {
          const response = await send(method, url(), JSON.stringify(value) ?? 'null')
          expect(response.statusCode).toBeLessThan(500)
          if (response.statusCode >= 400) problemOf(response)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('answers schema-valid random pushes per op, never with a 5xx (fast-check)', async () => {
    const count = fc.option(fc.integer({ min: 0, max: MAX_COUNT }), { nil: undefined })
    const op = fc.record({
      id: fc.uuid(),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      kind: fc.constant('entry.put' as const),
      unitCode: fc.constantFrom('99019', '99022', '99', '99-STP', '42001', '99001', '00000-ZZ'),
      month: fc
        .tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 1, max: 12 }))
        .map(([year, month]) => `${year}-${String(month).padStart(2, '0')}`),
      counts: fc.record({ received: count, digitized: count, resolved: count, online: count }),
      note: fc.string({ maxLength: 500 }),
      baseVersion: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
      createdAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    })
    const targetOp = fc.record({
      id: fc.uuid(),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      kind: fc.constant('target.put' as const),
      indicator: fc.constantFrom('digitization', 'online', 'reuse', 'eResults'),
      year: fc.integer({ min: 2000, max: 2100 }),
      unitCode: fc.constantFrom(null, '99019', '99', '991', '99-STP', '42001', '00000-ZZ'),
      level: fc.constantFrom(null, 'province', 'district', 'commune'),
      basisPoints: fc.integer({ min: 0, max: 10_000 }),
      maxPoints: fc.double({ min: 0.001, max: 100, noNaN: true }),
      createdAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    })
    const reviewOp = fc.record({
      id: fc.uuid(),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      kind: fc.constant('review' as const),
      action: fc.constantFrom('submit', 'return', 'accept', 'reopen'),
      unitCode: fc.constantFrom('99019', '99022', '99', '99-STP', '42001', '00000-ZZ'),
      month: fc.constantFrom('2025-08', '2025-09', '2024-01', '2100-12'),
      comment: fc.string({ maxLength: 500 }),
      createdAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    })
    const tokens = () => ({ admin, reporter, viewer })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(op, targetOp, reviewOp), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('admin', 'reporter', 'viewer'),
        async (ops, who) => {
          // Drop undefined counts: JSON has no undefined, and the schema has no nulls.
          const response = await t.app.inject({
            method: 'POST',
            url: '/api/sync/push',
            headers: syncHeaders(tokens()[who]),
            payload: { deviceId: deviceOf(t.users[who], 'fuzz-install'), ops },
          })
          expect(response.statusCode, response.body).toBe(200)
          expect(response.json().results).toHaveLength(ops.length)
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('version skew', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await makeApp('sqlite')
  })
  afterAll(async () => t.dispose())

  it.each([
    ['no version headers', {}],
    ['protocol 0', { [HEADER_PROTOCOL]: '0', [HEADER_SCHEMA]: '1' }],
    ['no schema header', { [HEADER_PROTOCOL]: '1' }],
    ['a word for a version', { [HEADER_PROTOCOL]: 'one', [HEADER_SCHEMA]: '1' }],
  ])(
    'answers 426 client-too-old to a client with %s, before asking who it is',
    async (_name, headers) => {
      for (const url of ['/api/sync/pull?cursor=0', '/api/sync/push', '/api/sync/targets']) {
        const response = await t.app.inject({
          method: url.endsWith('push') ? 'POST' : 'GET',
          url,
          headers,
          ...(url.endsWith('push') ? { payload: { deviceId: 'x', ops: [] } } : {}),
        })
        expect(response.statusCode).toBe(426)
        const problem = problemOf(response)
        expect(problem.type).toBe('/problems/client-too-old')
        expect(problem.detail).toMatch(/cập nhật/)
      }
    },
  )

  it('still serves a protocol 1 client', async () => {
    const token = await login(t.app, 'reporter')
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { [HEADER_PROTOCOL]: '1', [HEADER_SCHEMA]: '1', authorization: `Bearer ${token}` },
      payload: { deviceId: deviceOf(t.users.reporter), ops: [makeOp({ unitCode: '99019' })] },
    })
    expect(response.statusCode, response.body).toBe(200)
  })

  it('lets a current client through to authentication', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/sync/pull?cursor=0',
      headers: syncHeaders(),
    })
    expect(response.statusCode).toBe(401)
  })

  it('does not gate the rest of the API', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(response.statusCode).toBe(200)
  })
})
