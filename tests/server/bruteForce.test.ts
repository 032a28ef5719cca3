/**
 * Guessing passwords over real HTTP behind a trusted proxy (configured as SOHOA_TRUST_PROXY is): many usernames from one address hit
 * the per-IP limit; one username from many addresses hits the per-username lockout, which then
 * refuses even the right password; and an unknown username costs the same scrypt work as a known
 * one, so response times do not tell which usernames exist. node:crypto's scrypt is wrapped (not
 * replaced) to count that work.
 */
import type * as crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { hashPassword } from '../../src/server/auth/password.ts'
import { readConfig } from '../../src/server/config.ts'
import { BACKENDS, PASSWORD, makeApp, type TestApp } from './helpers.ts'

const scryptCalls = vi.hoisted(() => [] as { N: number }[])

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>()
  function scrypt(...args: Parameters<typeof actual.scrypt>): void {
    const options = args[3]
    if (typeof options === 'object' && options !== null && typeof options.N === 'number') {
      scryptCalls.push({ N: options.N })
    }
    Reflect.apply(actual.scrypt, actual, args)
  }
  return { ...actual, scrypt }
})

// Behind one proxy, as the README deploys it: the proxy is trusted by hop count on one backend and
// by address on the other, both read by the server's own configuration.
const PROXY_SETTING = { sqlite: '1', postgres: '127.0.0.1' } as const

describe.each(BACKENDS)('brute force on %s', (backend) => {
  let t: TestApp
  let base: string

  beforeAll(async () => {
    t = await makeApp(backend, {
      trustProxy: readConfig({ SOHOA_TRUST_PROXY: PROXY_SETTING[backend] }).trustProxy,
      loginRateLimit: { max: 5, timeWindow: 60_000 },
    })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => t.dispose())

  const attempt = (username: string, password: string, ip: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    })

  it('limits one address trying many usernames, and no other address', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++)
      statuses.push((await attempt(`guess${i}`, 'password!', '203.0.113.7')).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    expect((await attempt('viewer', PASSWORD, '203.0.113.8')).status).toBe(200)
  })

  it('locks a username guessed from many addresses, even against the right password', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await attempt('admin', `wrong ${i}`, `198.51.100.${i + 1}`)).status).toBe(401)
    }
    const locked = await attempt('admin', PASSWORD, '198.51.100.200')
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('900')
    expect(await locked.json()).toMatchObject({ type: '/problems/too-many-requests' })
    // Case and spaces do not make it another username.
    expect((await attempt(' ADMIN ', PASSWORD, '198.51.100.201')).status).toBe(429)
    // Another account is not affected.
    expect((await attempt('viewer', PASSWORD, '198.51.100.202')).status).toBe(200)
  })

  it('spends the same scrypt work on an unknown username as on a known one', async () => {
    // An account hashed at full strength, as every real account is.
    const strong = await t.store.createUser({
      username: 'strong',
      displayName: 'strong',
      role: 'reporter',
      unitCodes: ['99019'],
      passwordHash: await hashPassword(PASSWORD),
    })
    const costOf = async (username: string, ip: string) => {
      scryptCalls.length = 0
      expect((await attempt(username, 'not the password', ip)).status).toBe(401)
      return scryptCalls.map((call) => call.N)
    }
    // The first unknown username also builds the decoy hash once.
    await costOf('warm-up-user', '192.0.2.1')
    const known = await costOf(strong.username, '192.0.2.2')
    const unknown = await costOf('nobody-by-this-name', '192.0.2.3')
    expect(known).toEqual([2 ** 15])
    expect(unknown).toEqual(known)
    expect((await t.store.findUserById(strong.id))?.active).toBe(true)
  })
})
