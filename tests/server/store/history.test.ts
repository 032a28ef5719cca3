import { describe, expect, it } from 'vitest'
import type { HistoryEvent } from '../../../src/domain/sync/protocol.ts'
import { backends, useDb } from './backends.ts'
import { ALL, MONTH, UNIT, addUser, makeCounts, makeOp } from './builders.ts'
import { outcome, reviewOp, reviewWorld } from './reviewSupport.ts'

describe.each(backends())('$name store: history', (backend) => {
  const db = useDb(backend)

  it('lists edits with old and new values, conflicts, their resolution and reviews in order', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    const office = await addUser(store, { username: 'vp.xa' })
    // Version 1, then version 2 from the phone (received and note change).
    await w.push(w.reporter, makeOp({ counts: { received: 200, digitized: 150 } }))
    await w.push(
      w.reporter,
      makeOp({ baseVersion: 1, counts: { received: 240, digitized: 150 }, note: 'Đã sửa' }),
    )
    // The office, still on version 1, types another received: it wins and the phone's 240 loses.
    const [clash] = await w.push(
      office,
      makeOp({ baseVersion: 1, counts: { received: 250, digitized: 150, online: 90 } }),
    )
    expect(outcome(clash)).toBe('conflict')
    const conflictId = (await store.pull(ALL, 0n, 10)).changes[0]?.conflicts[0]?.id ?? ''
    await w.push(w.reporter, {
      ...makeOp({ baseVersion: 3, counts: { received: 245, digitized: 150, online: 90 } }),
      note: 'Đã sửa',
      resolves: [conflictId],
    })
    await w.push(w.reporter, reviewOp('submit'))
    await w.push(w.supervisor, reviewOp('return', 'Kiểm tra số trực tuyến'))

    const events = await store.history(UNIT, MONTH)
    expect(events.map((e) => e.type)).toEqual([
      'edit',
      'edit',
      'edit',
      'conflict',
      'edit',
      'resolved',
      'review',
      'review',
    ])
    const [v1, v2, v3, conflict, v4, resolved, submit, returned] = events
    expect(v1).toEqual({
      type: 'edit',
      at: expect.any(String),
      by: 'xa.tanan',
      deviceId: 'device-xa.tanan',
      version: 1,
      changes: [
        { field: 'received', from: null, to: 200 },
        { field: 'digitized', from: null, to: 150 },
      ],
    })
    expect(v2).toMatchObject({
      version: 2,
      changes: [
        { field: 'received', from: 200, to: 240 },
        { field: 'note', from: null, to: 'Đã sửa' },
      ],
    })
    // The office's merge keeps the phone's note, so only received and online change.
    expect(v3).toMatchObject({
      by: 'vp.xa',
      deviceId: 'device-vp.xa',
      version: 3,
      changes: [
        { field: 'received', from: 240, to: 250 },
        { field: 'online', from: null, to: 90 },
      ],
    })
    expect(conflict).toEqual({
      type: 'conflict',
      at: v3?.at,
      by: 'xa.tanan',
      field: 'received',
      value: 240,
      currentValue: 250,
      winner: 'vp.xa',
    })
    expect(v4).toMatchObject({ version: 4, changes: [{ field: 'received', from: 250, to: 245 }] })
    expect(resolved).toEqual({ type: 'resolved', at: v4?.at, by: 'xa.tanan', field: 'received' })
    expect(submit).toEqual({
      type: 'review',
      at: expect.any(String),
      by: 'xa.tanan',
      action: 'submit',
      comment: '',
    })
    expect(returned).toMatchObject({
      by: 'tinh.mot',
      action: 'return',
      comment: 'Kiểm tra số trực tuyến',
    })
    const times = events.map((e) => e.at)
    expect([...times].sort()).toEqual(times)
  })

  it('orders the ops of one push as they were sent', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.admin, makeOp({ counts: makeCounts() }), reviewOp('submit'))
    const batch = await w.push(
      w.admin,
      reviewOp('accept'),
      reviewOp('reopen', 'Sửa lại'),
      makeOp({ baseVersion: 1, counts: makeCounts({ received: 201 }) }),
    )
    expect(batch.map(outcome)).toEqual(['applied', 'applied', 'applied'])
    const events: HistoryEvent[] = await store.history(UNIT, MONTH)
    expect(events.map((e) => (e.type === 'review' ? e.action : e.type))).toEqual([
      'edit',
      'submit',
      'accept',
      'reopen',
      'edit',
    ])
  })

  it('is empty for a month or unit with nothing recorded', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp())
    expect(await store.history(UNIT, '2025-01')).toEqual([])
    expect(await store.history('09999', MONTH)).toEqual([])
  })
})
