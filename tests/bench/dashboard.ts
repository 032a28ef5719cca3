/**
 * The dashboard on a cheap phone (issue 4): a whole country's three years of figures in the app's
 * IndexedDB, a province with many communes opened from the installed app at 4x CPU, the year
 * picker changed from the keyboard (INP), and beside it the least any dashboard could do with the same data (one
 * getAll and a sum), in the same page and run. Also the JavaScript the dashboard loads beyond the
 * first screen.
 */
import { join } from 'node:path'
import type { CDPSession, Page } from 'playwright-core'
import { build as viteBuild } from 'vite'
import { DB_NAME } from '../../src/app/db/schema.ts'
import { viScreens } from '../../src/app/i18n/vi.screens.ts'
import { formatCount } from '../../src/domain/format.ts'
import { addMonths, monthOf, monthRange, monthsOf, type Month } from '../../src/domain/periods.ts'
import { formatPeriodParam } from '../../src/domain/periodParam.ts'
import type { Unit } from '../../src/domain/units.ts'
import {
  firstPage,
  launchBrowser,
  ROOT,
  waitForServiceWorker,
  type Build,
  type Profile,
} from '../e2e/harness.ts'
import type {
  BaselineInput,
  BaselineResult,
  Interaction,
  LongFrame,
  SeedInput,
} from './dashboard/page.ts'
import { recordScripts, sizeScripts, throttle, unthrottle, type ScriptSize } from './pageLoad.ts'
import { median } from './report.ts'
import type { Country } from './sync/units.ts'

/** Three years of months, ending at the latest full month. */
const MONTHS = 36
const SEED = 20_260_725
const BASELINE_RUNS = 3

/** What the dashboard part measured; medians unless said otherwise. */
export interface DashboardFigures {
  province: { code: string; name: string; communes: number }
  /** Entries and units written into IndexedDB, and how long that took (not throttled). */
  entries: number
  units: number
  seedMs: number
  months: { from: Month; to: Month }
  /** The period the dashboard opens on. */
  period: string
  /** Navigation start to the first chart with pixels on screen, warm, 4x CPU. */
  opens: number
  openMs: number
  openRunsMs: number[]
  /** The periods tapped, in order. */
  switchedTo: string[]
  /** The longest event of each tap (INP's measure); 0 when under the API's 16 ms threshold. */
  inpMs: number
  inpRunsMs: number[]
  /** Tap to the end of the last long animation frame after it: when the screen settled. */
  settleMs: number
  settleRunsMs: number[]
  /** Of the long frames after a tap: time in scripts, and in style, layout and paint. */
  switchScriptMs: number
  switchRenderMs: number
  /** getAll of every entry and the sums, in the same page at 4x CPU. */
  baselineMs: number
  baselineRunsMs: number[]
  baselineGetAllMs: number
  baselineSumMs: number
  /** Entries the baseline read, and those of the province in the trend's months. */
  baselineScanned: number
  baselineMatched: number
  openBaselineRatio: number
  inpBaselineRatio: number
  /** Whether the dashboard showed the baseline's Σ received for the period, as the app writes it. */
  totalShown: boolean
  /** Scripts the dashboard loaded that the first screen (/) had not. */
  chunks: ScriptSize[]
  /** First-screen scripts carrying chart.js (must be none). */
  firstScreenChartJs: string[]
}

export interface DashboardOptions {
  opens: number
  switches: number
}

/**
 * The bench copy of the country: the official units start on 2025-07-01, but the benchmark
 * measures aggregation volume, not the reform, so every unit is made valid from 2020-01-01 and all
 * 36 months roll up through the same provinces.
 */
function benchUnits(country: Country): Unit[] {
  return [...country.provinces, ...country.communes].map((unit) => ({
    ...unit,
    validFrom: '2020-01-01',
    validTo: null,
  }))
}

