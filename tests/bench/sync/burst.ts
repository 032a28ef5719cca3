/**
 * Month-end burst: every commune of the country pushes its month through real HTTP, with `inFlight`
 * devices at a time. Some devices lose the answer and send the same request again once it is over;
 * some send the same push twice at once. The same server's GET /api/health is loaded the same way
 * just before and just after, so the push rate is read as a ratio on this noisy machine. Afterwards
 * the tables must hold every op exactly once.
 *
 * Servers run in child processes (server.ts); the load generator is this process. On PostgreSQL
 * the load is split between instances sharing one database, as behind a load balancer.
 */
import { performance } from 'node:perf_hooks'
import { currentMonthInVietnam } from '../../../src/server/auth/scope.ts'
import { signedInAccounts, type SignedIn } from './accounts.ts'
import { openBenchDb, type Backend } from './benchDb.ts'
import { device, pushLoad, VERSION_HEADERS } from './devices.ts'
import { holdsEachOnce, storedCounts, type StoredCounts } from './exactlyOnce.ts'
import { send, type Target } from './http.ts'
import { startInstance, stopInstance, type Instance } from './instances.ts'
import { combine, measured, type LoadFigure, type Measured } from './latency.ts'
import { runPool } from './pool.ts'
import { allUnits, type Country, type Era } from './units.ts'

export type { Backend } from './benchDb.ts'

export interface BurstOptions {
  backend: Backend
  country: Country
  /** Server processes sharing the database; requests alternate between them. */
  instances: number
  /** Devices in flight at once (a duplicating device has both its copies in flight). */
  inFlight: number
  /** PostgreSQL only; each run uses a fresh schema, dropped afterwards. */
  databaseUrl: string
}

export interface BurstFigures {
  backend: Backend
  /** Which country pushed: the two-level one after the reform or the three-level one before. */
  era: Era
  /** The month every commune reported. */
  month: string
  instances: number
  inFlight: number
  devices: number
  /** Devices that resent after a lost answer, and devices that sent twice at once. */
  retried: number
  duplicated: number
  setupMs: number
  push: LoadFigure
  /** Both health loads together, and each (before, after). */
  health: LoadFigure
  healthRuns: LoadFigure[]
  stored: StoredCounts
  /** Answers that were exactly what the device expected, of all answers. */
  answersAsExpected: number
  answers: number
  /** The first few unexpected answers, for the log. */
  problems: string[]
  exactlyOnce: boolean
}

/** Refused pushes sent to warm the push route before measuring. */
const WARM_UP_PUSHES = 500

/** Runs the burst on a fresh database of `backend`; throws when set-up fails. */
export async function benchBurst(options: BurstOptions): Promise<BurstFigures> {
  const { country, inFlight } = options
  const setupStart = performance.now()
  const db = await openBenchDb(options.backend, options.databaseUrl)
  try {
    await db.store.putUnits(allUnits(country))
    const province = country.provinces[0]?.code
    if (province === undefined) throw new Error('No province to give the warm-up viewer')
    const [viewer, ...reporters] = await signedInAccounts(
      db.store,
      [
        { username: 'bench-viewer', role: 'viewer', unitCodes: [province] },
        ...country.communes.map((c) => ({
          username: `xa${c.code}`,
          role: 'reporter' as const,
          unitCodes: [c.code],
        })),
      ],
      options.backend === 'postgres' ? 16 : 4,
    )
    if (viewer === undefined) throw new Error('No accounts were created')

    const instances: Instance[] = []
    try {
      for (let i = 0; i < options.instances; i++)
        instances.push(await startInstance(db.instanceDb, inFlight))
      const targets = instances.map((instance) => instance.target)
      const month =
        country.burstMonth === 'current' ? currentMonthInVietnam(new Date()) : country.burstMonth
      const devices = reporters.map((account, i) => device(account, i, month, targets))
      const setupMs = performance.now() - setupStart
      const requests = devices.reduce((n, d) => n + (d.behaviour === 'once' ? 1 : 2), 0)
      await warmUp(targets, viewer, devices[0]?.body ?? Buffer.from('{}'), requests, inFlight)
      const before = await healthLoad(targets, requests, inFlight)
      const burst = await pushLoad(devices, inFlight)
      const after = await healthLoad(targets, requests, inFlight)
      await Promise.all(instances.splice(0).map(stopInstance))

      const sent = new Set(devices.map((d) => d.opId))
      const stored = await storedCounts(db.store, sent)
      return {
        backend: options.backend,
        era: country.era,
        month,
        instances: options.instances,
        inFlight,
        devices: devices.length,
        retried: devices.filter((d) => d.behaviour === 'retry').length,
        duplicated: devices.filter((d) => d.behaviour === 'duplicate').length,
        setupMs,
        push: burst.load,
        health: combine([before, after]),
        healthRuns: [before.figure, after.figure],
        stored,
        answersAsExpected: burst.asExpected,
        answers: burst.load.requests,
        problems: burst.problems,
        exactlyOnce:
          holdsEachOnce(stored, devices.length) && burst.asExpected === burst.load.requests,
      }
    } finally {
      await Promise.all(instances.map(stopInstance))
    }
  } finally {
    await db.drop()
  }
}

/**
 * Opens the sockets and warms both routes until the timings settle: a push the viewer may not make
 * (403 after validation and authentication, nothing written), and a whole health load, discarded.
 * Anything but the expected answers means set-up is broken.
 */
async function warmUp(
  targets: Target[],
  viewer: SignedIn,
  body: Buffer,
  requests: number,
  inFlight: number,
): Promise<void> {
  const headers = {
    ...VERSION_HEADERS,
    authorization: `Bearer ${viewer.token}`,
    'content-type': 'application/json',
    'content-length': body.length,
  }
  const calls = Array.from({ length: WARM_UP_PUSHES }, (_, i) => i)
  await runPool(calls, inFlight, async (i) => {
    const to = targets[i % targets.length]
    if (to === undefined) throw new Error('No server')
    const push = await send(to, 'POST', '/api/sync/push', headers, body)
    if (push.status !== 403)
      throw new Error(`Warm-up: a viewer's push answered ${push.status}, not 403: ${push.body}`)
  })
  await healthLoad(targets, requests, inFlight)
}

/** GET /api/health `requests` times, `inFlight` at a time, alternating between the instances. */
async function healthLoad(
  targets: Target[],
  requests: number,
  inFlight: number,
): Promise<Measured> {
  const latencies: number[] = []
  const start = performance.now()
  await runPool(
    Array.from({ length: requests }, (_, i) => i),
    inFlight,
    async (i) => {
      const to = targets[i % targets.length]
      if (to === undefined) throw new Error('No server')
      const answer = await send(to, 'GET', '/api/health', {})
      if (answer.status !== 200) throw new Error(`/api/health answered ${answer.status}`)
      latencies.push(answer.ms)
    },
  )
  return measured(latencies, performance.now() - start)
}
