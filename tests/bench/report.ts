/** The bench's goals and its printed table: every timing next to what it is compared with. */
import { crashRows, type CrashFigures } from './crash.ts'
import type { DashboardFigures } from './dashboard.ts'
import { fixed, kib, mark, thousands, type Row } from './format.ts'
import type { IdbFigure, IdbResult } from './idb.ts'
import type { NetworkModel, ScriptSize } from './pageLoad.ts'
import type { BurstFigures } from './sync/burst.ts'
import type { FirstPullResult } from './sync/firstPull.ts'
import {
  LIGHTHOUSE_CATEGORIES,
  LIGHTHOUSE_METRIC_IDS,
  LIGHTHOUSE_METRICS,
  type LighthouseFigures,
  type LighthouseMetric,
} from './lighthouse.ts'
import { burstRows, pullRows } from './sync/report.ts'
import { importRows, type ImportFigures } from './unitImport.ts'
import type { CountrySummary } from './sync/units.ts'

/**
 * Every figure's goal. Those with a number in an issue come from it (first-screen JS, warm/cold,
 * bulk writes, dashboard INP, the monthly push in sync/report.ts); the others say what an official
 * on a cheap phone, or a province at month-end, needs. Only the first-screen budget and exactly-once
 * storage fail the run: timings on a shared 2-core machine are reported, not enforced.
 */
export const GOALS = {
  firstScreenBrotliKiB: 90,
  warmColdRatio: 0.4,
  /** Tap "Lưu" to the saved message at 4x CPU: what feels instant. */
  saveMs4x: 100,
  /** Judged on records (entries) per second, the strict reading of "100,000 values". */
  bulkPerSecond: 15_000,
  /** Interaction to next paint when switching the dashboard's period, at 4x CPU. */
  dashboardInpMs: 150,
  /** Opening the province dashboard, as a multiple of reading and summing the same data plainly. */
  dashboardOpenBaselineRatio: 2.5,
  /** Lighthouse mobile scores (0–100). */
  lighthouse: { performance: 90, accessibility: 100, 'best-practices': 100 },
}

/** A cold load's median timings under one network model. */
export interface ColdFigures {
  network: NetworkModel
  /** Median ms from navigation start to the painted heading, and to first contentful paint. */
  ms: number
  fcpMs: number
}

/** First-screen scripts, cold loads and warm starts. */
export interface PageFigures {
  scripts: ScriptSize[]
  /** Over Lighthouse's devtools model: the one the warm/cold goal is judged on. */
  cold: ColdFigures
  /** Over the unadjusted model (150 ms per request): a stricter ratio, shown beside it. */
  coldUnadjusted: ColdFigures
  /** Median over every warm start (one after each cold load), ms from navigation start. */
  warmMs: number
  warmFcpMs: number
  /** Cold loads per network model, each followed by a warm start. */
  loads: number
}

/** Median ms per save through the UI and per bare IndexedDB write, unthrottled and at 4x CPU. */
export interface SaveFigures {
  saveMs: number
  saveMs4x: number
  bareMs: number
  bareMs4x: number
  saves: number
}

/** A part that could not be measured, and why. */
export interface PartFailure {
  part: string
  message: string
}

/** Everything one bench run measured; a part left out (--only) or failed is absent. */
export interface Figures {
  pages?: PageFigures
  lighthouse?: LighthouseFigures
  saves?: SaveFigures
  dashboard?: DashboardFigures
  idb?: IdbResult
  bursts: BurstFigures[]
  /** SIGKILL runs, one per backend. */
  crashes: CrashFigures[]
  pull?: FirstPullResult
  /** Official unit list imports, one per backend. */
  imports: ImportFigures[]
  /** The units the sync and dashboard parts used. */
  countries: CountrySummary[]
  failures: PartFailure[]
  /** 1-minute load average at the start and the end (os.loadavg), for reading the timings. */
  machineLoad: { start: number; end: number; cores: number }
}

/** Middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const at = (i: number): number => sorted[i] ?? Number.NaN
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2
}

/** Nearest-rank percentile: the smallest value with at least `p` percent of values at or below it. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? Number.NaN
}

/** Lighthouse's own unit: kilobits of 1,024 bits. */
const kbps = (bytesPerSecond: number): string => thousands((bytesPerSecond * 8) / 1024)
const describe = (n: NetworkModel): string =>
  `4x CPU, ${n.requestLatencyMs} ms/request, ${kbps(n.downloadBytesPerSecond)}/${kbps(n.uploadBytesPerSecond)} Kbps`

