// The real stores over the app's own database connection, backed by fake-indexeddb; must load first.
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AdminAccounts from '../../../src/app/components/admin/AdminAccounts.vue'
import { db } from '../../../src/app/db/connection.ts'
import { putUnits } from '../../../src/app/db/units.ts'
import { useAdminStore } from '../../../src/app/stores/admin.ts'
import { useUnitStore } from '../../../src/app/stores/unit.ts'
import type { AdminUser } from '../../../src/app/sync/admin.ts'
import { buildDemo } from '../../../src/domain/demo.ts'
import { bodyOf, fakeServer, problem, signInAdmin, type Recorded } from './AdminFixture.ts'

let pinia: Pinia

function adminUser(overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    id: 'u-1',
    username: 'xa99019',
    displayName: 'Xã An Lạc',
    role: 'reporter',
    unitCodes: ['99019'],
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  }
}

/** The server's answers: the list, and a create that echoes what was sent (or refuses). */
function server(users: AdminUser[], refuseCreate?: { status: number; detail: string }) {
  return fakeServer((call: Recorded) => {
    if (call.method === 'GET' && call.path === '/api/users') return { status: 200, body: { users } }
    if (call.method === 'POST' && call.path === '/api/users') {
      if (refuseCreate)
        return {
          status: refuseCreate.status,
          body: problem(refuseCreate.status, refuseCreate.detail),
        }
      const { username, role, unitCodes } = bodyOf(call)
      const created = adminUser({
        id: 'u-new',
        username: String(username),
        displayName: String(username),
        role: role === 'viewer' || role === 'admin' ? role : 'reporter',
        unitCodes: Array.isArray(unitCodes) ? unitCodes.map(String) : [],
      })
      return { status: 201, body: created }
    }
    if (call.method === 'POST' && call.path.endsWith('/password')) return { status: 204 }
    return undefined
  })
}

async function mountAccounts(fetch: ReturnType<typeof server>['fetch']): Promise<VueWrapper> {
  useAdminStore().configure({ fetch, navigator: { onLine: true } })
  const wrapper = mount(AdminAccounts, { global: { plugins: [pinia] }, attachTo: document.body })
  await vi.waitFor(() => expect(useAdminStore().loading).toBe(true))
  // The list has been asked for and has arrived (or failed).
  await vi.waitFor(() => expect(useAdminStore().loading).toBe(false))
  await flushPromises()
  // The unit store's live query must have read the device's units for the picker.
  await vi.waitFor(() => expect(useUnitStore().units.length).toBeGreaterThan(0))
  return wrapper
}

