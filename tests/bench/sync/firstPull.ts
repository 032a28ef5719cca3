/**
 * A viewer's first pull of 100,000 values into IndexedDB in Chromium, through the app's own code
 * (tests/bench/sync/page: transport, pullChanges, applyPullPage), against the real server over
 * HTTP; next to it, bulkPutEntries of as many entries, the app's fastest write, in the same run.
 * Then one commune's monthly push: its bytes on the wire and its requests.
 *
 * The server is seeded through the store (history.ts). Every run starts from a fresh browser
 * profile (see idb.ts for why).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { CDPSession, Page } from 'playwright-core'
import { build } from 'vite'
import { buildApp } from '../../../src/server/app.ts'
import { SqliteStore } from '../../../src/server/store/sqlite.ts'
import { firstPage, launchBrowser, makeProfile, ROOT } from '../../e2e/harness.ts'
import { median } from '../report.ts'
import { seedHistory, type Seeded } from './history.ts'
import type { Timed } from './page/main.ts'
import type { Country } from './units.ts'
import {
  bytesSince,
  countSocketBytes,
  recordRequests,
  wireFigure,
  type SocketBytes,
  type WireFigure,
} from './wire.ts'

const VALUES_PER_ENTRY = 6

export interface PullFigures {
  /** Provinces the viewer reads: all of them, to reach 100,000 values. */
  viewerProvinces: number
  entries: number
  values: number
  runs: number
  /** Medians over the runs; each run's wall time in order. */
  pullMs: number
  pullRunsMs: number[]
  /** Median time inside transport.pull: requests, server, download, JSON parse and decode. */
  transportMs: number
  valuesPerSecond: number
  pullWire: WireFigure
  /** The unit list fetched right after, as a first sync does. */
  units: number
  unitsMs: number
  unitsWire: WireFigure
  bulkMs: number
  bulkRunsMs: number[]
  /** Pull time over bulkPutEntries time for the same number of entries. */
  pullBulkRatio: number
}

export interface PushFigures {
  /** Ops the server acknowledged: one. */
  acknowledged: number
  wire: WireFigure
  ms: number
}

export interface FirstPullResult {
  pull: PullFigures
  push: PushFigures
}

/** Seeds a server with `values` values, then pulls `runs` times next to as many bulk writes. */
export async function benchFirstPull(
  country: Country,
  values: number,
  runs: number,
): Promise<FirstPullResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sohoa-pull-data-'))
  const pageDir = await mkdtemp(join(tmpdir(), 'sohoa-sync-page-'))
  const store = new SqliteStore(dataDir)
  let app: FastifyInstance | undefined
  try {
    await store.migrate()
    await build({
      root: join(ROOT, 'tests', 'bench', 'sync', 'page'),
      configFile: false,
      logLevel: 'warn',
      build: { outDir: pageDir, emptyOutDir: true, target: 'es2022' },
    })
    const seeded = await seedHistory(store, country, Math.ceil(values / VALUES_PER_ENTRY))
    // Every run signs in once from 127.0.0.1: more runs than the default 10 a minute must not 429.
    const loginRateLimit = { max: runs + 10, timeWindow: 60_000 }
    app = await buildApp({ store, staticDir: pageDir, loginRateLimit })
    const socketBytes = countSocketBytes(app.server)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const address = app.server.address()
    if (typeof address !== 'object' || address === null) throw new Error('No server port')
    const url = `http://127.0.0.1:${address.port}/`

    const pulls: PullRun[] = []
    const bulks: Timed[] = []
    // Alternating, so a change in machine load reaches both alike.
    for (let run = 0; run < runs; run++) {
      pulls.push(await withBenchPage(url, (page, cdp) => pullRun(page, cdp, socketBytes, seeded)))
      bulks.push(await withBenchPage(url, (page) => bulkRun(page, seeded.entries)))
    }
    const push = await withBenchPage(url, (page, cdp) => pushRun(page, cdp, socketBytes, seeded))
    return { pull: pullFigures(country, seeded, pulls, bulks), push }
  } finally {
    await app?.close()
    await store.close()
    await rm(dataDir, { recursive: true, force: true })
    await rm(pageDir, { recursive: true, force: true })
  }
}

