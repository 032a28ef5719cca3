import { afterEach, expect, it } from 'vitest'
import { defineComponent, h, nextTick, shallowRef } from 'vue'
import { mount, type VueWrapper } from '@vue/test-utils'
import { useFocusRescue } from '../../../src/app/composables/useFocusRescue.ts'

/**
 * A screen with a banner whose close button removes the banner, as the app's banners do, and a
 * step whose button gives way to a field that takes focus itself once rendered, as forms do.
 */
const Screen = defineComponent({
  setup() {
    useFocusRescue()
    const open = shallowRef(true)
    const commenting = shallowRef(false)
    const comment = shallowRef<HTMLTextAreaElement | null>(null)
    async function startComment(): Promise<void> {
      commenting.value = true
      await nextTick()
      comment.value?.focus()
    }
    return () =>
      h('main', { id: 'main', tabindex: '-1' }, [
        h('h1', 'Tổng quan'),
        open.value
          ? h('p', [h('button', { class: 'close', onClick: () => (open.value = false) }, 'Đóng')])
          : null,
        h('button', { class: 'other' }, 'Khác'),
        commenting.value
          ? h('textarea', { ref: comment, 'aria-label': 'Lý do' })
          : h('button', { class: 'comment', onClick: startComment }, 'Trả lại'),
      ])
  },
})

let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

it('puts focus on the screen heading when the focused control disappears', async () => {
  wrapper = mount(Screen, { attachTo: document.body })
  const close = wrapper.get<HTMLButtonElement>('.close')
  close.element.focus()
  await close.trigger('click')
  await expect.poll(() => document.activeElement?.tagName).toBe('H1')
  expect(wrapper.find('.close').exists()).toBe(false)
})

it('leaves focus alone when the focused control stays', async () => {
  wrapper = mount(Screen, { attachTo: document.body })
  const other = wrapper.get<HTMLButtonElement>('.other')
  other.element.focus()
  wrapper.get<HTMLButtonElement>('.close').element.click()
  await wrapper.vm.$nextTick()
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(document.activeElement).toBe(other.element)
})

it('lets a component that moves focus itself do so, without a stop at the heading', async () => {
  wrapper = mount(Screen, { attachTo: document.body })
  const visits: string[] = []
  document.addEventListener('focusin', (event) => {
    visits.push((event.target as Element).tagName)
  })
  const comment = wrapper.get<HTMLButtonElement>('.comment')
  comment.element.focus()
  await comment.trigger('click')
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(document.activeElement?.tagName).toBe('TEXTAREA')
  expect(visits).toEqual(['BUTTON', 'TEXTAREA'])
})
