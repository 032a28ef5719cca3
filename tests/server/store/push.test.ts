import { describe, expect, it } from 'vitest'
import { int, text } from '../../../src/server/store/rows.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'
import type { ChangeNotice } from '../../../src/server/store/store.ts'
import { backends, useDb } from './backends.ts'
import { ALL, MONTH, UNIT, addUser, makeContext, makeCounts, makeOp } from './builders.ts'

async function count(store: SqlStore, table: string): Promise<number> {
  const rows = await store.transaction((tx) => tx.all(`SELECT COUNT(*) AS n FROM ${table}`))
  return rows[0] ? int(rows[0], 'n') : 0
}

describe.each(backends())('$name store: push', (backend) => {
  const db = useDb(backend)

  it('applies a new entry as version 1 and acknowledges its seq', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const op = makeOp({ seq: 7, note: 'Tháng 3' })
    const response = await store.push(context, [op])
    expect(response).toEqual({
      results: [{ id: op.id, seq: 7, status: 'applied', version: 1 }],
      ackSeq: 7,
    })
    const { changes } = await store.pull(ALL, 0n, 10)
    expect(changes).toEqual([
      {
        unitCode: UNIT,
        month: MONTH,
        counts: makeCounts(),
        note: 'Tháng 3',
        version: 1,
        updatedAt: context.now.toISOString(),
        updatedBy: 'xa.tanan',
        conflicts: [],
        reportedAt: op.createdAt,
        review: null,
      },
    ])
  })

  it('answers a retried op with its stored result and changes nothing', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const op = makeOp()
    await store.push(context, [op])
    const before = await store.pull(ALL, 0n, 10)
    const retry = await store.push(context, [op, op])
    expect(retry.results).toEqual([
      { id: op.id, seq: 1, status: 'duplicate', version: 1 },
      { id: op.id, seq: 1, status: 'duplicate', version: 1 },
    ])
    expect(retry.ackSeq).toBe(1)
    expect(await store.pull(ALL, 0n, 10)).toEqual(before)
    expect(await count(store, 'entry_history')).toBe(1)
    expect(await count(store, 'ops')).toBe(1)
  })

  it('keeps the version an op got when retried after later changes', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const first = makeOp({ seq: 1 })
    await store.push(context, [first])
    await store.push(context, [makeOp({ seq: 2, baseVersion: 1, note: 'sửa' })])
    const retry = await store.push(context, [first])
    expect(retry.results).toEqual([{ id: first.id, seq: 1, status: 'duplicate', version: 1 }])
    expect(retry.ackSeq).toBe(2)
  })

  it('records a refused op, acknowledges it and answers a retry the same way', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store), { check: () => 'forbidden' })
    const op = makeOp({ seq: 3 })
    const response = await store.push(context, [op])
    const refused = { id: op.id, seq: 3, status: 'rejected', reason: 'forbidden' }
    expect(response.results).toEqual([expect.objectContaining(refused)])
    expect(response.ackSeq).toBe(3)
    // Retried after the user gained the right: still the stored answer, exactly once.
    const retry = await store.push({ ...context, check: () => null }, [op])
    expect(retry.results).toEqual(response.results)
    expect((await store.pull(ALL, 0n, 10)).changes).toEqual([])
  })

  it('rejects invalid counts as invalid without blocking the ops after it', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const bad = makeOp({ seq: 1, counts: { received: 10, digitized: 20 } })
    const good = makeOp({ seq: 2, month: '2025-04' })
    const { results, ackSeq } = await store.push(context, [bad, good])
    expect(results[0]).toMatchObject({ status: 'rejected', reason: 'invalid' })
    expect(results[0]).toHaveProperty('detail', 'digitized: exceeds')
    expect(results[1]).toMatchObject({ status: 'applied', version: 1 })
    expect(ackSeq).toBe(2)
  })

  it('reports the highest seq acknowledged for the device across pushes', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    expect((await store.push(context, [makeOp({ seq: 5 })])).ackSeq).toBe(5)
    expect((await store.push(context, [makeOp({ seq: 4, month: '2025-01' })])).ackSeq).toBe(5)
    const other = { ...context, deviceId: 'office-pc-01' }
    expect((await store.push(other, [makeOp({ seq: 1, month: '2025-02' })])).ackSeq).toBe(1)
  })

  it('refuses an op id already used by another user without revealing its result', async () => {
    const { store } = db()
    const op = makeOp()
    await store.push(makeContext(await addUser(store)), [op])
    const intruder = makeContext(await addUser(store, { username: 'other' }))
    const { results } = await store.push(intruder, [op])
    expect(results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' })
  })

  it('fast-forwards an edit based on the current version, clearing what was cleared', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 1 })])
    const counts = { received: 210, digitized: 150, resolved: 190 }
    const { results } = await store.push(context, [makeOp({ seq: 2, baseVersion: 1, counts })])
    expect(results[0]).toMatchObject({ status: 'applied', version: 2 })
    expect((await store.pull(ALL, 0n, 10)).changes[0]).toMatchObject({ counts, version: 2 })
    expect(await count(store, 'entry_history')).toBe(2)
  })

  it('merges two devices that edited different fields of the same month', async () => {
    const { store } = db()
    const user = await addUser(store)
    const phone = makeContext(user, { deviceId: 'phone-0001' })
    const office = makeContext(user, { deviceId: 'office-pc-01' })
    await store.push(phone, [makeOp({ seq: 1 })])
    const received = makeOp({ seq: 2, baseVersion: 1, counts: makeCounts({ received: 230 }) })
    const online = makeOp({ seq: 1, baseVersion: 1, counts: makeCounts({ online: 99 }) })
    expect((await store.push(phone, [received])).results[0]).toMatchObject({ version: 2 })
    expect((await store.push(office, [online])).results[0]).toMatchObject({
      status: 'applied',
      version: 3,
    })
    const [entry] = (await store.pull(ALL, 0n, 10)).changes
    expect(entry?.counts).toEqual(makeCounts({ received: 230, online: 99 }))
    expect(entry?.conflicts).toEqual([])
  })

  it('keeps both values of a conflicting edit until a later op resolves it', async () => {
    const { store } = db()
    const phone = makeContext(await addUser(store), { deviceId: 'phone-0001' })
    const office = makeContext(await addUser(store, { username: 'vp.xa' }), {
      deviceId: 'office-pc-01',
      now: new Date('2025-04-02T02:00:00.000Z'),
    })
    await store.push(phone, [makeOp({ seq: 1 })])
    const mine = makeOp({ seq: 2, baseVersion: 1, counts: makeCounts({ received: 240 }) })
    const theirs = makeOp({
      seq: 1,
      baseVersion: 1,
      counts: makeCounts({ received: 250 }),
      createdAt: '2025-04-01T09:00:00.000Z',
    })
    await store.push(phone, [mine])
    const { results } = await store.push(office, [theirs])
    const conflict = {
      unitCode: UNIT,
      month: MONTH,
      field: 'received',
      value: 240,
      currentValue: 250,
      author: 'xa.tanan',
      authoredAt: '2025-03-31T08:00:00.000Z',
      winner: 'vp.xa',
      createdAt: '2025-04-02T02:00:00.000Z',
    }
    expect(results[0]).toMatchObject({ status: 'conflict', version: 3 })
    expect(results[0]).toHaveProperty('conflicts', [{ id: expect.any(String), ...conflict }])

    const pulled = await store.pull(ALL, 0n, 10)
    expect(pulled.changes[0]?.counts.received).toBe(250)
    expect(pulled.changes[0]?.conflicts).toEqual([{ id: expect.any(String), ...conflict }])
    const id = pulled.changes[0]?.conflicts[0]?.id ?? ''

    // The phone's user settles on 245; the conflict closes and pull delivers the entry again.
    const settle = makeOp({ seq: 3, baseVersion: 3, counts: makeCounts({ received: 245 }) })
    await store.push(phone, [{ ...settle, resolves: [id] }])
    const after = await store.pull(ALL, BigInt(pulled.cursor), 10)
    expect(after.changes).toEqual([
      expect.objectContaining({ version: 4, counts: makeCounts({ received: 245 }), conflicts: [] }),
    ])
    const rows = await store.transaction((tx) =>
      tx.all('SELECT resolved_at, resolved_by FROM conflicts WHERE id = ?', [id]),
    )
    expect(rows[0] && text(rows[0], 'resolved_by')).toBe('xa.tanan')
    expect(rows[0] && text(rows[0], 'resolved_at')).toBe(phone.now.toISOString())
  })

  it('resolves without a new version when the values already stand', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const tablet = makeContext(context.user, { deviceId: 'tablet-0002' })
    await store.push(context, [makeOp({ seq: 1 })])
    await store.push(context, [makeOp({ seq: 2, baseVersion: 1, note: 'a' })])
    await store.push(tablet, [makeOp({ seq: 1, baseVersion: 1, note: 'b' })])
    const before = await store.pull(ALL, 0n, 10)
    const [entry] = before.changes
    const ids = entry?.conflicts.map((c) => c.id) ?? []
    expect(ids).toHaveLength(1)
    const keep = makeOp({ seq: 4, baseVersion: 3, note: 'b', resolves: ids })
    const { results } = await store.push(context, [keep])
    expect(results[0]).toEqual({ id: keep.id, seq: 4, status: 'applied', version: 3 })
    const after = await store.pull(ALL, BigInt(before.cursor), 10)
    expect(after.changes).toEqual([expect.objectContaining({ version: 3, conflicts: [] })])
  })

  it('lets a later op of the same device replace its earlier one without a conflict', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 1 })])
    // Offline, the official typed 240, then corrected it to 245: both ops are based on version 1.
    const typo = makeOp({ seq: 2, baseVersion: 1, counts: makeCounts({ received: 240 }) })
    const fix = makeOp({ seq: 3, baseVersion: 1, counts: makeCounts({ received: 245 }) })
    const { results } = await store.push(context, [typo, fix])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied'])
    const [entry] = (await store.pull(ALL, 0n, 10)).changes
    expect(entry).toMatchObject({
      version: 3,
      counts: makeCounts({ received: 245 }),
      conflicts: [],
    })
  })

  it('gives a merged op a version even when it changes no value', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const office = makeContext(context.user, { deviceId: 'office-0002' })
    await store.push(context, [makeOp({ seq: 1 })])
    await store.push(office, [
      makeOp({ seq: 1, baseVersion: 1, counts: makeCounts({ received: 250 }) }),
    ])
    const pulled = await store.pull(ALL, 0n, 10)
    // The phone confirms what it had at version 1: the merge keeps the office's 250. Answering
    // version 2 would read as "applied on exactly version 1" and the phone would base its next
    // edit on a version whose values it never had.
    const confirm = makeOp({ seq: 2, baseVersion: 1 })
    const { results } = await store.push(context, [confirm])
    expect(results[0]).toEqual({ id: confirm.id, seq: 2, status: 'applied', version: 3 })
    const after = await store.pull(ALL, BigInt(pulled.cursor), 10)
    expect(after.changes).toEqual([
      expect.objectContaining({ version: 3, counts: makeCounts({ received: 250 }) }),
    ])
  })

  it('ignores resolves that name conflicts of another entry', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 1 })])
    await store.push(context, [makeOp({ seq: 2, baseVersion: 1, note: 'a' })])
    const tablet = makeContext(context.user, { deviceId: 'tablet-0002' })
    await store.push(tablet, [makeOp({ seq: 1, baseVersion: 1, note: 'b' })])
    const ids = (await store.pull(ALL, 0n, 10)).changes[0]?.conflicts.map((c) => c.id) ?? []
    expect(ids).toHaveLength(1)
    await store.push(context, [makeOp({ seq: 4, month: '2025-05', resolves: ids })])
    const [entry] = (await store.pull(ALL, 0n, 10)).changes.filter((c) => c.month === MONTH)
    expect(entry?.conflicts.map((c) => c.id)).toEqual(ids)
  })

  it('never stores a merge that fails validation: the op wins whole, the loser is kept', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 1 })])
    // One side raised digitized, the other lowered received: each valid, together 190 > 160.
    const raise = makeOp({ seq: 2, baseVersion: 1, counts: makeCounts({ digitized: 190 }) })
    const lower = makeOp({ seq: 1, baseVersion: 1, counts: makeCounts({ received: 160 }) })
    await store.push(context, [raise])
    const tablet = makeContext(context.user, { deviceId: 'tablet-0002' })
    const { results } = await store.push(tablet, [lower])
    expect(results[0]).toMatchObject({ status: 'conflict', version: 3 })
    const [entry] = (await store.pull(ALL, 0n, 10)).changes
    expect(entry?.counts).toEqual(makeCounts({ received: 160 }))
    expect(entry?.conflicts).toEqual([
      expect.objectContaining({ field: 'digitized', value: 190, currentValue: 150 }),
    ])
  })

  it('applies a whole batch in one transaction: a failure keeps none of it', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store), {
      check: (op) => {
        if (op.seq === 2) throw new Error('boom')
        return null
      },
    })
    await expect(
      store.push(context, [makeOp({ seq: 1 }), makeOp({ seq: 2, month: '2025-04' })]),
    ).rejects.toThrow('boom')
    expect(await count(store, 'ops')).toBe(0)
    expect(await count(store, 'entries')).toBe(0)
    expect((await store.push({ ...context, check: () => null }, [makeOp()])).ackSeq).toBe(1)
  })

  it('keeps every version in the history', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 1 })])
    await store.push(context, [makeOp({ seq: 2, baseVersion: 1, note: 'hai' })])
    await store.push(context, [makeOp({ seq: 3, baseVersion: 2, note: 'ba' })])
    const rows = await store.transaction((tx) =>
      tx.all('SELECT version, note, device_id FROM entry_history ORDER BY version'),
    )
    expect(rows.map((r) => [int(r, 'version'), text(r, 'note'), text(r, 'device_id')])).toEqual([
      [1, '', 'phone-0001'],
      [2, 'hai', 'phone-0001'],
      [3, 'ba', 'phone-0001'],
    ])
  })

  it('notifies listeners after commit, not on rollback nor for duplicates', async () => {
    const { store } = db()
    const context = makeContext(await addUser(store))
    const notices: ChangeNotice[] = []
    const stop = store.onChange((notice) => notices.push(notice))
    const op = makeOp()
    const pushing = store.push(context, [op, makeOp({ unitCode: '00002', seq: 2 })])
    expect(notices).toEqual([])
    await pushing
    expect(notices).toEqual([{ unitCodes: [UNIT, '00002'] }])

    await store.push(context, [op])
    const failing = { ...context, check: () => failure() }
    await expect(store.push(failing, [makeOp({ seq: 3 })])).rejects.toThrow('rolled back')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(notices).toHaveLength(1)

    stop()
    await store.push(context, [makeOp({ seq: 4, baseVersion: 1, note: 'x' })])
    expect(notices).toHaveLength(1)
  })
})

function failure(): never {
  throw new Error('rolled back')
}
