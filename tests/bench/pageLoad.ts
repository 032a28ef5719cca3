/**
 * Page-load measurements on a phone-like Chromium: Lighthouse's mobile throttling through CDP, the
 * time until the app's main heading is on screen, and the JavaScript the first screen pulled in.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import type { CDPSession, Page } from 'playwright-core'

/** Lighthouse's "Slow 4G" mobile profile. */
export const MOBILE = {
  cpuSlowdown: 4,
  latencyMs: 150,
  downloadBytesPerSecond: (1.6 * 1024 * 1024) / 8,
  uploadBytesPerSecond: (750 * 1024) / 8,
}

/**
 * Marks `sohoa:heading` once `main h1` exists and the frame showing it has been painted (a task
 * queued from requestAnimationFrame runs after that frame). Runs before the app's own code.
 */
const HEADING_MARK = `
new MutationObserver((_records, observer) => {
  if (!document.querySelector('main h1')) return
  observer.disconnect()
  requestAnimationFrame(() => setTimeout(() => performance.mark('sohoa:heading'), 0))
}).observe(document, { childList: true, subtree: true })
`

/** Slows the page's CPU and, unless `network` is false, its network, as Lighthouse mobile does. */
export async function throttle(page: Page, options: { network: boolean }): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: MOBILE.cpuSlowdown })
  if (options.network) {
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: MOBILE.latencyMs,
      downloadThroughput: MOBILE.downloadBytesPerSecond,
      uploadThroughput: MOBILE.uploadBytesPerSecond,
    })
  }
  return cdp
}

/** Removes the throttling so set-up steps between measurements run at full speed. */
export async function unthrottle(cdp: CDPSession): Promise<void> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
  await cdp
    .send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    })
    .catch(() => undefined)
}

/** When the first screen appeared, in ms from navigation start. */
export interface LoadTiming {
  /** Navigation start to the painted frame showing `main h1`. */
  headingMs: number
  /** First contentful paint as the browser reports it. */
  fcpMs: number | null
}

const headingMarked = (page: Page): Promise<boolean> =>
  page.evaluate(() => performance.getEntriesByName('sohoa:heading').length > 0)

/**
 * Navigates to `url` and reads when the heading appeared and when content was first painted. Until
 * the heading is marked, the page is only polled with tiny evaluations: Playwright's locator engine
 * is a large script whose injection would compete with the app for the throttled main thread.
 */
export async function measureLoad(page: Page, url: string): Promise<LoadTiming> {
  await page.addInitScript(HEADING_MARK)
  await page.goto(url, { waitUntil: 'commit' })
  const deadline = Date.now() + 60_000
  while (!(await headingMarked(page).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`No main heading on ${url} within 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor()
  return page.evaluate(() => ({
    headingMs: performance.getEntriesByName('sohoa:heading')[0]?.startTime ?? Number.NaN,
    fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }))
}

/** Starts recording the same-origin JavaScript files `page` requests (the worker's are separate). */
export function recordScripts(page: Page, origin: string): Set<string> {
  const paths = new Set<string>()
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.origin !== origin || !url.pathname.endsWith('.js')) return
    if (url.pathname === '/sw.js' || /^\/workbox-[\w-]+\.js$/.test(url.pathname)) return
    paths.add(url.pathname)
  })
  return paths
}

/** One first-screen script: sizes on the wire and whether it carries chart.js. */
export interface ScriptSize {
  path: string
  rawBytes: number
  brotliBytes: number
  hasChartJs: boolean
}

/** Strings that survive minification of chart.js: its banner and one of its error messages. */
const CHART_JS_MARKERS = ['Chart.js v', 'Canvas is already in use']

/** Reads each recorded script from the build and measures its brotli size (quality 11). */
export async function sizeScripts(
  buildDir: string,
  paths: Iterable<string>,
): Promise<ScriptSize[]> {
  const sizes: ScriptSize[] = []
  for (const path of [...paths].sort()) {
    const source = await readFile(join(buildDir, path))
    const text = source.toString('utf8')
    sizes.push({
      path,
      rawBytes: source.length,
      brotliBytes: brotliCompressSync(source).length,
      hasChartJs: CHART_JS_MARKERS.some((marker) => text.includes(marker)),
    })
  }
  return sizes
}
