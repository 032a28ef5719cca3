import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import HomeSummary from '../../../src/app/components/home/HomeSummary.vue'
import HomeMonthList from '../../../src/app/components/home/HomeMonthList.vue'
import { ROUTES } from '../../../src/app/constants.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { MonthRow } from '../../../src/app/composables/useMonthStates.ts'
import type { Month } from '../../../src/domain/periods.ts'
import type { Unit } from '../../../src/domain/units.ts'
import type { Counts } from '../../../src/domain/indicators.ts'
import type { EntryRecord } from '../../../src/app/db/schema.ts'

const unit: Unit = {
  code: '42001',
  name: 'Xã Thạch Lạc',
  kind: 'commune',
  type: 'Xã',
  level: 'commune',
  parentCode: '42',
  validFrom: '2025-07-01',
  validTo: null,
}

function makeRouter() {
  const stub = { template: '<div />' }
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: ROUTES.home, component: stub },
      { path: '/entry/:unitCode/:month', name: ROUTES.entry, component: stub },
    ],
  })
}

function makeRow(month: Month, state: MonthRow['state'], rate: number | null = null): MonthRow {
  const entry: EntryRecord | null =
    state === 'missing'
      ? null
      : {
          key: `${unit.code}/${month}`,
          unitCode: unit.code,
          month,
          counts: {},
          note: '',
          updatedAt: '2026-03-01T00:00:00.000Z',
          state,
          baseVersion: null,
          sentAt: null,
          conflicts: [],
          updatedBy: null,
          reportedAt: null,
          review: null,
        }
  return { month, state, rate, entry }
}

afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('HomeSummary', () => {
  // Two months of very different size: the rate of the sums (74,16%) is not the mean of rates (~57%).
  const entries: { month: Month; counts: Counts }[] = [
    { month: '2026-01', counts: { received: 96_000, digitized: 71_480 } },
    { month: '2026-02', counts: { received: 688, digitized: 224 } },
    { month: '2025-12', counts: { received: 5_000, digitized: 0 } },
  ]

  it('shows the year-to-date rate from summed counts, in vi-VN', () => {
    const wrapper = mount(HomeSummary, {
      props: { unit, current: makeRow('2026-03', 'missing'), entries },
      global: { plugins: [makeRouter()] },
    })
    expect(wrapper.find('[data-testid="ytd-rate"]').text()).toBe('74,16%')
    expect(wrapper.text()).toContain('71.704 / 96.688 hồ sơ')
    expect(wrapper.text()).toContain('Chưa báo cáo')
    expect(wrapper.find('a').text()).toBe('Nhập số liệu tháng 3/2026')
    expect(wrapper.find('a').attributes('href')).toBe('/entry/42001/2026-03')
  })

  it('shows the same figures in English format', () => {
    useI18n().locale.value = 'en'
    const wrapper = mount(HomeSummary, {
      props: { unit, current: makeRow('2026-03', 'local'), entries },
      global: { plugins: [makeRouter()] },
    })
    expect(wrapper.find('[data-testid="ytd-rate"]').text()).toBe('74.16%')
    expect(wrapper.text()).toContain('71,704 / 96,688 dossiers')
    expect(wrapper.text()).toContain('Saved on this device')
  })
})

/** The text a sighted user reads in `element`, piece by piece, without aria-hidden icons. */
function shownText(element: Element): string {
  const parts: string[] = []
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim()
    if (text && !node.parentElement?.closest('[aria-hidden="true"]')) parts.push(text)
  }
  return parts.join(' ')
}

describe('HomeMonthList', () => {
  it('lists each month with its state and rate as a link to its form', () => {
    const rows = [
      makeRow('2026-03', 'missing'),
      makeRow('2026-02', 'local', 0.5),
      makeRow('2026-01', 'sent', 0.7416),
    ]
    const wrapper = mount(HomeMonthList, {
      props: { unitCode: unit.code, rows },
      global: { plugins: [makeRouter()] },
    })
    const links = wrapper.findAll('a')
    // The name is the visible text without the decorative icons, so speech input can say what it
    // sees (WCAG 2.5.3); no aria-label may replace it.
    expect(links.map((link) => shownText(link.element))).toEqual([
      'Tháng 3/2026 Chưa báo cáo',
      'Tháng 2/2026 Đã lưu trên máy 50,00%',
      'Tháng 1/2026 Đã gửi 74,16%',
    ])
    expect(links.every((link) => link.attributes('aria-label') === undefined)).toBe(true)
    expect(links[2]!.attributes('href')).toBe('/entry/42001/2026-01')
  })
})
