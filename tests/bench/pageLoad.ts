/**
 * Page-load measurements on a phone-like Chromium: Lighthouse's mobile throttling through CDP, the
 * time until the app's main heading is on screen, the JavaScript the first screen pulled in, and
 * the cold loads and warm starts built from them.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import type { CDPSession, Page } from 'playwright-core'
import {
  firstPage,
  launchBrowser,
  waitForServiceWorker,
  type Build,
  type Profile,
  type ShellServer,
} from '../e2e/harness.ts'
import { median, type ColdFigures, type PageFigures } from './report.ts'

/** Network conditions as Chromium's DevTools protocol applies them: per request, not per packet. */
export interface NetworkModel {
  /** Short name for the report and latest.json. */
  name: string
  /** Added to every request before its response starts. */
  requestLatencyMs: number
  downloadBytesPerSecond: number
  uploadBytesPerSecond: number
}

/** The CPU half of Lighthouse's mobile preset (`cpuSlowdownMultiplier`). */
export const CPU_SLOWDOWN = 4

/**
 * Lighthouse's kilobits are 1,024 bits, and its devtools throttling floors the conversion to the
 * bytes per second that `Network.emulateNetworkConditions` takes (core/lib/emulation.js).
 */
const kbpsToBytesPerSecond = (kbps: number): number => Math.floor((kbps * 1024) / 8)

/** Lighthouse's DEVTOOLS_RTT_ADJUSTMENT_FACTOR and DEVTOOLS_THROUGHPUT_ADJUSTMENT_FACTOR. */
const LIGHTHOUSE_RTT_FACTOR = 3.75
const LIGHTHOUSE_THROUGHPUT_FACTOR = 0.9

/**
 * Lighthouse's mobile preset exactly as its `throttlingMethod: 'devtools'` sends it to Chromium
 * (`mobileSlow4G` in core/config/constants.js): rttMs 150 becomes requestLatencyMs 150 * 3.75 =
 * 562.5, and throughputKbps 1.6 * 1024 down, 750 up become 0.9 of that. DevTools throttling delays
 * each request once, where a real 150 ms link pays several round trips (DNS, TCP, TLS) before the
 * first byte and then TCP slow start; Lighthouse's adjustment factors (crbug.com/721112) stand in
 * for that. The warm/cold goal is judged on this model: it is what Lighthouse's mobile throttling
 * means when applied through DevTools.
 */
export const LIGHTHOUSE_MOBILE: NetworkModel = {
  name: 'lighthouse-devtools',
  requestLatencyMs: 150 * LIGHTHOUSE_RTT_FACTOR,
  downloadBytesPerSecond: kbpsToBytesPerSecond(1.6 * 1024 * LIGHTHOUSE_THROUGHPUT_FACTOR),
  uploadBytesPerSecond: kbpsToBytesPerSecond(750 * LIGHTHOUSE_THROUGHPUT_FACTOR),
}

/**
 * The same preset with its headline figures taken literally: 150 ms per request, 1.6 Mbps down and
 * 750 Kbps up. A shorter cold load, so a stricter warm/cold ratio; reported next to the goal.
 */
export const UNADJUSTED_MOBILE: NetworkModel = {
  name: 'unadjusted',
  requestLatencyMs: 150,
  downloadBytesPerSecond: kbpsToBytesPerSecond(1.6 * 1024),
  uploadBytesPerSecond: kbpsToBytesPerSecond(750),
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

/** Slows the page's CPU as Lighthouse mobile does and, given a `network` model, its network. */
export async function throttle(
  page: Page,
  options: { network: NetworkModel | null },
): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
  if (options.network) {
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: options.network.requestLatencyMs,
      downloadThroughput: options.network.downloadBytesPerSecond,
      uploadThroughput: options.network.uploadBytesPerSecond,
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

/** A first visit on a fresh profile over `network` at 4x CPU; leaves the app installed. */
async function coldLoad(
  profile: Profile,
  url: string,
  network: NetworkModel,
): Promise<LoadTiming & { scripts: Set<string> }> {
  const context = await launchBrowser(profile)
  try {
    const page = await firstPage(context)
    const scripts = recordScripts(page, new URL(url).origin)
    const cdp = await throttle(page, { network })
    const timing = await measureLoad(page, url)
    await page.waitForLoadState('networkidle')
    await unthrottle(cdp)
    await waitForServiceWorker(page)
    return { ...timing, scripts }
  } finally {
    await context.close()
  }
}

/** The app opened again later: browser restarted, no network at all, same slow CPU. */
async function warmStart(profile: Profile, url: string): Promise<LoadTiming> {
  const context = await launchBrowser(profile, { offline: true })
  try {
    const page = await firstPage(context)
    await throttle(page, { network: null })
    return await measureLoad(page, url)
  } finally {
    await context.close()
  }
}

/**
 * `loadCount` cold loads under each network model, alternating, each followed by a warm start with
 * the server stopped. Every cold load gets a fresh profile from `newProfile`.
 */
export async function pageLoads(
  build: Build,
  url: string,
  server: ShellServer,
  newProfile: () => Promise<Profile>,
  loadCount: number,
): Promise<{ figures: PageFigures; raw: object }> {
  // The goal is judged on Lighthouse's devtools model; the unadjusted one is the stricter reading.
  const lighthouseColds: LoadTiming[] = []
  const unadjustedColds: LoadTiming[] = []
  const warms: LoadTiming[] = []
  let scripts: ScriptSize[] = []
  for (let i = 0; i < loadCount; i++) {
    // Models alternate within each round, so a change in machine load hits both alike.
    for (const [network, colds] of [
      [LIGHTHOUSE_MOBILE, lighthouseColds],
      [UNADJUSTED_MOBILE, unadjustedColds],
    ] as const) {
      const profile = await newProfile()
      await server.start(build.dir)
      const { scripts: paths, ...cold } = await coldLoad(profile, url, network)
      if (scripts.length === 0) scripts = await sizeScripts(build.dir, paths)
      colds.push(cold)
      // Server gone as well as the network: the start can only come from the phone.
      await server.stop()
      warms.push(await warmStart(profile, url))
    }
  }
  const coldFigures = (network: NetworkModel, timings: LoadTiming[]): ColdFigures => ({
    network,
    ms: median(timings.map((t) => t.headingMs)),
    fcpMs: median(timings.map((t) => t.fcpMs ?? Number.NaN)),
  })
  return {
    figures: {
      scripts,
      cold: coldFigures(LIGHTHOUSE_MOBILE, lighthouseColds),
      coldUnadjusted: coldFigures(UNADJUSTED_MOBILE, unadjustedColds),
      warmMs: median(warms.map((t) => t.headingMs)),
      warmFcpMs: median(warms.map((t) => t.fcpMs ?? Number.NaN)),
      loads: loadCount,
    },
    raw: { lighthouseColds, unadjustedColds, warms },
  }
}
