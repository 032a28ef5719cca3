import { describe, expect, it } from 'vitest'
import { buildDemo, DEMO_PROVINCE_CODE } from '../../src/domain/demo.ts'
import {
  erasOfYear,
  inheritedLevelTarget,
  inheritedUnitTarget,
  targetScopeIn,
} from '../../src/domain/targetScope.ts'
import { indexTargets, type Target } from '../../src/domain/targets.ts'
import type { Unit } from '../../src/domain/units.ts'

const P = DEMO_PROVINCE_CODE
const units: Unit[] = buildDemo().units

function makeTarget(fields: Partial<Target>): Target {
  return {
    indicator: 'digitization',
    year: 2026,
    unitCode: P,
    level: 'commune',
    basisPoints: 9000,
    maxPoints: 10,
    updatedAt: '2026-01-05T00:00:00.000Z',
    updatedBy: 'tinh',
    ...fields,
  }
}

describe('erasOfYear', () => {
  it('splits 2025 at the reform and keeps other years whole', () => {
    expect(erasOfYear(units, 2025)).toHaveLength(2)
    expect(erasOfYear(units, 2024)).toHaveLength(1)
    expect(erasOfYear(units, 2026)).toHaveLength(1)
  })
})

describe('targetScopeIn', () => {
  it('offers district defaults only in years with districts', () => {
    expect(targetScopeIn(units, P, 2024).levels).toEqual(['province', 'district', 'commune'])
    expect(targetScopeIn(units, P, 2025).levels).toEqual(['province', 'district', 'commune'])
    expect(targetScopeIn(units, P, 2026).levels).toEqual(['province', 'commune'])
  })

  it('lists the root and every unit under it as override candidates, across both eras of 2025', () => {
    const codes = targetScopeIn(units, P, 2025).candidates.map((unit) => unit.code)
    expect(codes).toContain(P)
    expect(codes).toContain('991')
    expect(codes).toContain('99001')
    expect(codes).toContain('99019')
    const after = targetScopeIn(units, P, 2026).candidates.map((unit) => unit.code)
    expect(after).not.toContain('991')
    expect(after).toContain('99019')
  })

  it('under a district: its offices and communes', () => {
    const scope = targetScopeIn(units, '991', 2024)
    expect(scope.levels).toEqual(['district', 'commune'])
    expect(scope.candidates.map((unit) => unit.code).sort()).toEqual(
      ['991', '991-VP', '99001', '99004', '99007'].sort(),
    )
  })

  it('nationwide: every level, overrides on provinces only', () => {
    const scope = targetScopeIn(units, null, 2026)
    expect(scope.levels).toEqual(['province', 'commune'])
    expect(scope.candidates.map((unit) => unit.code)).toEqual([P])
  })

  it('has nothing for a unit that does not exist that year', () => {
    expect(targetScopeIn(units, '991', 2026)).toEqual({ levels: [], candidates: [] })
  })
})

describe('inheritedLevelTarget', () => {
  it('falls back to the built-in 80% for digitization, to nothing for the others', () => {
    const none = indexTargets([], 'digitization', 2026)
    expect(inheritedLevelTarget(none, units, P, 'commune', 'digitization', 2026)).toMatchObject({
      basisPoints: 8000,
      maxPoints: 10,
      source: 'builtIn',
    })
    expect(inheritedLevelTarget(none, units, P, 'commune', 'reuse', 2026)).toBeNull()
  })

  it('takes the nationwide default for the level over the built-in', () => {
    const targets = indexTargets(
      [makeTarget({ unitCode: null, level: 'commune', basisPoints: 8500 })],
      'digitization',
      2026,
    )
    expect(inheritedLevelTarget(targets, units, P, 'commune', 'digitization', 2026)).toMatchObject({
      basisPoints: 8500,
      source: 'national',
    })
    // Nationwide itself has nothing above it but the built-in.
    expect(
      inheritedLevelTarget(targets, units, null, 'commune', 'digitization', 2026),
    ).toMatchObject({ basisPoints: 8000, source: 'builtIn' })
  })

  it("takes the province's default under a district, ignoring the district's own", () => {
    const targets = indexTargets(
      [
        makeTarget({ year: 2024, unitCode: P, level: 'commune', basisPoints: 9100 }),
        makeTarget({ year: 2024, unitCode: '991', level: 'commune', basisPoints: 9500 }),
      ],
      'digitization',
      2024,
    )
    expect(
      inheritedLevelTarget(targets, units, '991', 'commune', 'digitization', 2024),
    ).toMatchObject({ basisPoints: 9100, source: 'level', target: { unitCode: P } })
  })
})

describe('inheritedUnitTarget', () => {
  it("shows what a commune would get without its own override: its province's level default", () => {
    const targets = indexTargets(
      [
        makeTarget({ unitCode: P, level: 'commune', basisPoints: 9000 }),
        makeTarget({ unitCode: '99019', level: null, basisPoints: 9900 }),
      ],
      'digitization',
      2026,
    )
    expect(inheritedUnitTarget(targets, units, '99019', 'digitization', 2026)).toMatchObject({
      basisPoints: 9000,
      source: 'level',
    })
  })

  it('uses the era the unit last existed in within the year', () => {
    // 99001 exists only before the reform, under district 991.
    const targets = indexTargets(
      [makeTarget({ year: 2025, unitCode: '991', level: 'commune', basisPoints: 8800 })],
      'digitization',
      2025,
    )
    expect(inheritedUnitTarget(targets, units, '99001', 'digitization', 2025)).toMatchObject({
      basisPoints: 8800,
      source: 'level',
    })
  })
})
