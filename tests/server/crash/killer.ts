/**
 * The real server in a child process (tests/bench/sync/server.ts), killed with SIGKILL while pushes
 * are in flight and started again on the same database and port, migrating at start as
 * src/server/main.ts does. SIGKILL gives the process no chance to finish a request, roll back,
 * close the database or flush anything: what survives is exactly what was committed.
 *
 * Each replacement is a warm spare forked at the start (modules loaded, database not yet opened),
 * so a restart costs what recovery costs, opening the database, migrating and listening, and not
 * the seconds Node takes to load the server under tsx on a busy machine. Each restart is followed
 * at once by a graceful stop and a clean start of the next spare: the same start, on the same
 * database, under the same load (phones backing off and retrying), only without a kill before it.
 */
import { performance } from 'node:perf_hooks'
import {
  standbyInstance,
  stopInstance,
  type Instance,
  type InstanceDb,
  type Standby,
} from '../../bench/sync/instances.ts'
import type { PushTo } from './phone.ts'
import type { Random } from './workload.ts'

/**
 * Ports below Linux's ephemeral range (32768 and up), so that while the server is down none of the
 * phones' own outgoing connections can take its port (or connect to itself on it).
 */
const PORTS = { low: 20_000, high: 32_000 }
const START_ATTEMPTS = 5

export interface KillRecord {
  pushesInFlight: number
  opsInFlight: number
  /** From the kill to the restarted server listening. */
  downMs: number
  /** The spare's part of it: from being told to start to listening (see CrashingServer.restart). */
  restartMs: number
  /** The same for the clean start right after, which the restart is compared with. */
  cleanStartMs: number
}

export class CrashingServer {
  private constructor(
    private readonly db: InstanceDb,
    readonly port: number,
    private instance: Instance,
    private readonly spares: Standby[],
  ) {}

  /**
   * Starts the server on a free port, with `spares` replacements loaded and waiting. All are forked
   * at once: loading them one after the other would take as many cold starts.
   */
  static async start(db: InstanceDb, random: Random, spares: number): Promise<CrashingServer> {
    let failure: unknown
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const port = random.int(PORTS.low, PORTS.high)
      const forked = Array.from({ length: spares + 1 }, () =>
        standbyInstance(db, 1, { port, migrate: true }),
      )
      try {
        await Promise.all(forked.map((standby) => standby.ready))
        const [first, ...rest] = forked
        if (first === undefined) throw new Error('nothing forked')
        return new CrashingServer(db, port, await first.start(), rest)
      } catch (error) {
        failure = error // most likely the port was taken: try another
        await Promise.all(forked.map(killProcess))
      }
    }
    throw new Error(`The server did not start in ${START_ATTEMPTS} attempts`, { cause: failure })
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    await killProcess(this.instance)
  }

  /**
   * Starts a spare on the same database and port; retries while the port is not free yet. Returns
   * the ms from telling the spare to start to its listening: what opening the database, migrating
   * and listening cost, without a spare's load time when one had to be forked.
   */
  async restart(): Promise<number> {
    let failure: unknown
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      try {
        const spare = this.spares.shift() ?? this.spare()
        await spare.ready
        const begun = performance.now()
        this.instance = await spare.start()
        return performance.now() - begun
      } catch (error) {
        failure = error
        await sleep(200)
      }
    }
    throw new Error(`The server did not restart on port ${this.port}`, { cause: failure })
  }

  /**
   * Stops the server gracefully (requests answered, database closed) and starts a spare as
   * restart() does: a clean start, whose ms it returns.
   */
  async cleanRestart(): Promise<number> {
    await stopInstance(this.instance)
    // stopInstance kills an instance that does not close in time: that start would not be clean.
    const { exitCode, signalCode } = this.instance.child
    if (exitCode !== 0)
      throw new Error(`The server did not close cleanly: ${signalCode ?? exitCode}`)
    return this.restart()
  }

  /** Kills the server and the spares left. */
  async dispose(): Promise<void> {
    await Promise.all([this.instance, ...this.spares].map(killProcess))
  }

  private spare(): Standby {
    return standbyInstance(this.db, 1, { port: this.port, migrate: true })
  }
}

async function killProcess({ child }: Pick<Instance, 'child'>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGKILL')
  await exited
}

/**
 * Kills the server `kills` times while the phones push: at seeded, jittered points of their progress
 * (so every kill falls in the middle of the run, whatever the machine's speed), a few ms later, and
 * only with pushes in flight. Restarts it after each kill, then restarts it cleanly; returns what
 * was in flight and what each start took.
 */
export async function killWhilePushing(
  server: CrashingServer,
  to: PushTo,
  totalOps: number,
  kills: number,
  random: Random,
): Promise<KillRecord[]> {
  const { traffic } = to
  const records: KillRecord[] = []
  const points = Array.from({ length: kills }, (_, k) => {
    const share = (k + 1) / (kills + 1) + (random.next() - 0.5) / (kills + 1) / 2
    return Math.floor(share * totalOps)
  })
  for (const point of points) {
    await until(() => traffic.acknowledged >= point, to)
    await sleep(random.int(0, 25))
    await until(() => traffic.pushesInFlight > 0, to)
    const record = {
      pushesInFlight: traffic.pushesInFlight,
      opsInFlight: traffic.opsInFlight,
    }
    const killedAt = performance.now()
    await server.kill()
    await sleep(random.int(0, 150))
    const restartMs = await server.restart()
    const downMs = performance.now() - killedAt
    traffic.closing = true
    const cleanStartMs = await server.cleanRestart().finally(() => {
      traffic.closing = false
    })
    records.push({
      ...record,
      downMs: Math.round(downMs),
      restartMs: Math.round(restartMs),
      cleanStartMs: Math.round(cleanStartMs),
    })
  }
  return records
}

/** Waits for `condition`; gives up at the phones' deadline, which a failed test sets to now. */
async function until(condition: () => boolean, to: PushTo): Promise<void> {
  while (!condition()) {
    if (Date.now() > to.deadline) throw new Error('The phones stopped pushing before every kill')
    await sleep(1)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
