import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps } from '../../../src/app/db/outbox.ts'
import { applyPushResults } from '../../../src/app/db/pushResults.ts'
import { listRejected } from '../../../src/app/db/rejected.ts'
import type { QueuedOp, SohoaDb } from '../../../src/app/db/schema.ts'
import {
  listTargets,
  saveTarget,
  storeServerTargets,
  TargetValidationError,
  type TargetInput,
} from '../../../src/app/db/targets.ts'
import type { Target } from '../../../src/domain/targets.ts'
import { authorFor, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

const LAN = authorFor('lan')
const SAVED_AT = new Date('2025-04-02T03:00:00Z')
const KEY = 'digitization/2025/99/commune'

function makeTargetInput(overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    indicator: 'digitization',
    year: 2025,
    unitCode: '99',
    level: 'commune',
    basisPoints: 8000,
    maxPoints: 10,
    ...overrides,
  }
}

function makeTarget(overrides: Partial<Target> = {}): Target {
  return {
    ...makeTargetInput(),
    updatedAt: '2025-04-01T00:00:00.000Z',
    updatedBy: 'admin',
    ...overrides,
  }
}

const applied = (op: QueuedOp) => ({
  id: op.id,
  seq: op.seq,
  status: 'applied' as const,
  version: 0,
})

describe('saveTarget', () => {
  it('writes the target as local and queues its op, owned by the author', async () => {
    const record = await saveTarget(db, makeTargetInput({ basisPoints: 7500 }), LAN, SAVED_AT)

    expect(record).toEqual({
      key: KEY,
      indicator: 'digitization',
      year: 2025,
      unitCode: '99',
      level: 'commune',
      basisPoints: 7500,
      maxPoints: 10,
      updatedAt: SAVED_AT.toISOString(),
      updatedBy: 'user-lan',
      state: 'local',
    })
    expect(await listTargets(db)).toEqual([record])
    expect(await pendingOps(db, 'lan')).toEqual([
      {
        seq: 1,
        id: expect.any(String),
        deviceId: LAN.deviceId,
        userId: 'lan',
        kind: 'target.put',
        targetKey: KEY,
        indicator: 'digitization',
        year: 2025,
        unitCode: '99',
        level: 'commune',
        basisPoints: 7500,
        maxPoints: 10,
        createdAt: SAVED_AT.toISOString(),
      },
    ])
  })

  it('keeps one row per target and queues every edit in order', async () => {
    await saveTarget(db, makeTargetInput({ basisPoints: 7000 }), LAN)
    await saveTarget(db, makeTargetInput({ basisPoints: 7500 }), LAN)
    await saveTarget(db, makeTargetInput({ level: null }), LAN)

    expect((await listTargets(db)).map((t) => [t.key, t.basisPoints])).toEqual([
      ['digitization/2025/99/=', 8000],
      [KEY, 7500],
    ])
    expect((await pendingOps(db, 'lan')).map((op) => op.kind)).toEqual([
      'target.put',
      'target.put',
      'target.put',
    ])
  })

  it.each([
    ['basisPoints', { basisPoints: 10_001 }],
    ['basisPoints', { basisPoints: 79.5 }],
    ['maxPoints', { maxPoints: 0 }],
    ['year', { year: 1999 }],
  ] as const)('refuses a bad %s and writes nothing', async (field, overrides) => {
    const saving = saveTarget(db, makeTargetInput(overrides), LAN)
    await expect(saving).rejects.toBeInstanceOf(TargetValidationError)
    await expect(saving).rejects.toMatchObject({ field })
    expect(await db.targets.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
  })
})

describe('storeServerTargets', () => {
  it('replaces the sent targets with the server list, dropping those it no longer has', async () => {
    await storeServerTargets(db, [makeTarget(), makeTarget({ unitCode: '99022', level: null })])
    await storeServerTargets(db, [makeTarget({ basisPoints: 8500 })])

    expect(await listTargets(db)).toEqual([
      { ...makeTarget({ basisPoints: 8500 }), key: KEY, state: 'sent' },
    ])
  })

  it('never overwrites or drops a target saved here and not yet acknowledged', async () => {
    await saveTarget(db, makeTargetInput({ basisPoints: 6000 }), LAN)
    await saveTarget(db, makeTargetInput({ year: 2026 }), LAN)

    await storeServerTargets(db, [makeTarget({ basisPoints: 9000 })])

    expect((await listTargets(db)).map((t) => [t.key, t.basisPoints, t.state])).toEqual([
      [KEY, 6000, 'local'],
      ['digitization/2026/99/commune', 8000, 'local'],
    ])
  })
})

describe('push results for target ops', () => {
  it('marks an acknowledged target sent', async () => {
    await saveTarget(db, makeTargetInput(), LAN)
    const [op] = await pendingOps(db, 'lan')

    const outcome = await applyPushResults(db, [op!], { results: [applied(op!)], ackSeq: op!.seq })

    expect(outcome).toEqual({ acknowledged: 1, rejected: 0, conflicts: 0 })
    expect(await pendingOps(db, 'lan')).toEqual([])
    expect(await listTargets(db)).toMatchObject([{ key: KEY, state: 'sent' }])
  })

  it('keeps a target local when it was edited again while its first op was out', async () => {
    await saveTarget(db, makeTargetInput({ basisPoints: 7000 }), LAN)
    const [first] = await pendingOps(db, 'lan')
    await saveTarget(db, makeTargetInput({ basisPoints: 7500 }), LAN)

    await applyPushResults(db, [first!], { results: [applied(first!)], ackSeq: first!.seq })

    expect(await listTargets(db)).toMatchObject([{ basisPoints: 7500, state: 'local' }])
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
  })

  it('moves a refused target op to the rejected list and drops the refused value', async () => {
    await saveTarget(db, makeTargetInput(), LAN)
    await saveEntry(db, makeInput(), LAN)
    const [target, entry] = await pendingOps(db, 'lan')

    const outcome = await applyPushResults(db, [target!, entry!], {
      results: [
        {
          id: target!.id,
          seq: target!.seq,
          status: 'rejected',
          reason: 'forbidden',
          detail: 'Refused: forbidden.',
        },
        { id: entry!.id, seq: entry!.seq, status: 'applied', version: 1 },
      ],
      ackSeq: entry!.seq,
    })

    expect(outcome).toEqual({ acknowledged: 1, rejected: 1, conflicts: 0 })
    expect(await listRejected(db, 'lan')).toEqual([
      expect.objectContaining({ kind: 'target.put', targetKey: KEY, reason: 'forbidden' }),
    ])
    expect(await listTargets(db)).toEqual([])
    expect(await db.entries.get('00004/2025-03')).toMatchObject({ state: 'sent', baseVersion: 1 })
  })

  it('keeps a later edit when an earlier op of the same target is refused', async () => {
    await saveTarget(db, makeTargetInput({ basisPoints: 7000 }), LAN)
    const [first] = await pendingOps(db, 'lan')
    await saveTarget(db, makeTargetInput({ basisPoints: 7500 }), LAN)

    await applyPushResults(db, [first!], {
      results: [
        { id: first!.id, seq: first!.seq, status: 'rejected', reason: 'invalid', detail: '' },
      ],
      ackSeq: first!.seq,
    })

    expect(await listTargets(db)).toMatchObject([{ basisPoints: 7500, state: 'local' }])
    expect(await listRejected(db, 'lan')).toHaveLength(1)
  })
})
