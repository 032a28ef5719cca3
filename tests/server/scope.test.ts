import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildDemo } from '../../src/domain/demo.ts'
import type { ReviewAction } from '../../src/domain/review.ts'
import type { RejectReason, ReviewOp } from '../../src/domain/sync/protocol.ts'
import {
  ancestorCodes,
  buildUnitTree,
  currentMonthInVietnam,
  readScopeOf,
  reviewCheckFor,
  scopeCovers,
  subtreeCodes,
  targetCheckFor,
  targetReadScopeOf,
  visibleUnits,
  writeCheckFor,
  type ScopedUser,
} from '../../src/server/auth/scope.ts'
import { deviceBelongsTo } from '../../src/server/auth/devices.ts'
import { makeOp, makeTargetOp } from './helpers.ts'

const tree = buildUnitTree(buildDemo({ endMonth: '2025-12' }).units)
const reporter: ScopedUser = { role: 'reporter', unitCodes: ['99019'] }
const oldReporter: ScopedUser = { role: 'reporter', unitCodes: ['99001'] }
const viewer: ScopedUser = { role: 'viewer', unitCodes: ['99'] }
const districtViewer: ScopedUser = { role: 'viewer', unitCodes: ['991'] }
const admin: ScopedUser = { role: 'admin', unitCodes: [] }

const sorted = (codes: Iterable<string>) => [...codes].sort()

describe('the unit tree across eras', () => {
  it('gives a province viewer every unit below it before and after the reform', () => {
    expect(sorted(subtreeCodes(tree, ['99']))).toEqual(
      sorted([
        '99',
        '99-STP',
        '99-SXD',
        '991',
        '991-VP',
        '99001',
        '99004',
        '99007',
        '992',
        '992-VP',
        '99010',
        '99013',
        '99016',
        '99019',
        '99022',
        '99025',
      ]),
    )
  })

  it('gives a district viewer its pre-reform district only', () => {
    expect(sorted(subtreeCodes(tree, ['991']))).toEqual(
      sorted(['991', '991-VP', '99001', '99004', '99007']),
    )
  })

  it('ignores unknown roots and survives a parent cycle', () => {
    expect(subtreeCodes(tree, ['42'])).toEqual(new Set())
    const cyclic = buildUnitTree([
      { ...tree.units[0]!, code: 'A1', parentCode: 'B1' },
      { ...tree.units[0]!, code: 'B1', parentCode: 'A1' },
    ])
    expect(sorted(subtreeCodes(cyclic, ['A1']))).toEqual(['A1', 'B1'])
    expect(sorted(ancestorCodes(cyclic, ['A1']))).toEqual(['A1', 'B1'])
  })

  it('finds the ancestors of old and new communes', () => {
    expect(sorted(ancestorCodes(tree, ['99001']))).toEqual(['99', '991'])
    expect(sorted(ancestorCodes(tree, ['99019']))).toEqual(['99'])
  })
})

describe('read scope', () => {
  it.each([
    ['reporter', reporter, ['99019'], ['99022', '99001', '99']],
    ['viewer of the province', viewer, ['99', '99001', '99019', '991-VP'], ['42001']],
    ['viewer of a district', districtViewer, ['99001', '991-VP'], ['99019', '99010']],
  ])('%s reads exactly its units', (_name, user, readable, unreadable) => {
    const scope = readScopeOf(user, tree)
    for (const code of readable) expect(scopeCovers(scope, [code]), code).toBe(true)
    for (const code of unreadable) expect(scopeCovers(scope, [code]), code).toBe(false)
  })

  it('lets an admin read everything', () => {
    expect(readScopeOf(admin, tree)).toEqual({ all: true })
    expect(scopeCovers({ all: true }, ['anything'])).toBe(true)
  })

  it('shows a reporter its unit and the province above it, nothing else', () => {
    expect(sorted(visibleUnits(reporter, tree).map((unit) => unit.code))).toEqual(['99', '99019'])
    expect(sorted(visibleUnits(oldReporter, tree).map((unit) => unit.code))).toEqual([
      '99',
      '99001',
      '991',
    ])
  })
})

