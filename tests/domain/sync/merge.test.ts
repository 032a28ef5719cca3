import { describe, expect, it } from 'vitest'
import type { Counts } from '../../../src/domain/indicators.ts'
import {
  mergeEntry,
  type CurrentEntry,
  type EntryValues,
  type IncomingEdit,
  type MergeConflict,
  type MergeField,
  type MergeMode,
} from '../../../src/domain/sync/merge.ts'
import { validateCounts } from '../../../src/domain/validation.ts'

const T_BASE = '2025-03-01T08:00:00.000Z'
const T_SERVER = '2025-03-02T08:00:00.000Z'
const T_CLIENT = '2025-03-03T08:00:00.000Z'

/** A complete, consistent month; override the fields a case is about. */
function makeCounts(overrides: Counts = {}): Counts {
  return {
    received: 200,
    digitized: 150,
    resolved: 190,
    eResults: 120,
    reused: 40,
    online: 90,
    ...overrides,
  }
}

/** The server's entry at version 3; `base` (version 2) is what both devices started from. */
function makeCurrent(overrides: Partial<CurrentEntry> = {}): CurrentEntry {
  return {
    counts: makeCounts(),
    note: '',
    version: 3,
    fieldMeta: {},
    updatedBy: 'server-user',
    updatedAt: T_SERVER,
    ...overrides,
  }
}

function makeBase(overrides: Partial<EntryValues> = {}): EntryValues {
  return { counts: makeCounts(), note: '', ...overrides }
}

function makeIncoming(overrides: Partial<IncomingEdit> = {}): IncomingEdit {
  return {
    counts: makeCounts(),
    note: '',
    baseVersion: 2,
    author: 'client-user',
    at: T_CLIENT,
    ...overrides,
  }
}

/** A conflict where `server-user`'s value lost to `client-user`'s. */
function lost(
  field: MergeField,
  value: number | string | null,
  currentValue: number | string | null,
) {
  return {
    field,
    value,
    currentValue,
    author: 'server-user',
    authoredAt: T_SERVER,
    winner: 'client-user',
  } satisfies MergeConflict
}

interface Case {
  name: string
  current: CurrentEntry | null
  base: EntryValues | null
  incoming: IncomingEdit
  counts: Counts
  note?: string
  conflicts?: MergeConflict[]
  mode: MergeMode
  changed?: boolean
}

