/**
 * "Install the app" support. Chromium browsers fire `beforeinstallprompt`; we keep the event and
 * prompt only when the user taps our button. iOS Safari has no such event, so there we show how to
 * add the app from the Share menu instead. Installed apps keep their data longer (storage is less
 * likely to be evicted), which matters when entries wait days for a signal.
 */
import { computed, onScopeDispose, ref, shallowRef, type ComputedRef, type Ref } from 'vue'

/** Chromium's install event; not in lib.dom. */
export interface BeforeInstallPromptEvent extends Event {
  prompt: () => Promise<void>
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>
}

/** What `install()` resolved to; `unavailable` when the browser made no offer. */
export type InstallOutcome = 'accepted' | 'dismissed' | 'unavailable'

/** Injectable globals, for tests. */
export interface UseInstallPromptOptions {
  window?: Window
}

export interface UseInstallPromptReturn {
  /** The browser offered installation and it has not been used yet. */
  canInstall: ComputedRef<boolean>
  /** iPhone/iPad, where installing is a manual Share → Add to Home Screen. */
  isIos: boolean
  /** Already running as an installed app. */
  isStandalone: Readonly<Ref<boolean>>
  /** Show the manual iOS instructions: iOS, not installed, not dismissed. */
  showIosHint: ComputedRef<boolean>
  /** Opens the browser's install dialog. */
  install: () => Promise<InstallOutcome>
  dismissIosHint: () => void
}

function isBeforeInstallPrompt(event: Event): event is BeforeInstallPromptEvent {
  return 'prompt' in event && typeof event.prompt === 'function'
}

/** iPadOS reports itself as a Mac; touch points give it away. */
export function detectIos(
  nav: Pick<Navigator, 'userAgent' | 'platform' | 'maxTouchPoints'>,
): boolean {
  return (
    /iPad|iPhone|iPod/.test(nav.userAgent) ||
    (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1)
  )
}

function detectStandalone(win: Window): boolean {
  const nav = win.navigator
  const iosStandalone = 'standalone' in nav && nav.standalone === true
  return iosStandalone || win.matchMedia('(display-mode: standalone)').matches
}

/** Tracks whether and how the app can be installed on this device. */
export function useInstallPrompt(options: UseInstallPromptOptions = {}): UseInstallPromptReturn {
  const win = options.window ?? window
  const deferred = shallowRef<BeforeInstallPromptEvent>()
  const isStandalone = ref(detectStandalone(win))
  const iosHintDismissed = ref(false)
  const isIos = detectIos(win.navigator)

  const onBeforeInstall = (event: Event): void => {
    if (!isBeforeInstallPrompt(event)) return
    // Suppress the browser's mini-infobar; the app offers its own button.
    event.preventDefault()
    deferred.value = event
  }
  const onInstalled = (): void => {
    deferred.value = undefined
    isStandalone.value = true
  }
  const standaloneQuery = win.matchMedia('(display-mode: standalone)')
  const onDisplayMode = (): void => {
    isStandalone.value = detectStandalone(win)
  }

  win.addEventListener('beforeinstallprompt', onBeforeInstall)
  win.addEventListener('appinstalled', onInstalled)
  standaloneQuery.addEventListener('change', onDisplayMode)
  onScopeDispose(() => {
    win.removeEventListener('beforeinstallprompt', onBeforeInstall)
    win.removeEventListener('appinstalled', onInstalled)
    standaloneQuery.removeEventListener('change', onDisplayMode)
  })

  const install = async (): Promise<InstallOutcome> => {
    const event = deferred.value
    if (!event) return 'unavailable'
    // The event can be used once; a dismissed prompt comes back as a fresh event later.
    deferred.value = undefined
    await event.prompt()
    const choice = await event.userChoice
    return choice.outcome
  }

  return {
    canInstall: computed(() => deferred.value !== undefined && !isStandalone.value),
    isIos,
    isStandalone,
    showIosHint: computed(() => isIos && !isStandalone.value && !iosHintDismissed.value),
    install,
    dismissIosHint: () => {
      iosHintDismissed.value = true
    },
  }
}
