import { afterEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { shallowRef } from 'vue'
import { createPinia } from 'pinia'
import DashboardView from '../../../src/app/components/dashboard/DashboardView.vue'
import { ROUTES } from '../../../src/app/constants.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import { useDashboard } from '../../../src/app/composables/useDashboard.ts'
import type { DashboardSelection } from '../../../src/app/composables/useDashboardQuery.ts'
import { DIGITIZATION } from '../../../src/domain/indicators.ts'
import type { Period } from '../../../src/domain/periods.ts'
import type { Target } from '../../../src/domain/targets.ts'
import { makeTarget } from '../../domain/builders.ts'
import { makeDataset, makeFacts, UNITS } from './DashboardFixture.ts'
import { buildDataset } from '../../../src/domain/rollup.ts'
import { makeUnit } from '../../domain/builders.ts'

const NOW = new Date('2025-09-15T00:00:00.000Z')

function makeRouter() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: ROUTES.home, component: stub },
      { path: '/dashboard', name: ROUTES.dashboard, component: stub },
      { path: '/report', name: ROUTES.report, component: stub },
    ],
  })
}

function mountView(
  selection: Partial<DashboardSelection> = {},
  options: {
    targets?: Target[]
    deadlineDay?: number
    now?: Date
    router?: ReturnType<typeof makeRouter>
  } = {},
) {
  return mount(DashboardView, {
    props: {
      dataset: makeDataset(),
      targets: options.targets ?? [],
      selection: {
        unit: '42',
        period: { kind: 'ytd', year: 2025, index: 7 },
        indicator: DIGITIZATION,
        ...selection,
      },
      roots: ['42'],
      deadlineDay: options.deadlineDay ?? 5,
      now: () => options.now ?? NOW,
    },
    global: { plugins: [options.router ?? makeRouter(), createPinia()] },
  })
}

/** Each body row of a table as its cells' text. */
function rowsOf(wrapper: ReturnType<typeof mountView>, testId: string): string[][] {
  return wrapper
    .find(`[data-testid="${testId}"]`)
    .findAll('tbody tr')
    .map((tr) => tr.findAll('th, td').map((cell) => cell.text()))
}

afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('province dashboard across the 2025 reform', () => {
  it('states the headline as the official reports do, in vi-VN', () => {
    const wrapper = mountView()
    // 44.000 received, 37.060 digitized: the district's own published total is not added in.
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Số hoá hồ sơ TTHC của 3 cấp chính quyền: 37.060 hồ sơ, đạt tỷ lệ 84,23%',
    )
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('84,23%')
    expect(wrapper.get('[data-testid="headline-status"]').text()).toBe('Chỉ tiêu 80,00% · Đạt')
  })

  it('tabulates the three levels of government with targets and 766 scores', () => {
    const wrapper = mountView()
    expect(rowsOf(wrapper, 'levels-table')).toEqual([
      ['Cấp tỉnh', '21.000', '18.900', '90,00%', '80,00%', '10'],
      ['Cấp huyện', '3.000', '2.400', '80,00%', '80,00%', '10'],
      ['Cấp xã', '20.000', '15.760', '78,80%', '80,00%', '9,85'],
    ])
  })

  it('applies a level target set on the province to its communes only', () => {
    const target = makeTarget({ unitCode: '42', level: 'commune', basisPoints: 7500, maxPoints: 8 })
    const wrapper = mountView({}, { targets: [target] })
    const rows = rowsOf(wrapper, 'levels-table')
    // The 766 score stays full at 80% whatever the target: 78,80% × 8 ÷ 80%.
    expect(rows[2]).toEqual(['Cấp xã', '20.000', '15.760', '78,80%', '75,00%', '7,88'])
    expect(rows[1]?.[4]).toBe('80,00%')
    // Xã Cát (a commune) now meets 75%; the district is still held to the built-in 80%.
    const statuses = wrapper.findAll('[data-testid="ranking-status"]').map((s) => s.text())
    expect(statuses).toContain('✓ Đạt')
  })

  it('ranks the units below by rate, marking who meets the target in words', () => {
    const wrapper = mountView()
    const items = wrapper.findAll('.ranking__link')
    expect(items.map((a) => a.find('.ranking__name').text())).toEqual([
      'Xã Cát',
      'Sở Tư pháp',
      'Huyện Một',
      'Xã Đông',
    ])
    expect(items.map((a) => a.find('.ranking__rate').text())).toEqual([
      '94,00%',
      '90,00%',
      '75,79%',
      '–',
    ])
    expect(wrapper.findAll('[data-testid="ranking-status"]').map((s) => s.text())).toEqual([
      '✓ Đạt',
      '✓ Đạt',
      '! Chưa đạt (còn thiếu 4,2 điểm %)',
      '· Chưa có số liệu',
    ])
    // A unit opens its own dashboard, keeping the period and indicator.
    expect(items[2]?.attributes('href')).toBe(
      '/dashboard?unit=421&period=ytd-2025-07&indicator=digitization',
    )
  })

  it('opens a unit below inside the app', async () => {
    const router = makeRouter()
    const wrapper = mountView({}, { router })
    await wrapper.findAll('.ranking__link')[2]?.trigger('click', { button: 0 })
    await flushPromises()
    expect(router.currentRoute.value.query).toEqual({
      unit: '421',
      period: 'ytd-2025-07',
      indicator: 'digitization',
    })
  })

  it('offers the exports and the printable report of the same unit and period', async () => {
    const router = makeRouter()
    const wrapper = mountView({}, { router })
    const exports = wrapper.get('[role="group"][aria-label="Xuất dữ liệu"]')
    expect(exports.findAll('button').map((b) => b.text())).toEqual([
      'Xuất CSV',
      'Xuất Excel (XLSX)',
      'Chia sẻ biểu đồ',
    ])
    const report = wrapper.findAll('a').find((a) => a.text() === 'Xem báo cáo để in')
    await report?.trigger('click', { button: 0 })
    await flushPromises()
    expect(router.currentRoute.value.name).toBe(ROUTES.report)
    expect(router.currentRoute.value.query).toEqual({ unit: '42', period: 'ytd-2025-07' })
  })

  it('lets a user with several top units switch between them', async () => {
    const router = makeRouter()
    const other = makeUnit({
      code: '43',
      name: 'Tỉnh Khác',
      kind: 'province',
      type: 'Tỉnh',
      level: 'province',
    })
    const wrapper = mount(DashboardView, {
      props: {
        dataset: buildDataset([...UNITS, other], makeFacts()),
        targets: [],
        selection: {
          unit: '42',
          period: { kind: 'ytd', year: 2025, index: 7 },
          indicator: DIGITIZATION,
        },
        roots: ['42', '43'],
        deadlineDay: 5,
        now: () => NOW,
      },
      global: { plugins: [router, createPinia()] },
    })
    const picker = wrapper.get('.breadcrumb__choice select')
    expect(picker.findAll('option').map((o) => o.text())).toEqual(['Tỉnh Thử', 'Tỉnh Khác'])
    await picker.setValue('43')
    await flushPromises()
    expect(router.currentRoute.value.query.unit).toBe('43')
  })

  it('counts reports expected, made and on time, and lists the units still missing', () => {
    const wrapper = mountView()
    // Jan–Jun: 4 reporting units; July: 3. Two reports missing, 6 late, 6 of unknown time.
    expect(wrapper.get('[data-testid="completeness-expected"]').text()).toBe('Phải báo cáo27')
    expect(wrapper.get('[data-testid="completeness-reported"]').text()).toBe(
      'Đã báo cáo25 (92,59%)',
    )
    expect(wrapper.get('[data-testid="completeness-onTime"]').text()).toBe('Đúng hạn13 (48,15%)')
    expect(wrapper.get('[data-testid="completeness-unknownTime"]').text()).toBe(
      'Chưa rõ thời điểm6',
    )
    expect(wrapper.findAll('[data-testid="missing-unit"]').map((li) => li.text())).toEqual([
      'Xã BìnhTháng 3/2025',
      'Xã ĐôngTháng 7/2025',
    ])
  })

  it('counts timeliness against the configured deadline day', async () => {
    const wrapper = mountView({}, { deadlineDay: 12 })
    // The district office reports on the 10th: on time once reports are due by the 12th.
    expect(wrapper.get('[data-testid="completeness-onTime"]').text()).toBe('Đúng hạn19 (70,37%)')
    await wrapper.get('.completeness__deadline select').setValue('7')
    expect(wrapper.emitted('update:deadlineDay')).toEqual([[7]])
  })

  it('marks a month not yet due in the missing list', () => {
    // 3 August: July's reports are not due until the 5th.
    const wrapper = mountView({}, { now: new Date('2025-08-03T00:00:00.000Z') })
    expect(wrapper.findAll('[data-testid="missing-unit"]').map((li) => li.text())).toContain(
      'Xã ĐôngTháng 7/2025 (chưa đến hạn)',
    )
  })

  it('warns that the period spans the reform and that a published total differs', () => {
    const wrapper = mountView()
    expect(wrapper.get('[data-testid="reform-notice"]').text()).toContain('01/07/2025')
    expect(wrapper.get('[data-testid="discrepancy-notice"]').text()).toBe(
      'Số liệu tổng hợp đã nhập của Huyện Một khác tổng các đơn vị: Hồ sơ tiếp nhận tháng 2/2025: đã nhập 3.600, tổng các đơn vị 3.500.',
    )
  })

  it('shows no reform notice for a period after it', () => {
    const wrapper = mountView({ period: { kind: 'quarter', year: 2025, index: 3 } })
    expect(wrapper.find('[data-testid="reform-notice"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Số hoá hồ sơ TTHC của 2 cấp chính quyền: 6.460 hồ sơ, đạt tỷ lệ 92,29%',
    )
  })

  it('shows the same figures in English format', () => {
    useI18n().locale.value = 'en'
    const wrapper = mountView()
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Dossiers digitized across 3 levels of government: 37,060, a rate of 84.23%',
    )
    expect(rowsOf(wrapper, 'levels-table')[2]).toEqual([
      'Commune level',
      '20,000',
      '15,760',
      '78.80%',
      '80.00%',
      '9.85',
    ])
    expect(wrapper.findAll('[data-testid="ranking-status"]').map((s) => s.text())[2]).toBe(
      '! Not met (4.2 percentage points short)',
    )
    expect(wrapper.get('[data-testid="completeness-reported"]').text()).toBe('Reported25 (92.59%)')
  })

  it('draws no chart without a canvas context, and keeps the figures in a table', async () => {
    const wrapper = mountView()
    await flushPromises()
    const chart = wrapper.get('[data-chart="trend"]')
    expect(chart.get('canvas').attributes('role')).toBe('img')
    expect(chart.text()).toContain('Trình duyệt này không vẽ được biểu đồ')
    const trend = wrapper.findAll('details table').find((t) => t.text().includes('Tháng 4/2026'))
    expect(trend?.text()).toContain('Tháng 7/2025')
    expect(rowsOf(wrapper, 'years-table')).toEqual([
      ['2025', '44.000', '37.060', '84,23%', '80,00%', '10'],
      ['2026', '4.100', '3.150', '76,83%', '80,00%', '9,6'],
    ])
  })
})

