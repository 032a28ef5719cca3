/**
 * The admin screens against the real server: an admin creates a reporter for one commune through the
 * screen; that reporter, on a fresh device, sees and writes only that commune, and the server refuses
 * the reporter's writes anywhere else.
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Page } from 'playwright-core'
import { decodeLoginResponse } from '../../src/app/sync/decode.ts'
import { monthOf } from '../../src/domain/periods.ts'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '../../src/domain/sync/protocol.ts'
import { loadDemo } from '../../src/server/seed.ts'
import { Devices, ROOT, ShellServer, signIn } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
const devices = new Devices()
const SHOTS = process.env.SOHOA_SHOTS_DIR
let url: string
const month = monthOf(new Date())
const UNIT = '99019'
const OTHER_UNIT = '99022'
const REPORTER = 'xaanlacmoi'

beforeAll(async () => {
  url = await server.start(current.dir)
  await loadDemo(server.db)
  if (SHOTS) await mkdir(SHOTS, { recursive: true })
})
afterAll(async () => {
  await devices.dispose()
  await server.dispose()
})

/** A full-page screenshot at the phone's size, when SOHOA_SHOTS_DIR asks for them. */
async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
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
  return response.json()
}

let password = ''

it('an admin creates a reporter for one commune through the screen', async () => {
  const { page } = await devices.open()
  await signIn(page, url, 'admin')
  await page.goto(`${url}settings`)
  await page.getByRole('link', { name: 'Mở trang quản trị' }).click()
  await expect
    .poll(() => page.getByText('xa99019').first().isVisible(), { timeout: 20_000 })
    .toBe(true)
  await shot(page, 'admin-accounts')

  await page.getByRole('button', { name: 'Tạo tài khoản' }).click()
  await page.getByLabel('Tên đăng nhập').fill(REPORTER)
  await page.getByLabel('Tên hiển thị').fill('Cán bộ xã An Lạc')
  // The first sync brings the units the picker offers; it may still be running.
  await expect
    .poll(
      async () => {
        await page.getByLabel('Tìm đơn vị').fill(UNIT)
        return page.getByRole('button', { name: `Chọn Xã An Lạc (mẫu) (${UNIT})` }).isVisible()
      },
      { timeout: 20_000 },
    )
    .toBe(true)
  await page.getByRole('button', { name: `Chọn Xã An Lạc (mẫu) (${UNIT})` }).click()
  await page.getByRole('button', { name: 'Tạo mật khẩu ngẫu nhiên' }).click()
  await shot(page, 'admin-account-form')
  await page.locator('form').getByRole('button', { name: 'Tạo tài khoản' }).click()

  const once = page.getByTestId('password-once')
  await expect.poll(() => once.isVisible(), { timeout: 10_000 }).toBe(true)
  password = (await once.textContent()) ?? ''
  expect(password).toMatch(/^[A-Za-z2-9]{14}$/)
  await shot(page, 'admin-password-once')
  await page.getByRole('button', { name: 'Đã lưu mật khẩu, đóng' }).click()
  expect(await page.getByText(password).count()).toBe(0)

  const stored = await server.db.findUserByUsername(REPORTER)
  expect(stored).toMatchObject({
    role: 'reporter',
    unitCodes: [UNIT],
    displayName: 'Cán bộ xã An Lạc',
  })

  // A bad file imports nothing and names its row.
  await page.getByRole('button', { name: 'Nhập danh mục' }).click()
  await page.getByLabel('Loại tệp').selectOption('units-new')
  await page.getByLabel('Tệp danh mục').setInputFiles({
    name: 'hong.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"data":[{"matinh":"xx"}]}'),
  })
  await page.getByRole('button', { name: 'Chạy thử' }).click()
  await expect.poll(() => page.getByRole('alert').isVisible(), { timeout: 10_000 }).toBe(true)
  expect(await page.getByRole('button', { name: 'Nhập', exact: true }).count()).toBe(0)
  await shot(page, 'admin-import-errors')

  // A good file: the dry run says what would change and offers the import (not applied here: the
  // reporter below needs the demo's units as they are).
  await page
    .getByLabel('Tệp danh mục')
    .setInputFiles(join(ROOT, 'tests', 'fixtures', 'units', 'units-new.json'))
  await page.getByRole('button', { name: 'Chạy thử' }).click()
  await expect
    .poll(() => page.getByText('Kết quả chạy thử (chưa ghi gì)').isVisible(), { timeout: 10_000 })
    .toBe(true)
  expect(await page.getByRole('button', { name: 'Nhập', exact: true }).isVisible()).toBe(true)
  await shot(page, 'admin-import-dry-run')

  await page.getByRole('button', { name: 'Nhật ký' }).click()
  await expect
    .poll(() => page.getByText(`Đối tượng: ${REPORTER}`).isVisible(), { timeout: 10_000 })
    .toBe(true)
  await shot(page, 'admin-audit')
  if (SHOTS) {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByRole('button', { name: 'Tài khoản' }).click()
    await expect.poll(() => page.getByText(REPORTER).first().isVisible()).toBe(true)
    await shot(page, 'admin-accounts-desktop')
  }
})

it('the new reporter sees and writes only that commune; elsewhere the server refuses', async () => {
  expect(password).not.toBe('')
  const { page } = await devices.open()
  await signIn(page, url, REPORTER, password)
  await expect
    .poll(() => page.getByText('Xã An Lạc (mẫu)').first().isVisible(), { timeout: 20_000 })
    .toBe(true)
  await page.goto(`${url}units`)
  await expect.poll(() => page.getByText('Xã An Lạc (mẫu)').first().isVisible()).toBe(true)
  expect(await page.getByText('Phường Sơn Hoà (mẫu)').count()).toBe(0)
  expect(await page.getByText('Xã Bình An (mẫu)').count()).toBe(0)

  await page.goto(`${url}entry/${UNIT}/${month}`)
  await page.getByRole('textbox', { name: 'Hồ sơ tiếp nhận', exact: true }).fill('120')
  await page.getByRole('textbox', { name: 'Hồ sơ đã số hoá', exact: true }).fill('100')
  await page.getByRole('button', { name: 'Lưu' }).click()
  await expect.poll(() => page.getByText('Đã lưu trên máy này').isVisible()).toBe(true)
  await page.goto(`${url}settings`)
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click()
  await expect
    .poll(
      async () => {
        const pulled = await server.db.pull({ all: true }, 0n, 1000)
        return pulled.changes.find((change) => change.unitCode === UNIT && change.month === month)
          ?.counts
      },
      { timeout: 30_000 },
    )
    .toEqual({ received: 120, digitized: 100 })

  // The same account writing another commune: acknowledged, but refused as forbidden.
  const login = await api('api/auth/login', { username: REPORTER, password })
  const session = decodeLoginResponse(login)
  if (!session) throw new Error('The reporter could not sign in')
  const { token, user } = session
  const push = await api(
    'api/sync/push',
    {
      // The server ties a device stream to its user: <installId>:<userId>.
      deviceId: `e2e-${randomUUID()}:${user.id}`,
      ops: [
        {
          id: randomUUID(),
          seq: 1,
          kind: 'entry.put',
          unitCode: OTHER_UNIT,
          month,
          counts: { received: 5 },
          note: '',
          baseVersion: null,
          createdAt: new Date().toISOString(),
        },
      ],
    },
    token,
  )
  expect(push).toMatchObject({ results: [{ status: 'rejected', reason: 'forbidden' }] })
})
