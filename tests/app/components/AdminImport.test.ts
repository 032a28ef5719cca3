// The real stores over the app's own database connection, backed by fake-indexeddb; must load first.
import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import AdminImport from '../../../src/app/components/admin/AdminImport.vue'
import { db } from '../../../src/app/db/connection.ts'
import { useAdminStore } from '../../../src/app/stores/admin.ts'
import type { ImportFormat, ImportResult } from '../../../src/domain/sync/protocol.ts'
import { bodyOf, fakeServer, problem, signInAdmin, type Answer } from './AdminFixture.ts'

let pinia: Pinia

const FORMATS: ImportFormat[] = ['stats', 'units-old', 'units-new', 'merges']

function importResult(request: Record<string, unknown>): ImportResult {
  return {
    format: FORMATS.find((format) => format === request.format) ?? 'stats',
    effectiveDate: typeof request.effectiveDate === 'string' ? request.effectiveDate : '2025-07-01',
    dryRun: request.dryRun === true,
    units: { added: 3321, closed: 10047, unchanged: 0 },
    links: { added: 0, unchanged: 0 },
    active: {
      before: { province: 63, district: 696, commune: 10047 },
      after: { province: 34, district: 0, commune: 3321 },
    },
  }
}

function mountImport(answer: (request: Record<string, unknown>) => Answer) {
  const server = fakeServer((call) =>
    call.path === '/api/admin/units/import' ? answer(bodyOf(call)) : undefined,
  )
  useAdminStore().configure({ fetch: server.fetch, navigator: { onLine: true } })
  const wrapper = mount(AdminImport, { global: { plugins: [pinia] }, attachTo: document.body })
  return { wrapper, calls: server.calls }
}

function control<T extends HTMLElement>(wrapper: VueWrapper, name: string): DOMWrapper<T> {
  const label = wrapper.findAll('label').find((l) => l.element.textContent?.trim() === name)
  if (!label) throw new Error(`No field named ${name}`)
  return wrapper.find<T>(`#${CSS.escape(label.attributes('for')!)}`)
}