function normalized(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

/** The control labelled `name` (a <label for> whose first line is the name). */
function field<T extends HTMLElement = HTMLInputElement>(
  wrapper: VueWrapper,
  name: string,
): DOMWrapper<T> {
  const label = wrapper.findAll('label').find((l) => normalized(l.element.textContent) === name)
  if (!label) throw new Error(`No field named ${name}`)
  return wrapper.find<T>(`#${CSS.escape(label.attributes('for')!)}`)
}

function described(input: DOMWrapper<HTMLElement>): string {
  return (input.attributes('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ')
}

function button(wrapper: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = wrapper
    .findAll<HTMLButtonElement>('button')
    .find((b) => (b.attributes('aria-label') ?? normalized(b.text())) === name)
  if (!found) throw new Error(`No button named ${name}`)
  return found
}

beforeEach(async () => {
  await Promise.all([db.outbox.clear(), db.units.clear(), db.meta.clear()])
  await putUnits(db, buildDemo().units)
  await signInAdmin()
  pinia = createPinia()
  setActivePinia(pinia)
})

describe('AdminAccounts', () => {
  it('lists the accounts and filters them by search', async () => {
    const { fetch } = server([
      adminUser(),
      adminUser({
        id: 'u-2',
        username: 'tinh',
        displayName: 'Tỉnh',
        role: 'viewer',
        unitCodes: ['99'],
      }),
      adminUser({ id: 'u-3', username: 'old', active: false }),
    ])
    const wrapper = await mountAccounts(fetch)
    expect(wrapper.text()).toContain('3 tài khoản')
    expect(wrapper.text()).toContain('Đã khoá')
    await field(wrapper, 'Tìm tài khoản').setValue('tinh')
    expect(wrapper.text()).toContain('1 tài khoản')
    expect(wrapper.findAll('li.admin-user')).toHaveLength(1)
    wrapper.unmount()
  })

  it('refuses an incomplete account with Vietnamese messages by each field, sending nothing', async () => {
    const { fetch, calls } = server([])
    const wrapper = await mountAccounts(fetch)
    await button(wrapper, 'Tạo tài khoản').trigger('click')
    await field(wrapper, 'Tên đăng nhập').setValue('Xã An Lạc')
    await field(wrapper, 'Mật khẩu ban đầu').setValue('short')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(described(field(wrapper, 'Tên đăng nhập'))).toContain(
      'Tên đăng nhập gồm 3–50 chữ thường',
    )
    expect(described(field(wrapper, 'Mật khẩu ban đầu'))).toContain('ít nhất 10 ký tự')
    expect(described(field(wrapper, 'Tìm đơn vị'))).toContain('Cần chọn ít nhất một đơn vị.')
    expect(calls.filter((call) => call.method === 'POST')).toHaveLength(0)
    wrapper.unmount()
  })

  it('offers communes and offices to a reporter, provinces and districts too to a viewer', async () => {
    const wrapper = await mountAccounts(server([]).fetch)
    await button(wrapper, 'Tạo tài khoản').trigger('click')
    await field(wrapper, 'Tìm đơn vị').setValue('an lac')
    const offered = () =>
      wrapper.findAll('[aria-label="Kết quả tìm đơn vị"] button').map((b) => normalized(b.text()))
    // Reporter (the default): the communes and the district's office, never the district itself.
    expect(offered()).toContain('Xã An Lạc (mẫu) 99019')
    expect(offered()).not.toContain('Huyện An Lạc (mẫu) 991')
    await button(wrapper, 'Chọn Xã An Lạc (mẫu) (99019)').trigger('click')
    expect(wrapper.find('[aria-label="Đơn vị đã chọn"]').text()).toContain(
      'Xã An Lạc (mẫu) (99019)',
    )

    // A viewer reads subtrees: the district is offered, and the reporter's choice is dropped.
    await field<HTMLSelectElement>(wrapper, 'Vai trò').setValue('viewer')
    expect(wrapper.find('[aria-label="Đơn vị đã chọn"]').exists()).toBe(false)
    await field(wrapper, 'Tìm đơn vị').setValue('an lac')
    expect(offered()).toContain('Huyện An Lạc (mẫu) 991')

    // An admin needs no units at all.
    await field<HTMLSelectElement>(wrapper, 'Vai trò').setValue('admin')
    expect(wrapper.text()).toContain('Quản trị viên xem được toàn bộ')
    expect(wrapper.findAll('input[type="search"]')).toHaveLength(1)
    wrapper.unmount()
  })

  it('creates a reporter with a generated password, shown once', async () => {
    const { fetch, calls } = server([])
    const wrapper = await mountAccounts(fetch)
    await button(wrapper, 'Tạo tài khoản').trigger('click')
    await field(wrapper, 'Tên đăng nhập').setValue('XaAnLac')
    await field(wrapper, 'Tìm đơn vị').setValue('99019')
    await button(wrapper, 'Chọn Xã An Lạc (mẫu) (99019)').trigger('click')
    await button(wrapper, 'Tạo mật khẩu ngẫu nhiên').trigger('click')
    const password = field(wrapper, 'Mật khẩu ban đầu').element.value
    expect(password).toMatch(/^[A-Za-z2-9]{14}$/)
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() =>
      expect(wrapper.find('[data-testid="password-once"]').exists()).toBe(true),
    )

    const post = calls.find((call) => call.method === 'POST' && call.path === '/api/users')
    expect(post?.body).toEqual({
      username: 'xaanlac',
      role: 'reporter',
      unitCodes: ['99019'],
      password,
    })
    expect(wrapper.find('[data-testid="password-once"]').text()).toBe(password)
    expect(wrapper.text()).toContain('Đã tạo tài khoản xaanlac.')
    expect(wrapper.findAll('li.admin-user').map((li) => li.find('strong').text())).toEqual([
      'xaanlac',
    ])

    await button(wrapper, 'Đã lưu mật khẩu, đóng').trigger('click')
    expect(wrapper.text()).not.toContain(password)
    wrapper.unmount()
  })

  it('shows the server refusing a taken username next to the username', async () => {
    const { fetch } = server([], { status: 409, detail: 'The username xa99019 is taken.' })
    const wrapper = await mountAccounts(fetch)
    await button(wrapper, 'Tạo tài khoản').trigger('click')
    await field(wrapper, 'Tên đăng nhập').setValue('xa99019')
    await field(wrapper, 'Mật khẩu ban đầu').setValue('mot-mat-khau-dai')
    await field(wrapper, 'Tìm đơn vị').setValue('99019')
    await button(wrapper, 'Chọn Xã An Lạc (mẫu) (99019)').trigger('click')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() =>
      expect(described(field(wrapper, 'Tên đăng nhập'))).toContain(
        'Tên đăng nhập này đã có người dùng.',
      ),
    )
    expect(wrapper.find('[data-testid="password-once"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('resets a password after confirmation and shows the new one once', async () => {
    const { fetch, calls } = server([adminUser()])
    const wrapper = await mountAccounts(fetch)
    await button(wrapper, 'Đặt lại mật khẩu của xa99019').trigger('click')
    expect(wrapper.find('[role="alertdialog"]').text()).toContain('Đặt mật khẩu mới cho xa99019?')
    await button(wrapper, 'Xác nhận').trigger('click')
    await vi.waitFor(() =>
      expect(wrapper.find('[data-testid="password-once"]').exists()).toBe(true),
    )
    const reset = calls.find((call) => call.path === '/api/users/u-1/password')
    expect(reset?.body).toEqual({ password: wrapper.find('[data-testid="password-once"]').text() })
    wrapper.unmount()
  })

  it('says the server cannot be reached when offline, without a queued action', async () => {
    useAdminStore().configure({ navigator: { onLine: false } })
    const wrapper = mount(AdminAccounts, { global: { plugins: [pinia] }, attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.text()).toContain('Không kết nối được máy chủ'))
    expect(await db.outbox.count()).toBe(0)
    wrapper.unmount()
  })
})
