/**
 * Service-worker registration and the update flow. The worker is registered once per page; a new
 * version waits until the user taps "Cập nhật", because reloading on its own could throw away a
 * half-typed entry. Update checks run hourly and whenever the app comes back to the foreground.
 */
import { readonly, ref, type Ref } from 'vue'
import { registerSW } from 'virtual:pwa-register'

/** How often a long-open app asks the server for a new service worker. */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000

/** What the update banner needs. */
export interface PwaState {
  /** A new version is installed and waiting for the user's go-ahead. */
  needRefresh: Readonly<Ref<boolean>>
  /** The app shell is cached: from now on the app starts without network. Set on first install. */
  offlineReady: Readonly<Ref<boolean>>
  /** Activates the waiting version; the page reloads once it controls the page. */
  applyUpdate: () => Promise<void>
  /** Hides the banner until the next page load (the new version keeps waiting). */
  dismissUpdate: () => void
  /** Asks the server for a new version now; resolves quietly when offline. */
  checkForUpdate: () => Promise<void>
}

/** Injectable globals, for tests. */
export interface RegisterPwaOptions {
  window?: Window
}

const needRefresh = ref(false)
const offlineReady = ref(false)
let state: PwaState | undefined

/** Marks the document with the build so tests and support can tell deployed builds apart. */
function stampBuild(doc: Document): void {
  doc.documentElement.dataset.build = __BUILD_ID__
  doc.documentElement.dataset.version = __APP_VERSION__
}

/**
 * Flags a waiting worker ourselves as well: workbox-window misses an update that was already
 * installing when it registered (the navigation's own update check), and it tracks only one external
 * update per page. With no controller, an installed worker is the first install, not an update.
 */
function watchForWaiting(registration: ServiceWorkerRegistration, nav: Navigator): void {
  const flag = (): void => {
    if (registration.waiting && nav.serviceWorker.controller) needRefresh.value = true
  }
  const track = (worker: ServiceWorker | null): void => {
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed') flag()
    })
  }
  track(registration.installing)
  flag()
  registration.addEventListener('updatefound', () => track(registration.installing))
}

/** Registers the service worker (once) and returns the shared update state. */
export function registerPwa(options: RegisterPwaOptions = {}): PwaState {
  if (state) return state
  const win = options.window ?? window
  stampBuild(win.document)

  let registration: ServiceWorkerRegistration | undefined
  const checkForUpdate = async (): Promise<void> => {
    // Skip while an install is under way or the phone says it has no network; update() would
    // only reject.
    if (!registration || registration.installing || !win.navigator.onLine) return
    try {
      await registration.update()
    } catch {
      // Offline or server down: the next check will try again.
    }
  }

  const updateSW = registerSW({
    onNeedRefresh: () => {
      needRefresh.value = true
    },
    onOfflineReady: () => {
      offlineReady.value = true
    },
    onRegisteredSW: (_url, reg) => {
      registration = reg
      if (!reg) return
      watchForWaiting(reg, win.navigator)
      win.setInterval(() => void checkForUpdate(), UPDATE_CHECK_INTERVAL_MS)
      win.document.addEventListener('visibilitychange', () => {
        if (win.document.visibilityState === 'visible') void checkForUpdate()
      })
    },
    onRegisterError: (error: unknown) => {
      // The app works without a worker, just not offline; report and carry on.
      console.warn('SoHoa: service worker registration failed', error)
    },
  })

  state = {
    needRefresh: readonly(needRefresh),
    offlineReady: readonly(offlineReady),
    applyUpdate: () => {
      // updateSW reloads only for updates workbox-window itself saw; reload for the others too.
      const reload = (): void => win.location.reload()
      win.navigator.serviceWorker?.addEventListener('controllerchange', reload, { once: true })
      return updateSW(true)
    },
    dismissUpdate: () => {
      needRefresh.value = false
    },
    checkForUpdate,
  }
  return state
}
