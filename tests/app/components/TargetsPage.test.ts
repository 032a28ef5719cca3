// The real stores over the app's own database connection, backed by fake-indexeddb; must load first.
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import TargetsPage from '../../../src/app/pages/TargetsPage.vue'
import TargetsSettingsLink from '../../../src/app/components/targets/TargetsSettingsLink.vue'
import { ROUTES } from '../../../src/app/constants.ts'
import { db } from '../../../src/app/db/connection.ts'
import { signIn } from '../../../src/app/db/session.ts'
import { listTargets } from '../../../src/app/db/targets.ts'
import { putUnits } from '../../../src/app/db/units.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import { buildDemo, DEMO_PROVINCE_CODE } from '../../../src/domain/demo.ts'
import type { Role } from '../../../src/domain/sync/protocol.ts'

const P = DEMO_PROVINCE_CODE
const YEAR = new Date().getFullYear()
let pinia: Pinia

function makeRouter() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: ROUTES.home, component: stub },
      { path: '/login', name: ROUTES.login, component: stub },
      { path: '/targets', name: ROUTES.targets, component: stub },
    ],
  })
}

async function signInAs(role: Role, unitCodes: string[]): Promise<void> {
  await signIn(db, {
    token: 'token',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: `u-${role}`, username: role, displayName: role, role, unitCodes },
  })
}

/** Mounts the page and waits for the live queries: until `ready` (the editor by default) shows. */
async function mountPage(ready = 'form h2'): Promise<VueWrapper> {
  const wrapper = mount(TargetsPage, {
    global: { plugins: [pinia, makeRouter()] },
    attachTo: document.body,
  })
  await vi.waitFor(() => expect(wrapper.find(ready).exists()).toBe(true))
  return wrapper
}

function normalized(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim()
}

/** The input whose <label> (visible text plus its hidden context) reads `name`. */
function field(wrapper: VueWrapper, name: string): DOMWrapper<HTMLInputElement> {
  const label = wrapper.findAll('label').find((l) => normalized(l.element.textContent) === name)
  if (!label) throw new Error(`No field named ${name}`)
  return wrapper.find<HTMLInputElement>(`#${CSS.escape(label.attributes('for')!)}`)
}

async function type(wrapper: VueWrapper, name: string, text: string): Promise<void> {
  const input = field(wrapper, name)
  await input.setValue(text)
  await input.trigger('blur')
}

