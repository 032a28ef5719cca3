import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import DashboardExport from '../../../src/app/components/dashboard/DashboardExport.vue'
import type { DashboardTable } from '../../../src/app/export/table.ts'

const TABLE: DashboardTable = {
  id: 'trend',
  title: 'Tỷ lệ số hoá theo tháng',
  columns: [
    { key: 'month', label: 'Tháng', kind: 'text' },
    { key: 'rate', label: 'Tỷ lệ số hoá', kind: 'rate' },
  ],
  rows: [{ month: '9/2025', rate: 0.7416 }],
}

/** File names the component handed to the browser as downloads (clicks on an <a download>). */
let downloads: string[] = []
function recordDownload(event: Event): void {
  if (!(event.target instanceof HTMLAnchorElement) || !event.target.download) return
  event.preventDefault()
  downloads.push(event.target.download)
}

/** Share sheets opened; each stays open until its `close` is called, as on a phone. */
let shares: { close: () => void }[] = []

// happy-dom has neither a 2D canvas nor the Web Share API: just enough of both for a chart image
// to be made and offered to a share sheet that the test closes when it chooses.
const platform = {
  getContext: () => ({ fillStyle: '', fillRect: () => undefined, drawImage: () => undefined }),
  canShare: () => true,
  share: () => new Promise<void>((resolve) => shares.push({ close: resolve })),
}

const stubbed: [object, string, PropertyDescriptor | undefined][] = []
function stub(target: object, key: string, value: unknown): void {
  stubbed.push([target, key, Object.getOwnPropertyDescriptor(target, key)])
  Object.defineProperty(target, key, { value, configurable: true, writable: true })
}

beforeEach(() => {
  downloads = []
  shares = []
  document.addEventListener('click', recordDownload, true)
  stub(HTMLCanvasElement.prototype, 'getContext', platform.getContext)
  stub(navigator, 'canShare', platform.canShare)
  stub(navigator, 'share', platform.share)
})
afterEach(() => {
  document.removeEventListener('click', recordDownload, true)
  for (const [target, key, original] of stubbed.splice(0).reverse()) {
    if (original) Object.defineProperty(target, key, original)
    else Reflect.deleteProperty(target, key)
  }
  document.body.innerHTML = ''
})

function mountExport(): VueWrapper {
  return mount(DashboardExport, {
    props: {
      tables: [TABLE],
      canvas: document.createElement('canvas'),
      unitCode: '99019',
      period: '2025-09',
    },
    attachTo: document.body,
  })
}

function button(wrapper: VueWrapper, name: string): DOMWrapper<HTMLButtonElement> {
  const found = wrapper.findAll<HTMLButtonElement>('button').find((b) => b.text() === name)
  if (!found) throw new Error(`No button named ${name}`)
  return found
}

describe('DashboardExport', () => {
  it('keeps the pressed button focused while the share sheet is open, and ignores other presses', async () => {
    const wrapper = mountExport()
    const share = button(wrapper, 'Chia sẻ biểu đồ')
    share.element.focus()
    await share.trigger('click')
    await vi.waitFor(() => expect(shares).toHaveLength(1))
    expect(wrapper.get('[role="status"]').text()).toBe('Đang tạo tệp…')
    for (const name of ['Xuất CSV', 'Xuất Excel (XLSX)', 'Chia sẻ biểu đồ']) {
      const pressed = button(wrapper, name)
      // Disabled, the focused button would drop keyboard focus to <body> in Chromium.
      expect(pressed.element.disabled, name).toBe(false)
      expect(pressed.attributes('aria-disabled'), name).toBe('true')
    }
    expect(document.activeElement).toBe(share.element)

    await share.trigger('click')
    await button(wrapper, 'Xuất CSV').trigger('click')
    await button(wrapper, 'Xuất Excel (XLSX)').trigger('click')
    // A CSV is handed over within the click: one that got through would be here already.
    expect(downloads).toEqual([])
    expect(document.activeElement).toBe(share.element)

    shares[0]?.close()
    await vi.waitFor(() =>
      expect(wrapper.get('[role="status"]').text()).toBe('Đã chia sẻ biểu đồ.'),
    )
    expect(share.attributes('aria-disabled')).toBeUndefined()
    expect(document.activeElement).toBe(share.element)
    await button(wrapper, 'Xuất CSV').trigger('click')
    await vi.waitFor(() => expect(downloads).toEqual(['sohoa-99019-2025-09.csv']))
    // The presses made while busy started nothing, not even later.
    expect(shares).toHaveLength(1)
  })

  it('keeps the buttons of an empty export truly disabled', () => {
    const wrapper = mount(DashboardExport, { props: { tables: [{ ...TABLE, rows: [] }] } })
    for (const name of ['Xuất CSV', 'Xuất Excel (XLSX)']) {
      expect(button(wrapper, name).element.disabled, name).toBe(true)
    }
    expect(wrapper.text()).toContain('Chưa có số liệu để xuất.')
  })
})
