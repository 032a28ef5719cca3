// The real stores and dataset over the app's own database connection, on fake-indexeddb.
import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import ReportPage from '../../../src/app/pages/ReportPage.vue'
import { ROUTES } from '../../../src/app/constants.ts'
import { db } from '../../../src/app/db/connection.ts'
import { bulkPutEntries } from '../../../src/app/db/entries.ts'
import { signIn } from '../../../src/app/db/session.ts'
import { storeServerTargets } from '../../../src/app/db/targets.ts'
import { putLinks } from '../../../src/app/db/links.ts'
import { putUnits } from '../../../src/app/db/units.ts'
import { REFORM_DATE } from '../../../src/domain/units.ts'
import { makeUnit } from '../../domain/builders.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import { REPORT_FACTS, REPORT_TARGETS, REPORT_UNITS } from '../../domain/reportDataset.ts'

async function mountReport(query: string): Promise<VueWrapper> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: ROUTES.home, component: { template: '<div />' } },
      { path: '/units', name: ROUTES.units, component: { template: '<div />' } },
      { path: '/report', name: ROUTES.report, component: ReportPage },
    ],
  })
  await router.push(`/report?${query}`)
  await router.isReady()
  const wrapper = mount(
    { template: '<RouterView />' },
    {
      global: { plugins: [createPinia(), router] },
      attachTo: document.body,
    },
  )
  await vi.waitFor(() => expect(wrapper.find('article').exists()).toBe(true), { timeout: 5_000 })
  return wrapper
}

/** A table's body rows as the cells' texts. */
function rows(wrapper: VueWrapper, id: string): string[][] {
  return wrapper
    .findAll(`table[data-table="${id}"] tbody tr`)
    .map((row) => row.findAll('th, td').map((cell) => cell.text()))
}

beforeEach(async () => {
  await Promise.all([
    db.entries.clear(),
    db.targets.clear(),
    db.units.clear(),
    db.meta.clear(),
    db.unitLinks.clear(),
  ])
  await putUnits(db, REPORT_UNITS)
  await bulkPutEntries(
    db,
    REPORT_FACTS.map((fact) => ({
      unitCode: fact.unitCode,
      month: fact.month,
      counts: fact.counts,
      note: '',
      updatedAt: fact.reportedAt ?? '2025-01-01T00:00:00.000Z',
      reportedAt: fact.reportedAt ?? null,
    })),
    'sent',
  )
  await storeServerTargets(db, REPORT_TARGETS)
  await signIn(db, {
    token: 'token',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: 'u1', username: 'tinh', displayName: 'Tỉnh', role: 'viewer', unitCodes: ['42'] },
  })
  setActivePinia(createPinia())
})

afterEach(() => {
  useI18n().locale.value = 'vi'
  document.body.innerHTML = ''
})

