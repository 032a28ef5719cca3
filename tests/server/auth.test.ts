import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import {
  generatePassword,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from '../../src/server/auth/password.ts'
import { bearerToken, hashToken, looksLikeToken, newToken } from '../../src/server/auth/tokens.ts'
import {
  BACKENDS,
  PASSWORD,
  login,
  makeApp,
  makeStore,
  problemOf,
  seedAccounts,
  type TestApp,
} from './helpers.ts'

describe('passwords', () => {
  it('round-trips, with a fresh salt and the cost stored in the hash', async () => {
    const hash = await hashPassword('mật khẩu đủ dài')
    expect(hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(await verifyPassword('mật khẩu đủ dài', hash)).toBe(true)
    expect(await verifyPassword('mật khẩu đủ dài ', hash)).toBe(false)
    expect(await hashPassword('mật khẩu đủ dài')).not.toBe(hash)
  })

  it('verifies a hash made with other parameters', async () => {
    const cheap = await hashPassword('correct horse', { N: 1024, r: 8, p: 1 })
    expect(await verifyPassword('correct horse', cheap)).toBe(true)
  })

  it('treats composed and decomposed Vietnamese letters alike', async () => {
    const hash = await hashPassword('Hoà Bình 2025'.normalize('NFC'))
    expect(await verifyPassword('Hoà Bình 2025'.normalize('NFD'), hash)).toBe(true)
  })

  it.each(['', 'plain', 'scrypt$N=2,r=8,p=1$abc$def', 'scrypt$N=4294967296,r=8,p=1$AAAA$AAAA'])(
    'never throws on a malformed hash (%s)',
    async (hash) => {
      expect(await verifyPassword('whatever', hash)).toBe(false)
    },
  )

  it.each([
    ['short', 'nine char', true],
    ['ten characters', '0123456789', false],
    ['padded', ' 0123456789', true],
    ['generated', generatePassword(), false],
  ])('policy: %s', (_name, password, refused) => {
    expect(passwordProblem(password) !== null).toBe(refused)
  })
})

describe('tokens', () => {
  it('are 32 random bytes, stored only as their SHA-256', () => {
    const token = newToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashToken(token)).not.toContain(token)
    expect(newToken()).not.toBe(token)
    expect(looksLikeToken(token)).toBe(true)
    expect(looksLikeToken(`${token}=`)).toBe(false)
  })

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer  abc ', 'abc'],
    ['Basic abc', null],
    ['Bearer', null],
    [undefined, null],
  ])('reads %s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected)
  })
})

describe.each(BACKENDS)('signing in on %s', (backend) => {
  let t: TestApp
  let clock = new Date('2025-10-01T00:00:00Z')

  beforeAll(async () => {
    t = await makeApp(backend, {
      now: () => clock,
      login: { sessionDays: 30 },
      loginRateLimit: { max: 1000, timeWindow: 60_000 },
    })
  })
  afterAll(async () => t.dispose())

  const attempt = (username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })

  it('returns a token, its expiry 30 days on, and the user', async () => {
    const response = await attempt('Reporter', PASSWORD)
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    const body = response.json()
    expect(looksLikeToken(body.token)).toBe(true)
    expect(body.expiresAt).toBe('2025-10-31T00:00:00.000Z')
    expect(body.user).toEqual({
      id: t.users.reporter.id,
      username: 'reporter',
      displayName: 'reporter',
      role: 'reporter',
      unitCodes: ['99019'],
    })
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${body.token}` },
    })
    expect(me.json()).toEqual(body.user)
  })

  it('says the same for an unknown user and a wrong password', async () => {
    const unknown = await attempt('nobody', PASSWORD)
    const wrong = await attempt('viewer', 'not the password')
    expect(unknown.statusCode).toBe(401)
    expect(problemOf(unknown)).toEqual(problemOf(wrong))
  })

  it('refuses a deactivated account even with the right password', async () => {
    const response = await attempt('deactivated', PASSWORD)
    expect(response.statusCode).toBe(403)
    expect(problemOf(response).type).toBe('/problems/forbidden')
  })

  it('locks a username after 5 failures for 15 minutes, then lets it in', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('admin', `wrong ${i}`)).statusCode).toBe(401)
    const locked = await attempt('admin', PASSWORD)
    expect(locked.statusCode).toBe(429)
    expect(problemOf(locked).type).toBe('/problems/too-many-requests')
    expect(locked.headers['retry-after']).toBe('900')
    // Other usernames are not affected.
    expect((await attempt('viewer', PASSWORD)).statusCode).toBe(200)
    clock = new Date(clock.getTime() + 16 * 60 * 1000)
    expect((await attempt('admin', PASSWORD)).statusCode).toBe(200)
  })

  it('holds the lockout across instances sharing the store', async () => {
    const second = await buildApp({ store: t.store, now: () => clock })
    try {
      for (let i = 0; i < 5; i++) await attempt('viewer', `wrong ${i}`)
      const elsewhere = await second.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'viewer', password: PASSWORD },
      })
      expect(elsewhere.statusCode).toBe(429)
    } finally {
      await second.close()
    }
  })

  it('answers session-expired once the session is over, and signs out still works', async () => {
    const token = await login(t.app, 'otherreporter')
    const me = () =>
      t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      })
    expect((await me()).statusCode).toBe(200)
    clock = new Date(clock.getTime() + 31 * 24 * 60 * 60 * 1000)
    const expired = await me()
    expect(expired.statusCode).toBe(401)
    expect(problemOf(expired).type).toBe('/problems/session-expired')
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(logout.statusCode).toBe(204)
    expect(problemOf(await me()).type).toBe('/problems/unauthorized')
  })
})

describe('per-IP login rate limit', () => {
  it('answers 429 problems after the limit', async () => {
    const t = await makeApp('sqlite', { loginRateLimit: { max: 3, timeWindow: 60_000 } })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `user${i}`, password: 'x' },
        })
        statuses.push(response.statusCode)
        if (i === 3) {
          expect(problemOf(response).type).toBe('/problems/too-many-requests')
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
        }
      }
      expect(statuses).toEqual([401, 401, 401, 429])
      // Other routes are not limited.
      const health = await t.app.inject({ method: 'GET', url: '/api/health' })
      expect(health.statusCode).toBe(200)
    } finally {
      await t.dispose()
    }
  })
})

describe('logs', () => {
  it('never contain tokens, from headers or the query string', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const { store, dispose } = await makeStore('sqlite')
    await seedAccounts(store)
    const app = await buildApp({ store, logger: true, logLevel: 'info', logStream: sink })
    try {
      const token = await login(app, 'admin')
      await app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${token}` },
      })
      await app.inject({ method: 'GET', url: `/api/events?token=${token}&x=1` })
      await app.inject({ method: 'GET', url: `/api/nope?token=${token}` })
      const log = lines.join('')
      expect(log).toContain('/api/auth/me')
      expect(log).toContain('token=[redacted]')
      expect(log).not.toContain(token)
      expect(log).not.toContain(PASSWORD)
    } finally {
      await app.close()
      await dispose()
    }
  })
})