const cases: Case[] = [
  {
    name: 'no entry yet: takes the incoming values',
    current: null,
    base: null,
    incoming: makeIncoming({ baseVersion: null, counts: { received: 5, digitized: 1 } }),
    counts: { received: 5, digitized: 1 },
    mode: 'create',
  },
  {
    name: 'based on the current version: fast-forward, a cleared count is cleared',
    current: makeCurrent({ counts: makeCounts({ received: 300 }) }),
    base: null,
    incoming: makeIncoming({ baseVersion: 3, counts: makeCounts({ online: undefined }) }),
    counts: makeCounts({ online: undefined }),
    mode: 'fastForward',
  },
  {
    name: 'fast-forward with the same values changes nothing',
    current: makeCurrent(),
    base: null,
    incoming: makeIncoming({ baseVersion: 3 }),
    counts: makeCounts(),
    mode: 'fastForward',
    changed: false,
  },
  {
    name: 'only the client changed a field: takes it',
    current: makeCurrent(),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 210 }) }),
    counts: makeCounts({ received: 210 }),
    mode: 'merge',
  },
  {
    name: 'only the server changed a field: keeps it',
    current: makeCurrent({ counts: makeCounts({ received: 220 }) }),
    base: makeBase(),
    incoming: makeIncoming(),
    counts: makeCounts({ received: 220 }),
    mode: 'merge',
    changed: false,
  },
  {
    name: 'two devices edited different fields: both edits kept',
    current: makeCurrent({ counts: makeCounts({ received: 220 }), note: 'từ máy bàn' }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ online: 95 }) }),
    counts: makeCounts({ received: 220, online: 95 }),
    note: 'từ máy bàn',
    mode: 'merge',
  },
  {
    name: 'both changed a field to the same value: no conflict',
    current: makeCurrent({ counts: makeCounts({ received: 250 }) }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 250 }) }),
    counts: makeCounts({ received: 250 }),
    mode: 'merge',
    changed: false,
  },
  {
    name: 'both changed a field differently: incoming wins, the loser is a conflict',
    current: makeCurrent({ counts: makeCounts({ received: 250 }) }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 260 }) }),
    counts: makeCounts({ received: 260 }),
    conflicts: [lost('received', 250, 260)],
    mode: 'merge',
  },
  {
    name: 'the same device stream wrote the current value: replaced, not a conflict',
    current: makeCurrent({
      counts: makeCounts({ received: 250 }),
      fieldMeta: { received: { by: 'client-user', at: T_SERVER, stream: 'phone:u1' } },
    }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 260 }), stream: 'phone:u1' }),
    counts: makeCounts({ received: 260 }),
    mode: 'merge',
  },
  {
    name: 'the same device stream kept a value another stream wrote: still a conflict',
    current: makeCurrent({
      counts: makeCounts({ received: 250, online: 95 }),
      fieldMeta: {
        received: { by: 'server-user', at: T_SERVER, stream: 'office:u2' },
        online: { by: 'client-user', at: T_SERVER, stream: 'phone:u1' },
      },
    }),
    base: makeBase(),
    incoming: makeIncoming({
      counts: makeCounts({ received: 260, online: 95 }),
      stream: 'phone:u1',
    }),
    counts: makeCounts({ received: 260, online: 95 }),
    conflicts: [lost('received', 250, 260)],
    mode: 'merge',
  },
  {
    name: 'the conflict names the field’s own author from fieldMeta',
    current: makeCurrent({
      counts: makeCounts({ online: 10 }),
      fieldMeta: { online: { by: 'office-pc', at: T_BASE } },
    }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ online: 20 }) }),
    counts: makeCounts({ online: 20 }),
    conflicts: [{ ...lost('online', 10, 20), author: 'office-pc', authoredAt: T_BASE }],
    mode: 'merge',
  },
  {
    name: 'client cleared a field the server left alone: cleared',
    current: makeCurrent(),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ reused: undefined }) }),
    counts: makeCounts({ reused: undefined }),
    mode: 'merge',
  },
  {
    name: 'server cleared a field, client set it: the client value wins, the blank is recorded',
    current: makeCurrent({ counts: makeCounts({ reused: undefined }) }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ reused: 41 }) }),
    counts: makeCounts({ reused: 41 }),
    conflicts: [lost('reused', null, 41)],
    mode: 'merge',
  },
  {
    name: 'client cleared a field the server changed: the server count survives as a conflict',
    current: makeCurrent({ counts: makeCounts({ reused: 44 }) }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ reused: undefined }) }),
    counts: makeCounts({ reused: undefined }),
    conflicts: [lost('reused', 44, null)],
    mode: 'merge',
  },
  {
    name: 'notes merge like counts',
    current: makeCurrent({ note: 'máy bàn' }),
    base: makeBase({ note: 'gốc' }),
    incoming: makeIncoming({ note: 'điện thoại' }),
    counts: makeCounts(),
    note: 'điện thoại',
    conflicts: [lost('note', 'máy bàn', 'điện thoại')],
    mode: 'merge',
  },
  {
    name: 'no base: fields the client sends count as changed, the ones it omits are kept',
    current: makeCurrent({ note: 'máy bàn' }),
    base: null,
    incoming: makeIncoming({
      baseVersion: null,
      counts: { received: 200, digitized: 160 },
    }),
    counts: makeCounts({ digitized: 160 }),
    note: 'máy bàn',
    conflicts: [lost('digitized', 150, 160)],
    mode: 'merge',
  },
  {
    name: 'unknown base version: handled like no base',
    current: makeCurrent(),
    base: null,
    incoming: makeIncoming({ baseVersion: 9, counts: makeCounts({ received: 201 }) }),
    counts: makeCounts({ received: 201 }),
    conflicts: [lost('received', 200, 201)],
    mode: 'merge',
  },
  {
    name: 'merged counts invalid: takes the op whole, server-side changes become conflicts',
    // Server raised digitized to 190, client lowered received to 160: 190 > 160 is invalid.
    current: makeCurrent({ counts: makeCounts({ digitized: 190 }), note: 'máy bàn' }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 160 }) }),
    counts: makeCounts({ received: 160 }),
    note: 'máy bàn',
    conflicts: [lost('digitized', 190, 150)],
    mode: 'fallback',
  },
  {
    name: 'fallback also keeps a note conflict',
    current: makeCurrent({ counts: makeCounts({ digitized: 190 }), note: 'máy bàn' }),
    base: makeBase(),
    incoming: makeIncoming({ counts: makeCounts({ received: 160 }), note: 'điện thoại' }),
    counts: makeCounts({ received: 160 }),
    note: 'điện thoại',
    conflicts: [lost('digitized', 190, 150), lost('note', 'máy bàn', 'điện thoại')],
    mode: 'fallback',
  },
]

describe('mergeEntry', () => {
  it.each(cases)('$name', (c) => {
    const result = mergeEntry(c.current, c.base, c.incoming)
    expect(result.counts).toEqual(c.counts)
    expect(result.note).toBe(c.note ?? '')
    expect(result.conflicts).toEqual(c.conflicts ?? [])
    expect(result.mode).toBe(c.mode)
    expect(result.changed).toBe(c.changed ?? true)
    expect(validateCounts(result.counts).errors).toEqual([])
  })

  it('stamps the fields whose value changed with the incoming author and keeps the others', () => {
    const current = makeCurrent({
      counts: makeCounts({ received: 220 }),
      fieldMeta: { received: { by: 'office-pc', at: T_BASE } },
    })
    const incoming = makeIncoming({ counts: makeCounts({ online: 95 }) })
    const result = mergeEntry(current, makeBase(), incoming)
    expect(result.fieldMeta).toEqual({
      received: { by: 'office-pc', at: T_BASE },
      online: { by: 'client-user', at: T_CLIENT },
    })
  })

  it('stamps every reported field of a new entry', () => {
    const incoming = makeIncoming({ baseVersion: null, counts: { received: 5, digitized: 1 } })
    const stamp = { by: 'client-user', at: T_CLIENT }
    expect(mergeEntry(null, null, incoming).fieldMeta).toEqual({
      received: stamp,
      digitized: stamp,
    })
  })

  it('stores counts in a stable key order', () => {
    const incoming = makeIncoming({
      baseVersion: null,
      counts: { online: 1, received: 5, digitized: 1 },
    })
    expect(Object.keys(mergeEntry(null, null, incoming).counts)).toEqual([
      'received',
      'digitized',
      'online',
    ])
  })
})
