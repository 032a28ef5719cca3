/**
 * Tokens and sessions beyond the authorization matrix (authz.test.ts): random and one-character
 * tampered tokens, tokens in the query string where only the event stream takes them, odd
 * Authorization schemes, and sessions whose user changed since signing in — the next request, and
 * an event stream that is already open, follow the change at once (or within its recheck).
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken, newToken } from '../../src/server/auth/tokens.ts'
import {
  BACKENDS,
  deviceOf,
  login,
  makeApp,
  makeOp,
  problemOf,
  syncHeaders,
  type TestApp,
} from './helpers.ts'
import { openSse } from './sse.ts'

const PROTECTED = [
  '/api/auth/me',
  '/api/sync/pull?cursor=0',
  '/api/sync/targets',
  '/api/units',
  '/api/users',
  '/api/history/99019/2025-09',
  '/api/admin/audit',
]

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

describe.each(BACKENDS)('tokens on %s', (backend) => {
  let t: TestApp
  let admin: string

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 1_000_000, timeWindow: 60_000 } })
    admin = await login(t.app, 'admin')
  })
  afterAll(async () => t.dispose())

  const get = (url: string, authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url,
      headers: { ...syncHeaders(), ...(authorization === undefined ? {} : { authorization }) },
    })

  it('refuses random well-formed tokens as unauthorized (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        fc.constantFrom(...PROTECTED),
        async (token, url) => {
          const response = await get(url, `Bearer ${token}`)
          expect(response.statusCode).toBe(401)
          expect(problemOf(response).type).toBe('/problems/unauthorized')
        },
      ),
      { numRuns: 60 },
    )
  })

  it('refuses a real token changed in any one character', async () => {
    for (let at = 0; at < admin.length; at++) {
      const other = BASE64URL[(BASE64URL.indexOf(admin[at] ?? 'A') + 1 + at) % BASE64URL.length]
      const tampered = `${admin.slice(0, at)}${other}${admin.slice(at + 1)}`
      expect(tampered).not.toBe(admin)
      const response = await get('/api/auth/me', `Bearer ${tampered}`)
      expect(response.statusCode, `position ${at}`).toBe(401)
    }
    expect((await get('/api/auth/me', `Bearer ${admin}`)).statusCode).toBe(200)
  })

  it.each([
    [
      'Basic credentials',
      (token: string) => `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
    ],
    ['another scheme', (token: string) => `Token ${token}`],
    ['no scheme', (token: string) => token],
    ['two tokens', (token: string) => `Bearer ${token} ${token}`],
    ['a trailing comma', (token: string) => `Bearer ${token},`],
    ['a quoted token', (token: string) => `Bearer "${token}"`],
    ['the token and more', (token: string) => `Bearer ${token}x`],
    ['a truncated token', (token: string) => `Bearer ${token.slice(0, 42)}`],
    ['the hash the database stores', (token: string) => `Bearer ${hashToken(token)}`],
  ])('refuses %s in the Authorization header', async (_name, header) => {
    for (const url of PROTECTED) {
      const response = await get(url, header(admin))
      expect(response.statusCode, url).toBe(401)
      expect(problemOf(response).type).toBe('/problems/unauthorized')
    }
  })

  it('accepts the scheme in any case, as RFC 9110 says', async () => {
    expect((await get('/api/auth/me', `bearer ${admin}`)).statusCode).toBe(200)
    expect((await get('/api/auth/me', `BEARER  ${admin}`)).statusCode).toBe(200)
  })

  it('takes a token from the query string on the event stream only', async () => {
    for (const url of PROTECTED) {
      const response = await get(`${url}${url.includes('?') ? '&' : '?'}token=${admin}`)
      // Either the route has no token parameter (refused as unknown) or it ignores it.
      expect([400, 401], url).toContain(response.statusCode)
      problemOf(response)
    }
    const push = await t.app.inject({
      method: 'POST',
      url: `/api/sync/push?token=${admin}`,
      headers: syncHeaders(),
      payload: { deviceId: deviceOf(t.users.admin), ops: [makeOp()] },
    })
    expect(push.statusCode).toBe(401)
  })

  it('refuses a session whose expiry is exactly now', async () => {
    const token = newToken()
    const now = new Date()
    await t.store.createSession(hashToken(token), {
      userId: t.users.admin.id,
      expiresAt: now.toISOString(),
    })
    const response = await get('/api/auth/me', `Bearer ${token}`)
    expect(problemOf(response).type).toBe('/problems/session-expired')
  })
})

describe.each(BACKENDS)('a session whose user changes, on %s', (backend) => {
  let t: TestApp
  let base: string
  let admin: string

  beforeAll(async () => {
    t = await makeApp(backend, {
      loginRateLimit: { max: 1_000_000, timeWindow: 60_000 },
      heartbeatMs: 50,
      streamRecheckMs: 0,
    })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    admin = await login(t.app, 'admin')
  })
  afterAll(async () => t.dispose())

  const as = (token: string) => ({ ...syncHeaders(token) })
  const patch = (id: string, body: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(admin), payload: body })
  const entry = (unitCode: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: as(admin),
      payload: { deviceId: deviceOf(t.users.admin), ops: [makeOp({ unitCode, month: '2025-09' })] },
    })

  it('applies a narrower scope to the very next request', async () => {
    await entry('99022')
    const viewer = await login(t.app, 'viewer')
    const history = () =>
      t.app.inject({ method: 'GET', url: '/api/history/99022/2025-09', headers: as(viewer) })
    expect((await history()).statusCode).toBe(200)
    // The province viewer becomes the reporter of one commune.
    expect(
      (await patch(t.users.viewer.id, { role: 'reporter', unitCodes: ['99019'] })).statusCode,
    ).toBe(200)
    expect((await history()).statusCode).toBe(403)
    const pulled = await t.app.inject({
      method: 'GET',
      url: '/api/sync/pull?cursor=0',
      headers: as(viewer),
    })
    const codes = pulled.json().changes.map((change: { unitCode: string }) => change.unitCode)
    expect(codes.every((code: string) => code === '99019')).toBe(true)
    const units = await t.app.inject({ method: 'GET', url: '/api/units', headers: as(viewer) })
    expect(units.json().units.map((unit: { code: string }) => unit.code)).not.toContain('99022')
    await patch(t.users.viewer.id, { role: 'viewer', unitCodes: ['99'] })
  })

  it('takes admin rights away at once', async () => {
    const other = await login(t.app, 'otherreporter')
    expect((await patch(t.users.otherReporter.id, { role: 'admin' })).statusCode).toBe(200)
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/users', headers: as(other) })).statusCode,
    ).toBe(200)
    await patch(t.users.otherReporter.id, { role: 'reporter', unitCodes: ['99022'] })
    const after = await t.app.inject({ method: 'GET', url: '/api/users', headers: as(other) })
    expect(after.statusCode).toBe(403)
  })

  it('ends an open event stream when its session is signed out', async () => {
    const token = await login(t.app, 'viewer')
    const stream = await openSse(`${base}/api/events?token=${token}`)
    expect(stream.status).toBe(200)
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    })
    await stream.ended
    stream.close()
  })

  it('ends an open event stream when the account is deactivated, before any poke', async () => {
    const token = await login(t.app, 'viewer')
    const stream = await openSse(`${base}/api/events`, { authorization: `Bearer ${token}` })
    expect((await patch(t.users.viewer.id, { active: false })).statusCode).toBe(200)
    await entry('99019')
    await stream.ended
    expect(stream.events.filter((event) => event.event === 'poke')).toEqual([])
    await patch(t.users.viewer.id, { active: true })
  })

  it('ends an open event stream when the password is reset', async () => {
    const token = await login(t.app, 'viewer')
    const stream = await openSse(`${base}/api/events?token=${token}`)
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${t.users.viewer.id}/password`,
      headers: as(admin),
      payload: { password: 'another long password' },
    })
    expect(reset.statusCode).toBe(204)
    await stream.ended
  })

  it('stops poking an open stream about units its user no longer reads', async () => {
    await patch(t.users.viewer.id, { role: 'viewer', unitCodes: ['99'] })
    const token = await login(t.app, 'viewer', 'another long password')
    const stream = await openSse(`${base}/api/events?token=${token}`)
    await entry('99022')
    expect(JSON.parse((await stream.next('poke')).data)).toEqual({ unitCodes: ['99022'] })
    await patch(t.users.viewer.id, { role: 'reporter', unitCodes: ['99019'] })
    // Two heartbeats after the change, the stream has checked its session again.
    const seen = stream.comments.length
    await expect.poll(() => stream.comments.length, { timeout: 5000 }).toBeGreaterThan(seen + 1)
    await entry('99022')
    await entry('99019')
    expect(JSON.parse((await stream.next('poke')).data)).toEqual({ unitCodes: ['99019'] })
    expect(stream.events.filter((event) => event.data.includes('99022'))).toHaveLength(1)
    stream.close()
  })
})
