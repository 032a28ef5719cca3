/**
 * Builders for the dashboard domain tests (tally, targets, rollup, completeness, forecast), plus the
 * small hand-made province the roll-up and completeness tests share.
 */
import type { Counts } from '../../src/domain/indicators.ts'
import type { Month } from '../../src/domain/periods.ts'
import type { Fact } from '../../src/domain/rollup.ts'
import { addCounts, emptyTally, type Tally } from '../../src/domain/tally.ts'
import type { Target } from '../../src/domain/targets.ts'
import { REFORM_DATE, type Unit } from '../../src/domain/units.ts'

/** A commune valid since 2020 unless told otherwise. */
export function makeUnit(overrides: Partial<Unit> & Pick<Unit, 'code'>): Unit {
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

export function makeFact(overrides: Partial<Fact> & Pick<Fact, 'unitCode' | 'month'>): Fact {
  return { counts: { received: 100, digitized: 80 }, reportedAt: null, ...overrides }
}

/** A fact per unit code, all in `month`, from `{ code: [received, digitized] }`. */
export function factsOf(month: Month, byUnit: Record<string, readonly [number, number]>): Fact[] {
  return Object.entries(byUnit).map(([unitCode, [received, digitized]]) =>
    makeFact({ unitCode, month, counts: { received, digitized } }),
  )
}

/** A digitization target of 2025 on a unit (an override) unless told otherwise. */
export function makeTarget(overrides: Partial<Target> = {}): Target {
  return {
    indicator: 'digitization',
    year: 2025,
    unitCode: '42',
    level: null,
    basisPoints: 8000,
    maxPoints: 10,
    updatedAt: '2025-01-02T03:00:00.000Z',
    updatedBy: 'admin',
    ...overrides,
  }
}

/** A tally of the given unit-months. */
export function tallyOf(...records: Counts[]): Tally {
  const tally = emptyTally()
  for (const counts of records) addCounts(tally, counts)
  return tally
}

/**
 * Province 42 across the reform.
 *
 * Always: the province and its two departments 42-STP and 42-SYT (level province).
 * Before 2025-07-01: district 001 (office 001-VP, communes 00001, 00002) and district 002 (office
 * 002-VP, communes 00003, 00004).
 * From 2025-07-01: communes 00010 (merged from 00001 and 00002) and 00003 (kept its code, took in
 * 00004, now directly under the province). Province 43 with commune 43001 sits beside it.
 */
export function makeProvince(): Unit[] {
  const OLD = { validTo: REFORM_DATE }
  const NEW = { validFrom: REFORM_DATE }
  const office: Pick<Unit, 'kind' | 'type'> = { kind: 'office', type: 'Cơ quan' }
  return [
    makeUnit({ code: '42', kind: 'province', type: 'Tỉnh', level: 'province' }),
    makeUnit({ code: '42-STP', ...office, level: 'province', parentCode: '42' }),
    makeUnit({ code: '42-SYT', ...office, level: 'province', parentCode: '42' }),
    makeUnit({
      code: '001',
      kind: 'district',
      type: 'Huyện',
      level: 'district',
      parentCode: '42',
      ...OLD,
    }),
    makeUnit({ code: '001-VP', ...office, level: 'district', parentCode: '001', ...OLD }),
    makeUnit({ code: '00001', parentCode: '001', ...OLD }),
    makeUnit({ code: '00002', parentCode: '001', ...OLD }),
    makeUnit({
      code: '002',
      kind: 'district',
      type: 'Huyện',
      level: 'district',
      parentCode: '42',
      ...OLD,
    }),
    makeUnit({ code: '002-VP', ...office, level: 'district', parentCode: '002', ...OLD }),
    makeUnit({ code: '00003', parentCode: '002', ...OLD }),
    makeUnit({ code: '00004', parentCode: '002', ...OLD }),
    makeUnit({ code: '00010', parentCode: '42', ...NEW }),
    makeUnit({ code: '00003', parentCode: '42', ...NEW }),
    makeUnit({ code: '43', kind: 'province', type: 'Tỉnh', level: 'province' }),
    makeUnit({ code: '43001', parentCode: '43' }),
  ]
}
