import { effectScope } from 'vue'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  detectIos,
  useInstallPrompt,
  type UseInstallPromptReturn,
} from '../../../src/app/pwa/install.ts'

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

/** A `beforeinstallprompt` as Chromium fires it, with the user's answer preset. */
function installEvent(outcome: 'accepted' | 'dismissed') {
  const prompt = vi.fn(async () => undefined)
  const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
    prompt,
    userChoice: Promise.resolve({ outcome, platform: 'web' }),
  })
  return { event, prompt }
}

function withPrompt(): { api: UseInstallPromptReturn; stop: () => void } {
  const scope = effectScope()
  const api = scope.run(() => useInstallPrompt({ window }))
  if (!api) throw new Error('scope did not run')
  return { api, stop: () => scope.stop() }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('useInstallPrompt', () => {
  it('keeps the browser offer, suppresses its own UI, and prompts on install()', async () => {
    const { api, stop } = withPrompt()
    expect(api.canInstall.value).toBe(false)

    const { event, prompt } = installEvent('accepted')
    window.dispatchEvent(event)
    expect(event.defaultPrevented).toBe(true)
    expect(api.canInstall.value).toBe(true)

    await expect(api.install()).resolves.toBe('accepted')
    expect(prompt).toHaveBeenCalledOnce()
    // An offer can be used once.
    expect(api.canInstall.value).toBe(false)
    await expect(api.install()).resolves.toBe('unavailable')
    stop()
  })

  it('hides the button once the app is installed', () => {
    const { api, stop } = withPrompt()
    window.dispatchEvent(installEvent('dismissed').event)
    window.dispatchEvent(new Event('appinstalled'))
    expect(api.canInstall.value).toBe(false)
    expect(api.isStandalone.value).toBe(true)
    stop()
  })

  it('stops listening when its scope ends', () => {
    const { api, stop } = withPrompt()
    stop()
    window.dispatchEvent(installEvent('accepted').event)
    expect(api.canInstall.value).toBe(false)
  })

  it('shows the iOS hint on iPhone until dismissed', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE)
    const { api, stop } = withPrompt()
    expect(api.isIos).toBe(true)
    expect(api.showIosHint.value).toBe(true)
    api.dismissIosHint()
    expect(api.showIosHint.value).toBe(false)
    stop()
  })

  it('never shows the iOS hint elsewhere', () => {
    const { api, stop } = withPrompt()
    expect(api.isIos).toBe(false)
    expect(api.showIosHint.value).toBe(false)
    stop()
  })

  it('hides the iOS hint when already running from the home screen', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE)
    Object.defineProperty(navigator, 'standalone', { value: true, configurable: true })
    try {
      const { api, stop } = withPrompt()
      expect(api.isStandalone.value).toBe(true)
      expect(api.showIosHint.value).toBe(false)
      stop()
    } finally {
      Reflect.deleteProperty(navigator, 'standalone')
    }
  })
})

describe('detectIos', () => {
  const mac = { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', platform: 'MacIntel' }

  it('recognises iPadOS, which reports itself as a Mac with touch', () => {
    expect(detectIos({ ...mac, maxTouchPoints: 5 })).toBe(true)
    expect(detectIos({ ...mac, maxTouchPoints: 0 })).toBe(false)
  })

  it('recognises iPhone', () => {
    expect(detectIos({ userAgent: IPHONE, platform: 'iPhone', maxTouchPoints: 5 })).toBe(true)
  })
})
