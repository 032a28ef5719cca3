/**
 * What a page load does for free and a single-page app must do itself: the document title names
 * the current screen (screen readers read it, the task switcher shows it), and after a change of
 * screen, focus moves to the new screen's heading instead of staying on a link that no longer
 * exists, which would drop a keyboard or screen-reader user back at the top of the document.
 */
import { nextTick, onScopeDispose, watchEffect } from 'vue'
import { useRouter, type RouteLocationNormalizedLoaded } from 'vue-router'
import { isMonth } from '../../domain/periods.ts'
import { useI18n } from '../i18n/useI18n.ts'

export interface UseScreenChangeOptions {
  /** For tests: the document to retitle and move focus in. */
  document?: Document
}

/** Keeps the title in step with the route and language, and moves focus on every new screen. */
export function useScreenChange(options: UseScreenChangeOptions = {}): void {
  const router = useRouter()
  const doc = options.document ?? document
  const { t, monthShort } = useI18n()

  function screenName(route: RouteLocationNormalizedLoaded): string | null {
    const key = route.meta.title
    if (!key) return null
    const month = route.params.month
    return t(key, { month: typeof month === 'string' && isMonth(month) ? monthShort(month) : '' })
  }

  watchEffect(() => {
    const screen = screenName(router.currentRoute.value)
    doc.title = screen ? `${screen} – ${t('app.name')}` : `${t('app.name')} – ${t('app.tagline')}`
  })

  const stop = router.afterEach(async (to, from, failure) => {
    // The first screen keeps the browser's own start; a new query on the same screen (a filter)
    // keeps focus where the official is working.
    if (failure || from.matched.length === 0 || to.path === from.path) return
    await nextTick()
    focusScreen(doc)
  })
  onScopeDispose(stop)
}

/** Puts focus on the current screen's heading (or its main region when it has none yet). */
export function focusScreen(doc: Document): void {
  const main = doc.getElementById('main')
  const target = main?.querySelector<HTMLElement>('h1') ?? main
  if (!target) return
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
  target.focus({ preventScroll: true })
}
