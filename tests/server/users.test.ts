/** Account management by admins, on both backends. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, PASSWORD, login, makeApp, problemOf, type TestApp } from './helpers.ts'

describe.each(BACKENDS)('user management on %s', (backend) => {
  let t: TestApp
  let admin: string

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 1000, timeWindow: 60_000 } })
    admin = await login(t.app, 'admin')
  })
  afterAll(async () => t.dispose())

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${admin}` },
      ...(payload ? { payload } : {}),
    })

  it('lists accounts without their password hashes', async () => {
    const response = await call('GET', '/api/users')
    expect(response.statusCode).toBe(200)
    const { users } = response.json<{ users: Record<string, unknown>[] }>()
    expect(users.map((user) => user.username)).toEqual(
      expect.arrayContaining(['admin', 'reporter', 'viewer', 'deactivated']),
    )
    expect(response.body).not.toContain('scrypt')
    expect(users.find((user) => user.username === 'deactivated')?.active).toBe(false)
  })

  it('creates a reporter who can then sign in', async () => {
    const response = await call('POST', '/api/users', {
      username: 'XaBinhAn',
      displayName: '  Xã Bình An  ',
      role: 'reporter',
      unitCodes: ['99025', '99025'],
      password: 'mật khẩu của xã',
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json()).toMatchObject({
      username: 'xabinhan',
      displayName: 'Xã Bình An',
      role: 'reporter',
      unitCodes: ['99025'],
      active: true,
    })
    await login(t.app, 'xabinhan', 'mật khẩu của xã')
  })

  it('changes a role and its units together, and gives an admin no units', async () => {
    const id = t.users.otherReporter.id
    const viewer = await call('PATCH', `/api/users/${id}`, { role: 'viewer', unitCodes: ['992'] })
    expect(viewer.json()).toMatchObject({ role: 'viewer', unitCodes: ['992'] })
    const adminNow = await call('PATCH', `/api/users/${id}`, { role: 'admin' })
    expect(adminNow.json()).toMatchObject({ role: 'admin', unitCodes: [] })
    const back = await call('PATCH', `/api/users/${id}`, { role: 'reporter' })
    expect(back.statusCode).toBe(400)
    expect(problemOf(back).detail).toMatch(/at least one unit/)
  })

  it('will not let an admin lock itself out', async () => {
    for (const patch of [{ active: false }, { role: 'viewer', unitCodes: ['99'] }]) {
      const response = await call('PATCH', `/api/users/${t.users.admin.id}`, patch)
      expect(response.statusCode).toBe(400)
    }
  })

  it('ends every session of a deactivated account, and lets it back in when reactivated', async () => {
    const token = await login(t.app, 'viewer')
    const off = await call('PATCH', `/api/users/${t.users.viewer.id}`, { active: false })
    expect(off.json()).toMatchObject({ active: false })
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(me.statusCode).toBe(401)
    await call('PATCH', `/api/users/${t.users.viewer.id}`, { active: true })
    await login(t.app, 'viewer')
  })

  it('resets a password: old sessions end, the new password works, the old one not', async () => {
    const token = await login(t.app, 'reporter')
    const reset = await call('POST', `/api/users/${t.users.reporter.id}/password`, {
      password: 'a brand new password',
    })
    expect(reset.statusCode).toBe(204)
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(problemOf(me).type).toBe('/problems/unauthorized')
    await login(t.app, 'reporter', 'a brand new password')
    await expect(login(t.app, 'reporter', PASSWORD)).rejects.toThrow()
  })
})