describe('read scope across the 2025 reorganization', () => {
  // 99019 was formed from 99001 and 99004 (demo.ts); 99022 from 99010 and 99013.
  const links = [
    { newCode: '99019', oldCode: '99001' },
    { newCode: '99019', oldCode: '99004' },
    { newCode: '99022', oldCode: '99010' },
  ]
  const linked = buildUnitTree(buildDemo({ endMonth: '2025-12' }).units, links)

  it('lets a new commune read the old communes merged into it, and no others', () => {
    const scope = readScopeOf(reporter, linked)
    for (const code of ['99019', '99001', '99004'])
      expect(scopeCovers(scope, [code]), code).toBe(true)
    for (const code of ['99010', '99022', '99'])
      expect(scopeCovers(scope, [code]), code).toBe(false)
    expect(sorted(visibleUnits(reporter, linked).map((unit) => unit.code))).toEqual(
      sorted(['99', '99019', '99001', '99004', '991']),
    )
  })

  it('still lets it write only its own commune', () => {
    const check = writeCheckFor(reporter, linked, new Date('2025-12-15T00:00:00Z'))
    expect(check(makeOp({ unitCode: '99001', month: '2025-03' }))).toBe('forbidden')
    expect(check(makeOp({ unitCode: '99019', month: '2025-09' }))).toBeNull()
  })
})

describe('write check', () => {
  const now = new Date('2025-10-15T05:00:00Z')
  const cases: [string, ScopedUser, Parameters<typeof makeOp>[0], RejectReason | null][] = [
    ['reporter, own commune', reporter, { unitCode: '99019', month: '2025-09' }, null],
    ['reporter, current month', reporter, { unitCode: '99019', month: '2025-10' }, null],
    ['reporter, another commune', reporter, { unitCode: '99022' }, 'forbidden'],
    ['reporter, an unknown unit', reporter, { unitCode: '42001' }, 'unknownUnit'],
    ['reporter, next month', reporter, { unitCode: '99019', month: '2025-11' }, 'futureMonth'],
    ['reporter, before its commune existed', reporter, { month: '2025-06' }, 'unitNotActive'],
    ['old reporter, old month', oldReporter, { unitCode: '99001', month: '2025-06' }, null],
    ['old reporter, after the merger', oldReporter, { unitCode: '99001' }, 'unitNotActive'],
    ['viewer, a commune it reads', viewer, { unitCode: '99019' }, 'forbidden'],
    ['admin, any commune', admin, { unitCode: '99022' }, null],
    ['admin, an office', admin, { unitCode: '99-STP' }, null],
    ['admin, the province total', admin, { unitCode: '99' }, 'invalid'],
    ['admin, an unknown unit', admin, { unitCode: '42001' }, 'unknownUnit'],
    ['admin, next month', admin, { month: '2025-11' }, 'futureMonth'],
  ]
  it.each(cases)('%s', (_name, user, op, expected) => {
    expect(writeCheckFor(user, tree, now)(makeOp(op))).toBe(expected)
  })

  it('uses the month in Vietnam, whatever the server time zone', () => {
    // 18:30 UTC on 31 October is already 1 November in Hà Nội.
    const lateEvening = new Date('2025-10-31T18:30:00Z')
    expect(currentMonthInVietnam(lateEvening)).toBe('2025-11')
    expect(writeCheckFor(reporter, tree, lateEvening)(makeOp({ month: '2025-11' }))).toBeNull()
  })

  it('refuses a viewer each entry op rather than the whole push', () => {
    expect(writeCheckFor(viewer, tree, now)(makeOp({ unitCode: '99019' }))).toBe('forbidden')
    expect(writeCheckFor(viewer, tree, now)(makeTargetOp())).toBeNull()
  })
})

describe('target check', () => {
  const cases: [string, ScopedUser, Parameters<typeof makeTargetOp>[0], RejectReason | null][] = [
    ['admin, nationwide', admin, { unitCode: null, level: 'commune' }, null],
    ['admin, a province default', admin, { unitCode: '99', level: 'commune' }, null],
    ['admin, a unit override', admin, { unitCode: '99022', level: null }, null],
    ['admin, an unknown unit', admin, { unitCode: '42001' }, 'unknownUnit'],
    ['admin, a level above the unit', admin, { unitCode: '99019', level: 'province' }, 'invalid'],
    ['admin, the unit’s own level', admin, { unitCode: '99', level: 'province' }, null],
    ['admin, over 100%', admin, { basisPoints: 10_001 }, 'invalid'],
    ['admin, no points', admin, { maxPoints: 0 }, 'invalid'],
    ['admin, year 1999', admin, { year: 1999 }, 'invalid'],
    ['viewer, its province', viewer, { unitCode: '99', level: 'commune' }, null],
    ['viewer, a commune of its province', viewer, { unitCode: '99019', level: null }, null],
    ['viewer, a pre-reform district', viewer, { unitCode: '991', level: 'commune' }, null],
    ['viewer, nationwide', viewer, { unitCode: null, level: 'commune' }, 'forbidden'],
    ['viewer, another province', viewer, { unitCode: '42001' }, 'unknownUnit'],
    ['district viewer, its district', districtViewer, { unitCode: '991', level: 'commune' }, null],
    ['district viewer, the province', districtViewer, { unitCode: '99' }, 'forbidden'],
    [
      'district viewer, a new commune',
      districtViewer,
      { unitCode: '99019', level: null },
      'forbidden',
    ],
    ['reporter, its own commune', reporter, { unitCode: '99019', level: null }, 'forbidden'],
    ['reporter, nationwide', reporter, { unitCode: null }, 'forbidden'],
  ]
  it.each(cases)('%s', (_name, user, op, expected) => {
    expect(targetCheckFor(user, tree)(makeTargetOp(op))).toBe(expected)
  })
})

