/**
 * HTML and script in the data, shown in a real Chromium under the server's Content-Security-Policy:
 * a unit named with an <img onerror>, another named like a spreadsheet formula, a note holding a
 * <script>, review comments and a display name holding markup, an imported file named with an
 * <iframe>. Every screen that shows them (home, unit picker, entry with its history and review,
 * dashboard ranking and tables, report, review queue, admin accounts and audit) shows the text as
 * text: nothing runs, no dialog opens, no image or frame is fetched, the policy is never violated,
 * and the CSV export keeps its formula guard.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { decodeLoginResponse } from '../../src/app/sync/decode.ts'
import { addMonths, monthOf } from '../../src/domain/periods.ts'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '../../src/domain/sync/protocol.ts'
import { DEMO_PASSWORD, loadDemo } from '../../src/server/seed.ts'
import { csvSections, downloadFrom } from './downloads.ts'
import { Devices, recordCspViolations, screenshot, ShellServer, signIn } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
let url: string

const UNIT = '99019'
const UNIT_NAME = '<img src=x onerror="window.__pwned=1">Xã An Lạc'
const FORMULA_UNIT = '99022'
const FORMULA_NAME = '=HYPERLINK("http://evil.example","Phường Sơn Hoà")'
const NOTE = '<script>window.__pwned=1</script>Ghi chú có thẻ'
const SUBMIT_COMMENT = '<b onmouseover="window.__pwned=1">Đã kiểm tra</b>'
const RETURN_COMMENT = '<svg onload="window.__pwned=1"></svg>Sửa lại số hồ sơ'
const DISPLAY_NAME = '<img src=x onerror="alert(1)">Cán bộ xã'
const FILE_NAME = '<iframe src="javascript:window.__pwned=1"></iframe>.csv'
/** This month is returned to the commune; last month waits in the province's review queue. */
const RETURNED = monthOf(new Date())
const WAITING = addMonths(RETURNED, -1)

/** Everything a page might reveal about markup that ran. */
interface Watch {
  page: Page
  dialogs: string[]
  csp: string[]
  /** Requests for the `src=x` of an <img> that was parsed as HTML. */
  strays: string[]
}

/** A fresh device that watches for dialogs, policy violations and stray requests. */
async function device(): Promise<Watch> {
  const { context, page } = await devices.open()
  const csp = recordCspViolations(context)
  const dialogs: string[] = []
  const strays: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  context.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (path === '/x' || request.url().startsWith('javascript:')) strays.push(request.url())
  })
  return { page, dialogs, csp, strays }
}

/** Nothing ran, nothing was fetched, nothing broke the policy or the layout. */
async function expectSafe(watch: Watch, where: string): Promise<void> {
  // A long unbroken name or comment wraps: nothing is wider than the phone, except inside a box
  // that scrolls sideways (the tables).
  const wide = await watch.page.evaluate(() => {
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
    const inScroller = (el: Element) => {
      for (let box = el.parentElement; box; box = box.parentElement) if (scrolls(box)) return true
      return false
    }
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !inScroller(el))
      .map((el) => `${el.tagName}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`)
  })
  expect(wide, where).toEqual([])
  expect(await watch.page.evaluate(() => Reflect.get(window, '__pwned')), where).toBeUndefined()
  expect(watch.dialogs, where).toEqual([])
  expect(watch.strays, where).toEqual([])
  expect(watch.csp, where).toEqual([])
}

/** `text` is on the screen as text. */
async function expectShown(page: Page, text: string, where: string): Promise<void> {
  await expect
    .poll(() => page.getByText(text).filter({ visible: true }).count(), {
      timeout: 30_000,
      message: where,
    })
    .toBeGreaterThan(0)
}

