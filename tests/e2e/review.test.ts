/**
 * Review of a month in a real Chromium against the real server and the demo province: the commune's
 * reporter and the province viewer each on their own browser profile. The reporter submits a month;
 * the viewer returns it with a comment; the reporter corrects and submits again; the viewer accepts;
 * the month is then locked on the reporter's phone, and its history tells the whole story.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { monthOf, parseMonth } from '../../src/domain/periods.ts'
import { loadDemo } from '../../src/server/seed.ts'
import { Devices, screenshot, ShellServer, signIn } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
let url: string
const month = monthOf(new Date())
const { year, month: monthNumber } = parseMonth(month)
const MONTH_LABEL = `Tháng ${monthNumber}/${year}`
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
})

/** Pushes what is queued and pulls what changed, then waits until nothing is left unsent. */
async function syncNow(page: Page): Promise<void> {
  await page.goto(`${url}settings`)
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click()
  await expect
    .poll(() => page.getByTestId('unsent').textContent(), { timeout: 30_000 })
    .toContain('Đã gửi hết')
}

function reviewBadge(page: Page) {
  return page.getByRole('region', { name: 'Duyệt số liệu' }).getByRole('status').first()
}

async function openEntry(page: Page): Promise<void> {
  await page.goto(`${url}entry/${UNIT}/${month}`)
  await page.getByRole('textbox', { name: 'Hồ sơ tiếp nhận', exact: true }).waitFor()
}

async function submit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Gửi duyệt' }).click()
  await expect.poll(() => reviewBadge(page).textContent()).toContain('Đã gửi duyệt')
  await expect.poll(() => page.getByText('Đã ghi nhận. Sẽ gửi khi có mạng.').isVisible()).toBe(true)
  await syncNow(page)
}

