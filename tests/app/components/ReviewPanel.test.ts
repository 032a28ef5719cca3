import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ReviewPanel from '../../../src/app/components/review/ReviewPanel.vue'
import { reviewRoles } from '../../../src/app/components/review/supervision.ts'
import { loadCatalogue, useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { Review } from '../../../src/domain/review.ts'

type PanelReview = Omit<Review, 'unitCode' | 'month'>

const at = '2026-10-05T03:04:00.000Z'
const review = (state: PanelReview['state'], comment = ''): PanelReview => ({
  state,
  comment,
  updatedBy: 'tinh',
  updatedAt: at,
})

function mountPanel(
  props: Partial<{
    review: PanelReview | null
    hasEntry: boolean
    canSubmit: boolean
    canSupervise: boolean
  }> = {},
) {
  return mount(ReviewPanel, {
    props: { review: null, hasEntry: true, canSubmit: false, canSupervise: false, ...props },
  })
}

function buttonNames(wrapper: ReturnType<typeof mountPanel>): string[] {
  return wrapper.findAll('button').map((button) => button.text())
}

beforeAll(() => loadCatalogue('en'))
afterEach(() => {
  useI18n().locale.value = 'vi'
})

describe('ReviewPanel', () => {
  it('lets the reporter submit a saved draft month, and not an unsaved one', async () => {
    const wrapper = mountPanel({ canSubmit: true })
    expect(wrapper.get('[role="status"]').text()).toBe('Chưa gửi duyệt')
    expect(buttonNames(wrapper)).toEqual(['Gửi duyệt'])
    await wrapper.get('button').trigger('click')
    expect(wrapper.emitted('act')).toEqual([['submit', '']])

    const unsaved = mountPanel({ canSubmit: true, hasEntry: false })
    expect(unsaved.get('button').attributes('disabled')).toBeDefined()
    expect(unsaved.text()).toContain('Lưu số liệu trước khi gửi duyệt.')
  })

  it('shows a submitted month as waiting, with no action for the reporter', () => {
    const wrapper = mountPanel({ canSubmit: true, review: review('submitted') })
    expect(wrapper.get('[role="status"]').text()).toBe('Đã gửi duyệt')
    expect(wrapper.text()).toContain('tinh, ')
    expect(buttonNames(wrapper)).toEqual([])
  })

  it('shows the supervisor comment of a returned month and lets the reporter submit again', async () => {
    const wrapper = mountPanel({ canSubmit: true, review: review('returned', 'Sai số tiếp nhận') })
    expect(wrapper.get('[role="status"]').text()).toBe('Bị trả lại: Sai số tiếp nhận')
    await wrapper.get('button').trigger('click')
    expect(wrapper.emitted('act')).toEqual([['submit', '']])
  })

  it('explains that an accepted month is locked, and offers the reporter nothing', () => {
    const wrapper = mountPanel({ canSubmit: true, review: review('accepted') })
    expect(wrapper.get('[role="status"]').text()).toBe('Đã duyệt — đã khoá')
    expect(wrapper.text()).toContain('không sửa được')
    expect(buttonNames(wrapper)).toEqual([])
  })

  it('lets a supervisor accept a submitted month', async () => {
    const wrapper = mountPanel({ canSupervise: true, review: review('submitted') })
    expect(buttonNames(wrapper)).toEqual(['Duyệt', 'Trả lại'])
    await wrapper.get('button').trigger('click')
    expect(wrapper.emitted('act')).toEqual([['accept', '']])
  })

  it('requires a comment to return a month, in Vietnamese', async () => {
    const wrapper = mountPanel({ canSupervise: true, review: review('submitted') })
    await wrapper.findAll('button')[1]?.trigger('click')
    const textarea = wrapper.get('textarea')
    expect(wrapper.get(`label[for="${textarea.attributes('id')}"]`).text()).toBe('Ghi chú cho xã')
    await textarea.setValue('   ')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[role="alert"]').text()).toBe(
      'Vui lòng nhập ghi chú: xã cần biết phải sửa gì.',
    )
    expect(textarea.attributes('aria-invalid')).toBe('true')
    expect(wrapper.emitted('act')).toBeUndefined()

    await textarea.setValue('  Số hồ sơ số hoá lớn hơn tiếp nhận ')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('act')).toEqual([['return', 'Số hồ sơ số hoá lớn hơn tiếp nhận']])
    expect(wrapper.find('textarea').exists()).toBe(false)
  })

  it('takes focus to the comment when it opens, and back to its button when cancelled', async () => {
    const wrapper = mount(ReviewPanel, {
      props: { review: review('submitted'), hasEntry: true, canSubmit: false, canSupervise: true },
      attachTo: document.body,
    })
    await wrapper.findAll('button')[1]?.trigger('click')
    await wrapper.vm.$nextTick()
    expect(document.activeElement).toBe(wrapper.get('textarea').element)
    await wrapper.get('form').trigger('submit')
    expect(document.activeElement).toBe(wrapper.get('textarea').element)
    await wrapper.get('button.button--ghost').trigger('click')
    await wrapper.vm.$nextTick()
    expect(document.activeElement?.textContent?.trim()).toBe('Trả lại')
    wrapper.unmount()
  })

  it('keeps a pressed action focusable while the page is busy, and ignores presses until done', async () => {
    const wrapper = mount(ReviewPanel, {
      props: { review: review('submitted'), hasEntry: true, canSubmit: false, canSupervise: true },
      attachTo: document.body,
    })
    const named = (name: string) => {
      const found = wrapper.findAll<HTMLButtonElement>('button').find((b) => b.text() === name)
      if (!found) throw new Error(`No button named ${name}`)
      return found
    }
    const accept = named('Duyệt')
    accept.element.focus()
    await accept.trigger('click')
    expect(wrapper.emitted('act')).toEqual([['accept', '']])
    // The page marks the panel busy while the decision is written.
    await wrapper.setProps({ busy: true })
    // Disabled, the button would drop keyboard focus to <body> in Chromium.
    expect(accept.element.disabled).toBe(false)
    expect(accept.attributes('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(accept.element)
    await accept.trigger('click')
    await named('Trả lại').trigger('click')
    expect(wrapper.emitted('act')).toHaveLength(1)
    expect(wrapper.find('textarea').exists()).toBe(false)
    expect(document.activeElement).toBe(accept.element)

    await wrapper.setProps({ busy: false })
    expect(accept.attributes('aria-disabled')).toBeUndefined()
    expect(document.activeElement).toBe(accept.element)
    await accept.trigger('click')
    expect(wrapper.emitted('act')).toHaveLength(2)
    wrapper.unmount()
  })

  it('sends a comment once, however often its button is pressed while busy', async () => {
    const wrapper = mount(ReviewPanel, {
      props: { review: review('accepted'), hasEntry: true, canSubmit: false, canSupervise: true },
      attachTo: document.body,
    })
    await wrapper.get('button').trigger('click')
    await wrapper.get('textarea').setValue('Cần sửa số liệu tháng 9')
    await wrapper.setProps({ busy: true })
    const confirm = wrapper.get<HTMLButtonElement>('button[type="submit"]')
    confirm.element.focus()
    expect(confirm.element.disabled).toBe(false)
    expect(confirm.attributes('aria-disabled')).toBe('true')
    await confirm.trigger('click')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('act')).toBeUndefined()
    expect(document.activeElement).toBe(confirm.element)
    await wrapper.setProps({ busy: false })
    await confirm.trigger('click')
    expect(wrapper.emitted('act')).toEqual([['reopen', 'Cần sửa số liệu tháng 9']])
    wrapper.unmount()
  })

  it('lets a supervisor reopen an accepted month with a comment', async () => {
    const wrapper = mountPanel({ canSupervise: true, review: review('accepted') })
    expect(buttonNames(wrapper)).toEqual(['Mở khoá'])
    await wrapper.get('button').trigger('click')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('act')).toBeUndefined()
    await wrapper.get('textarea').setValue('Cần sửa số liệu tháng 9')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('act')).toEqual([['reopen', 'Cần sửa số liệu tháng 9']])
  })

  it('gives a supervisor nothing to do on a draft or returned month', () => {
    expect(buttonNames(mountPanel({ canSupervise: true }))).toEqual([])
    expect(
      buttonNames(mountPanel({ canSupervise: true, review: review('returned', 'x') })),
    ).toEqual([])
  })

  it('speaks English', async () => {
    useI18n().locale.value = 'en'
    const wrapper = mountPanel({ canSupervise: true, review: review('submitted') })
    expect(wrapper.get('[role="status"]').text()).toBe('Submitted for review')
    await wrapper.findAll('button')[1]?.trigger('click')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.get('[role="alert"]').text()).toContain('Please enter a comment')
    const returned = mountPanel({ review: review('returned', 'Fix received') })
    expect(returned.get('[role="status"]').text()).toBe('Returned: Fix received')
    expect(
      mountPanel({ review: review('accepted') })
        .get('[role="status"]')
        .text(),
    ).toBe('Accepted — locked')
  })
})

describe('reviewRoles', () => {
  const units = [
    { code: '99', parentCode: null },
    { code: '99019', parentCode: '99' },
    { code: '88', parentCode: null },
    { code: '88001', parentCode: '88' },
  ]
  it('lets a reporter submit only its own units', () => {
    const user = { role: 'reporter' as const, unitCodes: ['99019'] }
    expect(reviewRoles(user, '99019', units)).toEqual({ canSubmit: true, canSupervise: false })
    expect(reviewRoles(user, '88001', units)).toEqual({ canSubmit: false, canSupervise: false })
  })
  it('lets a viewer supervise the units under its scope only', () => {
    const user = { role: 'viewer' as const, unitCodes: ['99'] }
    expect(reviewRoles(user, '99019', units)).toEqual({ canSubmit: false, canSupervise: true })
    expect(reviewRoles(user, '88001', units)).toEqual({ canSubmit: false, canSupervise: false })
  })
  it('lets an admin do both, and nobody signed out anything', () => {
    expect(reviewRoles({ role: 'admin', unitCodes: [] }, '88001', units)).toEqual({
      canSubmit: true,
      canSupervise: true,
    })
    expect(reviewRoles(null, '99019', units)).toEqual({ canSubmit: false, canSupervise: false })
  })
})