/** Texts of the elements an input's aria-describedby points at. */
function description(input: DOMWrapper<HTMLInputElement>): string {
  return (input.attributes('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ')
}

function rowOf(wrapper: VueWrapper, name: string) {
  return field(wrapper, name).element.closest('[role="group"]')!
}

const COMMUNE_DIGITIZATION = 'Chỉ tiêu (%), Tỷ lệ số hoá, Mặc định: cấp xã'
const COMMUNE_DIGITIZATION_POINTS = 'Điểm tối đa, Tỷ lệ số hoá, Mặc định: cấp xã'

beforeEach(async () => {
  await Promise.all([db.targets.clear(), db.outbox.clear(), db.units.clear(), db.meta.clear()])
  await putUnits(db, buildDemo().units)
  pinia = createPinia()
  setActivePinia(pinia)
})

afterEach(() => {
  useI18n().locale.value = 'vi'
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

describe('TargetsPage for a province viewer', () => {
  beforeEach(() => signInAs('viewer', [P]))

  it('shows the level defaults of this year, with the value that applies when none is set', async () => {
    const wrapper = await mountPage()
    expect(wrapper.text()).toContain('Tỉnh Sơn Hoà (mẫu)')
    // The level defaults stand right under the page title, so their headings are h2.
    const titles = wrapper.findAll('.targets-card h2').map((h) => h.text())
    // The demo province has no districts after the 2025 reform.
    expect(titles).toEqual(['Mặc định: cấp tỉnh (sở, ban, ngành)', 'Mặc định: cấp xã'])
    const input = field(wrapper, COMMUNE_DIGITIZATION)
    expect(input.element.value).toBe('')
    expect(description(input)).toBe('Mặc định 80% theo QĐ 766, 10 điểm')
    expect(description(field(wrapper, 'Chỉ tiêu (%), Tỷ lệ tái sử dụng, Mặc định: cấp xã'))).toBe(
      'Chưa có chỉ tiêu.',
    )
  })

  it('offers district defaults for 2025, the year the districts were abolished', async () => {
    const wrapper = await mountPage()
    await wrapper.find('select').setValue('2025')
    expect(wrapper.findAll('.targets-card h2').map((h) => h.text())).toContain(
      'Mặc định: cấp huyện (đến 30/6/2025)',
    )
  })

  it.each([
    ['abc', 'Chỉ nhập số phần trăm, ví dụ 80 hoặc 80,5.'],
    ['-5', 'Chỉ tiêu không được âm.'],
    ['120', 'Chỉ tiêu không được vượt quá 100%.'],
    ['80,125', 'Chỉ ghi tối đa 2 chữ số sau dấu phẩy, ví dụ 80,25.'],
    [
      '80.125',
      'Dùng dấu phẩy cho phần thập phân, ví dụ 80,5 (dấu chấm là dấu ngăn cách hàng nghìn).',
    ],
  ])('%j shows %j, tied to the input', async (typed, message) => {
    const wrapper = await mountPage()
    await type(wrapper, COMMUNE_DIGITIZATION, typed)
    const input = field(wrapper, COMMUNE_DIGITIZATION)
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(description(input)).toContain(message)
  })

  it('saves nothing while an error is left, and says so', async () => {
    const wrapper = await mountPage()
    await type(wrapper, COMMUNE_DIGITIZATION, '95')
    await type(wrapper, COMMUNE_DIGITIZATION_POINTS, '0')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').text()).toBe('Chưa lưu: còn 1 lỗi cần sửa.')
    expect(wrapper.text()).toContain('Điểm tối đa phải lớn hơn 0.')
    // The error may be a screen away from the button: focus goes to it.
    expect(document.activeElement).toBe(field(wrapper, COMMUNE_DIGITIZATION_POINTS).element)
    expect(await listTargets(db)).toEqual([])
  })

  it('saves a typed target on this phone, unsent, with the default points kept', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const wrapper = await mountPage()
    await type(wrapper, COMMUNE_DIGITIZATION, '85.5 %')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await listTargets(db)).toHaveLength(1))
    expect((await listTargets(db))[0]).toMatchObject({
      indicator: 'digitization',
      year: YEAR,
      unitCode: P,
      level: 'commune',
      basisPoints: 8550,
      maxPoints: 10,
      state: 'local',
      updatedBy: 'viewer',
    })
    expect(await db.outbox.count()).toBe(1)
    await vi.waitFor(() =>
      expect(wrapper.find('[role="status"]').text()).toBe('Đã lưu trên máy, sẽ gửi khi có mạng.'),
    )
    await vi.waitFor(() =>
      expect(rowOf(wrapper, COMMUNE_DIGITIZATION).textContent).toContain('Chưa gửi'),
    )
    expect(field(wrapper, COMMUNE_DIGITIZATION).element.value).toBe('85,5')
  })

  it('adds an override that shows what the unit inherits, and requires points where none is inherited', async () => {
    const wrapper = await mountPage()
    await type(wrapper, COMMUNE_DIGITIZATION, '90')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await listTargets(db)).toHaveLength(1))

    const picker = field(wrapper, 'Đơn vị cần chỉ tiêu riêng')
    await picker.setValue('99019')
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Thêm chỉ tiêu riêng')!
      .trigger('click')
    const own = 'Chỉ tiêu (%), Tỷ lệ số hoá, Riêng: Xã An Lạc (mẫu)'
    await vi.waitFor(() =>
      expect(description(field(wrapper, own))).toBe(
        'Đang theo mặc định của Tỉnh Sơn Hoà (mẫu): 90%, 10 điểm',
      ),
    )
    await type(wrapper, 'Chỉ tiêu (%), Tỷ lệ tái sử dụng, Riêng: Xã An Lạc (mẫu)', '50')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(
      description(field(wrapper, 'Điểm tối đa, Tỷ lệ tái sử dụng, Riêng: Xã An Lạc (mẫu)')),
    ).toContain('Nhập điểm tối đa, ví dụ 10.')
    await type(wrapper, 'Điểm tối đa, Tỷ lệ tái sử dụng, Riêng: Xã An Lạc (mẫu)', '7,5')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await listTargets(db)).toHaveLength(2))
    expect((await listTargets(db)).find((t) => t.unitCode === '99019')).toMatchObject({
      indicator: 'reuse',
      level: null,
      basisPoints: 5000,
      maxPoints: 7.5,
    })
  })

  it('will not blank a target that was set', async () => {
    const wrapper = await mountPage()
    await type(wrapper, COMMUNE_DIGITIZATION, '90')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(async () => expect(await listTargets(db)).toHaveLength(1))
    await vi.waitFor(() =>
      expect(rowOf(wrapper, COMMUNE_DIGITIZATION).textContent).toContain('Chưa gửi'),
    )
    await type(wrapper, COMMUNE_DIGITIZATION, '')
    await type(wrapper, COMMUNE_DIGITIZATION_POINTS, '')
    expect(description(field(wrapper, COMMUNE_DIGITIZATION))).toContain(
      'Chỉ tiêu đã đặt không xoá được, hãy nhập giá trị mới.',
    )
  })
})

