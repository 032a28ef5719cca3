import { describe, expect, it } from 'vitest'
import { int } from '../../../src/server/store/rows.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'
import type { ChangeNotice } from '../../../src/server/store/store.ts'
import { backends, useDb } from './backends.ts'
import { ALL, MONTH, UNIT, makeCounts, makeOp } from './builders.ts'
import { OTHER_UNIT, outcome, reviewOp, reviewWorld } from './reviewSupport.ts'

async function count(store: SqlStore, table: string): Promise<number> {
  const rows = await store.transaction((tx) => tx.all(`SELECT COUNT(*) AS n FROM ${table}`))
  return rows[0] ? int(rows[0], 'n') : 0
}

describe.each(backends())('$name store: review', (backend) => {
  const db = useDb(backend)

  async function reviewOfMonth(store: SqlStore) {
    const change = (await store.pull(ALL, 0n, 100)).changes.find(
      (c) => c.unitCode === UNIT && c.month === MONTH,
    )
    return change?.review
  }

  it('locks an accepted month until it is reopened with a comment', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    expect((await w.push(w.reporter, makeOp())).map(outcome)).toEqual(['applied'])
    expect((await w.push(w.reporter, reviewOp('submit'))).map(outcome)).toEqual(['applied'])
    expect((await w.push(w.supervisor, reviewOp('accept'))).map(outcome)).toEqual(['applied'])
    expect(await reviewOfMonth(store)).toMatchObject({ state: 'accepted', updatedBy: 'tinh.mot' })

    const edit = makeOp({ baseVersion: 1, counts: makeCounts({ received: 210 }) })
    const [locked] = await w.push(w.reporter, edit)
    expect(locked).toMatchObject({ status: 'rejected', reason: 'locked' })
    // Not even an admin changes an accepted month's figures.
    expect((await w.push(w.admin, makeOp({ baseVersion: 1 }))).map(outcome)).toEqual(['locked'])

    const [blank] = await w.push(w.supervisor, reviewOp('reopen', '  '))
    expect(blank).toMatchObject({ status: 'rejected', reason: 'invalid' })
    expect(blank?.status === 'rejected' && blank.detail).toMatch(/comment/)
    const [reopened] = await w.push(w.supervisor, reviewOp('reopen', 'Sửa số tiếp nhận'))
    expect(reopened).toEqual({ id: expect.any(String), seq: 3, status: 'applied', version: 1 })
    expect(await reviewOfMonth(store)).toEqual({
      state: 'returned',
      comment: 'Sửa số tiếp nhận',
      updatedBy: 'tinh.mot',
      updatedAt: expect.any(String),
    })

    const [corrected] = await w.push(w.reporter, { ...edit, id: makeOp().id })
    expect(corrected).toMatchObject({ status: 'applied', version: 2 })
    // The refused op stays refused when retried: it was answered once and for all.
    expect((await w.push(w.reporter, edit)).map(outcome)).toEqual(['locked'])
  })

  it('needs a comment to return a month and lets the commune submit it again', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp(), reviewOp('submit'))
    const [silent] = await w.push(w.supervisor, reviewOp('return'))
    expect(silent).toMatchObject({ status: 'rejected', reason: 'invalid' })
    expect(await reviewOfMonth(store)).toMatchObject({ state: 'submitted' })
    const [returned] = await w.push(w.supervisor, reviewOp('return', 'Thiếu số hồ sơ số hoá'))
    expect(outcome(returned)).toBe('applied')
    expect(await reviewOfMonth(store)).toMatchObject({
      state: 'returned',
      comment: 'Thiếu số hồ sơ số hoá',
    })
    const again = await w.push(
      w.reporter,
      makeOp({ baseVersion: 1, counts: makeCounts({ digitized: 160 }) }),
      reviewOp('submit'),
    )
    expect(again.map(outcome)).toEqual(['applied', 'applied'])
    expect(await reviewOfMonth(store)).toMatchObject({ state: 'submitted', comment: '' })
  })

  it('refuses transitions from the wrong state', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp())
    expect((await w.push(w.supervisor, reviewOp('accept'))).map(outcome)).toEqual(['wrongState'])
    expect((await w.push(w.reporter, reviewOp('submit'))).map(outcome)).toEqual(['applied'])
    expect((await w.push(w.reporter, reviewOp('submit'))).map(outcome)).toEqual(['wrongState'])
    const reopen = await w.push(w.supervisor, reviewOp('reopen', 'Mở lại'))
    expect(reopen.map(outcome)).toEqual(['wrongState'])
    expect(await reviewOfMonth(store)).toMatchObject({ state: 'submitted' })
    expect(await count(store, 'review_events')).toBe(1)
  })

  it('lets only the unit’s reporter submit and only its supervisors decide', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp())
    // A supervisor does not submit for the commune, and no one acts on an unknown unit.
    expect((await w.push(w.supervisor, reviewOp('submit'))).map(outcome)).toEqual(['forbidden'])
    const unknown = await w.push(w.admin, reviewOp('submit', '', { unitCode: '09999' }))
    expect(unknown.map(outcome)).toEqual(['unknownUnit'])
    await w.push(w.reporter, reviewOp('submit'))
    expect((await w.push(w.reporter, reviewOp('accept'))).map(outcome)).toEqual(['forbidden'])
    expect((await w.push(w.outsider, reviewOp('accept'))).map(outcome)).toEqual(['forbidden'])
    const back = await w.push(w.outsider, reviewOp('return', 'Không phải xã của tôi'))
    expect(back.map(outcome)).toEqual(['forbidden'])
    expect(await reviewOfMonth(store)).toMatchObject({ state: 'submitted' })
    // An admin may do either side's part.
    expect((await w.push(w.admin, reviewOp('accept'))).map(outcome)).toEqual(['applied'])
    expect((await w.push(w.admin, reviewOp('reopen', 'Kiểm tra lại'))).map(outcome)).toEqual([
      'applied',
    ])
    expect((await w.push(w.admin, reviewOp('submit'))).map(outcome)).toEqual(['applied'])
  })

  it('refuses to review a month that has no entry', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    const [result] = await w.push(w.reporter, reviewOp('submit'))
    expect(result).toMatchObject({ status: 'rejected', reason: 'invalid' })
    expect(result?.status === 'rejected' && result.detail).toMatch(/entry/)
    // The other commune's entry does not count for this one.
    await w.push(w.admin, makeOp({ unitCode: OTHER_UNIT }))
    expect((await w.push(w.admin, reviewOp('submit'))).map(outcome)).toEqual(['invalid'])
    expect(await count(store, 'reviews')).toBe(0)
  })

  it('applies a retried review op exactly once', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp())
    const submit = reviewOp('submit')
    const [first] = await w.push(w.reporter, submit)
    const retried = await w.push(w.reporter, submit, submit)
    expect(retried).toEqual([
      { id: submit.id, seq: first?.seq, status: 'duplicate', version: 1 },
      { id: submit.id, seq: first?.seq, status: 'duplicate', version: 1 },
    ])
    expect(await count(store, 'review_events')).toBe(1)
    // Another user replaying the id learns nothing and changes nothing.
    expect((await w.push(w.supervisor, submit)).map(outcome)).toEqual(['forbidden'])
    expect(await count(store, 'review_events')).toBe(1)
  })

  it('puts the reviewed entry back in the feed with its review, and notifies', async () => {
    const { store } = db()
    const w = await reviewWorld(store)
    await w.push(w.reporter, makeOp(), makeOp({ month: '2025-02' }))
    const first = await store.pull(ALL, 0n, 100)
    expect(first.changes.map((c) => c.review)).toEqual([null, null])
    const notices: ChangeNotice[] = []
    const stop = store.onChange((notice) => notices.push(notice))
    await w.push(w.reporter, reviewOp('submit'))
    stop()
    expect(notices).toEqual([{ unitCodes: [UNIT] }])
    const next = await store.pull(ALL, BigInt(first.cursor), 100)
    expect(next.changes).toEqual([
      expect.objectContaining({
        unitCode: UNIT,
        month: MONTH,
        version: 1,
        review: {
          state: 'submitted',
          comment: '',
          updatedBy: 'xa.tanan',
          updatedAt: expect.any(String),
        },
      }),
    ])
    // A reader limited to the other commune does not see it.
    const scoped = await store.pull({ all: false, unitCodes: new Set([OTHER_UNIT]) }, 0n, 100)
    expect(scoped.changes).toEqual([])
  })
})
