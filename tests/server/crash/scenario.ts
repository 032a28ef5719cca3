/**
 * One crash run of issue 6, shared by the test (sigkill.test.ts) and the bench
 * (tests/bench/crash.ts): phones push concurrently over real HTTP and resend whatever has no answer
 * while the server is killed with SIGKILL and restarted; afterwards the tables, read behind the API,
 * are checked against every answer (checks.ts). Each restart after a kill is followed by a clean restart under the same
 * load (killer.ts), so a restart can be read as a ratio to a clean start measured in the same run.
 *
 * Seeded: the same seed makes the same op streams, batch sizes and kill points (the interleaving
 * still depends on timing).
 */
import { randomInt } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { EntryChange } from '../../../src/domain/sync/protocol.ts'
import { PostgresStore } from '../../../src/server/store/postgres.ts'
import { SqliteStore } from '../../../src/server/store/sqlite.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'
import { signedInAccounts } from '../../bench/sync/accounts.ts'
import { openBenchDb, type Backend } from '../../bench/sync/benchDb.ts'
import type { InstanceDb } from '../../bench/sync/instances.ts'
import { checkEntries, checkOps, checkTargets, lostAndTwice } from './checks.ts'
import { CrashingServer, killWhilePushing, type KillRecord } from './killer.ts'
import { newTraffic, pushOutbox, type PhoneLog, type PushTo, type Traffic } from './phone.ts'
import { checkPull, pullEverything } from './pull.ts'
import { readTables, type Tables } from './tables.ts'
import {
  crashAccounts,
  crashUnits,
  entryOutbox,
  seeded,
  targetOutbox,
  type Phone,
} from './workload.ts'

export interface CrashOptions {
  seed: number
  kills: number
  /** Each has two reporters' phones; one admin's phone sets targets. */
  communes: number
  /** Ops in each reporter's outbox, and in the admin's. */
  entryOps: number
  targetOps: number
  /** From the start: the phones give up, and the run fails, if any op is unanswered by then. */
  runMs: number
  /** PostgreSQL's; the run makes a schema of its own there and drops it. Unused on SQLite. */
  databaseUrl: string
}

/** The seed in SOHOA_CRASH_SEED, which replays a run, or a new one. */
export function crashSeed(): number {
  return Number(process.env.SOHOA_CRASH_SEED ?? randomInt(2 ** 31))
}

/** What a run did and found; plain data, ready for JSON. */
export interface CrashResult {
  backend: Backend
  seed: number
  phones: number
  ops: number
  pushes: number
  kills: KillRecord[]
  /** Pushes whose answer never came, and those of them the phones dropped on purpose. */
  answersLost: number
  dropped: number
  unansweredResent: number
  acknowledgedResent: number
  duplicatesAnswered: number
  /** Ops committed by a push whose answer was lost, to a kill or to a dropped connection. */
  committedUnanswered: { kill: number; drop: number }
  acknowledgedLost: number
  appliedTwice: number
  writes: number
  conflicts: number
  entries: number
  /** Each clean start (told to start → listening), one per kill, and the medians compared. */
  cleanStartsMs: number[]
  medianCleanStartMs: number
  medianRestartMs: number
  phasesMs: { setup: number; pushes: number; pull: number; checks: number }
  /** What the checks found, and any fault the run was meant to cause but did not: [] passes. */
  problems: string[]
}

/** What the checks judged, for the test to plant faults in. */
export interface CrashEvidence {
  tables: Tables
  logs: PhoneLog[]
  pulled: EntryChange[]
}

/**
 * Runs it all on a fresh database of `backend`, dropped afterwards. Throws (naming the seed) when
 * the run cannot finish; what the checks find is returned in `result.problems`.
 */
