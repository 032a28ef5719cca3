import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { TargetPutOp } from '../../../src/domain/sync/protocol.ts'
import { applyMigrations, MIGRATIONS } from '../../../src/server/store/migrations.ts'
import { text } from '../../../src/server/store/rows.ts'
import { backends, useDb } from './backends.ts'
import { ALL, MONTH, UNIT, addUser, makeContext, makeCounts, makeOp } from './builders.ts'

function makeTargetOp(overrides: Partial<TargetPutOp> = {}): TargetPutOp {
  return {
    id: randomUUID(),
    seq: 1,
    kind: 'target.put',
    indicator: 'digitization',
    year: 2025,
    unitCode: '001',
    level: 'commune',
    basisPoints: 8000,
    maxPoints: 10,
    createdAt: '2025-03-31T08:00:00.000Z',
    ...overrides,
  }
}

describe.each(backends())('$name store: targets', (backend) => {
  const db = useDb(backend)

  it('stores a target with its author and the server time, fractional points intact', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store, { role: 'admin' }))
    const op = makeTargetOp({ seq: 3, maxPoints: 7.5 })
    expect(await store.push(context, [op])).toEqual({
      results: [{ id: op.id, seq: 3, status: 'applied', version: 0 }],
      ackSeq: 3,
    })
    expect(await store.listTargets(ALL)).toEqual([
      {
        indicator: 'digitization',
        year: 2025,
        unitCode: '001',
        level: 'commune',
        basisPoints: 8000,
        maxPoints: 7.5,
        updatedAt: context.now.toISOString(),
        updatedBy: 'xa.tanan',
      },
    ])
  })

  it('applies a target op exactly once: a retry is a duplicate and undoes no later change', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store, { role: 'admin' }))
    const first = makeTargetOp({ seq: 1, basisPoints: 8000 })
    const second = makeTargetOp({ seq: 2, basisPoints: 7000 })
    await store.push(context, [first, second])
    const retry = await store.push(context, [first])
    expect(retry.results).toEqual([{ id: first.id, seq: 1, status: 'duplicate', version: 0 }])
    expect((await store.listTargets(ALL)).map((t) => t.basisPoints)).toEqual([7000])
  })

  it('lets the latest arrival win, whatever the ops’ own times', async () => {
    const { store } = db()
    const user = await addUser(store, { role: 'admin' })
    const early = makeContext(user, { deviceId: 'phone-a', now: new Date('2025-04-01T02:00:00Z') })
    const late = makeContext(user, { deviceId: 'phone-b', now: new Date('2025-04-02T02:00:00Z') })
    await store.push(early, [
      makeTargetOp({ basisPoints: 9000, createdAt: '2025-03-31T00:00:00Z' }),
    ])
    // Typed earlier offline, arriving later: still the latest word.
    await store.push(late, [makeTargetOp({ basisPoints: 6000, createdAt: '2025-03-01T00:00:00Z' })])
    expect(await store.listTargets(ALL)).toMatchObject([
      { basisPoints: 6000, updatedAt: '2025-04-02T02:00:00.000Z' },
    ])
  })

  it('keeps targets of different keys apart and entries alongside in one push', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store, { role: 'admin' }))
    const ops = [
      makeTargetOp({ seq: 1 }),
      makeOp({ seq: 2 }),
      makeTargetOp({ seq: 3, level: null }),
      makeTargetOp({ seq: 4, year: 2026 }),
      makeTargetOp({ seq: 5, unitCode: null }),
    ]
    const response = await store.push(context, ops)
    expect(response.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
    ])
    expect(response.ackSeq).toBe(5)
    expect(await store.listTargets(ALL)).toHaveLength(4)
    expect((await store.pull(ALL, 0n, 10)).changes).toHaveLength(1)
  })

  it('records a refused or out-of-range target as rejected and stores nothing', async () => {
    const { store } = db()
    const user = await addUser(store)
    const refusing = makeContext(user, {
      check: (op) => (op.kind === 'target.put' ? 'forbidden' : null),
    })
    const refused = makeTargetOp({ seq: 1 })
    const outOfRange = makeTargetOp({ seq: 2, basisPoints: 10_001 })
    const response = await store.push(refusing, [refused])
    const invalid = await store.push(makeContext(user), [outOfRange])
    expect(response.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' })
    expect(invalid.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid' })
    expect(invalid.ackSeq).toBe(2)
    expect(await store.listTargets(ALL)).toEqual([])
    // Stored as refused: a retry answers the same, even once the check would allow it.
    const retry = await store.push(makeContext(user), [refused])
    expect(retry.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' })
  })

  it('lists the nationwide targets and those of the units in scope', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store, { role: 'admin' }))
    await store.push(context, [
      makeTargetOp({ seq: 1, unitCode: null }),
      makeTargetOp({ seq: 2, unitCode: '001' }),
      makeTargetOp({ seq: 3, unitCode: UNIT, level: null }),
      makeTargetOp({ seq: 4, unitCode: '002' }),
    ])
    const codes = async (unitCodes: string[]) =>
      (await store.listTargets({ all: false, unitCodes: new Set(unitCodes) })).map(
        (t) => t.unitCode,
      )
    expect(await codes(['001', UNIT])).toEqual(expect.arrayContaining([null, '001', UNIT]))
    expect(await codes(['001', UNIT])).toHaveLength(3)
    expect(await codes([])).toEqual([null])
    expect(await store.listTargets(ALL)).toHaveLength(4)
  })
})

