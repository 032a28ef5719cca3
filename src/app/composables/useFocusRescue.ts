/**
 * When the control that has focus disappears (a banner dismissed, a form closed, a button replaced
 * by the next step), the browser drops focus to <body> and a keyboard or screen-reader user starts
 * again from the top of the document. This catches that and puts focus on the screen's heading.
 */
import { onScopeDispose } from 'vue'
import { focusScreen } from './useScreenChange.ts'

export interface UseFocusRescueOptions {
  /** For tests: the document to watch. */
  document?: Document
}

export function useFocusRescue(options: UseFocusRescueOptions = {}): void {
  const doc = options.document ?? document
  let focused: Element | null = null
  const track = (event: FocusEvent): void => {
    focused = event.target instanceof Element ? event.target : null
  }
  const lost = (): boolean =>
    focused !== null &&
    !focused.isConnected &&
    (doc.activeElement === null || doc.activeElement === doc.body)
  // Removal fires no blur event in every browser, so look after each change of the DOM instead.
  // The rescue waits a task: a component that moves focus itself after the change (await
  // nextTick(), then focus()) goes first, and the heading is not announced on the way.
  const observer = new MutationObserver(() => {
    if (!lost()) return
    setTimeout(() => {
      if (!lost()) return
      focused = null
      focusScreen(doc)
    })
  })
  doc.addEventListener('focusin', track)
  observer.observe(doc.body, { childList: true, subtree: true })
  onScopeDispose(() => {
    observer.disconnect()
    doc.removeEventListener('focusin', track)
  })
}
