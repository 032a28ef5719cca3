import { describe, expect, it } from 'vitest'
import type { IndicatorId } from '../../src/domain/indicators.ts'
import type { Month } from '../../src/domain/periods.ts'
import {
  DEFAULT_TARGETS,
  indexTargets,
  meetsTarget,
  resolveTarget,
  score766,
  targetKey,
  targetProblem,
  type ResolvedTarget,
  type Target,
} from '../../src/domain/targets.ts'
import { indexUnits, unitsActiveIn } from '../../src/domain/units.ts'
import { makeProvince, makeTarget } from './builders.ts'

const UNITS = makeProvince()

/** Resolves the target of `code` as it was in `month` among `targets` (2025 digitization unless told). */
function resolve(
  code: string,
  targets: Target[],
  {
    month = '2025-05',
    indicator = 'digitization',
  }: { month?: Month; indicator?: IndicatorId } = {},
): ResolvedTarget | null {
  const era = indexUnits(unitsActiveIn(UNITS, month))
  const unit = era.get(code)
  if (!unit) throw new Error(`${code} not in force in ${month}`)
  return resolveTarget(indexTargets(targets, indicator, 2025), unit, era, indicator)
}

/** A default for `level` units under `unitCode` (null: nationwide). */
function levelDefault(
  unitCode: string | null,
  level: Target['level'],
  basisPoints: number,
  overrides: Partial<Target> = {},
): Target {
  return makeTarget({ unitCode, level, basisPoints, ...overrides })
}

describe('targetKey', () => {
  it('tells an override, a level default and a nationwide default apart', () => {
    expect(targetKey(makeTarget({ unitCode: '00001', level: null }))).toBe(
      'digitization/2025/00001/=',
    )
    expect(targetKey(makeTarget({ unitCode: '42', level: 'commune' }))).toBe(
      'digitization/2025/42/commune',
    )
    expect(targetKey(makeTarget({ unitCode: null, level: 'commune', year: 2026 }))).toBe(
      'digitization/2026/*/commune',
    )
  })
})

describe('resolveTarget', () => {
  // Commune 00001 before the reform: 00001 → district 001 → province 42.
  const override = makeTarget({ unitCode: '00001', level: null, basisPoints: 9000, maxPoints: 12 })
  const onDistrict = levelDefault('001', 'commune', 8500)
  const onProvince = levelDefault('42', 'commune', 7000)
  const national = levelDefault(null, 'commune', 6000)

  it('takes the unit’s own override first', () => {
    expect(resolve('00001', [national, onProvince, onDistrict, override])).toEqual({
      rate: 0.9,
      basisPoints: 9000,
      maxPoints: 12,
      source: 'unit',
      target: override,
    })
  })

  it('then the level default of the nearest ancestor', () => {
    // District 001 (85%) is nearer than province 42 (70%).
    expect(resolve('00001', [national, onProvince, onDistrict])).toMatchObject({
      rate: 0.85,
      basisPoints: 8500,
      source: 'level',
      target: onDistrict,
    })
    expect(resolve('00001', [national, onProvince])).toMatchObject({
      basisPoints: 7000,
      source: 'level',
      target: onProvince,
    })
  })

  it('then the nationwide default for the level, then the built-in 80%', () => {
    expect(resolve('00001', [national])).toMatchObject({
      rate: 0.6,
      basisPoints: 6000,
      source: 'national',
      target: national,
    })
    expect(resolve('00001', [])).toEqual({
      rate: 0.8,
      basisPoints: 8000,
      maxPoints: 10,
      source: 'builtIn',
      target: null,
    })
    expect(DEFAULT_TARGETS.digitization).toEqual({ basisPoints: 8000, maxPoints: 10 })
  })

  it('ignores defaults for other levels, other years and other indicators', () => {
    const targets = [
      levelDefault('42', 'district', 5000), // districts, not communes
      levelDefault('001', 'commune', 5100, { year: 2024 }),
      levelDefault('001', 'commune', 5200, { indicator: 'online' }),
      makeTarget({ unitCode: '00002', level: null, basisPoints: 5300 }), // another commune
      levelDefault(null, 'province', 5400),
    ]
    expect(resolve('00001', targets)).toMatchObject({ basisPoints: 8000, source: 'builtIn' })
  })

  it('is null for an indicator with no built-in default and nothing set', () => {
    expect(DEFAULT_TARGETS.online).toBeUndefined()
    expect(resolve('00001', [onProvince], { indicator: 'online' })).toBeNull()
    const online = levelDefault(null, 'commune', 3000, { indicator: 'online' })
    expect(resolve('00001', [online], { indicator: 'online' })).toMatchObject({
      basisPoints: 3000,
      source: 'national',
    })
  })

  it('covers a province’s own offices with the province level default set on the province', () => {
    const provinceOffices = levelDefault('42', 'province', 6500)
    const targets = [provinceOffices, onProvince, levelDefault(null, 'province', 5000)]
    // 42-STP is an office of level province under 42: the 42/province default, not 42/commune.
    expect(resolve('42-STP', targets)).toMatchObject({ basisPoints: 6500, source: 'level' })
    // The province as a whole is not one of its own offices: the default it sets for its offices
    // does not become the target of its three-level total, which falls to the nationwide default.
    expect(resolve('42', targets)).toMatchObject({ basisPoints: 5000, source: 'national' })
    // Without it, both fall to the nationwide default for the province level.
    expect(resolve('42-STP', [onProvince, levelDefault(null, 'province', 5000)])).toMatchObject({
      basisPoints: 5000,
      source: 'national',
    })
  })

  it('resolves a district office through its district before the province', () => {
    const targets = [levelDefault('42', 'district', 7000), levelDefault('001', 'district', 7500)]
    expect(resolve('001-VP', targets)).toMatchObject({ basisPoints: 7500, source: 'level' })
    // 002-VP's district sets nothing: the province's default for district-level units.
    expect(resolve('002-VP', targets)).toMatchObject({ basisPoints: 7000, source: 'level' })
  })

  it('follows the parent of the era: 00003 under district 002 before the reform, 42 after', () => {
    const targets = [levelDefault('002', 'commune', 9900), onProvince]
    expect(resolve('00003', targets, { month: '2025-06' })).toMatchObject({ basisPoints: 9900 })
    expect(resolve('00003', targets, { month: '2025-07' })).toMatchObject({ basisPoints: 7000 })
  })
})

