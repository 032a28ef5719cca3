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
  // Removal fires no blur event in every browser, so look after each change of the DOM instead.
  const observer = new MutationObserver(() => {
    const lost = doc.activeElement === null || doc.activeElement === doc.body
    if (focused && !focused.isConnected && lost) {
      focused = null
      focusScreen(doc)
    }
  })
  doc.addEventListener('focusin', track)
  observer.observe(doc.body, { childList: true, subtree: true })
  onScopeDispose(() => {
    observer.disconnect()
    doc.removeEventListener('focusin', track)
  })
}
