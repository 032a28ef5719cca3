import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import DashboardView from '../../../src/app/components/dashboard/DashboardView.vue'
import type { DashboardSelection } from '../../../src/app/composables/useDashboardQuery.ts'
import { ROUTES } from '../../../src/app/constants.ts'
import { toCsv } from '../../../src/app/export/csv.ts'
import type { DashboardTable } from '../../../src/app/export/table.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import { DIGITIZATION } from '../../../src/domain/indicators.ts'
import type { Period } from '../../../src/domain/periods.ts'
import { makeContinuityDataset } from './ContinuityFixture.ts'

const NOW = new Date('2026-05-15T00:00:00.000Z')
const YEAR_2025: Period = { kind: 'year', year: 2025, index: 12 }

function mountView(selection: Partial<DashboardSelection>) {
  const stub = { template: '<div />' }
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: ROUTES.home, component: stub },
      { path: '/dashboard', name: ROUTES.dashboard, component: stub },
      { path: '/report', name: ROUTES.report, component: stub },
    ],
  })
  return mount(DashboardView, {
    props: {
      dataset: makeContinuityDataset(),
      targets: [],
      selection: { unit: '42', period: YEAR_2025, indicator: DIGITIZATION, ...selection },
      roots: ['42'],
      deadlineDay: 5,
      now: () => NOW,
    },
    global: { plugins: [router, createPinia()] },
  })
}

type Wrapper = ReturnType<typeof mountView>

/** A table's body rows as the cells' text. */
function rowsOf(wrapper: Wrapper, selector: string): string[][] {
  return wrapper
    .get(selector)
    .findAll('tbody tr')
    .map((tr) => tr.findAll('th, td').map((cell) => cell.text()))
}

function tableNamed(wrapper: Wrapper, id: string): DashboardTable {
  const table = wrapper.vm.tables().find((t) => t.id === id)
  if (!table) throw new Error(`no table ${id}`)
  return table
}

afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('a new commune formed partly from an old one (Xã Đông = part of Xã Chè + Xã Dừa)', () => {
  const dong = { unit: '42013' }

  it('marks the year that includes its approximate history, in words as well as "≈"', () => {
    const wrapper = mountView(dong)
    // January–June: Xã Chè 400/300 + Xã Dừa 600/500, six times = 6.000/4.800; July–December
    // 6 × 1.000/900 = 6.000/5.400; together 12.000/10.200 = 85,00%.
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('≈ 85,00%')
    expect(wrapper.get('[data-testid="headline-detail"]').text()).toBe('≈ 10.200 / ≈ 12.000 hồ sơ')
    expect(wrapper.get('[data-testid="score"]').text()).toBe('Điểm 766: ≈ 10/10')
    expect(wrapper.get('[data-testid="continuity-notice"]').text()).toBe(
      'Số liệu trước 01/07/2025 của Xã Đông là tổng các xã cũ sáp nhập vào; có xã cũ chỉ nhập một phần nên số liệu là gần đúng (đánh dấu ≈). Nhập một phần: Xã Chè.',
    )
    expect(wrapper.get('[data-testid="continuity-notice"]').classes()).toContain('notice--warning')
    // It says more about a commune's year across the reform than the general reform note.
    expect(wrapper.find('[data-testid="reform-notice"]').exists()).toBe(false)
  })

  it('marks the approximate months of the monthly chart and its table', () => {
    const wrapper = mountView(dong)
    const chart = wrapper.get('[data-chart="monthly"]').element.closest('section')
    expect(chart?.textContent).toContain('Tháng có dấu ≈: số liệu gần đúng.')
    const rows = rowsOf(wrapper, '[data-chart="monthly"] ~ details table')
    expect(rows[0]).toEqual([
      'Tháng 1/2025',
      '≈ 1.000',
      '≈ 800',
      '≈ 80,00%',
      '80,00%',
      'Gần đúng (≈)',
    ])
    expect(rows[6]).toEqual(['Tháng 7/2025', '1.000', '900', '90,00%', '80,00%', '–'])
  })

  it('exports the note in its own column and the figures as plain numbers', () => {
    const csv = toCsv([tableNamed(mountView(dong), 'monthly')])
    const lines = csv.replace('\uFEFF', '').split('\r\n')
    expect(lines[0]).toBe('Tháng,Hồ sơ tiếp nhận,Hồ sơ đã số hoá,Tỷ lệ (%),Chỉ tiêu (%),Ghi chú')
    expect(lines[1]).toBe('Tháng 1/2025,1000,800,80.00,80.00,Gần đúng (≈)')
    expect(lines[7]).toBe('Tháng 7/2025,1000,900,90.00,80.00,')
  })

  it('says the same in English', () => {
    useI18n().locale.value = 'en'
    const wrapper = mountView(dong)
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('≈ 85.00%')
    expect(wrapper.get('[data-testid="continuity-notice"]').text()).toBe(
      'Figures before 1 July 2025 for Dong Commune are the sum of the former communes merged into it; some former communes were only partly merged, so the figures are approximate (marked ≈). Partly merged: Che Commune.',
    )
    expect(rowsOf(wrapper, '[data-chart="monthly"] ~ details table')[0]).toEqual([
      'January 2025',
      '≈ 1,000',
      '≈ 800',
      '≈ 80.00%',
      '80.00%',
      'Approximate (≈)',
    ])
  })

  it('has no mark in a year after the reform', () => {
    const wrapper = mountView({ ...dong, period: { kind: 'ytd', year: 2026, index: 4 } })
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('90,00%')
    expect(wrapper.find('[data-testid="continuity-notice"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('≈')
  })

  it('shows its history for a period entirely before it existed', () => {
    const wrapper = mountView({ ...dong, period: { kind: 'quarter', year: 2025, index: 2 } })
    // 3 × 1.000/800.
    expect(wrapper.get('[data-testid="headline-detail"]').text()).toBe('≈ 2.400 / ≈ 3.000 hồ sơ')
    expect(wrapper.find('nav.breadcrumb [aria-current="page"]').text()).toBe('Xã Đông')
  })
})

describe('a new commune formed wholly from old ones (Xã Cát = Xã An + Xã Bình)', () => {
  it('states the sum of the former units softly and marks no figure', () => {
    const wrapper = mountView({ unit: '42010' })
    // 6 × 3.000/2.300 + 6 × 3.000/2.700 = 36.000/30.000.
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('83,33%')
    const notice = wrapper.get('[data-testid="continuity-notice"]')
    expect(notice.text()).toBe(
      'Số liệu trước 01/07/2025 là tổng của các đơn vị cũ: Xã An, Xã Bình.',
    )
    expect(notice.classes()).toContain('notice--info')
    const rows = rowsOf(wrapper, '[data-chart="monthly"] ~ details table')
    expect(rows[0]).toEqual([
      'Tháng 1/2025',
      '3.000',
      '2.300',
      '76,67%',
      '80,00%',
      'Tổng các đơn vị cũ',
    ])
    expect(wrapper.text()).not.toContain('≈')
  })
})

describe('a new province formed from an old one and part of another', () => {
  it('marks the headline and names the province that went in only in part', () => {
    const wrapper = mountView({})
    // January–June a month: old 42 7.000/5.800 + 43-SYT 500/250; July–December 7.000/6.300.
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Số hoá hồ sơ TTHC của 2 cấp chính quyền: ≈ 74.100 hồ sơ, đạt tỷ lệ ≈ 85,17%',
    )
    expect(wrapper.get('[data-testid="continuity-notice"]').text()).toBe(
      'Số liệu trước 01/07/2025 của Tỉnh Thử là tổng các tỉnh cũ sáp nhập vào; có tỉnh cũ chỉ nhập một phần nên số liệu là gần đúng (đánh dấu ≈). Nhập một phần: Tỉnh Bên.',
    )
    // The units below still change at the reform.
    expect(wrapper.find('[data-testid="reform-notice"]').exists()).toBe(true)
  })

  it('marks only the level that the partial province added to', () => {
    const wrapper = mountView({})
    expect(rowsOf(wrapper, '[data-testid="levels-table"]')).toEqual([
      ['Cấp tỉnh', '≈ 39.000', '≈ 33.900', '≈ 86,92%', '80,00%', '≈ 10', 'Gần đúng (≈)'],
      ['Cấp xã', '48.000', '40.200', '83,75%', '80,00%', '10', '–'],
    ])
  })

  it('marks the unit of the partial province in the ranking, in words', () => {
    const wrapper = mountView({})
    const items = wrapper.findAll('.ranking__link')
    const last = items.at(-1)
    expect(last?.find('.ranking__name').text()).toBe('Sở Y tế tỉnh Bên')
    expect(last?.find('.ranking__rate').text()).toBe('≈ 50,00%')
    expect(last?.find('[data-testid="ranking-status"]').text()).toBe(
      '! Chưa đạt (còn thiếu 30,0 điểm %) · Chỉ một phần nhập vào (≈)',
    )
    expect(items[0]?.find('.ranking__rate').text()).toBe('90,00%')
    const ranking = tableNamed(wrapper, 'ranking')
    expect(ranking.rows.at(-1)?.note).toBe('Chỉ một phần nhập vào (≈)')
    expect(ranking.rows[0]?.note).toBeNull()
  })

  it('marks the approximate months of the trend and the year in the by-year table', () => {
    const wrapper = mountView({})
    expect(rowsOf(wrapper, '[data-testid="years-table"]')).toEqual([
      ['2025', '≈ 87.000', '≈ 74.100', '≈ 85,17%', '80,00%', '≈ 10', 'Gần đúng (≈)'],
      ['2026', '4.000', '3.600', '90,00%', '80,00%', '10', '–'],
    ])
    const trend = rowsOf(wrapper, '[data-chart="trend"] ~ details table')
    expect(trend[0]?.slice(0, 2)).toEqual(['Tháng 1/2025', '≈ 7.500'])
    expect(trend[6]?.slice(0, 2)).toEqual(['Tháng 7/2025', '7.000'])
    const csv = toCsv([tableNamed(wrapper, 'years')]).split('\r\n')
    expect(csv[1]).toBe('2025,87000,74100,85.17,80.00,10,Gần đúng (≈)')
  })

  it('marks the same figures in English', () => {
    useI18n().locale.value = 'en'
    const wrapper = mountView({})
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Dossiers digitized across 2 levels of government: ≈ 74,100, a rate of ≈ 85.17%',
    )
    expect(wrapper.get('[data-testid="continuity-notice"]').text()).toBe(
      'Figures before 1 July 2025 for Test Province are the sum of the former provinces merged into it; some former provinces were only partly merged, so the figures are approximate (marked ≈). Partly merged: Next Province.',
    )
    expect(
      wrapper
        .findAll('[data-testid="ranking-status"]')
        .map((s) => s.text())
        .at(-1),
    ).toBe('! Not met (30.0 percentage points short) · Only partly merged in (≈)')
  })
})