/** The province with the most communes. */
function largestProvince(country: Country): { province: Unit; communes: Unit[] } {
  const byParent = new Map<string, Unit[]>()
  for (const commune of country.communes) {
    if (commune.parentCode === null) continue
    byParent.set(commune.parentCode, [...(byParent.get(commune.parentCode) ?? []), commune])
  }
  let best: { province: Unit; communes: Unit[] } | undefined
  for (const province of country.provinces) {
    const communes = byParent.get(province.code) ?? []
    if (!best || communes.length > best.communes.length) best = { province, communes }
  }
  if (!best) throw new Error('The country has no provinces')
  return best
}

/** The page-side script (dashboard/page.ts) as one classic script to evaluate in the app. */
async function pageScript(): Promise<string> {
  const output = await viteBuild({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      lib: {
        entry: join(ROOT, 'tests', 'bench', 'dashboard', 'page.ts'),
        formats: ['iife'],
        name: 'sohoaDashboardBenchPage',
      },
    },
  })
  const results = Array.isArray(output) ? output : [output]
  for (const result of results) {
    if (!('output' in result)) continue
    const chunk = result.output.find((item) => item.type === 'chunk')
    if (chunk) return chunk.code
  }
  throw new Error('Building tests/bench/dashboard/page.ts gave no script')
}

/**
 * Marks `sohoa:bench-chart` once any canvas holds a non-transparent pixel and the frame showing it
 * has been painted. Runs before the app's own code; reads pixels only until the first chart shows,
 * so it needs nothing from the app.
 */
const CHART_MARK = `
(() => {
  const painted = (canvas) => {
    if (canvas.width === 0 || canvas.height === 0) return false
    const context = canvas.getContext('2d')
    if (!context) return false
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true
    return false
  }
  const check = () => {
    if ([...document.querySelectorAll('canvas')].some(painted)) {
      setTimeout(() => performance.mark('sohoa:bench-chart'), 0)
      return
    }
    requestAnimationFrame(check)
  }
  requestAnimationFrame(check)
})()
`

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Navigates to `url` and waits for the chart mark with tiny polls (see measureLoad). */
async function timeToChart(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' })
  const deadline = Date.now() + 90_000
  for (;;) {
    const at = await page
      .evaluate(() => performance.getEntriesByName('sohoa:bench-chart')[0]?.startTime ?? null)
      .catch(() => null)
    if (at !== null) return at
    if (Date.now() > deadline) throw new Error(`No chart drawn on ${url} within 90 s`)
    await sleep(100)
  }
}

async function installBench(page: Page, script: string): Promise<void> {
  await page.evaluate(script)
  if (!(await page.evaluate(() => window.sohoaDashboardBench !== undefined)))
    throw new Error('The dashboard bench script did not install itself')
}

/** Waits until no long animation frame has ended for `quietMs` (at most `maxMs`). */
async function settle(page: Page, quietMs = 600, maxMs = 20_000): Promise<void> {
  const deadline = Date.now() + maxMs
  let lastEnd = -1
  let quietSince = Date.now()
  while (Date.now() < deadline) {
    await sleep(150)
    const end = await page.evaluate(() => window.sohoaDashboardBench?.lastFrameEnd() ?? 0)
    if (end !== lastEnd) {
      lastEnd = end
      quietSince = Date.now()
    } else if (Date.now() - quietSince >= quietMs) return
  }
}

interface SwitchRun {
  to: string
  inpMs: number
  settleMs: number
  /** Summed over the long frames after the tap: scripts, and style, layout and paint. */
  scriptMs: number
  renderMs: number
  interactions: Interaction[]
  longFrames: LongFrame[]
}

/** The year picker, found by its label as a person would. */
const yearPicker = (page: Page): ReturnType<Page['getByRole']> =>
  page.getByRole('combobox', { name: viScreens.dashboard.year, exact: true })

