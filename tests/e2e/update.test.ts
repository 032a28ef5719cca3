/**
 * The offline-first promise end to end: an entry saved with no network survives reloads and an app
 * update, and the update waits for the user instead of reloading under their fingers.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { monthOf } from '../../src/domain/periods.ts'
import { DEMO_PASSWORD, loadDemo } from '../../src/server/seed.ts'
import {
  buildIdOf,
  firstPage,
  launchBrowser,
  makeProfile,
  recordCspViolations,
  screenshot,
  ShellServer,
  waitForServiceWorker,
  type Profile,
} from './harness.ts'

const { current, next } = inject('builds')
const server = new ShellServer()
let profile: Profile

beforeAll(async () => {
  profile = await makeProfile()
})
afterAll(async () => {
  await server.dispose()
  await profile.remove()
})

const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })
const unsent = (page: Page) => page.getByRole('status').filter({ hasText: /thay đổi chưa gửi/ })

async function expectEntryKept(page: Page): Promise<void> {
  await expect.poll(() => field(page, 'Hồ sơ tiếp nhận').inputValue()).toBe('120')
  await expect.poll(() => field(page, 'Hồ sơ đã số hoá').inputValue()).toBe('80')
  await expect.poll(() => unsent(page).textContent()).toContain('1 thay đổi chưa gửi')
}

it('saves offline, survives a reload, and updates only when the user taps Cập nhật', async () => {
  // One online visit installs the app.
  const url = await server.start(current.dir)
  const first = await launchBrowser(profile)
  await firstPage(first).then(async (page) => {
    await page.goto(url)
    await waitForServiceWorker(page)
  })
  await server.stop()
  await first.close()

  // Cold start with no network at all, then record an entry.
  const context = await launchBrowser(profile, { offline: true })
  const cspViolations = recordCspViolations(context)
  try {
    const page = await firstPage(context)
    await page.goto(url)
    await page.getByRole('button', { name: 'Tải dữ liệu mẫu' }).click()
    await page.getByRole('link', { name: 'Chọn đơn vị báo cáo' }).click()
    await page.getByRole('searchbox', { name: 'Tìm đơn vị' }).fill('An Lạc')
    await page.getByRole('button', { name: /Xã An Lạc/ }).click()
    await page.getByRole('link', { name: /^Nhập số liệu tháng/ }).click()
    await field(page, 'Hồ sơ tiếp nhận').fill('120')
    await field(page, 'Hồ sơ đã số hoá').fill('80')
    await page.getByRole('button', { name: 'Lưu', exact: true }).click()
    await expect
      .poll(() => page.getByText('Đã lưu trên máy này. Sẽ gửi khi có mạng.').isVisible())
      .toBe(true)
    await expect.poll(() => unsent(page).textContent()).toContain('1 thay đổi chưa gửi')

    await page.reload()
    await expectEntryKept(page)
    expect(await buildIdOf(page)).toBe(current.id)

    // A new version is deployed on the same address and the signal comes back.
    await server.start(next.dir)
    await context.setOffline(false)
    // Marks this document; a reload would come back without the mark.
    await page.evaluate(() => {
      document.body.dataset.sentinel = 'still here'
    })
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration()
      await registration?.update()
    })
    const banner = page.getByRole('alertdialog', { name: 'Có phiên bản mới của SoHoa.' })
    await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(true)
    expect(await banner.textContent()).toContain(
      'Số liệu chưa gửi vẫn được giữ nguyên khi cập nhật.',
    )
    await screenshot(page, 'update-banner')
    for (const name of ['Cập nhật', 'Để sau']) {
      const box = await banner.getByRole('button', { name }).boundingBox()
      expect(box?.height, name).toBeGreaterThanOrEqual(44)
    }
    const bannerBox = await banner.boundingBox()
    expect((bannerBox?.x ?? -1) >= 0 && (bannerBox?.width ?? 999) <= 360).toBe(true)
    // Nothing reloaded on its own: same document, same build, the entry still on screen.
    await page.waitForTimeout(1_000)
    expect(await page.evaluate(() => document.body.dataset.sentinel)).toBe('still here')
    expect(await buildIdOf(page)).toBe(current.id)
    await expectEntryKept(page)

    const reloaded = page.waitForEvent('load')
    await banner.getByRole('button', { name: 'Cập nhật' }).click()
    await reloaded
    await expect.poll(() => buildIdOf(page), { timeout: 30_000 }).toBe(next.id)
    await expectEntryKept(page)
    expect(await page.evaluate(() => document.body.dataset.sentinel)).toBeUndefined()
    expect(await banner.count()).toBe(0)
    await screenshot(page, 'after-update')

    // The change queued before the update is still queued, and goes out exactly once when the
    // official signs in (the demo accounts exist on the server from now on).
    await loadDemo(server.db)
    await page.goto(`${url}login`)
    await page.getByLabel('Tên đăng nhập').fill('xa99019')
    await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await expect
      .poll(() => page.getByTestId('unsent').textContent(), { timeout: 30_000 })
      .toContain('Đã gửi hết')
    const month = monthOf(new Date())
    const stored = (await server.db.pull({ all: true }, 0n, 1000)).changes.find(
      (change) => change.unitCode === '99019' && change.month === month,
    )
    expect(stored).toMatchObject({ version: 1, counts: { received: 120, digitized: 80 } })
    const edits = (await server.db.history('99019', month)).filter((e) => e.type === 'edit')
    expect(edits.map((edit) => edit.by)).toEqual(['xa99019'])
    expect(cspViolations).toEqual([])
  } finally {
    await context.close()
  }
})

it('"Để sau" hides the offer until the next load; a full restart starts the new version', async () => {
  const later = await makeProfile()
  try {
    const url = await server.start(current.dir)
    let context = await launchBrowser(later)
    const page = await firstPage(context)
    await page.goto(url)
    await waitForServiceWorker(page)

    await server.start(next.dir)
    await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update()
    })
    const banner = page.getByRole('alertdialog', { name: 'Có phiên bản mới của SoHoa.' })
    await expect.poll(() => banner.isVisible()).toBe(true)
    await banner.getByRole('button', { name: 'Để sau' }).click()
    await expect.poll(() => banner.count()).toBe(0)
    expect(await buildIdOf(page)).toBe(current.id)

    // A reload keeps the old version (the new one waits) and asks again.
    await page.reload()
    await expect.poll(() => banner.isVisible()).toBe(true)
    expect(await buildIdOf(page)).toBe(current.id)

    // With every window closed nothing can be lost, so the browser starts the new version.
    await context.close()
    context = await launchBrowser(later)
    const restarted = await firstPage(context)
    await restarted.goto(url)
    await expect.poll(() => buildIdOf(restarted)).toBe(next.id)
    await context.close()
  } finally {
    await later.remove()
  }
})
