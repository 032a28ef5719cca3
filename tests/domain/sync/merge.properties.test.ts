import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DATA_ELEMENTS, type Counts } from '../../../src/domain/indicators.ts'
import {
  MERGE_FIELDS,
  mergeEntry,
  type CurrentEntry,
  type EntryValues,
  type IncomingEdit,
} from '../../../src/domain/sync/merge.ts'
import { validateCounts } from '../../../src/domain/validation.ts'

function makeCurrent(overrides: Partial<CurrentEntry>): CurrentEntry {
  return {
    counts: {},
    note: '',
    version: 3,
    fieldMeta: {},
    updatedBy: 'server-user',
    updatedAt: '2025-03-02T08:00:00.000Z',
    ...overrides,
  }
}

function makeBase(overrides: Partial<EntryValues>): EntryValues {
  return { counts: {}, note: '', ...overrides }
}

function makeIncoming(overrides: Partial<IncomingEdit>): IncomingEdit {
  return {
    counts: {},
    note: '',
    baseVersion: 2,
    author: 'client-user',
    at: '2025-03-03T08:00:00.000Z',
    ...overrides,
  }
}

/** Valid counts: every count at most `received`/`resolved`, as validateCounts requires. */
const validCounts = fc
  .record({
    received: fc.integer({ min: 0, max: 50 }),
    resolved: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    digitized: fc.integer({ min: 0, max: 50 }),
    online: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
  })
  .map(({ received, resolved, digitized, online }): Counts => {
    const counts: Counts = { received, digitized: Math.min(digitized, received) }
    if (resolved !== undefined) counts.resolved = resolved
    if (online !== undefined) counts.online = Math.min(online, received)
    return counts
  })
const note = fc.constantFrom('', 'a', 'b')

describe('mergeEntry: properties', () => {
  it('never loses a current value silently and never stores invalid counts', () => {
    fc.assert(
      fc.property(
        validCounts,
        validCounts,
        validCounts,
        note,
        note,
        note,
        (cur, bas, inc, n1, n2, n3) => {
          const current = makeCurrent({ counts: cur, note: n1 })
          const base = makeBase({ counts: bas, note: n2 })
          const result = mergeEntry(current, base, makeIncoming({ counts: inc, note: n3 }))
          expect(validateCounts(result.counts).errors).toEqual([])
          for (const field of MERGE_FIELDS) {
            const before = field === 'note' ? current.note : current.counts[field]
            const after = field === 'note' ? result.note : result.counts[field]
            const was = field === 'note' ? base.note : base.counts[field]
            // The value stays, or the client knowingly replaced it (it was the base), or it is a conflict.
            const kept =
              before === after ||
              before === was ||
              result.conflicts.some((c) => c.field === field && c.value === (before ?? null))
            expect(kept, `${field}: ${String(before)} → ${String(after)}`).toBe(true)
          }
          for (const field of DATA_ELEMENTS)
            if (inc[field] === bas[field] && cur[field] !== bas[field] && result.mode === 'merge')
              expect(result.counts[field]).toBe(cur[field])
        },
      ),
    )
  })

  it('is deterministic', () => {
    fc.assert(
      fc.property(validCounts, validCounts, validCounts, (cur, bas, inc) => {
        const run = () =>
          mergeEntry(
            makeCurrent({ counts: cur }),
            makeBase({ counts: bas }),
            makeIncoming({ counts: inc }),
          )
        expect(run()).toEqual(run())
      }),
    )
  })
})
