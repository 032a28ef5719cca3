import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import HistoryList from '../../../src/app/components/history/HistoryList.vue'
import { loadCatalogue, useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { HistoryEvent } from '../../../src/domain/sync/protocol.ts'

const events: HistoryEvent[] = [
  {
    type: 'edit',
    at: '2026-10-02T02:15:00.000Z',
    by: 'xa99019',
    deviceId: 'a1b2c3d4-0000-4000-8000-000000000001',
    version: 1,
    changes: [
      { field: 'received', from: null, to: 96688 },
      { field: 'note', from: null, to: 'Cao điểm' },
    ],
  },
  { type: 'review', at: '2026-10-03T02:00:00.000Z', by: 'xa99019', action: 'submit', comment: '' },
  {
    type: 'review',
    at: '2026-10-04T02:00:00.000Z',
    by: 'tinh',
    action: 'return',
    comment: 'Số tiếp nhận sai',
  },
  {
    type: 'conflict',
    at: '2026-10-05T02:00:00.000Z',
    by: 'xa99019b',
    field: 'digitized',
    value: 1200,
    currentValue: 1250,
    winner: 'xa99019',
  },
  { type: 'resolved', at: '2026-10-05T03:00:00.000Z', by: 'xa99019', field: 'digitized' },
  {
    type: 'edit',
    at: '2026-10-06T02:00:00.000Z',
    by: 'xa99019',
    deviceId: 'ffeeddcc-0000-4000-8000-000000000002',
    version: 2,
    changes: [{ field: 'received', from: 96688, to: 97001 }],
  },
  { type: 'review', at: '2026-10-07T02:00:00.000Z', by: 'tinh', action: 'accept', comment: '' },
  {
    type: 'review',
    at: '2026-10-08T02:00:00.000Z',
    by: 'tinh',
    action: 'reopen',
    comment: 'Mở lại',
  },
]

function mountList(props: Partial<InstanceType<typeof HistoryList>['$props']> = {}) {
  return mount(HistoryList, { props: { events, online: true, ...props } })
}

beforeAll(() => loadCatalogue('en'))
afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('HistoryList', () => {
  it('is a collapsible section titled "Lịch sử thay đổi"', () => {
    const wrapper = mountList()
    expect(wrapper.get('details summary').text()).toBe('Lịch sử thay đổi')
  })

  it('lists every event type newest first, with who, when, device and formatted values', () => {
    const items = mountList().findAll('ol > li')
    expect(items.map((item) => item.get('.history__title').text())).toEqual([
      'tinh mở khoá',
      'tinh duyệt và khoá',
      'xa99019 sửa số liệu',
      'xa99019 đã chọn giá trị cho Hồ sơ đã số hoá',
      'Xung đột Hồ sơ đã số hoá: xa99019b nhập 1.200, đang dùng 1.250 (xa99019)',
      'tinh trả lại',
      'xa99019 gửi duyệt',
      'xa99019 sửa số liệu',
    ])
    const lastEdit = items[2]
    expect(lastEdit?.text()).toContain('máy ffeeddcc')
    expect(lastEdit?.text()).toContain('Hồ sơ tiếp nhận: 96.688 → 97.001')
    const firstEdit = items[7]
    expect(firstEdit?.text()).toContain('Hồ sơ tiếp nhận: (trống) → 96.688')
    expect(firstEdit?.text()).toContain('Ghi chú: (trống) → “Cao điểm”')
    expect(firstEdit?.get('time').attributes('datetime')).toBe('2026-10-02T02:15:00.000Z')
    // vi-VN date and time, e.g. "09:15 02/10/2026" (the machine's zone decides the hour).
    expect(firstEdit?.get('time').text()).toMatch(/^\d{2}:\d{2},? \d{2}\/10\/2026$/)
    expect(items[5]?.text()).toContain('“Số tiếp nhận sai”')
    expect(items[0]?.text()).toContain('“Mở lại”')
  })

  it('says plainly when nothing is cached, and offers a refresh only online', async () => {
    const offline = mountList({ events: null, online: false })
    expect(offline.text()).toContain('Chưa tải lịch sử (cần mạng).')
    expect(offline.find('button').exists()).toBe(false)

    const online = mountList({ events: null, online: true })
    await online.get('button').trigger('click')
    expect(online.emitted('refresh')).toHaveLength(1)
    expect(online.get('button').text()).toBe('Tải lại lịch sử')
  })

  it('tells an empty history and a failed refresh apart', () => {
    expect(mountList({ events: [] }).text()).toContain('Chưa có thay đổi nào.')
    expect(mountList({ failed: true }).get('.notice--danger').text()).toBe(
      'Không tải được lịch sử.',
    )
  })

  it('speaks English', () => {
    useI18n().locale.value = 'en'
    const wrapper = mountList()
    expect(wrapper.get('details summary').text()).toBe('Change history')
    const titles = wrapper.findAll('.history__title').map((title) => title.text())
    expect(titles[0]).toBe('tinh reopened')
    expect(titles[5]).toBe('tinh returned')
    expect(wrapper.text()).toContain('Dossiers received: 96,688 → 97,001')
    expect(mountList({ events: null, online: false }).text()).toContain(
      'History not loaded yet (needs a connection).',
    )
  })
})