describe.each(backends())('$name store: report time', (backend) => {
  const db = useDb(backend)

  it('records the authored time of the op that creates an entry, and keeps it on edits', async () => {
    const { store } = db()
    const user = await addUser(store)
    const first = makeOp({ seq: 1, createdAt: '2025-04-03T01:00:00.000Z' })
    await store.push(makeContext(user, { now: new Date('2025-04-10T00:00:00Z') }), [first])
    const edit = makeOp({
      seq: 2,
      baseVersion: 1,
      counts: makeCounts({ received: 250 }),
      createdAt: '2025-04-20T01:00:00.000Z',
    })
    await store.push(makeContext(user, { now: new Date('2025-04-21T00:00:00Z') }), [edit])
    const [change] = (await store.pull(ALL, 0n, 10)).changes
    expect(change).toMatchObject({ version: 2, reportedAt: '2025-04-03T01:00:00.000Z' })
  })

  it('takes the server time when the device clock is ahead', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ createdAt: '2031-01-01T00:00:00.000Z' })])
    const [change] = (await store.pull(ALL, 0n, 10)).changes
    expect(change?.reportedAt).toBe(context.now.toISOString())
  })

  it('fills existing entries from the arrival of their first version when migrating', async () => {
    const db = await backend.open({ migrate: false })
    try {
      const { store } = db
      await store.transaction(async (tx) => {
        if (tx.dialect === 'postgres') {
          // The test store's search_path names its own schema, which migrate() would create.
          const [row] = await tx.all('SHOW search_path')
          await tx.run(`CREATE SCHEMA IF NOT EXISTS ${text(row ?? {}, 'search_path')}`)
        }
        await applyMigrations(tx, MIGRATIONS.slice(0, 1))
        const entry = `INSERT INTO entries (unit_code, month, counts, note, version, updated_at,
          updated_by, field_meta, change_seq) VALUES (?, ?, '{}', '', ?, ?, 'lan', '{}', ?)`
        await tx.run(entry, [UNIT, MONTH, 2, '2025-04-09T00:00:00.000Z', 1])
        await tx.run(entry, [UNIT, '2025-04', 1, '2025-05-09T00:00:00.000Z', 2])
        const history = `INSERT INTO entry_history (unit_code, month, version, counts, note,
          user_id, device_id, op_id, at) VALUES (?, ?, ?, '{}', '', 'u', 'd', ?, ?)`
        await tx.run(history, [UNIT, MONTH, 1, 'op-1', '2025-04-02T00:00:00.000Z'])
        await tx.run(history, [UNIT, MONTH, 2, 'op-2', '2025-04-09T00:00:00.000Z'])
        // 2025-04 has no history (pruned, say): its report time stays unknown.
      })
      await store.migrate()
      const { changes } = await store.pull(ALL, 0n, 10)
      expect(changes.map((c) => [c.month, c.reportedAt])).toEqual([
        [MONTH, '2025-04-02T00:00:00.000Z'],
        ['2025-04', null],
      ])
      expect(await store.listTargets(ALL)).toEqual([])
    } finally {
      await db.drop()
    }
  })
})
