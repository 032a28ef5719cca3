import { describe, expect, it } from 'vitest'
import type { Month } from '../../src/domain/periods.ts'
import {
  REFORM_DATE,
  ancestorsOf,
  hasDistricts,
  indexUnits,
  isActiveOn,
  isReportingUnit,
  isValidUnitCode,
  subtreeOf,
  unitsActiveIn,
  type Unit,
  type UnitKind,
} from '../../src/domain/units.ts'

/** A commune valid since 2020 unless told otherwise. */
function makeUnit(overrides: Partial<Unit> & Pick<Unit, 'code'>): Unit {
  return {
    name: `Đơn vị ${overrides.code}`,
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: null,
    validFrom: '2020-01-01',
    validTo: null,
    ...overrides,
  }
}

const OLD = { validTo: REFORM_DATE }
const NEW = { validFrom: REFORM_DATE }

/** Province 01; before the reform district 001 with communes 00001, 00004 and an office; after it, commune 00007 under the province. */
const UNITS: readonly Unit[] = [
  makeUnit({ code: '01', kind: 'province', type: 'Tỉnh', level: 'province' }),
  makeUnit({
    code: '01-STP',
    kind: 'office',
    type: 'Cơ quan',
    level: 'province',
    parentCode: '01',
  }),
  makeUnit({
    code: '001',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: '01',
    ...OLD,
  }),
  makeUnit({
    code: '001-VP',
    kind: 'office',
    type: 'Cơ quan',
    level: 'district',
    parentCode: '001',
    ...OLD,
  }),
  makeUnit({ code: '00001', parentCode: '001', ...OLD }),
  makeUnit({ code: '00004', parentCode: '001', type: 'Thị trấn', ...OLD }),
  makeUnit({ code: '00007', parentCode: '01', ...NEW }),
]

function codes(units: readonly Unit[]): string[] {
  return units.map((unit) => unit.code)
}

describe('isValidUnitCode', () => {
  it.each<[UnitKind, string, boolean]>([
    ['province', '01', true],
    ['province', '99', true],
    ['province', '1', false],
    ['province', '001', false],
    ['district', '001', true],
    ['district', '01', false],
    ['district', '0001', false],
    ['commune', '00001', true],
    ['commune', '0001', false],
    ['commune', '000001', false],
    ['commune', '0000a', false],
    ['office', '99-STTTT', true],
    ['office', '991-VP', true],
    ['office', '99001-UB', true],
    ['office', '99-stp', false],
    ['office', '99-', false],
    ['office', '-STP', false],
    ['office', '99-S', false],
    ['office', '99', false],
    ['office', '99 STP', false],
  ])('%s %j → %s', (kind, code, valid) => {
    expect(isValidUnitCode(kind, code)).toBe(valid)
  })
})

describe('validity in time', () => {
  it.each<[string, boolean]>([
    ['2019-12-31', false],
    ['2020-01-01', true],
    ['2025-06-30', true],
    ['2025-07-01', false],
  ])('a unit valid [2020-01-01, 2025-07-01) on %s → %s', (date, active) => {
    expect(isActiveOn(makeUnit({ code: '00001', ...OLD }), date)).toBe(active)
  })

  it.each<[Month, string[]]>([
    ['2025-06', ['01', '01-STP', '001', '001-VP', '00001', '00004']],
    ['2025-07', ['01', '01-STP', '00007']],
    ['2020-01', ['01', '01-STP', '001', '001-VP', '00001', '00004']],
    ['2030-12', ['01', '01-STP', '00007']],
  ])('unitsActiveIn(%s)', (month, expected) => {
    expect(codes(unitsActiveIn(UNITS, month))).toEqual(expected)
  })

  it('has nothing before the units existed', () => {
    expect(unitsActiveIn(UNITS, '2019-12')).toEqual([])
  })

  it.each<[Month, boolean]>([
    ['2024-01', true],
    ['2025-06', true],
    ['2025-07', false],
    ['2026-01', false],
  ])('hasDistricts(%s) → %s', (month, expected) => {
    expect(hasDistricts(month)).toBe(expected)
  })

  it('REFORM_DATE is 2025-07-01', () => {
    expect(REFORM_DATE).toBe('2025-07-01')
  })
})

describe('isReportingUnit', () => {
  it('is communes and offices, not provinces or districts', () => {
    expect(codes(UNITS.filter(isReportingUnit))).toEqual([
      '01-STP',
      '001-VP',
      '00001',
      '00004',
      '00007',
    ])
  })
})

describe('ancestorsOf', () => {
  const before = indexUnits(unitsActiveIn(UNITS, '2025-06'))
  const after = indexUnits(unitsActiveIn(UNITS, '2025-07'))

  it.each<[string, string[]]>([
    ['00001', ['001', '01']],
    ['001-VP', ['001', '01']],
    ['001', ['01']],
    ['01', []],
    ['99999', []],
  ])('before the reform, %s → %o', (code, expected) => {
    expect(codes(ancestorsOf(before, code))).toEqual(expected)
  })

  it('after the reform a commune sits directly under the province', () => {
    expect(codes(ancestorsOf(after, '00007'))).toEqual(['01'])
  })

  it('stops at a parent missing from the era', () => {
    const orphan = indexUnits([makeUnit({ code: '00010', parentCode: '010' })])
    expect(ancestorsOf(orphan, '00010')).toEqual([])
  })

  it('stops on a cycle in bad data', () => {
    const cyclic = indexUnits([
      makeUnit({ code: '00001', parentCode: '00002' }),
      makeUnit({ code: '00002', parentCode: '00001' }),
    ])
    expect(codes(ancestorsOf(cyclic, '00001'))).toEqual(['00002', '00001'])
  })
})

describe('subtreeOf', () => {
  const before = unitsActiveIn(UNITS, '2025-06')
  const after = unitsActiveIn(UNITS, '2025-07')

  it.each<[readonly Unit[], string, string[]]>([
    [before, '01', ['01', '01-STP', '001', '001-VP', '00001', '00004']],
    [before, '001', ['001', '001-VP', '00001', '00004']],
    [before, '00001', ['00001']],
    [after, '01', ['01', '01-STP', '00007']],
    [after, '001', []],
  ])('%#: subtree of %s', (units, code, expected) => {
    expect(codes(subtreeOf(units, code)).sort()).toEqual([...expected].sort())
  })

  it('terminates on a cycle in bad data', () => {
    const cyclic = [
      makeUnit({ code: '00001', parentCode: '00002' }),
      makeUnit({ code: '00002', parentCode: '00001' }),
    ]
    expect(codes(subtreeOf(cyclic, '00001')).sort()).toEqual(['00001', '00002'])
  })
})