/** Opens the bench page in a fresh profile and runs `fn` with it and a DevTools session. */
async function withBenchPage<T>(
  url: string,
  fn: (page: Page, cdp: CDPSession) => Promise<T>,
): Promise<T> {
  const profile = await makeProfile()
  try {
    const context = await launchBrowser(profile)
    try {
      const page = await firstPage(context)
      await page.goto(url)
      await page.waitForFunction(() => window.sohoaSyncBench !== undefined)
      return await fn(page, await context.newCDPSession(page))
    } finally {
      await context.close()
    }
  } finally {
    await profile.remove()
  }
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.evaluate(([u, p]) => window.sohoaSyncBench?.signIn(u, p), [
    username,
    password,
  ] as const)
}

/** What the page answered, or a loud failure when the bench page is missing. */
function answered<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`The sync bench page did not answer ${step}`)
  return value
}

interface PullRun {
  pull: Timed
  pullWire: WireFigure
  units: Timed
  unitsWire: WireFigure
}

async function pullRun(
  page: Page,
  cdp: CDPSession,
  socketBytes: () => SocketBytes,
  seeded: Seeded,
): Promise<PullRun> {
  await signIn(page, seeded.viewer, seeded.password)
  const recorder = await recordRequests(cdp, '/api/')
  const measure = async (step: 'pull' | 'units') => {
    const before = socketBytes()
    const timed = answered(await page.evaluate((s) => window.sohoaSyncBench?.[s](), step), step)
    const bytes = bytesSince(before, socketBytes())
    return { timed, wire: wireFigure(await recorder.take(), bytes) }
  }
  const pull = await measure('pull')
  if (pull.timed.count !== seeded.entries || pull.timed.stored !== seeded.entries)
    throw new Error(`Pulled ${pull.timed.count}, stored ${pull.timed.stored} of ${seeded.entries}`)
  const units = await measure('units')
  return { pull: pull.timed, pullWire: pull.wire, units: units.timed, unitsWire: units.wire }
}

async function bulkRun(page: Page, entries: number): Promise<Timed> {
  const timed = answered(
    await page.evaluate((n) => window.sohoaSyncBench?.bulkPut(n), entries),
    'bulkPut',
  )
  if (timed.stored !== entries) throw new Error(`bulkPut stored ${timed.stored} of ${entries}`)
  return timed
}

async function pushRun(
  page: Page,
  cdp: CDPSession,
  socketBytes: () => SocketBytes,
  seeded: Seeded,
): Promise<PushFigures> {
  const { username, unitCode } = seeded.reporter
  await signIn(page, username, seeded.password)
  const recorder = await recordRequests(cdp, '/')
  const before = socketBytes()
  const pushed = answered(
    await page.evaluate(([u, m]) => window.sohoaSyncBench?.saveAndPush(u, m), [
      unitCode,
      seeded.pushMonth,
    ] as const),
    'saveAndPush',
  )
  const bytes = bytesSince(before, socketBytes())
  const { acknowledged, rejected } = pushed.summary
  if (acknowledged !== 1 || rejected !== 0)
    throw new Error(`The monthly push was not applied: ${JSON.stringify(pushed.summary)}`)
  return { acknowledged, wire: wireFigure(await recorder.take(), bytes), ms: pushed.ms }
}

function pullFigures(
  country: Country,
  seeded: Seeded,
  pulls: PullRun[],
  bulks: Timed[],
): PullFigures {
  const pullMs = median(pulls.map((run) => run.pull.ms))
  const bulkMs = median(bulks.map((run) => run.ms))
  const last = pulls.at(-1)
  if (last === undefined) throw new Error('No pull run')
  const values = seeded.entries * VALUES_PER_ENTRY
  return {
    viewerProvinces: country.provinces.length,
    entries: seeded.entries,
    values,
    runs: pulls.length,
    pullMs,
    pullRunsMs: pulls.map((run) => run.pull.ms),
    transportMs: median(pulls.map((run) => run.pull.transportMs ?? Number.NaN)),
    valuesPerSecond: (values / pullMs) * 1000,
    pullWire: last.pullWire,
    units: last.units.count,
    unitsMs: median(pulls.map((run) => run.units.ms)),
    unitsWire: last.unitsWire,
    bulkMs,
    bulkRunsMs: bulks.map((run) => run.ms),
    pullBulkRatio: pullMs / bulkMs,
  }
}
