import { getCurrentScope, onScopeDispose, shallowRef, type ShallowRef } from 'vue'

export interface UseOnlineOptions {
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'> & {
    navigator: { onLine: boolean }
  }
}

/** navigator.onLine as a ref. It only says a network is attached, not that the server is reachable. */
export function useOnline(options: UseOnlineOptions = {}): ShallowRef<boolean> {
  const win = options.window ?? window
  const online = shallowRef(win.navigator.onLine)
  const update = (): void => {
    online.value = win.navigator.onLine
  }
  win.addEventListener('online', update)
  win.addEventListener('offline', update)
  if (getCurrentScope()) {
    onScopeDispose(() => {
      win.removeEventListener('online', update)
      win.removeEventListener('offline', update)
    })
  }
  return online
}