it('a month is submitted, returned with a comment, corrected, accepted and locked', async () => {
  const { page: reporter } = await devices.open()
  const { page: viewer } = await devices.open()
  await signIn(reporter, url, 'xa99019')
  await expect
    .poll(() => reporter.getByText(UNIT_NAME).first().isVisible(), { timeout: 20_000 })
    .toBe(true)
  await signIn(viewer, url, 'tinh')

  // The reporter enters the month and submits it.
  await openEntry(reporter)
  await expect.poll(() => reviewBadge(reporter).textContent()).toContain('Chưa gửi duyệt')
  await reporter.getByRole('textbox', { name: 'Hồ sơ tiếp nhận', exact: true }).fill('420')
  await reporter.getByRole('textbox', { name: 'Hồ sơ đã số hoá', exact: true }).fill('360')
  await reporter.getByRole('button', { name: 'Lưu' }).click()
  await expect.poll(() => reporter.getByText('Đã lưu trên máy này').isVisible()).toBe(true)
  await screenshot(reporter, 'review-entry-draft')
  await submit(reporter)

  // The viewer finds it waiting and returns it; a return without a comment is refused.
  await syncNow(viewer)
  await viewer.goto(`${url}review`)
  const row = viewer.getByRole('link', { name: `Xem, trả lại: ${UNIT_NAME}, ${MONTH_LABEL}` })
  await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true)
  await screenshot(viewer, 'review-list')
  await row.click()
  await expect.poll(() => reviewBadge(viewer).textContent()).toContain('Đã gửi duyệt')
  await screenshot(viewer, 'review-entry-supervisor')
  await viewer.getByRole('button', { name: 'Trả lại' }).click()
  await viewer.getByRole('button', { name: 'Xác nhận trả lại' }).click()
  await expect
    .poll(() => viewer.getByRole('alert').first().textContent())
    .toContain('Vui lòng nhập ghi chú')
  await viewer.getByLabel('Ghi chú cho xã').fill(COMMENT)
  await viewer.getByRole('button', { name: 'Xác nhận trả lại' }).click()
  await expect.poll(() => reviewBadge(viewer).textContent()).toBe(`Bị trả lại: ${COMMENT}`)
  await syncNow(viewer)

  // The reporter sees the task and the comment, corrects and submits again.
  await syncNow(reporter)
  await reporter.goto(url)
  const task = reporter.getByRole('link', { name: `${MONTH_LABEL} bị trả lại: ${COMMENT}` })
  await expect.poll(() => task.isVisible(), { timeout: 20_000 }).toBe(true)
  await screenshot(reporter, 'review-home-task')
  await task.click()
  await expect.poll(() => reviewBadge(reporter).textContent()).toBe(`Bị trả lại: ${COMMENT}`)
  await screenshot(reporter, 'review-entry-returned')
  await reporter.getByRole('textbox', { name: 'Hồ sơ đã số hoá', exact: true }).fill('380')
  await reporter.getByRole('button', { name: 'Lưu' }).click()
  await expect.poll(() => reporter.getByText('Đã lưu trên máy này').isVisible()).toBe(true)
  await submit(reporter)

  // The viewer accepts.
  await syncNow(viewer)
  await openEntry(viewer)
  await expect.poll(() => reviewBadge(viewer).textContent()).toContain('Đã gửi duyệt')
  await viewer.getByRole('button', { name: 'Duyệt', exact: true }).click()
  await expect.poll(() => reviewBadge(viewer).textContent()).toBe('Đã duyệt — đã khoá')
  await syncNow(viewer)

  // The reporter's month is now locked, and its history lists the edits and the review actions.
  await syncNow(reporter)
  await openEntry(reporter)
  await expect.poll(() => reviewBadge(reporter).textContent()).toBe('Đã duyệt — đã khoá')
  const received = reporter.getByRole('textbox', { name: 'Hồ sơ tiếp nhận', exact: true })
  expect(await received.isDisabled()).toBe(true)
  expect(await reporter.getByRole('button', { name: 'Lưu' }).isDisabled()).toBe(true)
  expect(await reporter.getByRole('button', { name: 'Gửi duyệt' }).count()).toBe(0)
  await expect
    .poll(() => reporter.getByText('Tháng đã được duyệt nên không sửa được').first().isVisible())
    .toBe(true)
  await screenshot(reporter, 'review-entry-accepted')

  await reporter.getByText('Lịch sử thay đổi').click()
  const history = reporter.locator('.history__list')
  await expect.poll(() => history.isVisible(), { timeout: 20_000 }).toBe(true)
  await expect
    .poll(async () =>
      (await history.locator('.history__title').allTextContents()).map((s) => s.trim()),
    )
    .toEqual([
      'tinh duyệt và khoá',
      'xa99019 gửi duyệt',
      'xa99019 sửa số liệu',
      'tinh trả lại',
      'xa99019 gửi duyệt',
      'xa99019 sửa số liệu',
    ])
  const text = await history.textContent()
  expect(text).toContain(`“${COMMENT}”`)
  expect(text).toContain('Hồ sơ đã số hoá: 360 → 380')
  expect(text).toContain('Hồ sơ tiếp nhận: (trống) → 420')
  await reporter.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
  await screenshot(reporter, 'review-entry-history')
  await reporter.setViewportSize({ width: 1280, height: 800 })
  await screenshot(reporter, 'review-entry-history-desktop')
  await viewer.setViewportSize({ width: 1280, height: 800 })
  await viewer.goto(`${url}review`)
  await expect.poll(() => viewer.getByText('Không có tháng nào chờ duyệt.').isVisible()).toBe(true)
  await screenshot(viewer, 'review-list-empty-desktop')

  // The server refuses a change of the locked month too: sent straight, it is rejected 'locked'.
  const state = await server.db.pull({ all: true }, 0n, 1000)
  const change = state.changes.find((c) => c.unitCode === UNIT && c.month === month)
  expect(change?.review?.state).toBe('accepted')
  expect(change?.counts).toEqual({ received: 420, digitized: 380 })
})