/**
 * Moves the year picker one option with the keyboard (years are listed newest first) and reads
 * the interaction and the frames that followed it. A key press is a real input event, so Event
 * Timing reports it; Playwright's selectOption only dispatches script events, which it ignores.
 * Chromium changes a closed select on an arrow key at once, as a tap on an option does on a phone.
 */
async function switchYear(
  page: Page,
  key: 'ArrowDown' | 'ArrowUp',
  to: string,
): Promise<SwitchRun> {
  await yearPicker(page).focus()
  await page.evaluate(() => window.sohoaDashboardBench?.take())
  await page.keyboard.press(key)
  await page.waitForURL((url) => url.searchParams.get('period') === to, { timeout: 30_000 })
  await settle(page)
  const taken = await page.evaluate(() => window.sohoaDashboardBench?.take())
  if (!taken) throw new Error('The dashboard bench script is gone')
  const { interactions, longFrames } = taken
  const inpMs = Math.max(0, ...interactions.map((i) => i.duration))
  const start = interactions[0]?.startTime ?? Number.NaN
  const after = longFrames.filter((f) => f.startTime + f.duration >= start)
  const ends = after.map((f) => f.startTime + f.duration - start)
  return {
    to,
    inpMs,
    settleMs: Math.max(inpMs, ...ends),
    scriptMs: after.reduce((sum, f) => sum + f.scriptMs, 0),
    renderMs: after.reduce((sum, f) => sum + f.renderMs, 0),
    interactions,
    longFrames,
  }
}

/**
 * Seeds a fresh profile with the country's data through an installed app, opens the dashboard
 * `opens` times (browser restarted each time), taps `switches` periods, then runs the baseline.
 */