describe('meetsTarget', () => {
  const target = resolve('00001', [])

  it('compares in basis points at the boundary', () => {
    expect(meetsTarget(0.8, target)).toBe(true) // 8000 ≥ 8000
    expect(meetsTarget(4 / 5, target)).toBe(true)
    expect(meetsTarget(0.79995, target)).toBe(false) // 7999,5 < 8000
    expect(meetsTarget(0.80005, target)).toBe(true)
    expect(meetsTarget(1, target)).toBe(true)
    expect(meetsTarget(0, target)).toBe(false)
  })

  it('is not fooled by binary fractions: 57/100 meets 57,00%', () => {
    // 57 / 100 × 10 000 is 5699.999999999999 in floating point.
    const fiftySeven = resolve('00001', [makeTarget({ unitCode: '00001', basisPoints: 5700 })])
    expect((57 / 100) * 10_000).toBeLessThan(5700)
    expect(meetsTarget(57 / 100, fiftySeven)).toBe(true)
    expect(meetsTarget(5699 / 10_000, fiftySeven)).toBe(false)
  })

  it('is null without a rate or without a target', () => {
    expect(meetsTarget(null, target)).toBeNull()
    expect(meetsTarget(0.9, null)).toBeNull()
  })
})

describe('score766', () => {
  it.each([
    // rate, max, score: full points at 80% or more, else rate × max ÷ 80%.
    [0.8, 10, 10],
    [0.9, 10, 10],
    [1, 10, 10],
    [0.6, 10, 7.5], // 0,6 × 10 ÷ 0,8
    [0.4, 20, 10], // 0,4 × 20 ÷ 0,8
    [0.2, 10, 2.5], // 0,2 × 10 ÷ 0,8
    [0, 10, 0],
  ])('rate %s with max %s scores %s', (rate, max, score) => {
    expect(score766(rate, max)).toBeCloseTo(score, 12)
  })

  it('scores 0,6 × 10 as exactly 7,5', () => {
    expect(score766(0.6, 10)).toBe(7.5)
  })

  it('just under 80% is not full points', () => {
    // 0,7999 × 10 ÷ 0,8 = 9,99875
    expect(score766(0.7999, 10)).toBeCloseTo(9.99875, 12)
  })

  it('has no score without a rate', () => {
    expect(score766(null, 10)).toBeNull()
    expect(score766(Number.NaN, 10)).toBeNull()
  })
})

describe('targetProblem', () => {
  const valid = { basisPoints: 8000, maxPoints: 10, year: 2025 }

  it('accepts a target within bounds, the bounds included', () => {
    expect(targetProblem(valid)).toBeNull()
    expect(targetProblem({ ...valid, basisPoints: 0 })).toBeNull()
    expect(targetProblem({ ...valid, basisPoints: 10_000 })).toBeNull()
    expect(targetProblem({ ...valid, maxPoints: 100 })).toBeNull()
    expect(targetProblem({ ...valid, maxPoints: 2.5 })).toBeNull()
    expect(targetProblem({ ...valid, year: 2000 })).toBeNull()
    expect(targetProblem({ ...valid, year: 2100 })).toBeNull()
  })

  it.each([
    [{ basisPoints: 8000.5 }, 'basisPoints'],
    [{ basisPoints: -1 }, 'basisPoints'],
    [{ basisPoints: 10_001 }, 'basisPoints'],
    [{ basisPoints: Number.NaN }, 'basisPoints'],
    [{ maxPoints: 0 }, 'maxPoints'],
    [{ maxPoints: -5 }, 'maxPoints'],
    [{ maxPoints: 101 }, 'maxPoints'],
    [{ maxPoints: Number.POSITIVE_INFINITY }, 'maxPoints'],
    [{ maxPoints: Number.NaN }, 'maxPoints'],
    [{ year: 1999 }, 'year'],
    [{ year: 2101 }, 'year'],
    [{ year: 2025.5 }, 'year'],
  ])('rejects %o as %s', (change, problem) => {
    expect(targetProblem({ ...valid, ...change })).toBe(problem)
  })

  it('names the first problem when there are several', () => {
    expect(targetProblem({ basisPoints: -1, maxPoints: 0, year: 1 })).toBe('basisPoints')
    expect(targetProblem({ basisPoints: 1, maxPoints: 0, year: 1 })).toBe('maxPoints')
  })
})
