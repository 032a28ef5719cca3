/**
 * Issue 6's crash run as a bench part: the server killed with SIGKILL in the middle of pushes and
 * restarted (tests/server/crash/scenario.ts, the run sigkill.test.ts checks), with its restarts
 * timed against clean starts of the same server on the same database in the same run.
 */
import {
  crashSeed,
  runCrashScenario,
  type CrashOptions,
  type CrashResult,
} from '../server/crash/scenario.ts'
import { fixed, mark, thousands, type Row } from './format.ts'
import type { Backend } from './sync/benchDb.ts'

export type CrashFigures = CrashResult

export const CRASH_GOALS = {
  /** Recovery (SQLite's WAL, migrations on a database nobody closed) may cost this much extra. */
  restartRatio: 2,
}

/** The test's run, with a kill more for steadier medians, and more time. */
const BENCH_RUN = {
  communes: 12,
  entryOps: 50,
  targetOps: 30,
  kills: 5,
  runMs: 240_000,
} satisfies Omit<CrashOptions, 'seed' | 'databaseUrl'>

/** One crash run on `backend` (SOHOA_CRASH_SEED replays one); throws if it cannot finish. */
export async function benchCrash(backend: Backend, databaseUrl: string): Promise<CrashFigures> {
  const { result } = await runCrashScenario(backend, {
    ...BENCH_RUN,
    seed: crashSeed(),
    databaseUrl,
  })
  return result
}

const backendName = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const

const list = (values: readonly number[]): string => values.map((ms) => fixed(ms)).join(', ')

/** Four rows per backend: the faults caused, the verdict, restart / clean start, duplicates. */
export function crashRows(f: CrashFigures): Row[] {
  const name = `Crash ${backendName[f.backend]}`
  const ratio = f.medianRestartMs / f.medianCleanStartMs
  const { kill, drop } = f.committedUnanswered
  const inFlight = f.kills.map((k) => `${k.pushesInFlight}/${k.opsInFlight}`).join(', ')
  return [
    {
      figure: `${name}: ${f.kills.length} SIGKILLs during pushes (seed ${f.seed})`,
      value: `${thousands(f.ops)} ops from ${f.phones} phones in ${thousands(f.pushes)} pushes, ${fixed(f.phasesMs.pushes / 1000, 1)} s; pushes/ops in flight at each kill: ${inFlight}`,
      goal: `every kill with pushes in flight; ${thousands(f.answersLost)} answers lost, ${thousands(f.unansweredResent)} unanswered ops resent, ${thousands(f.acknowledgedResent)} acknowledged ops resent`,
      result: mark(f.kills.length > 0 && f.kills.every((k) => k.pushesInFlight > 0)),
    },
    {
      figure: `${name}: acknowledged ops lost, applied twice`,
      value: `acknowledged ops lost: ${f.acknowledgedLost}, applied twice: ${f.appliedTwice}; ${f.problems.length} problems in ops, history, entries replayed, targets and a full pull${f.problems[0] === undefined ? '' : ` (first: ${f.problems[0].slice(0, 160)})`}`,
      goal: '0 and 0',
      result: mark(f.problems.length === 0),
    },
    {
      figure: `${name}: restart after SIGKILL / a clean start (start → listening)`,
      value: `${fixed(ratio, 2)}x: restart median ${fixed(f.medianRestartMs)} ms (${list(f.kills.map((k) => k.restartMs))}), clean start median ${fixed(f.medianCleanStartMs)} ms (${list(f.cleanStartsMs)})`,
      goal: `≤ ${CRASH_GOALS.restartRatio}x a clean start; kill → listening again ${list(f.kills.map((k) => k.downMs))} ms`,
      result: mark(ratio <= CRASH_GOALS.restartRatio),
    },
    {
      figure: `${name}: duplicates answered`,
      value: `${thousands(f.duplicatesAnswered)}, of which ${kill + drop} ops committed with their answer lost (${kill} to a kill, ${drop} to a dropped connection)`,
      goal: 'a resent op is answered duplicate, never applied again',
      result: '',
    },
  ]
}
