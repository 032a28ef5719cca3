import { describe, expect, it } from 'vitest'
import type { EntryChange } from '../../../src/domain/sync/protocol.ts'
import type { ReadScope, Store } from '../../../src/server/store/store.ts'
import { backends, useDb } from './backends.ts'
import { ALL, addUser, makeContext, makeOp } from './builders.ts'

const scopeOf = (...codes: string[]): ReadScope => ({ all: false, unitCodes: new Set(codes) })

/** One entry per unit code, pushed in this order as one batch. */
async function seed(store: Store, unitCodes: readonly string[]): Promise<void> {
  const context = makeContext(await addUser(store, { username: 'admin', role: 'admin' }))
  await store.push(
    context,
    unitCodes.map((unitCode, i) => makeOp({ seq: i + 1, unitCode })),
  )
}

/** Pulls page after page from cursor 0, as a client would. */
async function pullAll(store: Store, scope: ReadScope, limit: number) {
  const pages: { codes: string[]; more: boolean; remaining: number }[] = []
  const changes: EntryChange[] = []
  let cursor = 0n
  for (let i = 0; i < 100; i++) {
    const page = await store.pull(scope, cursor, limit)
    expect(BigInt(page.cursor) >= cursor).toBe(true)
    pages.push({
      codes: page.changes.map((c) => c.unitCode),
      more: page.more,
      remaining: page.remaining,
    })
    changes.push(...page.changes)
    cursor = BigInt(page.cursor)
    if (!page.more) break
  }
  return { pages, changes, cursor }
}

const CODES = ['00001', '00002', '00003', '00004', '00005', '00006', '00007']

describe.each(backends())('$name store: pull', (backend) => {
  const db = useDb(backend)

  it('pages through changes in commit order and resumes from any cursor', async () => {
    const { store } = db()
    await seed(store, CODES)
    const { pages, cursor } = await pullAll(store, ALL, 3)
    expect(pages).toEqual([
      { codes: CODES.slice(0, 3), more: true, remaining: 4 },
      { codes: CODES.slice(3, 6), more: true, remaining: 1 },
      { codes: CODES.slice(6), more: false, remaining: 0 },
    ])
    const end = await store.pull(ALL, cursor, 3)
    expect(end).toEqual({ changes: [], cursor: String(cursor), more: false, remaining: 0 })
  })

  it('delivers a changed entry again, once, at its new place in the order', async () => {
    const { store } = db()
    await seed(store, CODES.slice(0, 3))
    const first = await store.pull(ALL, 0n, 10)
    const context = makeContext(await addUser(store))
    await store.push(context, [makeOp({ seq: 9, unitCode: '00001', baseVersion: 1, note: 'x' })])
    const next = await store.pull(ALL, BigInt(first.cursor), 10)
    expect(next.changes.map((c) => [c.unitCode, c.version])).toEqual([['00001', 2]])
    expect((await store.pull(ALL, 0n, 10)).changes.map((c) => c.unitCode)).toEqual([
      '00002',
      '00003',
      '00001',
    ])
  })

  it('returns only the units in scope, with paging counted within the scope', async () => {
    const { store } = db()
    await seed(store, CODES)
    const scope = scopeOf('00002', '00005', '00007', '99999')
    const { pages } = await pullAll(store, scope, 2)
    expect(pages).toEqual([
      { codes: ['00002', '00005'], more: true, remaining: 1 },
      { codes: ['00007'], more: false, remaining: 0 },
    ])
    expect(await store.pull(scopeOf(), 0n, 10)).toEqual({
      changes: [],
      cursor: '0',
      more: false,
      remaining: 0,
    })
  })

  it('filters by a scope of thousands of units in the database', async () => {
    const { store } = db()
    const province = Array.from({ length: 5000 }, (_, i) => String(20000 + i))
    await seed(store, [...CODES, province[0]!, province[4999]!])
    const { changes } = await pullAll(store, scopeOf(...province), 1000)
    expect(changes.map((c) => c.unitCode)).toEqual([province[0], province[4999]])
  })

  it('clamps the page size to the protocol maximum', async () => {
    const { store } = db()
    await seed(store, CODES)
    expect((await store.pull(ALL, 0n, 0)).changes).toHaveLength(1)
    expect((await store.pull(ALL, 0n, 1e9)).changes).toHaveLength(CODES.length)
  })
})
