/**
 * Network faults in a real Chromium against the real server: a first pull of a whole province cut
 * part way. What the phone stores is read behind the app's back (appDb.ts): a fault may cost a
 * retry, never a half-written page or a cursor past what was kept. The push side is in
 * sync.test.ts, killed saves in killedSave.test.ts, full and erased storage in storage.test.ts.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Request } from 'playwright-core'
import { addMonths, monthOf } from '../../src/domain/periods.ts'
import type { Op } from '../../src/domain/sync/protocol.ts'
import { DEMO_PROVINCE_CODE } from '../../src/domain/demo.ts'
import type { Unit } from '../../src/domain/units.ts'
import { loadDemo } from '../../src/server/seed.ts'
import { readAppDb, countAppEntries } from './appDb.ts'
import { Devices, screenshot, ShellServer, signIn } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
let url: string
const thisMonth = monthOf(new Date())
/** Extra communes, so that the province viewer's first pull spans several full pages. */
const EXTRA_UNITS = 150
const EXTRA_MONTHS = 24
const PAGE = 1000

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
  await seedProvince()
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
})

/** Adds communes under the demo province with two years of figures, pushed as the admin. */
async function seedProvince(): Promise<void> {
  const units: Unit[] = Array.from({ length: EXTRA_UNITS }, (_, i) => ({
    code: `F${String(i).padStart(4, '0')}`,
    name: `Xã Thử ${i} (mẫu)`,
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: DEMO_PROVINCE_CODE,
    validFrom: '2020-01-01',
    validTo: null,
  }))
  await server.db.putUnits(units)
  const admin = await server.db.findUserByUsername('admin')
  if (!admin) throw new Error('loadDemo creates the admin')
  const ops: Op[] = units.flatMap((unit, u) =>
    Array.from({ length: EXTRA_MONTHS }, (_, m) => ({
      id: `seed-${unit.code}-${m}`,
      seq: u * EXTRA_MONTHS + m + 1,
      kind: 'entry.put' as const,
      unitCode: unit.code,
      month: addMonths(thisMonth, -1 - m),
      counts: { received: 1000 + m, digitized: 50 + u },
      note: '',
      baseVersion: null,
      createdAt: new Date().toISOString(),
    })),
  )
  const context = { user: admin, deviceId: 'seed', now: new Date(), check: () => null }
  for (let start = 0; start < ops.length; start += 200) {
    await server.db.push(context, ops.slice(start, start + 200))
  }
}

/** Every entry the server holds, as `unitCode/month` → counts. */
async function serverEntries(): Promise<Map<string, Record<string, number>>> {
  const all = new Map<string, Record<string, number>>()
  let cursor = 0n
  for (;;) {
    const page = await server.db.pull({ all: true }, cursor, PAGE)
    for (const change of page.changes) all.set(`${change.unitCode}/${change.month}`, change.counts)
    if (!page.more) return all
    cursor = BigInt(page.cursor)
  }
}

const pullCursor = (request: Request): string | null =>
  new URL(request.url()).searchParams.get('cursor')

it('a first pull cut after two pages keeps them whole, says so, and resumes from its cursor', async () => {
  const expected = await serverEntries()
  expect(expected.size).toBeGreaterThan(3 * PAGE)
  const { context, page } = await devices.open()

  // Two pages arrive; the third arrives garbled (the link dropped mid-body), then nothing gets through.
  const cursors: string[] = []
  let requests = 0
  await context.route('**/api/sync/pull?*', async (route) => {
    requests += 1
    if (cursors.length === 2) {
      if (requests > 3) return route.abort('connectionreset')
      const response = await route.fetch()
      const body = await response.text()
      return route.fulfill({ response, body: body.slice(0, body.length / 2) })
    }
    const response = await route.fetch()
    const body = await response.text()
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === 'object' && parsed !== null && 'cursor' in parsed) {
      cursors.push(String(parsed.cursor))
    }
    await route.fulfill({ response, body })
  })
  await signIn(page, url, 'tinh')
  await expect.poll(() => requests, { timeout: 30_000 }).toBeGreaterThanOrEqual(4)

  // Exactly two whole pages, and the cursor right after the second: nothing half-stored.
  const stored = await readAppDb(page)
  expect(stored.entries).toHaveLength(2 * PAGE)
  const userId = sessionUserId(stored.meta.session)
  expect(stored.meta[`cursor:${userId}`]).toBe(cursors[1])
  await expect
    .poll(() =>
      page
        .getByRole('status')
        .filter({ hasText: 'Không kết nối được máy chủ. Số liệu vẫn giữ trên máy; sẽ tự thử lại.' })
        .isVisible(),
    )
    .toBe(true)
  await screenshot(page, 'faults-pull-cut')

  // The link comes back: the next pull starts from the stored cursor, not from the beginning.
  const resumed: (string | null)[] = []
  page.on('request', (request) => {
    if (request.url().includes('/api/sync/pull?')) resumed.push(pullCursor(request))
  })
  await context.unroute('**/api/sync/pull?*')
  await page.goto(`${url}settings`)
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click()
  await expect.poll(() => resumed.length, { timeout: 30_000 }).toBeGreaterThan(0)
  expect(resumed[0]).toBe(cursors[1])
  expect(resumed[0]).not.toBe('0')

  await expect.poll(() => countAppEntries(page), { timeout: 60_000 }).toBe(expected.size)
  const local = await readAppDb(page)
  expect(new Map(local.entries.map((entry) => [entry.key, entry.counts]))).toEqual(expected)
  expect(local.entries.every((entry) => entry.state === 'sent')).toBe(true)
})

function sessionUserId(session: unknown): string {
  if (typeof session !== 'object' || session === null || !('user' in session)) return ''
  const { user } = session
  return typeof user === 'object' && user !== null && 'id' in user ? String(user.id) : ''
}
