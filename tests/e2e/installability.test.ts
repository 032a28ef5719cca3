import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import {
  firstPage,
  launchBrowser,
  makeProfile,
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
  await server.stop()
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
