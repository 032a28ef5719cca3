/**
 * The sync promises of issue 3 as a property: three to five devices (two reporters of one commune
 * on their own devices, a reporter of another commune, PCs that two officials take turns on, a
 * province viewer) save and sync in an order fast-check picks, through a network that drops,
 * duplicates, delays and reorders requests and answers and restarts the server between commit and
 * reply. Then the network heals, every device syncs until it has nothing left to send or pull, and
 * simulationChecks.ts proves: exactly once, per-device order, convergence, nothing lost.
 *
 * Every device is the app's real db and sync code on a fake-indexeddb database of its own; the
 * server is the real app and store on an SQLite file. A failure prints fast-check's seed, path and
 * the scheduler's log of every hop; `SIM_SEED=<seed> SIM_PATH=<path>` replays that run, and
 * `SIM_RUNS=500` explores further than the default. The bugs it found are pinned by
 * simulation.regressions.test.ts.
 */
import 'fake-indexeddb/auto'
import { rm } from 'node:fs/promises'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Counts } from '../../../src/domain/indicators.ts'
import { getUserMeta } from '../../../src/app/db/meta.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import {
  SimulatedDevice,
  type Action,
  type DeviceSpec,
  type Journal,
  type SaveAction,
} from './simulatedDevice.ts'
import { SimulatedNetwork, Stage, type Fault } from './simulatedNetwork.ts'
import {
  SimulatedServer,
  makeTemplate,
  type AccountSpec,
  type Template,
} from './simulatedServer.ts'
import {
  checkConvergence,
  checkExactlyOnce,
  checkHonestBases,
  checkNoSelfConflicts,
  checkNothingLost,
  checkOrder,
} from './simulationChecks.ts'
import { readServerState, type DeviceState } from './simulationState.ts'

const ACCOUNTS: readonly AccountSpec[] = [
  { username: 'lan', role: 'reporter', unitCodes: ['99019'] },
  { username: 'minh', role: 'reporter', unitCodes: ['99019'] },
  { username: 'hoa', role: 'reporter', unitCodes: ['99022'] },
  { username: 'tinh', role: 'viewer', unitCodes: ['99'] },
]

/** The first three always take part; fast-check adds either or both of the others. */
const DEVICES: readonly DeviceSpec[] = [
  { name: 'lan-phone', users: ['lan'] },
  { name: 'office-pc', users: ['minh', 'lan'] },
  { name: 'hoa-phone', users: ['hoa'] },
  { name: 'province-pc', users: ['tinh'] },
  { name: 'ward-pc', users: ['hoa', 'minh'] },
]

/** About 6 s on two cores; `SIM_RUNS` explores further. */
const RUNS = Number(process.env.SIM_RUNS ?? 30)

/** Healing rounds before a run that still moves data counts as not converging. */
const MAX_HEAL_ROUNDS = 4

// Small counts on two units and two months, so that edits collide and conflicts happen; the
// merge of two valid sides can break digitized <= received, which exercises the fallback.
const countsArb: fc.Arbitrary<Counts> = fc
  .record({
    a: fc.nat(4),
    b: fc.nat(4),
    resolved: fc.option(fc.nat(3), { nil: undefined }),
    online: fc.option(fc.nat(2), { nil: undefined }),
  })
  .map(({ a, b, resolved, online }) => {
    const counts: Counts = { received: Math.max(a, b), digitized: Math.min(a, b) }
    if (resolved !== undefined) counts.resolved = resolved
    if (online !== undefined) counts.online = Math.min(online, counts.received ?? 0)
    return counts
  })

const saveArb: fc.Arbitrary<SaveAction> = fc.record({
  kind: fc.constant('save'),
  foreign: fc.oneof(
    { weight: 7, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
  month: fc.nat(1),
  counts: fc.option(countsArb, { nil: null, freq: 4 }),
  note: fc.constantFrom(null, null, '', 'đã rà soát', 'thiếu hồ sơ'),
  resolve: fc.boolean(),
})

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: saveArb },
  { weight: 4, arbitrary: fc.constant({ kind: 'sync' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('switch' as const),
      whileOut: fc.option(saveArb, { nil: null }),
    }),
  },
)

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('none' as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Fault>(
      'dropRequest',
      'dropResponse',
      'duplicate',
      'late',
      'restart',
    ),
  },
)

