import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter, RouterLink, RouterView, type Router } from 'vue-router'
import { useScreenChange } from '../../../src/app/composables/useScreenChange.ts'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'

const screen = (title: string) => ({
  render: () => h('div', [h('h1', title), h(RouterLink, { to: '/settings' }, () => 'Cài đặt')]),
})

function makeRouter(): Router {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: screen('Tổng quan'), meta: { title: 'home.title' } },
      { path: '/settings', component: screen('Cài đặt'), meta: { title: 'settings.title' } },
      { path: '/entry/:month', component: screen('Số liệu'), meta: { title: 'entry.title' } },
      { path: '/plain', component: screen('Khác') },
    ],
  })
}

const Shell = defineComponent({
  setup() {
    useScreenChange()
    return () => h('main', { id: 'main', tabindex: '-1' }, [h(RouterView)])
  },
})

let wrapper: VueWrapper | undefined

async function start(path: string): Promise<Router> {
  const router = makeRouter()
  await router.push(path)
  await router.isReady()
  wrapper = mount(Shell, { global: { plugins: [router] }, attachTo: document.body })
  return router
}

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  useI18n().locale.value = 'vi'
})

describe('useScreenChange', () => {
  it('names the screen in the document title, with the month and in the chosen language', async () => {
    const router = await start('/')
    expect(document.title).toBe('Tổng quan – SoHoa')
    await router.push('/entry/2026-03')
    expect(document.title).toBe('Số liệu tháng 3/2026 – SoHoa')
    useI18n().locale.value = 'en'
    await wrapper!.vm.$nextTick()
    expect(document.title).toBe('Data for March 2026 – SoHoa')
    await router.push('/plain')
    expect(document.title).toBe('SoHoa – Digitizing administrative-procedure dossiers')
  })

  it('moves focus to the new screen’s heading, not on the first screen or a query change', async () => {
    const router = await start('/')
    expect(document.activeElement).toBe(document.body)

    const link = wrapper!.find<HTMLAnchorElement>('a').element
    link.focus()
    await router.push('/settings')
    await wrapper!.vm.$nextTick()
    const heading = wrapper!.find('h1').element
    expect(heading.textContent).toBe('Cài đặt')
    expect(document.activeElement).toBe(heading)
    expect(heading.getAttribute('tabindex')).toBe('-1')

    wrapper!.find<HTMLAnchorElement>('a').element.focus()
    await router.push('/settings?tab=2')
    await wrapper!.vm.$nextTick()
    expect(document.activeElement?.tagName).toBe('A')
  })
})
