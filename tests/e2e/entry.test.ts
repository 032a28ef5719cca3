/**
 * The entry form in a real Chromium with real IndexedDB: bad input is refused in Vietnamese and
 * writes nothing, and half-typed figures survive a killed tab.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import {
  firstPage,
  launchBrowser,
  makeProfile,
  screenshot,
  ShellServer,
  type Profile,
} from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let context: BrowserContext
let url: string

beforeAll(async () => {
  profile = await makeProfile()
  url = await server.start(current.dir)
  context = await launchBrowser(profile)
})
afterAll(async () => {
  await context?.close()
  await server.dispose()
  await profile.remove()
})

function countField(page: Page, name: string) {
  return page.getByRole('textbox', { name, exact: true })
}

async function openEntryForThisMonth(page: Page): Promise<void> {
  await page.goto(url)
  await page.getByRole('button', { name: 'Tải dữ liệu mẫu' }).click()
  await page.getByRole('link', { name: 'Chọn đơn vị báo cáo' }).click()
  await page.getByRole('button', { name: /Xã An Lạc/ }).click()
  await page.getByRole('link', { name: /^Nhập số liệu tháng/ }).click()
  await expect.poll(() => countField(page, 'Hồ sơ tiếp nhận').isVisible()).toBe(true)
}

it('refuses bad input with Vietnamese messages and saves nothing', async () => {
  const page = await firstPage(context)
  await openEntryForThisMonth(page)
  const received = countField(page, 'Hồ sơ tiếp nhận')
  const digitized = countField(page, 'Hồ sơ đã số hoá')

  const cases: [string, string][] = [
    ['12a', 'Chỉ nhập chữ số, ví dụ 96.688.'],
    ['1e12', 'Chỉ nhập chữ số, ví dụ 96.688.'],
    ['-5', 'Số hồ sơ không được âm.'],
    ['2.000.000', 'Số quá lớn: tối đa 1.000.000 hồ sơ một tháng.'],
  ]
  for (const [typed, message] of cases) {
    await received.fill(typed)
    await received.blur()
    await expect.poll(() => page.getByText(message).isVisible()).toBe(true)
    expect(await received.getAttribute('aria-invalid')).toBe('true')
  }

  // Pasted with the Vietnamese thousands dot, it is read as 96688, and digitized above it is refused.
  await received.fill('96.688')
  await digitized.fill('100000')
  await digitized.blur()
  await page.getByRole('button', { name: 'Lưu' }).click()
  await expect
    .poll(() => page.getByRole('alert').textContent())
    .toBe('Chưa lưu: còn 1 lỗi cần sửa.')
  await expect
    .poll(() =>
      page
        .getByText('Hồ sơ đã số hoá (100.000) không được lớn hơn hồ sơ tiếp nhận (96.688).')
        .isVisible(),
    )
    .toBe(true)
  await expect(page.getByRole('status').filter({ hasText: 'Đã gửi hết' }).count()).resolves.toBe(1)
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe(
    'true',
  )
  await screenshot(page, 'entry-invalid')
})

it('keeps half-typed figures when the tab is killed, then saves them once', async () => {
  const page = await firstPage(context)
  const entryUrl = page.url()
  await countField(page, 'Hồ sơ đã số hoá').fill('71.704')
  // Typing reaches IndexedDB shortly after it pauses.
  await page.waitForTimeout(1_000)
  const cdp = await context.newCDPSession(page)
  // The renderer dies without pagehide or unload, as when Android kills a background tab.
  const crashed = page.waitForEvent('crash')
  void cdp.send('Page.crash').catch(() => undefined)
  await crashed

  const reopened = await context.newPage()
  await reopened.goto(entryUrl)
  await expect
    .poll(() => reopened.getByText('Đã khôi phục phần đang nhập dở.').isVisible())
    .toBe(true)
  expect(await countField(reopened, 'Hồ sơ tiếp nhận').inputValue()).toBe('96.688')
  expect(await countField(reopened, 'Hồ sơ đã số hoá').inputValue()).toBe('71.704')
  await expect.poll(() => reopened.getByTestId('unsent').textContent()).toContain('Đã gửi hết')

  await reopened.getByRole('button', { name: 'Lưu' }).click()
  await expect
    .poll(() => reopened.getByText('Đã lưu trên máy này. Sẽ gửi khi có mạng.').isVisible())
    .toBe(true)
  await expect
    .poll(() => reopened.getByTestId('unsent').textContent())
    .toContain('1 thay đổi chưa gửi')

  // After the save the draft is gone: a reload shows the saved entry, not the draft notice.
  await reopened.reload()
  await expect.poll(() => countField(reopened, 'Hồ sơ đã số hoá').inputValue()).toBe('71.704')
  expect(await reopened.getByText('Đã khôi phục phần đang nhập dở.').count()).toBe(0)
  await expect
    .poll(() => reopened.getByTestId('unsent').textContent())
    .toContain('1 thay đổi chưa gửi')
  await screenshot(reopened, 'entry-saved-after-crash')
})