describe('review check', () => {
  const otherReporter: ScopedUser = { role: 'reporter', unitCodes: ['99022'] }
  const review = (action: ReviewAction, unitCode = '99019'): ReviewOp => ({
    id: randomUUID(),
    seq: 1,
    kind: 'review',
    action,
    unitCode,
    month: '2025-09',
    comment: 'Xem lại',
    createdAt: '2025-10-01T01:00:00.000Z',
  })
  const cases: [string, ScopedUser, ReviewAction, string, RejectReason | null][] = [
    ['reporter submits its commune', reporter, 'submit', '99019', null],
    ['reporter submits another commune', otherReporter, 'submit', '99019', 'forbidden'],
    ['old reporter submits its old commune', oldReporter, 'submit', '99001', null],
    ['reporter accepts its own month', reporter, 'accept', '99019', 'forbidden'],
    ['reporter returns its own month', reporter, 'return', '99019', 'forbidden'],
    ['reporter reopens its own month', reporter, 'reopen', '99019', 'forbidden'],
    ['province viewer accepts a commune', viewer, 'accept', '99019', null],
    ['province viewer returns an old commune', viewer, 'return', '99001', null],
    ['province viewer reopens an office', viewer, 'reopen', '99-STP', null],
    ['province viewer submits for a commune', viewer, 'submit', '99019', 'forbidden'],
    ['district viewer accepts its commune', districtViewer, 'accept', '99004', null],
    [
      'district viewer accepts outside its district',
      districtViewer,
      'accept',
      '99019',
      'forbidden',
    ],
    [
      'district viewer returns outside its district',
      districtViewer,
      'return',
      '99010',
      'forbidden',
    ],
    ['admin submits', admin, 'submit', '99019', null],
    ['admin accepts', admin, 'accept', '99022', null],
    ['admin reopens', admin, 'reopen', '99001', null],
    ['admin, an unknown unit', admin, 'accept', '42001', 'unknownUnit'],
    ['viewer, an unknown unit', viewer, 'accept', '42001', 'unknownUnit'],
  ]
  it.each(cases)('%s', (_name, user, action, unitCode, expected) => {
    expect(reviewCheckFor(user, tree)(review(action, unitCode))).toBe(expected)
    // The push's check routes review ops to the same rules.
    expect(
      writeCheckFor(user, tree, new Date('2025-10-15T05:00:00Z'))(review(action, unitCode)),
    ).toBe(expected)
  })
})

describe('target read scope', () => {
  it('gives a reporter its units and their ancestors', () => {
    const scope = targetReadScopeOf(reporter, tree)
    expect(scope.all ? [] : sorted(scope.unitCodes)).toEqual(['99', '99019'])
  })

  it('gives an old commune reporter its district and province too', () => {
    const scope = targetReadScopeOf(oldReporter, tree)
    expect(scope.all ? [] : sorted(scope.unitCodes)).toEqual(['99', '99001', '991'])
  })

  it('gives a district viewer its subtree and the province above', () => {
    const scope = targetReadScopeOf(districtViewer, tree)
    expect(scope.all ? [] : sorted(scope.unitCodes)).toEqual([
      '99',
      '99001',
      '99004',
      '99007',
      '991',
      '991-VP',
    ])
  })

  it('gives an admin everything', () => {
    expect(targetReadScopeOf(admin, tree)).toEqual({ all: true })
  })
})

describe('device streams', () => {
  const user = '0b6c8c52-6a43-4c41-9f55-8c1f9d1f1e11'
  it.each([
    [`install-1:${user}`, true],
    [`install-1:other-${user}x`, false],
    [`install-1.${user}`, false],
    [user, false],
    [`:${user}`, false],
    ['install-1', false],
  ])('%s belongs to the user: %s', (deviceId, expected) => {
    expect(deviceBelongsTo(deviceId, user)).toBe(expected)
  })
})