const rate = (run: IdbFigure): string =>
  run.values > 0
    ? `${thousands(run.recordsPerSecond)} rec/s = ${thousands(run.valuesPerSecond)} values/s`
    : `${thousands(run.recordsPerSecond)} rec/s`

function pageRows(f: PageFigures): { rows: Row[]; budgetOk: boolean } {
  const jsBytes = f.scripts.reduce((sum, script) => sum + script.brotliBytes, 0)
  const jsKiB = jsBytes / 1024
  const chartJs = f.scripts.filter((script) => script.hasChartJs).map((script) => script.path)
  const budgetOk = jsKiB <= GOALS.firstScreenBrotliKiB && chartJs.length === 0
  const largest = [...f.scripts].sort((a, b) => b.brotliBytes - a.brotliBytes)[0]
  const ratio = f.warmMs / f.cold.ms
  if (chartJs.length) console.error(`chart.js is loaded by the first screen: ${chartJs.join(', ')}`)
  else if (!budgetOk) {
    console.error(
      `First-screen JS is ${fixed(jsKiB, 1)} KiB brotli, over ${GOALS.firstScreenBrotliKiB}`,
    )
  }
  const rows = [
    {
      figure: 'First-screen JS (brotli)',
      value: `${fixed(jsKiB, 1)} KiB in ${f.scripts.length} files${largest ? `, largest ${largest.path} ${kib(largest.brotliBytes)}` : ''}${chartJs.length ? ', HAS chart.js' : ''}`,
      goal: `≤ ${GOALS.firstScreenBrotliKiB} KiB, no chart.js`,
      result: mark(budgetOk),
    },
    ...[f.cold, f.coldUnadjusted].map((cold) => ({
      figure: `Cold load /, ${cold.network.name} (median of ${f.loads})`,
      value: `${fixed(cold.ms)} ms to heading (FCP ${fixed(cold.fcpMs)} ms)`,
      goal: describe(cold.network),
      result: '',
    })),
    {
      figure: `Warm offline start (median of ${f.loads * 2})`,
      value: `${fixed(f.warmMs)} ms to heading (FCP ${fixed(f.warmFcpMs)} ms)`,
      goal: '4x CPU, offline, browser restarted',
      result: '',
    },
    {
      figure: `Warm / cold, ${f.cold.network.name}`,
      value: fixed(ratio, 2),
      goal: `≤ ${GOALS.warmColdRatio}`,
      result: mark(ratio <= GOALS.warmColdRatio),
    },
    {
      figure: `Warm / cold, ${f.coldUnadjusted.network.name}`,
      value: fixed(f.warmMs / f.coldUnadjusted.ms, 2),
      goal: 'stricter reading, for comparison',
      result: '',
    },
  ]
  return { rows, budgetOk }
}

function saveRows(f: SaveFigures): Row[] {
  return [
    {
      figure: `Save one entry via UI (median of ${f.saves})`,
      value: `${fixed(f.saveMs4x, 1)} ms at 4x CPU (${fixed(f.saveMs, 1)} ms at 1x)`,
      goal: `≤ ${GOALS.saveMs4x} ms at 4x; ${fixed(f.saveMs4x / f.bareMs4x, 1)}x a bare IndexedDB write (${fixed(f.bareMs4x, 1)} ms)`,
      result: mark(f.saveMs4x <= GOALS.saveMs4x),
    },
  ]
}

function lighthouseRows(f: LighthouseFigures): Row[] {
  const runs = `median of ${f.runs.length}`
  const version = f.runs[0]?.lighthouseVersion ?? '?'
  const flagged = [...new Set(f.runs.flatMap((run) => run.flagged.map((audit) => audit.id)))]
  const metric = (id: LighthouseMetric): Row => {
    const { label, good, unit } = LIGHTHOUSE_METRICS[id]
    const value = f.metrics[id]
    const shown = unit === 'ms' ? `${fixed(value)} ms` : fixed(value, 3)
    return {
      figure: `Lighthouse ${label} (${runs}, simulated)`,
      value: shown,
      goal: `≤ ${unit === 'ms' ? `${thousands(good)} ms` : good} (Lighthouse's "good")`,
      result: mark(value <= good),
    }
  }
  return [
    ...LIGHTHOUSE_CATEGORIES.map((category) => ({
      figure: `Lighthouse ${category}, mobile (${runs})`,
      value: `${f.scores[category]}; runs ${f.runs.map((run) => run.scores[category]).join(', ')}`,
      goal: `≥ ${GOALS.lighthouse[category]}; Lighthouse ${version}, / on a first visit`,
      result: mark(f.scores[category] >= GOALS.lighthouse[category]),
    })),
    ...LIGHTHOUSE_METRIC_IDS.map(metric),
    ...(flagged.length
      ? [{ figure: 'Lighthouse audits under 0.9', value: flagged.join(', '), goal: '', result: '' }]
      : []),
  ]
}

