/**
 * The screens of a commune's month, checked with axe-core in a real Chromium at phone size against
 * the real server and the demo province: no serious or critical violation, no control under
 * 44×44 px. The reporter and the province viewer each use their own browser profile, and the
 * reporter's months really go through review, so the returned, locked and conflicting states are
 * the app's own. (Admin screens, prompts and English: a11y-admin.test.ts.)
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { decodeLoginResponse } from '../../src/app/sync/decode.ts'
import { addMonths, monthOf, parseMonth, type Month } from '../../src/domain/periods.ts'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '../../src/domain/sync/protocol.ts'
import { DEMO_PASSWORD, loadDemo } from '../../src/server/seed.ts'
import { ScreenAudit } from './axe.ts'
import { Devices, ShellServer, signIn, type Device } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const audit = new ScreenAudit()
const devices = new Devices()
let url: string
const THIS_MONTH = monthOf(new Date())
const LAST_MONTH = addMonths(THIS_MONTH, -1)
const CONFLICT_MONTH = addMonths(THIS_MONTH, -2)
const UNIT = '99019'
const UNIT_NAME = 'Xã An Lạc (mẫu)'
const COMMENT = 'Số hồ sơ đã số hoá chưa khớp sổ theo dõi'

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
  await audit.write('a11y')
})

async function syncNow(page: Page): Promise<void> {
  await page.goto(`${url}settings`)
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click()
  await expect
    .poll(() => page.getByTestId('unsent').textContent(), { timeout: 30_000 })
    .toContain('Đã gửi hết')
}

const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true })

function monthLabel(month: Month): string {
  const { year, month: n } = parseMonth(month)
  return `Tháng ${n}/${year}`
}

async function openEntry(page: Page, month: Month): Promise<void> {
  await page.goto(`${url}entry/${UNIT}/${month}`)
  await field(page, 'Hồ sơ tiếp nhận').waitFor()
}

async function submit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Gửi duyệt' }).click()
  await page.getByText('Đã ghi nhận. Sẽ gửi khi có mạng.').waitFor()
}

/** Another device of the commune writes `month` without having seen the server's figures. */
async function pushConflict(month: Month): Promise<void> {
  const headers = {
    'content-type': 'application/json',
    [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
    [HEADER_SCHEMA]: String(SCHEMA_VERSION),
  }
  const login = await fetch(`${url}api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username: 'xa99019', password: DEMO_PASSWORD }),
  })
  const session = decodeLoginResponse(await login.json())
  if (!session) throw new Error('The reporter could not sign in')
  const op = {
    id: randomUUID(),
    seq: 1,
    kind: 'entry.put',
    unitCode: UNIT,
    month,
    counts: { received: 500, digitized: 400 },
    note: '',
    baseVersion: null,
    createdAt: new Date().toISOString(),
  }
  const push = await fetch(`${url}api/sync/push`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ deviceId: `a11y-${randomUUID()}:${session.user.id}`, ops: [op] }),
  })
  expect(await push.json()).toMatchObject({ results: [{ status: 'conflict' }] })
}

let reporter: Device

it('the reporter: first start, sign-in, home, units, and the entry form in each state', async () => {
  reporter = await devices.open()
  const { page, context } = reporter
  await page.goto(url)
  await page.getByRole('button', { name: 'Tải dữ liệu mẫu' }).waitFor()
  await audit.check(page, 'home-first-start')
  await page.goto(`${url}login`)
  await page.getByLabel('Tên đăng nhập').waitFor()
  await audit.check(page, 'login')
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('alert').waitFor()
  await audit.check(page, 'login-error')
  await signIn(page, url, 'xa99019')
  await page.getByText(UNIT_NAME).first().waitFor({ timeout: 20_000 })
  await audit.check(page, 'home-with-unit')
  await page.goto(`${url}units`)
  await page.getByRole('searchbox', { name: 'Tìm đơn vị' }).waitFor()
  await audit.check(page, 'units')

  await openEntry(page, THIS_MONTH)
  await audit.check(page, 'entry-empty')
  await field(page, 'Hồ sơ tiếp nhận').fill('12a')
  await page.getByRole('button', { name: 'Lưu' }).click()
  await page.getByRole('alert').filter({ hasText: 'Chưa lưu' }).waitFor()
  await audit.check(page, 'entry-errors')
  await field(page, 'Hồ sơ tiếp nhận').fill('420')
  await field(page, 'Hồ sơ đã số hoá').fill('360')
  // Typing reaches IndexedDB shortly after it pauses.
  await page.waitForTimeout(1_000)
  await page.reload()
  await page.getByText('Đã khôi phục phần đang nhập dở.').waitFor()
  await audit.check(page, 'entry-draft-restored')
  await page.getByRole('button', { name: 'Lưu' }).click()
  await page.getByText('Đã lưu trên máy này').waitFor()
  await audit.check(page, 'entry-saved')

  // Offline, the submission waits in the outbox, and the home screen says so.
  await context.setOffline(true)
  await submit(page)
  await page.getByRole('link', { name: 'Trang chủ' }).click()
  await expect.poll(() => page.getByTestId('unsent').textContent()).toMatch(/thay đổi chưa gửi/)
  await audit.check(page, 'home-offline-unsent')
  await context.setOffline(false)
  await openEntry(page, LAST_MONTH)
  await submit(page)
  await syncNow(page)
  await audit.check(page, 'settings-signed-in')
  await page.getByRole('link', { name: 'Tiến độ' }).click()
  await page.getByTestId('headline-rate').waitFor({ timeout: 20_000 })
  await audit.check(page, 'dashboard-commune')
})

it('the province viewer: review queue, returning a month, dashboards, targets, report', async () => {
  const { page } = await devices.open()
  await signIn(page, url, 'tinh')
  await syncNow(page)
  await page.goto(`${url}review`)
  const row = page.getByRole('link', {
    name: `Xem, trả lại: ${UNIT_NAME}, ${monthLabel(THIS_MONTH)}`,
  })
  await row.waitFor({ timeout: 20_000 })
  await audit.check(page, 'review-queue')
  await page.getByRole('button', { name: `Duyệt: ${UNIT_NAME}, ${monthLabel(LAST_MONTH)}` }).click()
  await page.getByText('Đã ghi nhận').waitFor()
  await row.click()
  await page.getByRole('button', { name: 'Trả lại' }).click()
  await page.getByRole('button', { name: 'Xác nhận trả lại' }).click()
  await page.getByRole('alert').filter({ hasText: 'Vui lòng nhập ghi chú' }).waitFor()
  await audit.check(page, 'entry-return-form')
  await page.getByLabel('Ghi chú cho xã').fill(COMMENT)
  await page.getByRole('button', { name: 'Xác nhận trả lại' }).click()
  // Written to IndexedDB before the page is left for the settings screen.
  await page.getByText(`Bị trả lại: ${COMMENT}`).waitFor()
  await syncNow(page)

  await page.getByRole('link', { name: 'Tiến độ' }).click()
  await page.getByTestId('headline-sentence').waitFor({ timeout: 30_000 })
  await audit.check(page, 'dashboard-province')
  // Every chart's "Xem bảng số liệu" opened.
  for (const summary of await page.locator('summary').all()) await summary.click()
  await audit.check(page, 'dashboard-province-tables')
  await page.goto(`${url}dashboard?unit=${UNIT}`)
  await page.getByTestId('headline-rate').waitFor({ timeout: 20_000 })
  for (const summary of await page.locator('summary').all()) await summary.click()
  await audit.check(page, 'dashboard-commune-tables')
  await page.goto(`${url}targets`)
  await page.getByRole('heading', { name: 'Mặc định: cấp xã' }).waitFor({ timeout: 20_000 })
  await audit.check(page, 'targets')
  await page.goto(`${url}report`)
  await page.getByRole('heading', { level: 1, name: /BÁO CÁO/ }).waitFor({ timeout: 20_000 })
  await audit.check(page, 'report')
})

it('the reporter: a returned month, its history, a locked month and a conflict', async () => {
  const { page } = reporter
  await pushConflict(CONFLICT_MONTH)
  await syncNow(page)
  await page.goto(url)
  const task = page.getByRole('link', { name: `${monthLabel(THIS_MONTH)} bị trả lại: ${COMMENT}` })
  await task.waitFor({ timeout: 20_000 })
  await audit.check(page, 'home-returned-task')
  await task.click()
  await page.getByText(`Bị trả lại: ${COMMENT}`).waitFor()
  await page.getByText('Lịch sử thay đổi').click()
  await page.getByText('tinh trả lại').waitFor({ timeout: 20_000 })
  await audit.check(page, 'entry-returned-history')
  await openEntry(page, LAST_MONTH)
  await page.getByText('Đã duyệt — đã khoá').waitFor({ timeout: 20_000 })
  await audit.check(page, 'entry-locked')
  await openEntry(page, CONFLICT_MONTH)
  await page.getByRole('region', { name: 'Số liệu khác nhau cần chọn' }).waitFor()
  await audit.check(page, 'entry-conflict')
})
