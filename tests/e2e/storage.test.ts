/**
 * The phone's storage failing under the app, in a real Chromium: IndexedDB full (Chromium's quota
 * override), IndexedDB erased while the app runs with localStorage left behind, and every kind of
 * site data cleared. The app must say what happened in Vietnamese, write nothing half-way, name
 * what was lost and bring back from the server what it can.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { addMonths, monthOf } from '../../src/domain/periods.ts'
import { buildUnitTree, readScopeOf } from '../../src/server/auth/scope.ts'
import { DEMO_PASSWORD, loadDemo } from '../../src/server/seed.ts'
import { readAppDb, type StoredEntry } from './appDb.ts'
import { Devices, screenshot, ShellServer, signIn, waitForServiceWorker } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
let url: string
let origin: string
const UNIT = '99019'
const thisMonth = monthOf(new Date())

beforeAll(async () => {
  url = await server.start(current.dir)
  origin = new URL(url).origin
  await loadDemo(server.db)
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
})

/** Signs the reporter in and waits until the first sync has brought the commune. */
async function signInReporter(page: Page): Promise<void> {
  await signIn(page, url, 'xa99019')
  await expect
    .poll(() => page.getByText('Xã An Lạc (mẫu)').first().isVisible(), { timeout: 20_000 })
    .toBe(true)
}

const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })
const unsent = (page: Page) => page.getByTestId('unsent').textContent()

/** What the server holds for the reporter xa99019, as `unitCode/month` → counts. */
async function serverScope(): Promise<Map<string, Record<string, number>>> {
  const user = await server.db.findUserByUsername('xa99019')
  if (!user) throw new Error('loadDemo creates xa99019')
  const tree = buildUnitTree(await server.db.listUnits(), await server.db.listLinks())
  const page = await server.db.pull(readScopeOf(user, tree), 0n, 1000)
  return new Map(
    page.changes.map((change) => [`${change.unitCode}/${change.month}`, change.counts]),
  )
}

const byKey = (entries: StoredEntry[]) => new Map(entries.map((entry) => [entry.key, entry.counts]))

it('full storage: a save and a pull fail with a clear message, write nothing, and succeed once space is back', async () => {
  const { context, page, profile } = await devices.open()
  await signInReporter(page)
  await expect.poll(async () => (await readAppDb(page)).entries.length).toBeGreaterThan(0)
  await context.close()

  // Chromium applies a quota override to storage opened after it: restart, then shrink the quota.
  const { context: full, page: tab } = await devices.reopen(profile)
  const cdp = await full.newCDPSession(tab)
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 })
  await tab.goto(`${url}entry/${UNIT}/${thisMonth}`)
  await expect.poll(() => field(tab, 'Hồ sơ tiếp nhận').isVisible()).toBe(true)
  await expect.poll(() => unsent(tab)).toContain('Đã gửi hết')
  const before = await readAppDb(tab)

  await field(tab, 'Hồ sơ tiếp nhận').fill('612')
  await field(tab, 'Hồ sơ đã số hoá').fill('500')
  await tab.getByRole('button', { name: 'Lưu', exact: true }).click()
  const alert = tab.getByRole('alert')
  await expect.poll(() => alert.textContent()).toContain('Chưa lưu được: bộ nhớ máy đã đầy.')
  expect(await alert.textContent()).toContain('bấm Lưu lại')
  await screenshot(tab, 'storage-quota-save')
  // Nothing half-written, nothing earlier touched, the typed figures still on screen.
  const after = await readAppDb(tab)
  expect(byKey(after.entries)).toEqual(byKey(before.entries))
  expect(after.outbox).toEqual([])
  expect(await field(tab, 'Hồ sơ tiếp nhận').inputValue()).toBe('612')
  expect(await unsent(tab)).toContain('Đã gửi hết')

  // Another device changes last month: the next pull brings it, and this phone cannot store it.
  const lastMonth = addMonths(thisMonth, -1)
  const pulled = tab.waitForResponse(async (response) => {
    if (!response.url().includes('/api/sync/pull?')) return false
    return (await response.text().catch(() => '')).includes('777')
  })
  const admin = await server.db.findUserByUsername('admin')
  if (!admin) throw new Error('loadDemo creates the admin')
  await server.db.push({ user: admin, deviceId: 'office', now: new Date(), check: () => null }, [
    {
      id: crypto.randomUUID(),
      seq: 1,
      kind: 'entry.put',
      unitCode: UNIT,
      month: lastMonth,
      counts: { received: 777, digitized: 700 },
      note: '',
      baseVersion: null,
      createdAt: new Date().toISOString(),
    },
  ])
  // The link coming back makes the engine sync at once, backoff or not.
  await full.setOffline(true)
  await full.setOffline(false)
  await pulled
  const banner = tab
    .getByRole('status')
    .filter({ hasText: 'Bộ nhớ máy đã đầy nên chưa đồng bộ được; số liệu đã lưu không mất.' })
  await expect.poll(() => banner.isVisible()).toBe(true)
  await tab.evaluate(() => window.scrollTo(0, 0))
  await screenshot(tab, 'storage-quota-pull')
  const stalled = await readAppDb(tab)
  const cursorKey = Object.keys(before.meta).find((key) => key.startsWith('cursor:')) ?? ''
  expect(stalled.meta[cursorKey]).toBe(before.meta[cursorKey])
  expect(byKey(stalled.entries)).toEqual(byKey(before.entries))

  // Space comes back: the same save goes through and out, and the pull catches up.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin })
  await tab.getByRole('button', { name: 'Lưu', exact: true }).click()
  await expect.poll(() => tab.getByText('Đã lưu trên máy này').isVisible()).toBe(true)
  await expect.poll(() => unsent(tab)).toContain('1 thay đổi chưa gửi')
  await tab.goto(`${url}settings`)
  await tab.getByRole('button', { name: 'Đồng bộ ngay' }).click()
  await expect.poll(() => unsent(tab), { timeout: 30_000 }).toContain('Đã gửi hết')
  expect((await serverScope()).get(`${UNIT}/${thisMonth}`)).toMatchObject({
    received: 612,
    digitized: 500,
  })
  await expect
    .poll(async () => byKey((await readAppDb(tab)).entries).get(`${UNIT}/${lastMonth}`), {
      timeout: 30_000,
    })
    .toMatchObject({ received: 777, digitized: 700 })
  expect(await banner.count()).toBe(0)
  await full.close()
})