const scenarioArb = fc.record({
  optional: fc.tuple(fc.boolean(), fc.boolean()),
  scripts: fc.array(fc.array(actionArb, { minLength: 1, maxLength: 8 }), {
    minLength: DEVICES.length,
    maxLength: DEVICES.length,
  }),
  faults: fc.array(faultArb, { minLength: 1, maxLength: 12 }),
})
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never

let template: Template

beforeAll(async () => {
  template = await makeTemplate(ACCOUNTS)
}, 60_000)
afterAll(async () => {
  await rm(template.dir, { recursive: true, force: true })
})

async function runScenario(scheduler: fc.Scheduler, scenario: Scenario): Promise<string[]> {
  const server = await SimulatedServer.fromTemplate(template)
  const stage = new Stage(scheduler)
  const network = new SimulatedNetwork(stage, server, scenario.faults)
  const journal: Journal = { ops: [], sentBases: new Map(), snapshots: [], passErrors: [] }
  const [province, ward] = scenario.optional
  const taking = DEVICES.filter((_, i) => i < 3 || (i === 3 && province) || (i === 4 && ward))
  const devices = taking.map(
    (spec) => new SimulatedDevice(spec, stage, network, template.logins, journal),
  )
  try {
    for (const device of devices) await device.open()
    devices.forEach((device) => device.play(scenario.scripts[DEVICES.indexOf(device.spec)] ?? []))
    await stage.run()
    for (const device of devices) await device.recordBases()

    network.healed = true
    const settled = await heal(devices)
    const state = await readServerState(server)
    const finals = await Promise.all(devices.map(deviceState))
    return [
      ...(settled ? [] : [`still syncing after ${MAX_HEAL_ROUNDS} healed rounds`]),
      ...stage.strayErrors.map((error) => `a copy of a request failed: ${String(error)}`),
      ...journal.passErrors.map(
        ({ device, error }) => `${device}: sync failed with ${String(error)}`,
      ),
      ...checkExactlyOnce(journal, state, finals),
      ...checkOrder(state),
      ...checkConvergence(journal, state, finals),
      ...checkNothingLost(journal, state),
      ...checkHonestBases(journal, state),
      ...checkNoSelfConflicts(state),
    ]
  } finally {
    await Promise.all(devices.map((device) => device.destroy()))
    await server.destroy()
  }
}

/**
 * Every user of every device syncs, round after round, until a round sends and pulls nothing.
 * Resolves to whether that happened within MAX_HEAL_ROUNDS.
 */
async function heal(devices: readonly SimulatedDevice[]): Promise<boolean> {
  for (let round = 0; round < MAX_HEAL_ROUNDS; round++) {
    let moved = false
    for (const device of devices) {
      for (const username of device.spec.users) {
        await device.signIn(username)
        const user = template.logins.get(username)?.user.id ?? ''
        const queued = await device.db.outbox.count()
        const cursor = await getUserMeta(device.db, 'cursor', user)
        await device.syncOnce()
        moved ||= queued > 0 || cursor !== (await getUserMeta(device.db, 'cursor', user))
      }
    }
    if (!moved) return true
  }
  return false
}

async function deviceState(device: SimulatedDevice): Promise<DeviceState> {
  const users = device.spec.users.flatMap((name) => template.logins.get(name)?.user ?? [])
  const rejected = await Promise.all(users.map((user) => listRejected(device.db, user.id)))
  return {
    name: device.spec.name,
    installId: device.installId,
    users,
    entries: await device.db.entries.toArray(),
    outbox: await device.db.outbox.count(),
    rejectedIds: rejected.flat().map((op) => op.id),
  }
}

describe('sync simulation', () => {
  it(
    'applies every op exactly once, in order, converges and loses nothing, whatever the network does',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), scenarioArb, async (scheduler, scenario) => {
          expect(await runScenario(scheduler, scenario)).toEqual([])
        }),
        {
          numRuns: RUNS,
          endOnFailure: true,
          verbose: fc.VerbosityLevel.Verbose,
          ...(process.env.SIM_SEED
            ? { seed: Number(process.env.SIM_SEED), path: process.env.SIM_PATH ?? '0' }
            : {}),
        },
      )
    },
    Math.max(120_000, RUNS * 1_000),
  )
})