export async function runCrashScenario(
  backend: Backend,
  options: CrashOptions,
): Promise<{ result: CrashResult; evidence: CrashEvidence }> {
  const { seed, kills: killCount } = options
  const clock = phaseClock()
  const random = seeded(seed)
  const db = await openBenchDb(backend, options.databaseUrl)
  const traffic = newTraffic()
  const to: PushTo = { url: () => '', traffic, deadline: Date.now() + options.runMs }
  let server: CrashingServer | undefined
  try {
    await db.store.putUnits(crashUnits(options.communes))
    const accounts = await signedInAccounts(db.store, crashAccounts(options.communes), 4)
    const phones = accounts.map((account, i): Phone => ({
      account,
      deviceId: `crash-${i}:${account.user.id}`,
      ops:
        account.user.role === 'admin'
          ? targetOutbox(random, i, options.targetOps)
          : entryOutbox(random, account, i, options.entryOps),
    }))
    const ops = phones.reduce((sum, phone) => sum + phone.ops.length, 0)
    // Only the server has the database open when it is killed: SQLite recovers its WAL alone.
    await db.store.close()
    // One to restart after each kill, one to start cleanly after that.
    const running = await CrashingServer.start(db.instanceDb, random, 2 * killCount)
    server = running
    to.url = () => running.url
    const setup = clock.lap()
    const [logs, kills] = await Promise.all([
      Promise.all(phones.map((phone, i) => pushOutbox(phone, seeded(seed + 1 + i), to))),
      killWhilePushing(running, to, ops, killCount, random),
    ])
    const pushes = clock.lap()
    const admin = accounts.at(-1)
    if (admin === undefined) throw new Error('no admin account')
    const pulled = await pullEverything(running.url, admin.token)
    const pull = clock.lap()
    // The last stop is a kill too: the tables are read from a database nobody closed.
    await running.kill()
    const store = reopen(db.instanceDb)
    const tables = await readTables(store).finally(() => store.close())
    const problems = [
      ...traffic.problems,
      ...checkOps(tables, logs),
      ...checkEntries(tables, logs),
      ...checkTargets(tables, logs),
      ...checkPull(pulled, tables),
      ...unexercised(traffic, kills, killCount),
    ]
    const checks = clock.lap()
    const cleanStartsMs = kills.map((kill) => kill.cleanStartMs)
    const result: CrashResult = {
      backend,
      seed,
      phones: phones.length,
      ops,
      pushes: traffic.pushes,
      kills,
      answersLost: traffic.lost,
      dropped: traffic.dropped,
      unansweredResent: traffic.resentUnanswered,
      acknowledgedResent: traffic.resentAcknowledged,
      duplicatesAnswered: traffic.duplicates,
      committedUnanswered: { ...traffic.committedUnanswered },
      ...lostAndTwice(tables, logs),
      writes: tables.history.length,
      conflicts: tables.conflicts.length,
      entries: tables.entries.length,
      cleanStartsMs,
      medianCleanStartMs: median(cleanStartsMs),
      medianRestartMs: median(kills.map((kill) => kill.restartMs)),
      phasesMs: { setup, pushes, pull, checks },
      problems,
    }
    return { result, evidence: { tables, logs, pulled } }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Crash run on ${backend}, seed ${seed}: ${reason}`, { cause: error })
  } finally {
    to.deadline = 0 // phones still pushing after a failure give up
    await server?.dispose()
    await db.drop()
  }
}

/**
 * The faults the run exists to cause. Without them the checks would pass on a run that proved
 * nothing: kills with pushes in flight, answers lost, ops committed whose answer was lost (a kill's
 * luck; dropped connections make it certain), resends.
 */
function unexercised(traffic: Traffic, kills: readonly KillRecord[], wanted: number): string[] {
  const { kill, drop } = traffic.committedUnanswered
  const faults: [what: string, happened: boolean][] = [
    [`${kills.length} kills of ${wanted}`, kills.length === wanted],
    ['a kill with no push in flight', kills.every((k) => k.pushesInFlight > 0)],
    [`${traffic.lost} answers lost to ${wanted} kills`, traffic.lost >= wanted],
    ['no op committed with its answer lost', kill + drop > 0],
    ['no unanswered op resent', traffic.resentUnanswered > 0],
    ['no acknowledged op resent', traffic.resentAcknowledged > 0],
  ]
  return faults
    .filter(([, happened]) => !happened)
    .map(([what]) => `the run did not exercise its faults: ${what}`)
}

/** A store of our own on the database the server used, opened after the server is gone. */
function reopen(db: InstanceDb): SqlStore {
  return 'dataDir' in db
    ? new SqliteStore(db.dataDir)
    : new PostgresStore({ databaseUrl: db.databaseUrl, schema: db.schema, poolSize: 2 })
}

/** Whole ms since the previous lap (or the start). */
function phaseClock(): { lap(): number } {
  let last = performance.now()
  return {
    lap: () => {
      const now = performance.now()
      const ms = Math.round(now - last)
      last = now
      return ms
    },
  }
}

/** Middle value, mean of the two middle ones for an even count (as the bench's report does). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const at = (i: number): number => sorted[i] ?? Number.NaN
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2
}

/** The run in one paragraph, for the test's log. */
export function describeCrash(r: CrashResult): string {
  const inFlight = r.kills.map((k) => `${k.pushesInFlight} pushes/${k.opsInFlight} ops`).join(', ')
  const { setup, pushes, pull, checks } = r.phasesMs
  return [
    `crash run on ${r.backend} (seed ${r.seed}): set up with the server and its spares in ${setup} ms;`,
    `${r.ops} ops from ${r.phones} phones, ${r.pushes} pushes in ${pushes} ms;`,
    `${r.kills.length} kills with ${inFlight} in flight,`,
    `down ${r.kills.map((k) => k.downMs).join('/')} ms, of which restarting ${r.kills.map((k) => k.restartMs).join('/')} ms;`,
    `clean starts right after ${r.cleanStartsMs.join('/')} ms;`,
    `${r.answersLost} answers lost (${r.dropped} pushes dropped by the phone);`,
    `resent ${r.unansweredResent} unanswered ops and ${r.acknowledgedResent} acknowledged;`,
    `${r.duplicatesAnswered} duplicates answered, of which ops committed with their answer lost:`,
    `${r.committedUnanswered.kill} to a kill, ${r.committedUnanswered.drop} to a drop;`,
    `${r.writes} writes, ${r.conflicts} conflicts, ${r.entries} entries;`,
    `pull ${pull} ms, checks ${checks} ms; ${r.acknowledgedLost} acknowledged ops lost,`,
    `${r.appliedTwice} applied twice, ${r.problems.length} problems`,
  ].join(' ')
}