/** Clears `types` of the origin's site data, as the browser's settings would. */
async function clearSiteData(context: BrowserContext, page: Page, types: string): Promise<void> {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: types })
  await cdp.detach()
}

/** The app notices its database vanish, stops, and reloads when asked. */
async function reloadAfterErasure(page: Page, name: string): Promise<void> {
  const dialog = page.getByRole('alertdialog')
  await expect.poll(() => dialog.textContent()).toContain('Dữ liệu SoHoa trên máy này vừa bị xoá')
  await screenshot(page, name)
  const reloaded = page.waitForEvent('load')
  await dialog.getByRole('button', { name: 'Tải lại' }).click()
  await reloaded
}

/** Signs in again, and waits for the restore notice with every synced month of the server. */
async function expectRestored(page: Page): Promise<void> {
  const expected = await serverScope()
  await expect
    .poll(() => page.getByText(`Đã tải ${expected.size} tháng số liệu từ máy chủ`).isVisible(), {
      timeout: 30_000,
    })
    .toBe(true)
  expect(await page.getByRole('region', { name: 'Dữ liệu trên máy này đã bị xoá' }).count()).toBe(0)
  const stored = await readAppDb(page)
  expect(byKey(stored.entries)).toEqual(expected)
}

it('IndexedDB erased under the running app: it stops, names the lost month, and restores the rest after sign-in', async () => {
  const { context, page } = await devices.open()
  await signInReporter(page)
  // Installed for offline use, as on a phone: the app must start without the network later.
  await waitForServiceWorker(page)
  const lost = addMonths(thisMonth, -1)
  await context.setOffline(true)
  await page.goto(`${url}entry/${UNIT}/${lost}`)
  await field(page, 'Hồ sơ tiếp nhận').fill('4321')
  await page.getByRole('button', { name: 'Lưu', exact: true }).click()
  await expect.poll(() => unsent(page)).toContain('1 thay đổi chưa gửi')
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('sohoa.ledger')))
    .toContain(`"month":"${lost}"`)

  await clearSiteData(context, page, 'indexeddb')
  await reloadAfterErasure(page, 'storage-erased-dialog')
  // Offline still: the service worker serves the app; the ledger in localStorage names the loss.
  const notice = page.getByRole('region', { name: 'Dữ liệu trên máy này đã bị xoá' })
  await expect.poll(() => notice.isVisible()).toBe(true)
  const [year, month] = lost.split('-')
  expect(await notice.textContent()).toContain('1 thay đổi chưa gửi đã mất, cần nhập lại:')
  expect(await notice.getByRole('listitem').allTextContents()).toEqual([
    `Xã An Lạc (mẫu) – tháng ${Number(month)}/${year}`,
  ])
  expect(await notice.textContent()).toContain('Đăng nhập lại (xa99019)')
  await screenshot(page, 'storage-erased-notice')

  await context.setOffline(false)
  await notice.getByRole('link', { name: 'Đăng nhập' }).click()
  await page.getByLabel('Tên đăng nhập').fill('xa99019')
  await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  const expected = await serverScope()
  await expect
    .poll(
      () => notice.getByText(`Đã tải lại ${expected.size} tháng số liệu từ máy chủ`).isVisible(),
      {
        timeout: 30_000,
      },
    )
    .toBe(true)
  expect(await notice.textContent()).toMatch(/mới nhất lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\./)
  // What was lost stays named; the server's figures are back, the lost typing is not.
  expect(await notice.getByRole('listitem').count()).toBe(1)
  expect(byKey((await readAppDb(page)).entries)).toEqual(expected)
  await screenshot(page, 'storage-erased-restored')

  await notice.getByRole('button', { name: 'Đã hiểu' }).click()
  await expect.poll(() => notice.count()).toBe(0)
  await page.reload()
  await expect.poll(() => page.getByText('Xã An Lạc (mẫu)').first().isVisible()).toBe(true)
  expect(await notice.count()).toBe(0)
})

it('all site data cleared: after sign-in the app restores what the server holds and says what it cannot', async () => {
  const { context, page } = await devices.open()
  await signInReporter(page)
  await clearSiteData(context, page, 'all')
  await reloadAfterErasure(page, 'storage-cleared-dialog')
  expect(await page.evaluate(() => localStorage.getItem('sohoa.ledger'))).toBeNull()

  await signInReporter(page)
  // Nothing says what was there (a new phone looks the same): the notice says what came back.
  const notice = page.getByRole('region', { name: 'Đã tải số liệu từ máy chủ' })
  await expectRestored(page)
  expect(await notice.textContent()).toContain(
    'Nếu dữ liệu SoHoa trên máy này vừa bị xoá, hãy nhập lại những gì chưa kịp gửi.',
  )
  await screenshot(page, 'storage-cleared-restored')
})
