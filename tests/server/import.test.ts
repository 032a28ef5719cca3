/** POST /api/admin/units/import, GET /api/units links and GET /api/admin/audit, on both backends. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import writeXlsxFile from 'write-excel-file/node'
import type { ImportRequest } from '../../src/domain/sync/protocol.ts'
import { parseCsv } from '../../src/domain/unitImport/stats.ts'
import { XLSX_MAX_UNPACKED_BYTES } from '../../src/server/unitFiles.ts'
import { ROOT } from '../e2e/harness.ts'
import { BACKENDS, login, makeApp, type TestApp } from './helpers.ts'

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'units')
const fixture = (name: string) => readFile(join(FIXTURES, name), 'utf8')

describe.each(BACKENDS)('unit import and audit on %s', (backend) => {
  let t: TestApp
  let admin: string
  let viewer: string

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 1000, timeWindow: 60_000 } })
    admin = await login(t.app, 'admin')
    viewer = await login(t.app, 'viewer')
  })
  afterAll(async () => t.dispose())

  const post = (token: string, payload: ImportRequest) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/units/import',
      headers: { authorization: `Bearer ${token}` },
      payload,
    })
  const request = async (
    format: ImportRequest['format'],
    name: string,
    extra: Partial<ImportRequest> = {},
  ): Promise<ImportRequest> => ({
    format,
    fileName: name,
    content: await fixture(name),
    encoding: 'text',
    ...extra,
  })

  it('is for admins only', async () => {
    const body = await request('units-old', 'units-old.json')
    expect((await post(viewer, body)).statusCode).toBe(403)
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/admin/units/import',
      payload: body,
    })
    expect(anonymous.statusCode).toBe(401)
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/admin/audit',
      headers: { authorization: `Bearer ${viewer}` },
    })
    expect(audit.statusCode).toBe(403)
  })

  it('refuses a file with a bad row, names the row and writes nothing', async () => {
    const before = await t.store.listUnits()
    const response = await post(
      admin,
      await request('stats', 'stats-bad.csv', { effectiveDate: '2024-01-01' }),
    )
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.json()).toMatchObject({
      type: '/problems/bad-request',
      errors: [
        { path: 'row 3', message: expect.stringContaining('180040') },
        { path: 'row 4', message: expect.stringContaining('"Ấp"') },
      ],
    })
    const noDate = await post(admin, await request('stats', 'stats-42.csv'))
    expect(noDate.json()).toMatchObject({ errors: [{ path: 'effectiveDate' }] })
    expect(await t.store.listUnits()).toEqual(before)
  })

  it('a dry run answers the counts and writes nothing', async () => {
    const before = await t.store.listUnits()
    const response = await post(
      admin,
      await request('units-old', 'units-old.json', { dryRun: true }),
    )
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ dryRun: true, units: { added: 12 } })
    expect(await t.store.listUnits()).toEqual(before)
  })

  it('imports the lists and the mapping; GET /api/units carries the links the user may see', async () => {
    // A body well over the 1 MiB default limit: this route accepts up to 20 MB.
    const padded = (await fixture('units-old.json')) + ' '.repeat(2 * 1024 * 1024)
    const old = await post(admin, await request('units-old', 'units-old.json', { content: padded }))
    expect(old.statusCode).toBe(200)
    expect(old.json()).toMatchObject({ units: { added: 12 }, active: { after: { commune: 7 } } })
    const next = await post(admin, await request('units-new', 'units-new.json'))
    expect(next.json()).toMatchObject({
      effectiveDate: '2025-07-01',
      active: {
        before: { province: 2, district: 3 },
        after: { province: 2, district: 0, commune: 3 },
      },
    })
    expect((await post(admin, await request('merges', 'merges.json'))).json()).toMatchObject({
      links: { added: 10, unchanged: 0 },
    })

    const units = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${admin}` },
    })
    const body = units.json<{ units: { code: string }[]; links: { oldCode: string }[] }>()
    expect(body.links).toHaveLength(10)
    expect(body.units.some((u) => u.code === '18013')).toBe(true)
    // The viewer of the demo province 99 sees none of them.
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/units',
      headers: { authorization: `Bearer ${viewer}` },
    })
    expect(theirs.json<{ links: unknown[] }>().links).toEqual([])
  })

  it('reads the statistics list from an XLSX upload (base64)', async () => {
    const rows = parseCsv(await fixture('stats-42.csv'))
    const xlsx = await writeXlsxFile(rows.map((row) => row.map((value) => ({ value })))).toBuffer()
    const response = await post(admin, {
      format: 'stats',
      fileName: 'stats-42.xlsx',
      content: xlsx.toString('base64'),
      encoding: 'base64',
      effectiveDate: '2025-01-01',
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ units: { unchanged: 8 } })
  })

  it('refuses an XLSX that unpacks past the limit (a zip bomb) before reading it, and logs nothing', async () => {
    // A sheet of spaces one byte over the limit: a few dozen KiB compressed.
    const bomb = zipSync(
      {
        '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
        'xl/worksheets/sheet1.xml': new Uint8Array(XLSX_MAX_UNPACKED_BYTES + 1).fill(0x20),
      },
      { level: 9 },
    )
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const response = await post(admin, {
      format: 'stats',
      fileName: 'bomb.xlsx',
      content: Buffer.from(bomb).toString('base64'),
      encoding: 'base64',
      effectiveDate: '2025-01-01',
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toContain('application/problem+json')
    expect(response.body).toContain('giải nén ra quá 64 MiB')
  })

  it('logs account changes and imports, newest first', async () => {
    const call = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, payload })
    const created = await call('POST', '/api/users', {
      username: 'xa18001',
      role: 'reporter',
      unitCodes: ['18001'],
      password: 'mật khẩu của xã',
    })
    expect(created.statusCode).toBe(201)
    const id = created.json<{ id: string }>().id
    await call('PATCH', `/api/users/${id}`, { displayName: 'Xã An Phú' })
    await call('POST', `/api/users/${id}/password`, { password: 'mật khẩu mới của xã' })
    await call('PATCH', `/api/users/${id}`, { active: false })
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/admin/audit?limit=5',
      headers: { authorization: `Bearer ${admin}` },
    })
    expect(response.statusCode).toBe(200)
    const { events } = response.json<{
      events: { actor: string; action: string; target: string; detail: string }[]
    }>()
    expect(events.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['admin', 'user.deactivate', 'xa18001'],
      ['admin', 'user.password', 'xa18001'],
      ['admin', 'user.update', 'xa18001'],
      ['admin', 'user.create', 'xa18001'],
      ['admin', 'units.import', 'stats-42.xlsx'],
    ])
    expect(response.body).not.toContain('mật khẩu')
  })
})