function dashboardRows(f: DashboardFigures): Row[] {
  const chunkBytes = f.chunks.reduce((sum, chunk) => sum + chunk.brotliBytes, 0)
  const chartJs = f.chunks.filter((chunk) => chunk.hasChartJs)
  const chartJsOk = f.firstScreenChartJs.length === 0
  const inpShown = (ms: number): string => (ms === 0 ? '< 16' : fixed(ms))
  const province = `${f.province.name} (${f.province.code}), ${thousands(f.province.communes)} communes`
  return [
    {
      figure: `Dashboard data in IndexedDB`,
      value: `${thousands(f.entries)} entries, ${thousands(f.units)} units, ${f.months.from}..${f.months.to}`,
      goal: `written in ${fixed(f.seedMs / 1000, 1)} s; opened on ${province}`,
      result: '',
    },
    {
      figure: `Dashboard open ${f.period}, warm (median of ${f.opens})`,
      value: `${fixed(f.openBaselineRatio, 1)}x the baseline: ${fixed(f.openMs)} ms to first chart; runs ${f.openRunsMs.map((ms) => fixed(ms)).join(', ')}`,
      goal: `≤ ${GOALS.dashboardOpenBaselineRatio}x the baseline, 4x CPU`,
      result: mark(f.openBaselineRatio <= GOALS.dashboardOpenBaselineRatio),
    },
    {
      figure: `Dashboard period switch INP (median of ${f.inpRunsMs.length})`,
      value: `${inpShown(f.inpMs)} ms; runs ${f.inpRunsMs.map(inpShown).join(', ')} (${f.switchedTo.join(', ')})`,
      goal: `< ${GOALS.dashboardInpMs} ms at 4x CPU; ${fixed(f.inpBaselineRatio, 2)}x the baseline`,
      result: mark(f.inpMs < GOALS.dashboardInpMs),
    },
    {
      figure: `Dashboard period switch, tap to settled`,
      value: `${fixed(f.settleMs)} ms (median); runs ${f.settleRunsMs.map((ms) => fixed(ms)).join(', ')}`,
      goal: `last long frame's end; ${fixed(f.switchScriptMs)} ms script, ${fixed(f.switchRenderMs)} ms render`,
      result: '',
    },
    {
      figure: `Dashboard baseline: getAll + Σ (median of ${f.baselineRunsMs.length})`,
      value: `${fixed(f.baselineMs)} ms (getAll ${fixed(f.baselineGetAllMs)} ms of ${thousands(f.baselineScanned)}, Σ ${fixed(f.baselineSumMs)} ms)`,
      goal: `4x CPU, same page; ${thousands(f.baselineMatched)} entries in the province's 36 months`,
      result: '',
    },
    {
      figure: 'Dashboard shows the baseline total',
      value: f.totalShown ? `Σ received ${f.period} found on screen` : 'not found on screen',
      goal: 'same figure as the plain sum',
      result: mark(f.totalShown),
    },
    {
      figure: 'Dashboard JS beyond the first screen (brotli)',
      value: `${kib(chunkBytes)} in ${f.chunks.length} files${chartJs.length ? `, chart.js ${chartJs.map((c) => `${c.path} ${kib(c.brotliBytes)}`).join(', ')}` : ', no chart.js'}`,
      goal: chartJsOk
        ? 'chart.js not in the first screen'
        : `chart.js IN the first screen: ${f.firstScreenChartJs.join(', ')}`,
      result: mark(chartJsOk),
    },
  ]
}