export async function benchDashboard(
  buildOutput: Build,
  url: string,
  country: Country,
  newProfile: () => Promise<Profile>,
  options: DashboardOptions,
): Promise<{ figures: DashboardFigures; raw: object }> {
  const script = await pageScript()
  const units = benchUnits(country)
  const { province, communes } = largestProvince(country)
  const latest = addMonths(monthOf(new Date()), -1)
  const months = monthRange(addMonths(latest, -(MONTHS - 1)), latest)
  const year = Number(latest.slice(0, 4))
  const period = formatPeriodParam({ kind: 'year', year, index: 0 })
  const dashboardUrl = new URL(`/dashboard?unit=${province.code}&period=${period}`, url).href
  const profile = await newProfile()
  const origin = new URL(url).origin

  // Install: the first screen as a first visit loads it, then the data, written from the page.
  let firstScreen: ScriptSize[]
  let seeded: { entries: number; units: number; ms: number }
  {
    const context = await launchBrowser(profile)
    try {
      const page = await firstPage(context)
      const scripts = recordScripts(page, origin)
      await page.goto(url)
      await page.waitForLoadState('networkidle')
      await waitForServiceWorker(page)
      firstScreen = await sizeScripts(buildOutput.dir, scripts)
      await page.waitForFunction(
        async (name) => (await indexedDB.databases()).some((db) => db.name === name),
        DB_NAME,
      )
      await installBench(page, script)
      // No session and no chosen unit: with nobody signed in the dashboard offers every province,
      // and the address names the one to open.
      const input: SeedInput = {
        dbName: DB_NAME,
        units,
        communeCodes: country.communes.map((c) => c.code),
        months,
        seed: SEED,
      }
      const result = await page.evaluate((i) => window.sohoaDashboardBench?.seed(i), input)
      if (!result) throw new Error('The dashboard bench script did not seed')
      seeded = result
    } finally {
      await context.close()
    }
  }
  const expected = country.communes.length * MONTHS
  if (seeded.entries !== expected)
    throw new Error(`Seeded ${seeded.entries} entries, expected ${expected}`)

  const openRuns: number[] = []
  const switches: SwitchRun[] = []
  const baselines: BaselineResult[] = []
  let dashboardScripts = new Set<string>()
  let totalShown = false
  const periodMonths = monthsOf({ kind: 'year', year, index: 0 })
  const baselineInput: BaselineInput = {
    dbName: DB_NAME,
    communeCodes: communes.map((c) => c.code),
    periodMonths,
    trendMonths: months,
  }
  for (let run = 0; run < options.opens; run++) {
    const last = run === options.opens - 1
    const context = await launchBrowser(profile)
    try {
      const page = await firstPage(context)
      await page.addInitScript(CHART_MARK)
      const scripts = recordScripts(page, origin)
      const cdp: CDPSession = await throttle(page, { network: null })
      openRuns.push(await timeToChart(page, dashboardUrl))
      if (run === 0) {
        await page.waitForLoadState('networkidle')
        dashboardScripts = scripts
      }
      if (!last) continue
      await installBench(page, script)
      await page.evaluate(() => window.sohoaDashboardBench?.watch())
      await settle(page)
      // The year before and back again: a full year and the ten months of this one.
      const previous = formatPeriodParam({ kind: 'year', year: year - 1, index: 0 })
      for (let i = 0; i < options.switches; i++) {
        const back = i % 2 === 1
        switches.push(
          await switchYear(page, back ? 'ArrowUp' : 'ArrowDown', back ? period : previous),
        )
      }
      // Back on the opening period for the check of the total shown.
      if (switches.at(-1)?.to !== period) await switchYear(page, 'ArrowUp', period)
      for (let i = 0; i < BASELINE_RUNS; i++) {
        const result = await page.evaluate(
          (input) => window.sohoaDashboardBench?.baseline(input),
          baselineInput,
        )
        if (!result) throw new Error('The dashboard bench script did not run the baseline')
        baselines.push(result)
      }
      await unthrottle(cdp)
      const shown = formatCount(baselines[0]?.period.received ?? Number.NaN, 'vi')
      totalShown = ((await page.locator('main').textContent()) ?? '').includes(shown)
    } finally {
      await context.close()
    }
  }

  const firstScreenPaths = new Set(firstScreen.map((s) => s.path))
  const chunks = await sizeScripts(
    buildOutput.dir,
    [...dashboardScripts].filter((path) => !firstScreenPaths.has(path)),
  )
  const openMs = median(openRuns)
  const inpMs = median(switches.map((s) => s.inpMs))
  const baselineMs = median(baselines.map((b) => b.ms))
  const first = baselines[0]
  return {
    figures: {
      province: { code: province.code, name: province.name, communes: communes.length },
      entries: seeded.entries,
      units: seeded.units,
      seedMs: seeded.ms,
      months: { from: months[0] ?? latest, to: latest },
      period,
      opens: options.opens,
      openMs,
      openRunsMs: openRuns,
      switchedTo: switches.map((s) => s.to),
      inpMs,
      inpRunsMs: switches.map((s) => s.inpMs),
      settleMs: median(switches.map((s) => s.settleMs)),
      settleRunsMs: switches.map((s) => s.settleMs),
      switchScriptMs: median(switches.map((s) => s.scriptMs)),
      switchRenderMs: median(switches.map((s) => s.renderMs)),
      baselineMs,
      baselineRunsMs: baselines.map((b) => b.ms),
      baselineGetAllMs: median(baselines.map((b) => b.getAllMs)),
      baselineSumMs: median(baselines.map((b) => b.sumMs)),
      baselineScanned: first?.scanned ?? 0,
      baselineMatched: first?.matched ?? 0,
      openBaselineRatio: openMs / baselineMs,
      inpBaselineRatio: inpMs / baselineMs,
      totalShown,
      chunks,
      firstScreenChartJs: firstScreen.filter((s) => s.hasChartJs).map((s) => s.path),
    },
    raw: {
      switches,
      baselines: baselines.map(({ trend: _trend, ...rest }) => rest),
      firstScreen,
    },
  }
}
