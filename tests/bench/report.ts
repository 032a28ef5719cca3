/** The bench's goals and its printed table. */
import type { IdbResult } from './idb.ts'
import type { ScriptSize } from './pageLoad.ts'

/** Targets from the issue; only the first-screen JS budget fails the run. */
export const GOALS = {
  firstScreenBrotliKiB: 90,
  warmColdRatio: 0.4,
  bulkPerSecond: 15_000,
}

/** Everything one bench run measured. */
export interface Figures {
  scripts: ScriptSize[]
  /** Medians over `loads` runs, ms from navigation start. */
  coldMs: number
  coldFcpMs: number
  warmMs: number
  warmFcpMs: number
  loads: number
  /** Median ms per save through the UI, unthrottled and at 4x CPU. */
  saveMs: number
  saveMs4x: number
  saves: number
  idb: IdbResult
}

/** Middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const at = (i: number): number => sorted[i] ?? Number.NaN
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2
}

const fixed = (value: number, digits = 0): string => value.toFixed(digits)
const mark = (pass: boolean): string => (pass ? 'PASS' : 'FAIL')
const thousands = (value: number): string => Math.round(value).toLocaleString('en')

/** Prints the figures with goals and PASS/FAIL; `budgetOk` is the one that fails the run. */
export function printReport(f: Figures): { budgetOk: boolean } {
  const jsBytes = f.scripts.reduce((sum, script) => sum + script.brotliBytes, 0)
  const jsKiB = jsBytes / 1024
  const chartJs = f.scripts.filter((script) => script.hasChartJs).map((script) => script.path)
  const budgetOk = jsKiB <= GOALS.firstScreenBrotliKiB && chartJs.length === 0
  const ratio = f.warmMs / f.coldMs
  const { bulk, oneByOne } = f.idb

  console.table([
    {
      figure: 'First-screen JS (brotli)',
      value: `${fixed(jsKiB, 1)} KiB, ${f.scripts.length} files${chartJs.length ? ', HAS chart.js' : ''}`,
      goal: `≤ ${GOALS.firstScreenBrotliKiB} KiB, no chart.js`,
      result: mark(budgetOk),
    },
    {
      figure: `Cold load /, heading shown (median of ${f.loads})`,
      value: `${fixed(f.coldMs)} ms (FCP ${fixed(f.coldFcpMs)} ms)`,
      goal: '4x CPU, 150 ms RTT, 1.6/0.75 Mbps',
      result: '',
    },
    {
      figure: `Warm offline start (median of ${f.loads})`,
      value: `${fixed(f.warmMs)} ms (FCP ${fixed(f.warmFcpMs)} ms)`,
      goal: '4x CPU, offline, browser restarted',
      result: '',
    },
    {
      figure: 'Warm / cold',
      value: fixed(ratio, 2),
      goal: `≤ ${GOALS.warmColdRatio}`,
      result: mark(ratio <= GOALS.warmColdRatio),
    },
    {
      figure: `Save one entry via UI (median of ${f.saves})`,
      value: `${fixed(f.saveMs, 1)} ms; ${fixed(f.saveMs4x, 1)} ms at 4x CPU`,
      goal: 'tap Lưu → saved message',
      result: '',
    },
    {
      figure: `IndexedDB bulk, ${thousands(bulk.records)} records`,
      value: `${thousands(bulk.perSecond)} rec/s (${fixed(bulk.ms)} ms)`,
      goal: `≥ ${thousands(GOALS.bulkPerSecond)} rec/s`,
      result: mark(bulk.perSecond >= GOALS.bulkPerSecond),
    },
    {
      figure: `IndexedDB one tx each, ${thousands(oneByOne.records)}`,
      value: `${thousands(oneByOne.perSecond)} rec/s; bulk ${fixed(bulk.perSecond / oneByOne.perSecond, 1)}x faster`,
      goal: 'for comparison',
      result: '',
    },
  ])
  console.table(
    f.scripts.map(({ path, rawBytes, brotliBytes, hasChartJs }) => ({
      file: path,
      raw: rawBytes,
      brotli: brotliBytes,
      chartJs: hasChartJs,
    })),
  )
  if (chartJs.length) console.error(`chart.js is loaded by the first screen: ${chartJs.join(', ')}`)
  else if (!budgetOk) {
    console.error(
      `First-screen JS is ${fixed(jsKiB, 1)} KiB brotli, over ${GOALS.firstScreenBrotliKiB}`,
    )
  }
  return { budgetOk }
}