function idbRows({ app, variants, oneByOne, runs }: IdbResult): Row[] {
  const vsApp = (run: IdbFigure): string =>
    `${fixed(run.recordsPerSecond / app.recordsPerSecond, 2)}x`
  return [
    {
      figure: `IDB ${thousands(app.records)}: ${app.label}`,
      value: `${rate(app)}, median of ${runs} runs: ${app.runsMs.map((ms) => fixed(ms)).join(', ')} ms`,
      goal: `≥ ${thousands(GOALS.bulkPerSecond)} rec/s`,
      result: mark(app.recordsPerSecond >= GOALS.bulkPerSecond),
    },
    ...variants.map((run) => ({
      figure: `IDB ${thousands(run.records)}: ${run.label}`,
      value: `${rate(run)}, median of ${runs}: ${fixed(run.ms)} ms`,
      goal: `${vsApp(run)} the app path`,
      result: '',
    })),
    ...oneByOne.map((run) => ({
      figure: `IDB ${thousands(run.records)}: ${run.label}`,
      value: `${rate(run)}, median of ${runs}: ${fixed(run.ms / run.records, 2)} ms each`,
      goal: `app bulk is ${fixed(app.recordsPerSecond / run.recordsPerSecond, 1)}x faster`,
      result: '',
    })),
  ]
}

/** A titled group of rows; empty groups are not printed. */
interface Section {
  title: string
  rows: Row[]
}

/**
 * Prints the figures of the parts that ran, section by section, with goals and PASS/FAIL.
 * `budgetOk` is false only when the first screen's JS was measured and is over budget; `failed`
 * lists the parts that could not be measured.
 */
export function printReport(f: Figures): { budgetOk: boolean; failed: boolean } {
  const pages = f.pages ? pageRows(f.pages) : { rows: [], budgetOk: true }
  const sections: Section[] = [
    { title: 'Phone: first screen and start-up (issues 2, 6)', rows: pages.rows },
    {
      title: 'Phone: Lighthouse, mobile (issue 6)',
      rows: f.lighthouse ? lighthouseRows(f.lighthouse) : [],
    },
    { title: 'Phone: saving an entry (issue 2)', rows: f.saves ? saveRows(f.saves) : [] },
    { title: 'Phone: IndexedDB bulk writes (issue 2)', rows: f.idb ? idbRows(f.idb) : [] },
    {
      title: 'Phone: province dashboard (issue 4)',
      rows: f.dashboard ? dashboardRows(f.dashboard) : [],
    },
    { title: 'Server: month-end burst (issues 3, 6)', rows: f.bursts.flatMap(burstRows) },
    { title: 'Server: SIGKILL during pushes (issue 6)', rows: f.crashes.flatMap(crashRows) },
    { title: 'Sync: first pull and monthly push (issue 3)', rows: f.pull ? pullRows(f.pull) : [] },
    { title: 'Server: official unit lists (issue 5)', rows: f.imports.flatMap(importRows) },
    {
      title: 'This run',
      rows: [
        ...f.countries.map((country) => ({
          figure: `Units, ${country.era}`,
          value: `${thousands(country.communes)} communes, ${thousands(country.districts)} districts, ${country.provinces} provinces`,
          goal: country.file ?? 'synthetic (official list not found)',
          result: '',
        })),
        ...f.failures.map(({ part, message }) => ({
          figure: `${part}: not measured`,
          value: message.slice(0, 120),
          goal: 'see the error above',
          result: 'FAIL',
        })),
        {
          figure: 'Machine load (1-min average)',
          value: `${fixed(f.machineLoad.start, 1)} at start, ${fixed(f.machineLoad.end, 1)} at end`,
          goal: `${f.machineLoad.cores} cores; timings are wall clock`,
          result: '',
        },
      ],
    },
  ]
  for (const section of sections.filter((s) => s.rows.length > 0)) {
    console.log(`\n${section.title}`)
    console.table(section.rows)
  }
  const all = sections.flatMap((section) => section.rows)
  const judged = all.filter((row) => row.result !== '')
  const passed = judged.filter((row) => row.result === 'PASS').length
  console.log(`\n${passed} of ${judged.length} figures with a goal pass.`)
  // The dashboard part sees the first screen too: chart.js there fails the run as in `pages`.
  const chartJsOk = (f.dashboard?.firstScreenChartJs.length ?? 0) === 0
  return { budgetOk: pages.budgetOk && chartJsOk, failed: f.failures.length > 0 }
}
