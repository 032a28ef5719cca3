/**
 * Issue 6: the server is killed with SIGKILL in the middle of pushes and restarted, on SQLite and on
 * PostgreSQL. Phones push concurrently over real HTTP and resend whatever has no answer; afterwards
 * nothing acknowledged may be lost and nothing applied twice. The run itself is scenario.ts (the
 * bench runs it too); checks.ts says how it is judged, and this test also proves the checks can fail.
 *
 * The run is seeded: the seed is printed, and SOHOA_CRASH_SEED=<seed> makes the same op streams,
 * batch sizes and kill points (the interleaving still depends on timing).
 */
import { describe, expect, it } from 'vitest'
import { PG_URL, backends } from '../store/backends.ts'
import { checkEntries, checkOps, checkTargets, lostAndTwice } from './checks.ts'
import { checkPull } from './pull.ts'
import { crashSeed, describeCrash, runCrashScenario, type CrashEvidence } from './scenario.ts'

const RUN = {
  communes: 12,
  entryOps: 50,
  targetOps: 30,
  kills: 4,
  /** The phones give up (and the test fails) if their ops are not all acknowledged by then. */
  runMs: 120_000,
}

describe.each(backends().map((backend) => backend.name))(
  'SIGKILL during pushes on %s',
  (backend) => {
    it(
      'loses no acknowledged op and applies none twice',
      async () => {
        const seed = crashSeed()
        console.log(`crash test on ${backend}: seed ${seed} (SOHOA_CRASH_SEED=${seed} replays it)`)
        const { result, evidence } = await runCrashScenario(backend, {
          ...RUN,
          seed,
          databaseUrl: PG_URL,
        })
        console.log(describeCrash(result))

        // The checks' findings, and any fault the run failed to cause (kills with pushes in
        // flight, answers lost, ops committed with their answer lost, resends).
        expect(result.problems).toEqual([])
        expect([result.acknowledgedLost, result.appliedTwice]).toEqual([0, 0])
        expect(result.kills).toHaveLength(RUN.kills)
        expect(undetectedFaults(evidence)).toEqual([])
      },
      RUN.runMs + 60_000,
    )
  },
)

/**
 * Faults planted in copies of the tables, answers and pull: each must be found, or the checks above
 * could pass on a database that lost or doubled something. Returns the faults nothing found.
 */
function undetectedFaults({ tables, logs, pulled }: CrashEvidence): string[] {
  const [history] = tables.history
  const [entry] = tables.entries
  const [target] = tables.targets
  const [change] = pulled
  const answered = logs
    .flatMap((log) => log.phone.ops.map((op) => ({ log, op, answer: log.answers.get(op.id)?.[0] })))
    .find(({ answer }) => answer?.status === 'applied')
  if (!history || !entry || !target || !change || !answered?.answer)
    return ['nothing to plant a fault in']
  const { op, answer } = answered
  const answeredTwice = logs.map((log) =>
    log === answered.log
      ? { ...log, answers: new Map(log.answers).set(op.id, [answer, answer]) }
      : log,
  )
  const opLost = { ...tables, ops: tables.ops.slice(1) }
  const writtenTwice = { ...tables, history: [...tables.history, history] }
  // The counts the bench reports must see the plainest faults too.
  const counted = (n: number): string[] => (n > 0 ? [`counted ${n}`] : [])
  const faults: Record<string, string[]> = {
    'an acknowledged op lost': checkOps(opLost, logs),
    'an acknowledged op lost, counted': counted(lostAndTwice(opLost, logs).acknowledgedLost),
    'an op answered as applied twice': checkOps(tables, answeredTwice),
    'an op answered as applied twice, counted': counted(
      lostAndTwice(tables, answeredTwice).appliedTwice,
    ),
    'an op written twice': checkEntries(writtenTwice, logs),
    'an op written twice, counted': counted(lostAndTwice(writtenTwice, logs).appliedTwice),
    'an entry half-written': checkEntries(
      {
        ...tables,
        entries: [
          { ...entry, counts: { ...entry.counts, received: (entry.counts.received ?? 0) + 1 } },
          ...tables.entries.slice(1),
        ],
      },
      logs,
    ),
    'a change number taken twice': checkEntries(
      { ...tables, changeSeq: tables.changeSeq + 1n },
      logs,
    ),
    'a target set again': checkTargets(
      {
        ...tables,
        targets: [{ ...target, basisPoints: target.basisPoints + 1 }, ...tables.targets.slice(1)],
      },
      logs,
    ),
    'an entry pulled twice': checkPull([...pulled, change], tables),
  }
  return Object.entries(faults)
    .filter(([, problems]) => problems.length === 0)
    .map(([fault]) => fault)
}