describe('TargetsPage for other users', () => {
  it('tells a reporter that only admins and viewers set targets', async () => {
    await signInAs('reporter', ['99019'])
    const wrapper = await mountPage('.notice')
    expect(wrapper.text()).toContain('Chỉ quản trị viên và cán bộ theo dõi')
    expect(wrapper.find('input').exists()).toBe(false)
  })

  it('asks a signed-out user to sign in', async () => {
    const wrapper = await mountPage('.notice')
    expect(wrapper.text()).toContain('Đăng nhập bằng tài khoản quản trị viên hoặc cán bộ theo dõi')
    expect(wrapper.find('input').exists()).toBe(false)
  })

  it('lets an admin choose the whole country, where defaults fall back to the built-in only', async () => {
    await signInAs('admin', [])
    const wrapper = await mountPage()
    const unit = field(wrapper, 'Đơn vị')
    // The province is offered once the unit list has loaded, which may follow the form.
    await vi.waitFor(() => expect(unit.element.value).toBe(P))
    await unit.setValue('*')
    expect(wrapper.text()).toContain('Áp dụng cho các đơn vị cấp này trên toàn quốc')
    expect(description(field(wrapper, COMMUNE_DIGITIZATION))).toBe(
      'Mặc định 80% theo QĐ 766, 10 điểm',
    )
    await type(wrapper, COMMUNE_DIGITIZATION, '82')
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(async () =>
      expect(await listTargets(db)).toMatchObject([
        { unitCode: null, level: 'commune', basisPoints: 8200 },
      ]),
    )
  })
})

describe('TargetsSettingsLink', () => {
  it.each([
    ['viewer', true],
    ['admin', true],
    ['reporter', false],
  ] as const)('%s sees the link: %s', async (role, shown) => {
    await signInAs(role, role === 'admin' ? [] : [P])
    const wrapper = mount(TargetsSettingsLink, { global: { plugins: [pinia, makeRouter()] } })
    await vi.waitFor(() => expect(wrapper.find('a').exists()).toBe(shown))
    if (shown) expect(wrapper.find('a').text()).toBe('Đặt chỉ tiêu')
  })
})