describe('ReportPage', () => {
  it('holds a commune to the target its province set for communes', async () => {
    const wrapper = await mountReport('unit=42001&period=2025-06')
    await vi.waitFor(() =>
      expect(wrapper.text()).toContain(
        'Chỉ tiêu tỷ lệ số hoá năm 2025 là 70,00%: đạt chỉ tiêu; điểm theo Quyết định 766/QĐ-TTg đạt 9,27/10 điểm.',
      ),
    )
    expect(wrapper.text()).toContain('Số hoá hồ sơ thủ tục hành chính của cấp xã là 96.688 hồ sơ')
    expect(wrapper.text()).toContain('Không có đơn vị trực thuộc.')
  })

  it('prints the official report of a province for a month, in Vietnamese', async () => {
    const wrapper = await mountReport('unit=42&period=2025-06')
    const text = wrapper.text()
    expect(text).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM')
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc')
    expect(text).toContain('UỶ BAN NHÂN DÂN')
    expect(text).toContain('TỈNH HÀ TĨNH')
    expect(text).toMatch(/Hà Tĩnh, ngày \d{2} tháng \d{1,2} năm \d{4}/u)
    expect(wrapper.find('h1').text().replace(/\s+/g, ' ')).toBe(
      'BÁO CÁO Kết quả số hoá hồ sơ, kết quả giải quyết thủ tục hành chính tháng 6 năm 2025',
    )
    expect(wrapper.findAll('h2').map((h) => h.text())).toEqual([
      'I. Kết quả chung',
      'II. Kết quả theo cấp chính quyền',
      'III. Kết quả theo đơn vị',
      'IV. Tình hình báo cáo',
    ])
    expect(wrapper.findAll('[data-testid="report-sentence"]').map((p) => p.text())[0]).toBe(
      'Số hoá hồ sơ thủ tục hành chính của 3 cấp chính quyền là 141.616 hồ sơ, đạt tỷ lệ 59,72%.',
    )
    expect(rows(wrapper, 'levels')).toEqual([
      ['Cấp tỉnh', '79.014', '28.627', '36,23%'],
      ['Cấp huyện', '27.727', '16.301', '58,79%'],
      ['Cấp xã', '130.378', '96.688', '74,16%'],
      ['Tổng cộng', '237.119', '141.616', '59,72%'],
    ])
    // Neither has a target of its own: the 766 default applies.
    expect(rows(wrapper, 'units')).toEqual([
      ['1', 'Sở Tư pháp', '79.014', '28.627', '36,23%', '80,00%', 'Chưa đạt', '4,53'],
      ['2', 'Huyện Can Lộc', '158.105', '112.989', '71,46%', '80,00%', 'Chưa đạt', '8,93'],
    ])
    expect(rows(wrapper, 'reporting')).toEqual([['Tháng 6/2025', '3', '3', '3']])
    expect(text).toContain('Tất cả đơn vị đã báo cáo đầy đủ.')
    expect(wrapper.find('button').text()).toBe('In báo cáo')
    expect(wrapper.findAll('button').map((b) => b.text())).toContain('Xuất CSV')
  })

  it('shows the same report in English number format', async () => {
    useI18n().locale.value = 'en'
    const wrapper = await mountReport('unit=42&period=2025-06')
    expect(wrapper.find('h1').text().replace(/\s+/g, ' ')).toBe(
      'REPORT Digitization of administrative-procedure dossiers and of their results, June 2025',
    )
    expect(wrapper.text()).toContain('SOCIALIST REPUBLIC OF VIET NAM')
    expect(wrapper.text()).toMatch(/Ha Tinh, \d{1,2} [A-Z][a-z]+ \d{4}/u)
    expect(rows(wrapper, 'levels')[3]).toEqual(['Total', '237,119', '141,616', '59.72%'])
    expect(rows(wrapper, 'units')[1]).toEqual([
      '2',
      'Huyện Can Lộc',
      '158,105',
      '112,989',
      '71.46%',
      '80.00%',
      'Not met',
      '8.93',
    ])
    expect(wrapper.findAll('button').map((b) => b.text())).toContain('Print report')
  })

  it('reads the links on this device: a merged commune’s year includes its predecessors', async () => {
    // Xã Thạch Lạc (new) = Xã Thạch Lạc (old) + part of Xã Thạch Kênh.
    await putUnits(db, [
      makeUnit({ code: '42004', name: 'Xã Thạch Kênh', parentCode: '421', validTo: REFORM_DATE }),
    ])
    await bulkPutEntries(
      db,
      [
        {
          unitCode: '42004',
          month: '2025-06',
          counts: { received: 1_000, digitized: 500 },
          note: '',
          updatedAt: '2025-07-02T00:00:00.000Z',
          reportedAt: '2025-07-02T00:00:00.000Z',
        },
      ],
      'sent',
    )
    await putLinks(db, [
      { newCode: '42001', oldCode: '42001', kind: 'full', date: REFORM_DATE },
      { newCode: '42001', oldCode: '42004', kind: 'partial', date: REFORM_DATE },
    ])
    const wrapper = await mountReport('unit=42001&period=2025')
    // June 130.378/96.688 + 1.000/500, July 1.000/900: 132.378/98.088 = 74,10%.
    await vi.waitFor(() =>
      expect(wrapper.findAll('[data-testid="report-sentence"]')[0]?.text()).toBe(
        'Số hoá hồ sơ thủ tục hành chính của cấp xã là ≈ 98.088 hồ sơ, đạt tỷ lệ ≈ 74,10%.',
      ),
    )
    expect(wrapper.get('[data-testid="report-continuity"]').text()).toBe(
      'Số liệu trước 01/07/2025 của Xã Thạch Lạc là tổng các xã cũ sáp nhập vào; có xã cũ chỉ nhập một phần nên số liệu là gần đúng (đánh dấu ≈). Nhập một phần: Xã Thạch Kênh.',
    )
    expect(rows(wrapper, 'reporting').slice(5, 7)).toEqual([
      ['Tháng 6/2025', '2', '2', '2'],
      ['Tháng 7/2025', '1', '1', '0'],
    ])
  })

  it('says so when the period in the address cannot be read, and shows the default one', async () => {
    const wrapper = await mountReport('unit=42&period=2025-Q9')
    expect(wrapper.text()).toContain('Kỳ báo cáo "2025-Q9" không hợp lệ')
  })
})