async function api(path: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
      [HEADER_SCHEMA]: String(SCHEMA_VERSION),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`)
  return text === '' ? null : JSON.parse(text)
}

async function signInApi(username: string): Promise<{ token: string; userId: string }> {
  const session = decodeLoginResponse(
    await api('api/auth/login', { username, password: DEMO_PASSWORD }),
  )
  if (!session) throw new Error(`${username} could not sign in`)
  return { token: session.token, userId: session.user.id }
}

async function push(username: string, ops: object[]): Promise<void> {
  const { token, userId } = await signInApi(username)
  const answer = await api(
    'api/sync/push',
    {
      deviceId: `hostile-${randomUUID()}:${userId}`,
      ops: ops.map((op, i) => ({
        id: randomUUID(),
        seq: i + 1,
        createdAt: new Date().toISOString(),
        ...op,
      })),
    },
    token,
  )
  expect(JSON.stringify(answer)).not.toContain('rejected')
}

const entryOp = (month: string, note: string) => ({
  kind: 'entry.put',
  unitCode: UNIT,
  month,
  counts: { received: 120, digitized: 90 },
  note,
  baseVersion: null,
})
const reviewOp = (action: string, month: string, comment: string) => ({
  kind: 'review',
  action,
  unitCode: UNIT,
  month,
  comment,
})

beforeAll(async () => {
  url = await server.start(current.dir)
  // The demo ends two months ago: this month and the last are the commune's own, below.
  await loadDemo(server.db, { endMonth: addMonths(RETURNED, -2) })
  const renamed = (await server.db.listUnits()).map((unit) =>
    unit.code === UNIT
      ? { ...unit, name: UNIT_NAME }
      : unit.code === FORMULA_UNIT
        ? { ...unit, name: FORMULA_NAME }
        : unit,
  )
  await server.db.putUnits(renamed)
  const reporter = await server.db.findUserByUsername('xa99019')
  if (!reporter) throw new Error('no demo reporter')
  await server.db.updateUser(reporter.id, { displayName: DISPLAY_NAME })
  await push('xa99019', [
    entryOp(RETURNED, NOTE),
    reviewOp('submit', RETURNED, SUBMIT_COMMENT),
    entryOp(WAITING, NOTE),
    reviewOp('submit', WAITING, SUBMIT_COMMENT),
  ])
  await push('tinh', [reviewOp('return', RETURNED, RETURN_COMMENT)])
  const admin = await signInApi('admin')
  const csv =
    'Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\r\nTỉnh Thử,42,,,Xã Thử,42001,Xã\r\n'
  await api(
    'api/admin/units/import',
    {
      format: 'stats',
      fileName: FILE_NAME,
      content: csv,
      encoding: 'text',
      effectiveDate: '2030-01-01',
    },
    admin.token,
  )
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
})

it('shows the commune’s hostile names, note and comments as text, on every screen it has', async () => {
  const watch = await device()
  const { page } = watch
  await signIn(page, url, 'xa99019')
  // Home: the unit and the returned month's comment.
  await expectShown(page, UNIT_NAME, 'home')
  await expectShown(page, RETURN_COMMENT, 'home task')
  await screenshot(page, 'hostile-home')
  await expectSafe(watch, 'home')

  await page.goto(`${url}units`)
  await expectShown(page, UNIT_NAME, 'unit picker')
  await expectSafe(watch, 'unit picker')

  await page.goto(`${url}entry/${UNIT}/${RETURNED}`)
  const note = page.getByRole('textbox', { name: 'Ghi chú' })
  await expect.poll(() => note.inputValue(), { timeout: 30_000 }).toBe(NOTE)
  await expectShown(page, RETURN_COMMENT, 'review panel')
  await page.getByText('Lịch sử thay đổi').click()
  await expectShown(page, `“${SUBMIT_COMMENT}”`, 'history comment')
  await expectShown(page, NOTE, 'history note')
  await screenshot(page, 'hostile-entry')
  await expectSafe(watch, 'entry')

  await page.goto(`${url}settings`)
  await expectShown(page, DISPLAY_NAME, 'settings')
  await expectSafe(watch, 'settings')
})

it('shows them to the province on the dashboard, the report and the review queue, and guards the CSV', async () => {
  const watch = await device()
  const { page } = watch
  await signIn(page, url, 'tinh')
  await page.getByRole('link', { name: 'Tiến độ' }).click()
  await expectShown(page, UNIT_NAME, 'dashboard ranking')
  await expectShown(page, FORMULA_NAME, 'dashboard ranking')
  await page.getByText(FORMULA_NAME).first().scrollIntoViewIfNeeded()
  await screenshot(page, 'hostile-ranking')
  for (const toggle of await page.getByText('Xem bảng số liệu').all()) await toggle.click()
  await screenshot(page, 'hostile-dashboard')
  await expectSafe(watch, 'dashboard')

  const { bytes } = await downloadFrom(page, 'Xuất CSV')
  const cells = csvSections(bytes).flatMap((section) => section.rows.flat())
  expect(cells).toContain(`'${FORMULA_NAME}`)
  expect(cells).not.toContain(FORMULA_NAME)
  expect(cells).toContain(UNIT_NAME)

  await page.goto(`${url}report?unit=99`)
  await expectShown(page, UNIT_NAME, 'report')
  await expectShown(page, FORMULA_NAME, 'report')
  await expectSafe(watch, 'report')

  // The targets screen shows no hostile text, but must run under the same policy.
  await page.goto(`${url}targets`)
  await expectShown(page, 'Chỉ tiêu', 'targets')
  await expectSafe(watch, 'targets')

  await page.goto(`${url}review`)
  await expectShown(page, UNIT_NAME, 'review queue')
  await page.getByRole('link', { name: UNIT_NAME }).first().click()
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/entry/${UNIT}/${WAITING}`)
  await page.getByText('Lịch sử thay đổi').click()
  await expectShown(page, SUBMIT_COMMENT, 'history seen by the supervisor')
  await screenshot(page, 'hostile-review')
  await expectSafe(watch, 'review')
})

it('shows an admin the hostile display name and file name as text', async () => {
  const watch = await device()
  const { page } = watch
  await signIn(page, url, 'admin')
  await page.goto(`${url}admin`)
  await expectShown(page, DISPLAY_NAME, 'accounts')
  await page.getByRole('button', { name: 'Nhập danh mục' }).click()
  await expectShown(page, 'Chạy thử', 'import')
  await expectSafe(watch, 'import')
  const auditTab = page.getByRole('button', { name: 'Nhật ký' })
  // The tabs come with the screen's first render: click until the audit list is there.
  await expect
    .poll(
      async () => {
        await auditTab.click()
        return page.getByText(`Đối tượng: ${FILE_NAME}`).count()
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0)
  await expectShown(page, FILE_NAME, 'audit')
  await screenshot(page, 'hostile-admin')
  await expectSafe(watch, 'admin')
})
