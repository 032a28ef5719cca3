/**
 * Privilege escalation, beyond the role × endpoint matrix of authz.test.ts: a second province, so a
 * viewer of one can be shown to see nothing of the other (pull, history, units, targets, events);
 * users trying to change their own role, units or active flag; fields only the server may set,
 * slipped into bodies a caller may send; guessed ids; another user's device stream and op ids.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Unit } from '../../src/domain/units.ts'
import type { PushResponse } from '../../src/domain/sync/protocol.ts'
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

const PROVINCE_42: Unit[] = [
  {
    code: '42',
    name: 'Tỉnh Khác (mẫu)',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
    validFrom: '2020-01-01',
    validTo: null,
  },
  {
    code: '42001',
    name: 'Xã Khác (mẫu)',
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: '42',
    validFrom: '2025-07-01',
    validTo: null,
  },
]

describe.each(BACKENDS)('privilege escalation on %s', (backend) => {
  let t: TestApp
  let base: string
  const token: Record<'admin' | 'reporter' | 'viewer' | 'viewer42' | 'reporter42', string> = {
    admin: '',
    reporter: '',
    viewer: '',
    viewer42: '',
    reporter42: '',
  }
  let reporter42Id = ''

  beforeAll(async () => {
    t = await makeApp(backend, {
      unitCacheMs: 0,
      loginRateLimit: { max: 1_000_000, timeWindow: 60_000 },
    })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    await t.store.putUnits(PROVINCE_42)
    const make = (username: string, role: 'viewer' | 'reporter', unitCodes: string[]) =>
      t.store.createUser({
        username,
        displayName: username,
        role,
        unitCodes,
        passwordHash: t.users.reporter.passwordHash,
      })
    await make('viewer42', 'viewer', ['42'])
    reporter42Id = (await make('reporter42', 'reporter', ['42001'])).id
    for (const name of Object.keys(token) as (keyof typeof token)[]) {
      token[name] = await login(t.app, name)
    }
    // Figures, a review and a target in each province.
    const seeded = await push('admin', [
      makeOp({ unitCode: '42001', month: '2025-09' }),
      makeOp({ unitCode: '99019', month: '2025-09' }),
      makeTargetOp({ unitCode: '42', level: 'commune', year: 2030 }),
      makeTargetOp({ unitCode: '99', level: 'commune', year: 2030 }),
    ])
    expect(seeded.results.every((result) => result.status === 'applied')).toBe(true)
  })
  afterAll(async () => t.dispose())

  const headers = (who: keyof typeof token) => syncHeaders(token[who])

  async function push(who: keyof typeof token, ops: unknown[], deviceId?: string) {
    const user =
      who === 'viewer42' || who === 'reporter42'
        ? await t.store.findUserByUsername(who)
        : t.users[who]
    if (!user) throw new Error(`no ${who}`)
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: headers(who),
      payload: { deviceId: deviceId ?? deviceOf(user, 'install-esc'), ops },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<PushResponse>()
  }

  const get = (who: keyof typeof token, url: string) =>
    t.app.inject({ method: 'GET', url, headers: headers(who) })

  describe('a viewer of province 99 sees nothing of province 42', () => {
    it('in the change feed, the units, the targets or the history', async () => {
      const pulled = (await get('viewer', '/api/sync/pull?cursor=0&limit=1000')).json()
      const codes = pulled.changes.map((change: { unitCode: string }) => change.unitCode)
      expect(codes).toContain('99019')
      expect(codes).not.toContain('42001')
      const units = (await get('viewer', '/api/units')).json()
      const unitCodes = units.units.map((unit: { code: string }) => unit.code)
      expect(unitCodes).not.toContain('42')
      expect(unitCodes).not.toContain('42001')
      const targets = (await get('viewer', '/api/sync/targets')).json().targets
      expect(targets.map((target: { unitCode: string | null }) => target.unitCode)).not.toContain(
        '42',
      )
      const history = await get('viewer', '/api/history/42001/2025-09')
      expect(history.statusCode).toBe(403)
      expect(problemOf(history).type).toBe('/problems/forbidden')
      // And the other way round.
      expect((await get('viewer42', '/api/history/99019/2025-09')).statusCode).toBe(403)
    })

    it('on its event stream', async () => {
      const stream = await openSse(`${base}/api/events?token=${token.viewer}`)
      await push('admin', [makeOp({ unitCode: '42001', month: '2025-08' })])
      await push('admin', [makeOp({ unitCode: '99019', month: '2025-08' })])
      expect(JSON.parse((await stream.next('poke')).data)).toEqual({ unitCodes: ['99019'] })
      expect(stream.events.some((event) => event.data.includes('42'))).toBe(false)
      stream.close()
    })

    it('and writes nothing there: figures, targets or reviews', async () => {
      const { results } = await push('viewer', [
        makeOp({ unitCode: '42001', month: '2025-07' }),
        makeTargetOp({ unitCode: '42', level: 'commune', year: 2031 }),
        makeTargetOp({ unitCode: '42001', level: null, year: 2031 }),
        review('accept', '42001'),
        review('reopen', '42001'),
      ])
      expect(results.map((result) => result.status === 'rejected' && result.reason)).toEqual([
        'forbidden',
        'forbidden',
        'forbidden',
        'forbidden',
        'forbidden',
      ])
    })
  })

  function review(action: 'submit' | 'return' | 'accept' | 'reopen', unitCode: string) {
    return {
      id: randomUUID(),
      seq: 1,
      kind: 'review',
      action,
      unitCode,
      month: '2025-09',
      comment: action === 'return' || action === 'reopen' ? 'Sửa lại' : '',
      createdAt: new Date().toISOString(),
    }
  }

  it('keeps a reporter to its own commune: figures, submissions and decisions', async () => {
    const { results } = await push('reporter', [
      makeOp({ unitCode: '99022', month: '2025-09' }),
      makeOp({ unitCode: '42001', month: '2025-09' }),
      makeOp({ unitCode: '99', month: '2025-09' }),
      review('submit', '99022'),
      review('submit', '42001'),
      review('submit', '99019'),
      review('accept', '99019'),
      review('return', '99019'),
    ])
    expect(
      results.map((result) => (result.status === 'rejected' ? result.reason : result.status)),
    ).toEqual([
      'forbidden',
      'forbidden',
      'forbidden',
      'forbidden',
      'forbidden',
      'applied',
      'forbidden',
      'forbidden',
    ])
  })

  it.each([
    ['its role', { role: 'admin' }],
    ['its units', { unitCodes: ['99', '42'] }],
    ['its active flag', { active: true }],
    ['its display name', { displayName: 'Quản trị viên' }],
  ])('does not let a non-admin change %s through /api/users', async (_name, body) => {
    for (const who of ['reporter', 'viewer', 'reporter42'] as const) {
      const self = who === 'reporter42' ? reporter42Id : t.users[who].id
      const response = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${self}`,
        headers: headers(who),
        payload: body,
      })
      expect(response.statusCode, who).toBe(403)
    }
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${t.users.reporter.id}/password`,
      headers: headers('reporter'),
      payload: { password: 'my own new password' },
    })
    expect(reset.statusCode).toBe(403)
    expect(await t.store.findUserById(t.users.reporter.id)).toMatchObject({
      role: 'reporter',
      unitCodes: ['99019'],
      active: true,
    })
  })

  it('answers a guessed user id exactly as a real one: forbidden, nothing to enumerate', async () => {
    const answers = await Promise.all(
      [t.users.admin.id, randomUUID(), 'admin', '1'].map(async (id) => {
        const response = await t.app.inject({
          method: 'PATCH',
          url: `/api/users/${id}`,
          headers: headers('reporter'),
          payload: { displayName: 'x' },
        })
        return [response.statusCode, response.body]
      }),
    )
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
    expect(answers[0]?.[0]).toBe(403)
  })

  it.each([
    [
      'a role at sign-in',
      '/api/auth/login',
      { username: 'reporter', password: 'x', role: 'admin' },
    ],
    [
      'a user id on a push',
      '/api/sync/push',
      { deviceId: 'install-x:y', ops: [makeOp()], userId: 'z' },
    ],
    [
      'an author on an op',
      '/api/sync/push',
      { deviceId: 'install-x:y', ops: [{ ...makeOp(), updatedBy: 'admin' }] },
    ],
    [
      'a version on an op',
      '/api/sync/push',
      { deviceId: 'install-x:y', ops: [{ ...makeOp(), version: 99 }] },
    ],
    [
      'a password hash on an account',
      '/api/users',
      {
        username: 'sneaky',
        role: 'reporter',
        unitCodes: ['99019'],
        password: 'long enough pass',
        passwordHash: 'scrypt$N=2,r=1,p=1$AA$AA',
      },
    ],
    [
      'an active flag on a new account',
      '/api/users',
      {
        username: 'sneaky',
        role: 'reporter',
        unitCodes: ['99019'],
        password: 'long enough pass',
        active: false,
        id: 'chosen',
      },
    ],
  ])('refuses a body carrying %s the server sets itself', async (_name, url, body) => {
    const response = await t.app.inject({
      method: 'POST',
      url,
      headers: headers('admin'),
      payload: body,
    })
    expect(response.statusCode).toBe(400)
    expect(problemOf(response).type).toBe('/problems/bad-request')
    expect(await t.store.findUserByUsername('sneaky')).toBeNull()
  })

  it('refuses a password hash slipped into an account change', async () => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${t.users.otherReporter.id}`,
      headers: headers('admin'),
      payload: { displayName: 'x', passwordHash: 'scrypt$N=2,r=1,p=1$AA$AA' },
    })
    expect(response.statusCode).toBe(400)
  })

  it('refuses a push on another user’s device stream, and another user’s op ids', async () => {
    const stolen = await t.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: headers('reporter'),
      payload: {
        deviceId: deviceOf(t.users.admin, 'install-esc'),
        ops: [makeOp({ unitCode: '99019' })],
      },
    })
    expect(stolen.statusCode).toBe(403)
    // An op id the admin used: refused, and the admin's result is not revealed.
    const op = makeOp({ unitCode: '99019', month: '2025-07' })
    await push('admin', [op])
    const { results } = await push('reporter', [{ ...op, note: 'copy' }])
    expect(results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' })
    expect(results[0]).not.toHaveProperty('version')
  })
})