async function chooseFile(wrapper: VueWrapper, file: File): Promise<void> {
  const input = control<HTMLInputElement>(wrapper, 'Tệp danh mục')
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

function button(wrapper: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> | undefined {
  return wrapper.findAll<HTMLButtonElement>('button').find((b) => b.text().trim() === name)
}

beforeEach(async () => {
  await db.meta.clear()
  await signInAdmin()
  pinia = createPinia()
  setActivePinia(pinia)
})

describe('AdminImport', () => {
  it('runs a dry run first, shows what would change, then applies exactly that file', async () => {
    const { wrapper, calls } = mountImport((request) => ({
      status: 200,
      body: importResult(request),
    }))
    await control<HTMLSelectElement>(wrapper, 'Loại tệp').setValue('units-new')
    const content = JSON.stringify({ data: [] })
    await chooseFile(
      wrapper,
      new File([content], 'units-2026-07-25.json', { type: 'application/json' }),
    )
    expect(button(wrapper, 'Nhập')).toBeUndefined()
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.text()).toContain('Kết quả chạy thử (chưa ghi gì)'))

    expect(calls[0]?.body).toEqual({
      format: 'units-new',
      fileName: 'units-2026-07-25.json',
      content,
      encoding: 'text',
      dryRun: true,
    })
    const table = wrapper.find('table').text()
    expect(table).toContain('10.047')
    expect(table).toContain('3.321')
    expect(wrapper.text()).toContain('Hiệu lực từ 01/07/2025')

    await button(wrapper, 'Nhập')!.trigger('click')
    await vi.waitFor(() => expect(wrapper.text()).toContain('Đã nhập danh mục'))
    expect(calls).toHaveLength(2)
    expect(calls[1]?.body).toMatchObject({ format: 'units-new', content, dryRun: false })
    // Applied: nothing left to apply until the next dry run.
    expect(button(wrapper, 'Nhập')).toBeUndefined()
    wrapper.unmount()
  })

  it('keeps the pressed button focused while the server answers, and sends the file once', async () => {
    const server = fakeServer((call) =>
      call.path === '/api/admin/units/import'
        ? { status: 200, body: importResult(bodyOf(call)) }
        : undefined,
    )
    let sent = 0
    let answer: () => void = () => undefined
    const held = new Promise<void>((resolve) => (answer = resolve))
    useAdminStore().configure({
      fetch: async (input, init) => {
        sent += 1
        await held
        return server.fetch(input, init)
      },
      navigator: { onLine: true },
    })
    const wrapper = mount(AdminImport, { global: { plugins: [pinia] }, attachTo: document.body })
    await control<HTMLSelectElement>(wrapper, 'Loại tệp').setValue('units-new')
    await chooseFile(wrapper, new File(['{"data":[]}'], 'units.json', { type: 'application/json' }))
    const dryRun = button(wrapper, 'Chạy thử')!
    dryRun.element.focus()
    await dryRun.trigger('click')
    await vi.waitFor(() => expect(sent).toBe(1))
    expect(dryRun.text()).toBe('Đang xử lý…')
    // Disabled, the button would drop keyboard focus to <body> in Chromium.
    expect(dryRun.element.disabled).toBe(false)
    expect(dryRun.attributes('aria-disabled')).toBe('true')
    await dryRun.trigger('click')
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(sent).toBe(1)
    expect(document.activeElement).toBe(dryRun.element)

    answer()
    await vi.waitFor(() => expect(button(wrapper, 'Nhập')).toBeDefined())
    expect(dryRun.attributes('aria-disabled')).toBeUndefined()
    expect(document.activeElement).toBe(dryRun.element)
    expect(server.calls).toHaveLength(1)
    wrapper.unmount()
  })

  it('lists the rows the server refused and offers no import', async () => {
    const { wrapper } = mountImport(() => ({
      status: 400,
      body: problem(400, 'Tệp có lỗi', [
        { path: 'row 17', message: 'Mã xã "9901" không hợp lệ' },
        { path: 'row 18', message: 'Thiếu tên đơn vị' },
      ]),
    }))
    await control<HTMLInputElement>(wrapper, 'Ngày hiệu lực').setValue('2025-03-01')
    await chooseFile(wrapper, new File(['ma,ten\n9901,X'], 'dm.csv', { type: 'text/csv' }))
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    const alert = wrapper.find('[role="alert"]').text()
    expect(alert).toContain('Tệp có lỗi, chưa nhập gì:')
    expect(alert).toContain('row 17: Mã xã "9901" không hợp lệ')
    expect(alert).toContain('row 18: Thiếu tên đơn vị')
    expect(button(wrapper, 'Nhập')).toBeUndefined()
    wrapper.unmount()
  })

  it('asks for the effective date of a statistics-office list before sending anything', async () => {
    const { wrapper, calls } = mountImport((request) => ({
      status: 200,
      body: importResult(request),
    }))
    await chooseFile(wrapper, new File(['ma,ten'], 'dm.csv', { type: 'text/csv' }))
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    expect(wrapper.text()).toContain('Cần nhập ngày hiệu lực cho danh mục của Tổng cục Thống kê.')
    expect(calls).toHaveLength(0)
    wrapper.unmount()
  })

  it('sends a spreadsheet as base64', async () => {
    const { wrapper, calls } = mountImport((request) => ({
      status: 200,
      body: importResult(request),
    }))
    await control<HTMLInputElement>(wrapper, 'Ngày hiệu lực').setValue('2025-03-01')
    await chooseFile(wrapper, new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff])], 'dm.xlsx'))
    await wrapper.find('form').trigger('submit')
    await vi.waitFor(() => expect(calls).toHaveLength(1))
    expect(calls[0]?.body).toMatchObject({
      encoding: 'base64',
      content: 'UEsDBP8=',
      effectiveDate: '2025-03-01',
    })
    wrapper.unmount()
  })
})
