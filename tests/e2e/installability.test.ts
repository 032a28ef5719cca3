import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import {
  firstPage,
  launchBrowser,
  makeProfile,
  screenshot,
  ShellServer,
  waitForServiceWorker,
  type Profile,
} from './harness.ts'

interface ManifestIcon {
  src: string
  sizes: string
  type?: string
  purpose?: string
}

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let url: string

beforeAll(async () => {
  profile = await makeProfile()
  url = await server.start(current.dir)
})
afterAll(async () => {
  await server.dispose()
  await profile.remove()
})

it('is installable: Chromium reports no installability errors', async () => {
  const context = await launchBrowser(profile)
  try {
    const page = await firstPage(context)
    await page.goto(url)
    await waitForServiceWorker(page)
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors')
    expect(installabilityErrors).toEqual([])
    const manifest = await cdp.send('Page.getAppManifest', {})
    expect(manifest.errors).toEqual([])
    expect(manifest.url).toBe(new URL('manifest.webmanifest', url).href)

    // Chromium offers installation, and the app turns the offer into its own button.
    await page.goto(new URL('settings', url).href)
    const install = page.getByRole('button', { name: 'Cài ứng dụng' })
    await expect.poll(() => install.isVisible(), { timeout: 15_000 }).toBe(true)
    const box = await install.boundingBox()
    expect(box?.height).toBeGreaterThanOrEqual(44)
    await screenshot(page, 'install-button')
  } finally {
    await context.close()
  }
})

it('serves a Vietnamese manifest whose icons all load', async () => {
  const response = await fetch(new URL('manifest.webmanifest', url))
  expect(response.status).toBe(200)
  const manifest: { lang: string; icons: ManifestIcon[]; start_url: string; display: string } =
    await response.json()
  expect(manifest.lang).toBe('vi')
  expect(manifest.display).toBe('standalone')
  const sizes = manifest.icons.map((icon) => `${icon.sizes}:${icon.purpose ?? 'any'}`)
  expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']))
  for (const icon of manifest.icons) {
    const image = await fetch(new URL(icon.src, url))
    expect(image.status, icon.src).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png')
  }
})

it('tells iPhone users how to add the app, and the hint can be closed', async () => {
  const iphone = await makeProfile()
  const context = await launchBrowser(iphone, {
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  })
  try {
    const page = await firstPage(context)
    await page.goto(new URL('settings', url).href)
    const hint = page.getByRole('note').filter({ hasText: 'Thêm vào MH chính' })
    await expect.poll(() => hint.isVisible()).toBe(true)
    await screenshot(page, 'install-ios-hint')
    const close = hint.getByRole('button', { name: 'Đóng' })
    expect((await close.boundingBox())?.height).toBeGreaterThanOrEqual(44)
    await close.click()
    await expect.poll(() => hint.count()).toBe(0)
  } finally {
    await context.close()
    await iphone.remove()
  }
})
