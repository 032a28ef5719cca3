/**
 * `npm run bench`: one run measuring what matters on a cheap phone and on the server at month-end,
 * printed section by section with every figure's goal and written to bench-results/latest.json.
 * Exits non-zero when the first screen's JavaScript is over budget (or pulls in chart.js), when a
 * burst stores an op other than exactly once, when a SIGKILL run loses an acknowledged op or
 * applies one twice, or when a part cannot be measured; the other goals are reported, not enforced,
 * because timings vary with the machine.
 *
 * Parts (--only a,b runs some of them; groups: app = pages,lighthouse,saves,dashboard,idb;
 * sync = burst,pull,import; burst = burst-sqlite,burst-postgres):
 *   pages           first-screen JS, cold loads and warm starts
 *   lighthouse      Lighthouse's mobile scores and metrics for / on a first visit
 *   saves           saving through the entry form
 *   dashboard       a province's dashboard over a country's 3 years: open, period switches (INP),
 *                   a plain getAll-and-sum baseline, and the JS it loads beyond the first screen
 *   idb             IndexedDB write variants
 *   burst-sqlite    month-end burst over HTTP on SQLite: every commune of the two-level country
 *                   (3,321) and of the three-level one (10,047) pushes its month, some resending
 *   burst-postgres  the same on PostgreSQL, with --instances servers on one database
 *   crash           the server SIGKILLed in the middle of pushes and restarted, on SQLite and
 *                   PostgreSQL: nothing acknowledged lost, nothing applied twice, restart vs clean start
 *   pull            first pull of 100,000 values into IndexedDB, and one commune's monthly push
 *   import          importing the official unit lists and mapping (../shared/data) on SQLite and
 *                   PostgreSQL, and a re-import as a ratio to the first
 *
 * Options: --dist <dir> reuses a build instead of building; --saves <n> (default 15);
 * --loads <n> cold loads per network model, each followed by a warm start, medians reported
 * (default 3); --dashboard-opens <n> dashboard opens (default 3); --switches <n> period switches
 * (default 5); --lighthouse-runs <n> Lighthouse runs, medians reported (default 3); --idb-runs <n> runs of each IndexedDB write variant, median reported (default 3);
 * --in-flight <n> devices pushing at once in a burst (default 32); --instances <n> PostgreSQL
 * server instances (default 2); --pull-runs <n> pulls and bulk writes, medians reported (default 3);
 * --database-url (default SOHOA_BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  buildPwa,
  makeProfile,
  ROOT,
  ShellServer,
  type Build,
  type Profile,
} from '../e2e/harness.ts'
import { benchDashboard } from './dashboard.ts'
import { benchIndexedDb } from './idb.ts'
import { benchLighthouse } from './lighthouse.ts'
import { pageLoads } from './pageLoad.ts'
import { median, printReport, type Figures } from './report.ts'
import { install, saves } from './saveEntry.ts'
import { benchBurst, type Backend } from './sync/burst.ts'
import { benchCrash } from './crash.ts'
import { benchFirstPull } from './sync/firstPull.ts'
import { benchImport, officialListsPresent } from './unitImport.ts'
import { countrySummary, loadCountry, type Country, type Era } from './sync/units.ts'

const BULK_RECORDS = 100_000
const SINGLE_RECORDS = 2_000
const PULL_VALUES = 100_000

const PARTS = [
  'pages',
  'lighthouse',
  'saves',
  'dashboard',
  'idb',
  'burst-sqlite',
  'burst-postgres',
  'crash',
  'pull',
  'import',
] as const
type Part = (typeof PARTS)[number]
const GROUPS: Record<string, readonly Part[]> = {
  app: ['pages', 'lighthouse', 'saves', 'dashboard', 'idb'],
  sync: ['burst-sqlite', 'burst-postgres', 'crash', 'pull', 'import'],
  burst: ['burst-sqlite', 'burst-postgres'],
}

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    dist: { type: 'string' },
    saves: { type: 'string', default: '15' },
    loads: { type: 'string', default: '3' },
    'dashboard-opens': { type: 'string', default: '3' },
    switches: { type: 'string', default: '5' },
    'lighthouse-runs': { type: 'string', default: '3' },
    'idb-runs': { type: 'string', default: '3' },
    'in-flight': { type: 'string', default: '32' },
    instances: { type: 'string', default: '2' },
    'pull-runs': { type: 'string', default: '3' },
    'database-url': {
      type: 'string',
      default: process.env.SOHOA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
})

/** A count option; anything but a positive integer stops the run before it starts. */
function count(
  name:
    | 'saves'
    | 'loads'
    | 'dashboard-opens'
    | 'switches'
    | 'lighthouse-runs'
    | 'idb-runs'
    | 'in-flight'
    | 'instances'
    | 'pull-runs',
): number {
  const value = Number(options[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}
const saveCount = count('saves')
const loadCount = count('loads')

function selectedParts(only: string | undefined): Set<Part> {
  if (only === undefined) return new Set(PARTS)
  const selected = new Set<Part>()
  for (const name of only.split(',').map((s) => s.trim())) {
    const part = PARTS.find((p) => p === name)
    const group = GROUPS[name]
    if (part) selected.add(part)
    else if (group) group.forEach((p) => selected.add(p))
    else
      throw new Error(
        `--only: unknown part "${name}"; use ${[...PARTS, ...Object.keys(GROUPS)].join(', ')}`,
      )
  }
  return selected
}
const parts = selectedParts(options.only)

const server = new ShellServer()
const profiles: Profile[] = []
const newProfile = async (): Promise<Profile> => {
  const profile = await makeProfile()
  profiles.push(profile)
  return profile
}

const figures: Figures = {
  bursts: [],
  crashes: [],
  countries: [],
  imports: [],
  failures: [],
  machineLoad: { start: loadavg()[0] ?? Number.NaN, end: Number.NaN, cores: 0 },
}
const raw: Record<string, unknown> = {}

/** Runs `part` if selected; a failure is printed in full, becomes a FAIL row and fails the run. */
async function measure<T>(part: Part, run: () => Promise<T>): Promise<T | undefined> {
  if (!parts.has(part)) return undefined
  try {
    return await run()
  } catch (error) {
    console.error(`\n✗ Bench part ${part} failed:`, error)
    const message = error instanceof Error ? error.message : String(error)
    figures.failures.push({ part, message })
    return undefined
  }
}

const needsBuild = (['pages', 'lighthouse', 'saves', 'dashboard'] satisfies Part[]).some((p) =>
  parts.has(p),
)
const build: Build | null = !needsBuild
  ? null
  : options.dist
    ? { dir: resolve(options.dist), id: 'reused' }
    : await buildPwa(`bench-${Date.now().toString(36)}`)
const countries = new Map<Era, Country>()
const getCountry = async (era: Era = 'two-level'): Promise<Country> => {
  const loaded = countries.get(era) ?? (await loadCountry(era))
  countries.set(era, loaded)
  return loaded
}
try {
  if (build) {
    const url = await server.start(build.dir)
    const pages = await measure('pages', () => pageLoads(build, url, server, newProfile, loadCount))
    figures.pages = pages?.figures
    raw.pages = pages?.raw
    figures.lighthouse = await measure('lighthouse', async () => {
      await server.start(build.dir)
      return benchLighthouse(url, newProfile, count('lighthouse-runs'))
    })
    const saved = await measure('saves', async () => {
      const profile = await newProfile()
      await server.start(build.dir)
      await install(profile, url)
      await server.stop()
      return saves(profile, url, saveCount)
    })
    if (saved)
      figures.saves = {
        saveMs: median(saved.fast),
        saveMs4x: median(saved.slow),
        bareMs: median(saved.bareFast),
        bareMs4x: median(saved.bareSlow),
        saves: saveCount,
      }
    raw.saves = saved
    const dashboard = await measure('dashboard', async () => {
      await server.start(build.dir)
      return benchDashboard(build, url, await getCountry(), newProfile, {
        opens: count('dashboard-opens'),
        switches: count('switches'),
      })
    })
    figures.dashboard = dashboard?.figures
    raw.dashboard = dashboard?.raw
    await server.stop()
  }
  figures.idb = await measure('idb', () =>
    benchIndexedDb(BULK_RECORDS, SINGLE_RECORDS, count('idb-runs')),
  )

  for (const backend of ['sqlite', 'postgres'] satisfies Backend[]) {
    for (const era of ['two-level', 'three-level'] satisfies Era[]) {
      const burst = await measure(`burst-${backend}`, async () =>
        benchBurst({
          backend,
          country: await getCountry(era),
          instances: backend === 'postgres' ? count('instances') : 1,
          inFlight: count('in-flight'),
          databaseUrl: options['database-url'],
        }),
      )
      if (burst) {
        figures.bursts.push(burst)
        if (!burst.exactlyOnce) console.error(`\n✗ Burst on ${backend}, ${era}:`, burst.problems)
      }
    }
  }
  for (const backend of ['sqlite', 'postgres'] satisfies Backend[]) {
    const crash = await measure('crash', () => benchCrash(backend, options['database-url']))
    if (crash) {
      figures.crashes.push(crash)
      if (crash.problems.length) console.error(`\n✗ Crash run on ${backend}:`, crash.problems)
    }
  }
  figures.pull = await measure('pull', async () =>
    benchFirstPull(await getCountry(), PULL_VALUES, count('pull-runs')),
  )

  if (parts.has('import') && !officialListsPresent())
    console.warn('\n⚠ Bench part import: the official lists are not in ../shared/data; skipped.\n')
  else
    for (const backend of ['sqlite', 'postgres'] satisfies Backend[]) {
      const imported = await measure('import', () => benchImport(backend, options['database-url']))
      if (imported) figures.imports.push(imported)
    }

  figures.machineLoad.end = loadavg()[0] ?? Number.NaN
  figures.machineLoad.cores = availableParallelism()
  figures.countries = [...countries.values()].map(countrySummary)
  const { budgetOk, failed } = printReport(figures)

  const resultsDir = join(ROOT, 'bench-results')
  await mkdir(resultsDir, { recursive: true })
  const json = {
    at: new Date().toISOString(),
    buildId: build?.id ?? null,
    parts: [...parts],
    ...figures,
    raw,
  }
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  const storedTwice =
    figures.bursts.some((burst) => !burst.exactlyOnce) ||
    figures.crashes.some((crash) => crash.problems.length > 0)
  if (!budgetOk || failed || storedTwice) process.exitCode = 1
} finally {
  await server.dispose()
  for (const profile of profiles) await profile.remove()
  if (build && !options.dist) await rm(build.dir, { recursive: true, force: true })
}