describe('district dashboard before the reform', () => {
  it('sums its own levels and makes no forecast for a district abolished mid-year', () => {
    const wrapper = mountView({ unit: '421', period: { kind: 'half', year: 2025, index: 1 } })
    expect(wrapper.get('[data-testid="headline-sentence"]').text()).toBe(
      'Số hoá hồ sơ TTHC của 2 cấp chính quyền: 14.400 hồ sơ, đạt tỷ lệ 75,79%',
    )
    expect(rowsOf(wrapper, 'levels-table').map((row) => row[0])).toEqual(['Cấp huyện', 'Cấp xã'])
    expect(wrapper.find('[data-testid="forecast"]').exists()).toBe(false)
    const crumbs = wrapper.get('nav.breadcrumb')
    expect(crumbs.findAll('a').map((a) => a.text())).toEqual(['Tỉnh Thử'])
    expect(crumbs.get('[aria-current="page"]').text()).toBe('Huyện Một')
  })
})

describe('commune dashboard', () => {
  const dong = { unit: '42013', period: { kind: 'ytd', year: 2026, index: 4 } satisfies Period }

  it('shows the year-to-date rate against the target with its 766 score', () => {
    const wrapper = mountView(dong)
    expect(wrapper.get('[data-testid="headline-rate"]').text()).toBe('76,83%')
    expect(wrapper.text()).toContain('3.150 / 4.100 hồ sơ')
    expect(wrapper.get('[data-testid="headline-status"]').text()).toBe(
      'Chỉ tiêu 80,00% · Chưa đạt (còn thiếu 3,2 điểm %)',
    )
    expect(wrapper.get('[data-testid="score"]').text()).toBe('Điểm 766: 9,6/10')
    expect(wrapper.find('[data-testid="headline-sentence"]').exists()).toBe(false)
    expect(wrapper.find('.ranking').exists()).toBe(false)
  })

  it('says how many dossiers are still needed and when the pace reaches the target', () => {
    const wrapper = mountView(dong)
    expect(wrapper.findAll('[data-testid="forecast"]').map((p) => p.text())).toEqual([
      'Cần số hoá thêm 6.690 hồ sơ trong năm, khoảng 837 hồ sơ mỗi tháng.',
      'Với tốc độ hiện nay, đạt chỉ tiêu vào tháng 07/2026.',
    ])
  })

  it('says the same in English', async () => {
    useI18n().locale.value = 'en'
    const wrapper = mountView(dong)
    expect(wrapper.findAll('[data-testid="forecast"]').map((p) => p.text())).toEqual([
      '6,690 more dossiers to digitize this year, about 837 a month.',
      'At the current pace, the target is reached in July 2026.',
    ])
    expect(wrapper.get('[data-testid="score"]').text()).toBe('766 score: 9.6/10')
  })

  it('says the target is out of reach when the pace is below it', () => {
    const target = makeTarget({ year: 2026, unitCode: '42013', basisPoints: 9500 })
    const wrapper = mountView(dong, { targets: [target] })
    expect(wrapper.findAll('[data-testid="forecast"]').map((p) => p.text())[1]).toBe(
      'Với tốc độ hiện nay, không đạt chỉ tiêu trong năm 2026.',
    )
  })

  it('has the monthly chart of the year with its table of twelve months', () => {
    const wrapper = mountView(dong)
    const chart = wrapper.get('[data-chart="monthly"]')
    expect(chart.get('canvas').attributes('aria-label')).toBe(
      'Từng tháng năm 2026. 4/2026: tỷ lệ 90,91%, chỉ tiêu 80,00%.',
    )
    const rows = wrapper.get('details table').findAll('tbody tr')
    expect(rows).toHaveLength(12)
    expect(rows[3]?.findAll('th, td').map((c) => c.text())).toEqual([
      'Tháng 4/2026',
      '1.100',
      '1.000',
      '90,91%',
      '80,00%',
    ])
    expect(rows[4]?.findAll('th, td').map((c) => c.text())).toEqual([
      'Tháng 5/2026',
      '–',
      '–',
      '–',
      '80,00%',
    ])
  })

  it('breadcrumb leads back up to the province', () => {
    const wrapper = mountView(dong)
    const links = wrapper.get('nav.breadcrumb').findAll('a')
    expect(links.map((a) => a.text())).toEqual(['Tỉnh Thử'])
    expect(links[0]?.attributes('href')).toBe(
      '/dashboard?unit=42&period=ytd-2026-04&indicator=digitization',
    )
  })
})

describe('useDashboard', () => {
  it('re-aggregates only the period when the period changes, not the 36-month trend', () => {
    const period = shallowRef<Period>({ kind: 'ytd', year: 2025, index: 7 })
    const dashboard = useDashboard({
      dataset: makeDataset(),
      targets: [],
      unitCode: '42',
      period,
      indicator: DIGITIZATION,
      now: () => NOW,
    })
    const trend = dashboard.trend.value
    const before = dashboard.headline.value?.ratio.rate
    period.value = { kind: 'month', year: 2025, index: 7 }
    expect(dashboard.headline.value?.ratio.rate).not.toBe(before)
    expect(dashboard.trend.value).toBe(trend)
  })
})
