import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import ReviewTasks from '../../../src/app/components/review/ReviewTasks.vue'
import { ROUTES } from '../../../src/app/constants.ts'
import { loadCatalogue, useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { Month } from '../../../src/domain/periods.ts'
import type { Review } from '../../../src/domain/review.ts'

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

const entry = (month: Month, review: Pick<Review, 'state' | 'comment'> | null) => ({
  key: `99019/${month}`,
  unitCode: '99019',
  month,
  review,
})
const entries = [
  entry('2026-07', { state: 'accepted', comment: '' }),
  entry('2026-08', { state: 'returned', comment: 'Thiếu số trực tuyến' }),
  entry('2026-09', { state: 'returned', comment: 'Số số hoá lớn hơn tiếp nhận' }),
  entry('2026-10', null),
  entry('2026-06', { state: 'submitted', comment: '' }),
]

beforeAll(() => loadCatalogue('en'))
afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('ReviewTasks', () => {
  it('lists returned months newest first, each linking to its entry', async () => {
    const router = makeRouter()
    const wrapper = mount(ReviewTasks, { props: { entries }, global: { plugins: [router] } })
    expect(wrapper.get('h2').text()).toBe('Việc cần làm')
    const links = wrapper.findAll('a')
    expect(links.map((link) => link.text())).toEqual([
      'Tháng 9/2026 bị trả lại: Số số hoá lớn hơn tiếp nhận',
      'Tháng 8/2026 bị trả lại: Thiếu số trực tuyến',
    ])
    expect(links[0]?.attributes('href')).toBe('/entry/99019/2026-09')
  })

  it('shows nothing when no month is returned', () => {
    const wrapper = mount(ReviewTasks, {
      props: { entries: [entry('2026-09', { state: 'submitted', comment: '' })] },
      global: { plugins: [makeRouter()] },
    })
    expect(wrapper.find('section').exists()).toBe(false)
  })

  it('speaks English', () => {
    useI18n().locale.value = 'en'
    const wrapper = mount(ReviewTasks, { props: { entries }, global: { plugins: [makeRouter()] } })
    expect(wrapper.get('a').text()).toBe('September 2026 returned: Số số hoá lớn hơn tiếp nhận')
  })
})
