/**
 * Two browser contexts as two devices of the same commune (a phone and the office PC), each with its
 * own IndexedDB, against the real server and its SQLite database.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { loadDemo } from '../../src/server/seed.ts'
import { addMonths, monthOf } from '../../src/domain/periods.ts'
import { readAppDb } from './appDb.ts'
import { Devices, screenshot, ShellServer, signIn, type Device } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
let url: string
const month = monthOf(new Date())
const UNIT = '99019'

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
})

function unsent(page: Page) {
  return page.getByTestId('unsent').textContent()
}

async function enter(page: Page, values: Record<string, string>, at = month): Promise<void> {
  await page.goto(`${url}entry/${UNIT}/${at}`)
  for (const [label, value] of Object.entries(values)) {
    await page.getByRole('textbox', { name: label, exact: true }).fill(value)
  }
  await page.getByRole('button', { name: 'Lưu' }).click()
  await expect.poll(() => page.getByText('Đã lưu trên máy này').isVisible()).toBe(true)
}

async function syncNow(page: Page): Promise<void> {
  await page.goto(`${url}settings`)
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click()
}

async function serverEntry(at = month) {
  const page = await server.db.pull({ all: true }, 0n, 1000)
  return page.changes.find((change) => change.unitCode === UNIT && change.month === at)
}

let phone: Device
let office: Device

it('an entry made offline on one device appears on the other once both are online', async () => {
  phone = await devices.open()
  office = await devices.open()
  for (const { page } of [phone, office]) {
    await signIn(page, url, 'xa99019')
    // The first sync brings the unit list and chooses the reporter's commune.
    await expect
      .poll(() => page.getByText('Xã An Lạc (mẫu)').first().isVisible(), { timeout: 20_000 })
      .toBe(true)
  }

  await phone.context.setOffline(true)
  await enter(phone.page, { 'Hồ sơ tiếp nhận': '420', 'Hồ sơ đã số hoá': '360' })
  await expect.poll(() => unsent(phone.page)).toContain('1 thay đổi chưa gửi')
  expect(await serverEntry()).toBeUndefined()

  await phone.context.setOffline(false)
  await expect.poll(() => unsent(phone.page), { timeout: 30_000 }).toContain('Đã gửi hết')
  expect((await serverEntry())?.counts).toEqual({ received: 420, digitized: 360 })

  // The office PC learns of it through the server's poke, or its own periodic pull.
  await syncNow(office.page)
  await office.page.goto(`${url}entry/${UNIT}/${month}`)
  await expect
    .poll(
      () => office.page.getByRole('textbox', { name: 'Hồ sơ tiếp nhận', exact: true }).inputValue(),
      {
        timeout: 20_000,
      },
    )
    .toBe('420')
  await screenshot(office.page, 'sync-second-device')
})

it('the same month edited offline on both devices ends in a visible conflict keeping both values', async () => {
  await phone.context.setOffline(true)
  await office.context.setOffline(true)
  await enter(phone.page, { 'Hồ sơ tiếp nhận': '450' })
  await enter(office.page, { 'Hồ sơ tiếp nhận': '470' })

  await phone.context.setOffline(false)
  await expect.poll(() => unsent(phone.page), { timeout: 30_000 }).toContain('Đã gửi hết')
  await office.context.setOffline(false)
  await expect.poll(() => unsent(office.page), { timeout: 30_000 }).toContain('Đã gửi hết')

  // The later push wins the field; the earlier value is kept as an open conflict.
  const stored = await serverEntry()
  expect(stored?.counts.received).toBe(470)
  expect(stored?.conflicts.map((conflict) => [conflict.field, conflict.value])).toEqual([
    ['received', 450],
  ])

  for (const { page } of [phone, office]) {
    await syncNow(page)
    await page.goto(`${url}entry/${UNIT}/${month}`)
    const region = page.getByRole('region', { name: 'Số liệu khác nhau cần chọn' })
    await expect.poll(() => region.isVisible(), { timeout: 20_000 }).toBe(true)
    await expect.poll(() => region.getByRole('button', { name: 'Giữ 470' }).isVisible()).toBe(true)
    await expect.poll(() => region.getByRole('button', { name: 'Dùng 450' }).isVisible()).toBe(true)
  }
  await screenshot(phone.page, 'sync-conflict')

  // Choosing a value settles it everywhere.
  await phone.page.getByRole('button', { name: 'Dùng 450' }).click()
  await expect
    .poll(async () => (await serverEntry())?.conflicts.length, { timeout: 30_000 })
    .toBe(0)
  expect((await serverEntry())?.counts.received).toBe(450)
})

it('a push cut before the server, then after it committed, completes later: every op exactly once', async () => {
  const { page, context } = phone
  const months = [month, addMonths(month, -1), addMonths(month, -2)]
  const before = await Promise.all(months.map(async (m) => (await serverEntry(m))?.version ?? 0))
  // Saved offline, the three months go out together in one push.
  await context.setOffline(true)
  for (const [i, m] of months.entries()) {
    await enter(page, { 'Hồ sơ tiếp nhận': String(480 + i), 'Hồ sơ đã số hoá': '400' }, m)
  }
  await expect.poll(() => unsent(page)).toContain('3 thay đổi chưa gửi')
  const serverVersions = () => Promise.all(months.map(async (m) => (await serverEntry(m))?.version))

  // (a) The push never reaches the server: the engine retries on its own, backing off.
  const attempts: number[] = []
  await context.route('**/api/sync/push', async (route) => {
    attempts.push(Date.now())
    await route.abort('connectionrefused')
  })
  await context.setOffline(false)
  await expect.poll(() => attempts.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
  const banner = page.getByRole('status').filter({ hasText: 'Không kết nối được máy chủ' })
  await expect.poll(() => banner.isVisible()).toBe(true)
  await page.waitForTimeout(4_000)
  // Full-jitter backoff from 2 s doubling: a handful of tries, not a tight loop.
  const span = (attempts.at(-1) ?? 0) - (attempts[0] ?? 0)
  expect(attempts.length).toBeLessThan(10)
  expect(span).toBeGreaterThan(500)
  expect(await serverVersions()).toEqual(before)
  expect(await unsent(page)).toContain('3 thay đổi chưa gửi')
  await screenshot(page, 'sync-push-unreachable')

  // (b) The push reaches the server and commits, but the answer is lost: the phone cannot know.
  await context.unroute('**/api/sync/push')
  let cut = 0
  await context.route('**/api/sync/push', async (route) => {
    await route.fetch()
    cut += 1
    await route.abort('connectionreset')
  })
  await syncNow(page)
  await expect.poll(() => cut, { timeout: 30_000 }).toBeGreaterThan(1)
  expect(await serverVersions()).toEqual(before.map((version) => version + 1))
  await expect.poll(() => unsent(page)).toContain('3 thay đổi chưa gửi')

  // Back online: the same ops go out again and are recognised, not applied twice.
  await context.unroute('**/api/sync/push')
  await syncNow(page)
  await expect.poll(() => unsent(page), { timeout: 30_000 }).toContain('Đã gửi hết')
  expect(await serverVersions()).toEqual(before.map((version) => version + 1))
  const local = await readAppDb(page, `${UNIT}/`)
  for (const [i, m] of months.entries()) {
    const stored = await serverEntry(m)
    expect(stored?.counts).toMatchObject({ received: 480 + i, digitized: 400 })
    const edits = (await server.db.history(UNIT, m)).filter((event) => event.type === 'edit')
    expect(edits.filter((event) => event.version > (before[i] ?? 0))).toHaveLength(1)
    expect(local.entries.find((entry) => entry.key === `${UNIT}/${m}`)).toMatchObject({
      state: 'sent',
      counts: stored?.counts,
    })
  }
  expect(local.outbox).toEqual([])
})
