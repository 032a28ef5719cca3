/**
 * The admin's screens, the install and update prompts, and every screen once more in English,
 * checked with axe-core in a real Chromium at phone size against the real server and the demo
 * province: no serious or critical violation, no control under 44×44 px. (The commune's month and
 * the province's dashboards in Vietnamese: a11y.test.ts.)
 */
import { join } from 'node:path'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { DEMO_PROVINCE_CODE } from '../../src/domain/demo.ts'
import { monthOf } from '../../src/domain/periods.ts'
import { loadDemo } from '../../src/server/seed.ts'
import { ScreenAudit } from './axe.ts'
import { Devices, ROOT, ShellServer, signIn, waitForServiceWorker } from './harness.ts'

const { current, next } = inject('builds')
const server = new ShellServer()
const audit = new ScreenAudit()
const devices = new Devices()
let url: string
const UNIT = '99019'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
  await audit.write('a11y-admin')
})

let admin: Page

it('the admin: accounts, the account form, the password shown once, import and audit', async () => {
  const { page } = await devices.open()
  admin = page
  await signIn(page, url, 'admin')
  // Units on the phone, none chosen: the admin reports for no commune of their own.
  await page.getByRole('link', { name: 'Chọn đơn vị báo cáo' }).waitFor({ timeout: 20_000 })
  await audit.check(page, 'home-no-unit-chosen')
  await page.goto(`${url}admin`)
  await page.getByText('xa99019').first().waitFor({ timeout: 20_000 })
  await audit.check(page, 'admin-accounts')

  await page.getByRole('button', { name: 'Tạo tài khoản' }).click()
  await page.getByLabel('Tên hiển thị').waitFor()
  await audit.check(page, 'admin-account-form')
  await page.getByLabel('Tên đăng nhập').fill('kiemtra')
  await page.getByLabel('Tên hiển thị').fill('Kiểm tra')
  await page.getByLabel('Tìm đơn vị').fill(UNIT)
  await page.getByRole('button', { name: `Chọn Xã An Lạc (mẫu) (${UNIT})` }).click()
  await page.getByRole('button', { name: 'Tạo mật khẩu ngẫu nhiên' }).click()
  await page.locator('form').getByRole('button', { name: 'Tạo tài khoản' }).click()
  await page.getByTestId('password-once').waitFor({ timeout: 10_000 })
  await audit.check(page, 'admin-password-once')
  await page.getByRole('button', { name: 'Đã lưu mật khẩu, đóng' }).click()

  await page.getByRole('button', { name: 'Nhập danh mục' }).click()
  await page.getByLabel('Tệp danh mục').waitFor()
  await audit.check(page, 'admin-import')
  await page.getByLabel('Loại tệp').selectOption('units-new')
  await page.getByLabel('Tệp danh mục').setInputFiles({
    name: 'hong.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"data":[{"matinh":"xx"}]}'),
  })
  await page.getByRole('button', { name: 'Chạy thử' }).click()
  await page.getByRole('alert').first().waitFor({ timeout: 10_000 })
  await audit.check(page, 'admin-import-errors')
  await page
    .getByLabel('Tệp danh mục')
    .setInputFiles(join(ROOT, 'tests', 'fixtures', 'units', 'units-new.json'))
  await page.getByRole('button', { name: 'Chạy thử' }).click()
  await page.getByText('Kết quả chạy thử (chưa ghi gì)').waitFor({ timeout: 10_000 })
  await audit.check(page, 'admin-import-dry-run')
  await page.getByRole('button', { name: 'Nhật ký' }).click()
  await page.getByText('Đối tượng: kiemtra').waitFor({ timeout: 10_000 })
  await audit.check(page, 'admin-audit')
})

it('every screen once more in English', async () => {
  const page = admin
  await page.goto(`${url}settings`)
  await page.getByText('English', { exact: true }).click()
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en')
  const screens: [string, string, (page: Page) => Locator][] = [
    ['home', '', (p) => p.getByRole('heading', { name: 'Overview' })],
    ['units', 'units', (p) => p.getByRole('searchbox', { name: 'Search units' })],
    [
      'entry',
      `entry/${UNIT}/${monthOf(new Date())}`,
      (p) => p.getByRole('textbox', { name: 'Dossiers received', exact: true }),
    ],
    ['settings', 'settings', (p) => p.getByRole('heading', { name: 'Settings', level: 1 })],
    ['dashboard', `dashboard?unit=${DEMO_PROVINCE_CODE}`, (p) => p.getByTestId('headline-rate')],
    ['targets', 'targets', (p) => p.locator('.targets-card h2').first()],
    ['report', `report?unit=${DEMO_PROVINCE_CODE}`, (p) => p.locator('article h1')],
    ['review', 'review', (p) => p.getByRole('heading', { name: 'Months to review' })],
    ['admin', 'admin', (p) => p.getByText('xa99019').first()],
  ]
  for (const [name, path, ready] of screens) {
    await page.goto(`${url}${path}`)
    await ready(page).waitFor({ timeout: 20_000 })
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await audit.check(page, `${name}-en`)
  }
})

it('the install button, the update prompt and the iPhone install hint', async () => {
  const { page } = await devices.open()
  await page.goto(`${url}settings`)
  await waitForServiceWorker(page)
  await page.getByRole('button', { name: 'Cài ứng dụng' }).waitFor({ timeout: 15_000 })
  await audit.check(page, 'settings-install')

  // A new version deployed on the same address.
  await server.start(next.dir)
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update()
  })
  await page.getByRole('alertdialog').waitFor({ timeout: 30_000 })
  await audit.check(page, 'update-prompt')

  const { page: iphone } = await devices.open({ userAgent: IPHONE })
  await iphone.goto(`${url}settings`)
  await iphone.getByRole('note').waitFor()
  await audit.check(iphone, 'settings-ios-hint')
})
