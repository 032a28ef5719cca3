/**
 * IndexedDB write throughput in Chromium: the app's own bulk load next to variants that each change
 * one thing (Dexie, indexes, durability, record size, transaction size), so the report shows what
 * limits it. The bench page is built on its own (tests/bench/page) and served from a separate
 * origin, so no bench code reaches users and the app's service worker is not involved.
 *
 * Every run gets a new browser profile. Chromium keeps an origin's databases in one LevelDB, where
 * a deleted 100,000-record database leaves work behind: a second run in the same profile was up to
 * twice as slow. A phone's first sync writes into a fresh store, so that is what is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'
import { firstPage, launchBrowser, makeProfile, ROOT, ShellServer } from '../e2e/harness.ts'
import type { WriteResult, WriteVariant } from './page/main.ts'
import { median } from './report.ts'

/** One variant's writes: medians over its runs. */
export interface IdbFigure {
  variant: WriteVariant
  label: string
  records: number
  /** Counts stored: six per entry, or 0 for records that carry none. */
  values: number
  ms: number
  recordsPerSecond: number
  valuesPerSecond: number
  /** Every run's wall time, in the order they ran. */
  runsMs: number[]
}

/** The app's bulk load, the bulk variants beside it, and the one-transaction-per-record writes. */
export interface IdbResult {
  app: IdbFigure
  variants: IdbFigure[]
  oneByOne: IdbFigure[]
  runs: number
}

interface Variant {
  id: WriteVariant
  label: string
}

const APP: Variant = { id: 'app', label: 'bulkPutEntries, 1 tx (app path)' }

/** Bulk variants, each writing the same records as the app and changing one thing. */
const BULK_VARIANTS: Variant[] = [
  { id: 'idb', label: 'raw IndexedDB, app indexes (Dexie cost)' },
  { id: 'idb-old-indexes', label: 'raw, old indexes +[unitCode+month], month' },
  { id: 'idb-primary-key-only', label: 'raw, primary key only (index cost)' },
  { id: 'idb-relaxed', label: "raw, durability 'relaxed'" },
  { id: 'idb-strict', label: "raw, durability 'strict'" },
  { id: 'idb-tiny-records', label: 'raw, records of key + state only (size)' },
  { id: 'idb-10-transactions', label: 'raw, split into 10 transactions' },
  { id: 'app-slices-one-tx', label: 'Dexie bulkPut in 1,000-record slices, 1 tx' },
]

/** Small writes, one transaction per record: what each save pays for its transaction. */
const SINGLE_VARIANTS: Variant[] = [
  { id: 'app-one-tx-each', label: 'bulkPutEntries, one tx each (default)' },
  { id: 'idb-one-tx-each', label: 'raw, one tx each (default)' },
  { id: 'idb-one-tx-each-strict', label: "raw, one tx each, 'strict'" },
]

/**
 * Writes `bulkCount` entries with the app path and each bulk variant, then `singleCount` entries
 * one transaction each, `runs` times over. Runs go round-robin, so a change in machine load
 * reaches every variant alike; single runs of the same variant differed by up to 25%.
 */
export async function benchIndexedDb(
  bulkCount: number,
  singleCount: number,
  runs: number,
): Promise<IdbResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'sohoa-bench-page-'))
  const server = new ShellServer()
  try {
    await build({
      root: join(ROOT, 'tests', 'bench', 'page'),
      configFile: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    })
    const url = await server.start(outDir)
    const measure = async (variants: Variant[], count: number): Promise<IdbFigure[]> => {
      const results = variants.map(() => [] as WriteResult[])
      for (let run = 0; run < runs; run++) {
        for (const [i, { id }] of variants.entries()) {
          results[i]?.push(await writeInFreshProfile(url, id, count))
        }
      }
      return variants.map((variant, i) => summarise(variant, results[i] ?? []))
    }
    const [app, ...variants] = await measure([APP, ...BULK_VARIANTS], bulkCount)
    if (!app) throw new Error('No run of the app path')
    const oneByOne = await measure(SINGLE_VARIANTS, singleCount)
    return { app, variants, oneByOne, runs }
  } finally {
    await server.dispose()
    await rm(outDir, { recursive: true, force: true })
  }
}

function summarise({ id, label }: Variant, results: WriteResult[]): IdbFigure {
  const ms = median(results.map((result) => result.ms))
  const { records = 0, values = 0 } = results[0] ?? {}
  return {
    variant: id,
    label,
    records,
    values,
    ms,
    recordsPerSecond: (records / ms) * 1000,
    valuesPerSecond: (values / ms) * 1000,
    runsMs: results.map((result) => result.ms),
  }
}

async function writeInFreshProfile(
  url: string,
  variant: WriteVariant,
  count: number,
): Promise<WriteResult> {
  const profile = await makeProfile()
  try {
    const context = await launchBrowser(profile)
    try {
      const page = await firstPage(context)
      await page.goto(url)
      await page.waitForFunction(() => window.sohoaBench !== undefined)
      // This callback runs in the page, where the bench page has installed window.sohoaBench.
      const result = await page.evaluate(([v, n]) => window.sohoaBench?.write(v, n), [
        variant,
        count,
      ] as const)
      if (!result) throw new Error('The bench page did not install window.sohoaBench')
      return result
    } finally {
      await context.close()
    }
  } finally {
    await profile.remove()
  }
}
