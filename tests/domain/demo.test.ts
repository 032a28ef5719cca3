import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEMO_MONTHS, DEMO_PROVINCE_CODE, buildDemo } from '../../src/domain/demo.ts'
import { entryKey, type Entry } from '../../src/domain/entries.ts'
import { DIGITIZATION } from '../../src/domain/indicators.ts'
import { addMonths, monthRange, type Month } from '../../src/domain/periods.ts'
import { ratio } from '../../src/domain/rates.ts'
import {
  ancestorsOf,
  indexUnits,
  isActiveOn,
  isReportingUnit,
  isValidUnitCode,
  unitsActiveIn,
} from '../../src/domain/units.ts'
import { validateCounts } from '../../src/domain/validation.ts'

const END: Month = '2026-03'
const demo = buildDemo({ endMonth: END })

function monthsOfEntries(entries: readonly Entry[]): Month[] {
  return [...new Set(entries.map((entry) => entry.month))].sort()
}

describe('buildDemo', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is deterministic', () => {
    expect(buildDemo({ endMonth: END })).toEqual(demo)
    expect(JSON.stringify(buildDemo({ endMonth: END }))).toBe(JSON.stringify(demo))
  })

  it('gives a month the same counts whatever the window it falls in', () => {
    const later = buildDemo({ endMonth: addMonths(END, 6) })
    const key = (entry: Entry) => entryKey(entry.unitCode, entry.month)
    const earlier = new Map(demo.entries.map((entry) => [key(entry), entry]))
    const shared = later.entries.filter((entry) => earlier.has(key(entry)))
    expect(shared.length).toBeGreaterThan(0)
    // Only the rates' slow trend depends on the window, so `received` is stable.
    for (const entry of shared) {
      expect(entry.counts.received).toBe(earlier.get(key(entry))?.counts.received)
    }
  })

  it('covers DEMO_MONTHS months ending at endMonth', () => {
    expect(monthsOfEntries(demo.entries)).toEqual(monthRange(addMonths(END, 1 - DEMO_MONTHS), END))
    expect(DEMO_MONTHS).toBe(24)
  })

  it('ends by default at the month before the current one', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date(2026, 0, 15, 12))
    expect(monthsOfEntries(buildDemo().entries).at(-1)).toBe('2025-12')
  })

  it('returns copies that a caller may change', () => {
    const first = buildDemo({ endMonth: END })
    first.units[0]!.name = 'changed'
    expect(buildDemo({ endMonth: END }).units[0]!.name).toBe('Tỉnh Sơn Hoà (mẫu)')
  })
})

describe('demo units', () => {
  const { units } = demo

  it('has one province, code 99, valid throughout', () => {
    const provinces = units.filter((unit) => unit.kind === 'province')
    expect(provinces).toEqual([
      {
        code: DEMO_PROVINCE_CODE,
        name: 'Tỉnh Sơn Hoà (mẫu)',
        nameEn: 'Son Hoa Province (sample)',
        kind: 'province',
        type: 'Tỉnh',
        level: 'province',
        parentCode: null,
        validFrom: '2020-01-01',
        validTo: null,
      },
    ])
  })

  it.each(demo.units.map((unit) => [unit.code, unit] as const))(
    '%s has a valid code, a sample name and an English name',
    (code, unit) => {
      expect(isValidUnitCode(unit.kind, code)).toBe(true)
      expect(code.startsWith(DEMO_PROVINCE_CODE)).toBe(true)
      expect(unit.name).toMatch(/\(mẫu\)$/u)
      expect(unit.nameEn).toMatch(/\(sample\)$/u)
    },
  )

  it('has unique codes', () => {
    expect(new Set(units.map((unit) => unit.code)).size).toBe(units.length)
  })

  it('has a parent that outlives it for every unit but the province', () => {
    for (const unit of units) {
      if (unit.kind === 'province') continue
      const parent = units.find((candidate) => candidate.code === unit.parentCode)
      expect(parent, unit.code).toBeDefined()
      expect(isActiveOn(parent!, unit.validFrom), unit.code).toBe(true)
      if (parent!.validTo !== null) expect(unit.validTo, unit.code).not.toBeNull()
      if (parent!.validTo !== null) expect(unit.validTo! <= parent!.validTo, unit.code).toBe(true)
    }
  })

  it('has three levels with district offices before the reform', () => {
    const before = unitsActiveIn(units, '2025-06')
    const index = indexUnits(before)
    expect(before.filter((unit) => unit.kind === 'district')).toHaveLength(2)
    expect(before.filter((unit) => unit.kind === 'commune')).toHaveLength(6)
    expect(
      before.filter((unit) => unit.kind === 'office' && unit.level === 'district'),
    ).toHaveLength(2)
    for (const unit of before.filter((candidate) => candidate.kind === 'commune')) {
      expect(ancestorsOf(index, unit.code).map((a) => a.kind)).toEqual(['district', 'province'])
    }
  })

  it('has two levels after the reform: communes directly under the province', () => {
    const after = unitsActiveIn(units, '2025-07')
    const index = indexUnits(after)
    expect(after.filter((unit) => unit.kind === 'district')).toEqual([])
    expect(after.filter((unit) => unit.kind === 'commune')).toHaveLength(3)
    for (const unit of after.filter((candidate) => candidate.kind === 'commune')) {
      expect(ancestorsOf(index, unit.code).map((a) => a.code)).toEqual([DEMO_PROVINCE_CODE])
    }
  })

  it('keeps the two province departments in both eras', () => {
    for (const month of ['2024-01', '2026-01'] satisfies Month[]) {
      const offices = unitsActiveIn(units, month).filter(
        (unit) => unit.kind === 'office' && unit.level === 'province',
      )
      expect(offices.map((unit) => unit.code)).toEqual(['99-STP', '99-SXD'])
    }
  })
})

describe('demo entries', () => {
  const { units, entries } = demo

  it('spans both eras', () => {
    const months = monthsOfEntries(entries)
    expect(months.some((month) => month < '2025-07')).toBe(true)
    expect(months.some((month) => month >= '2025-07')).toBe(true)
  })

  it('has exactly one entry per reporting unit active in each month', () => {
    for (const month of monthsOfEntries(entries)) {
      const expected = unitsActiveIn(units, month)
        .filter(isReportingUnit)
        .map((unit) => unit.code)
        .sort()
      const actual = entries
        .filter((entry) => entry.month === month)
        .map((entry) => entry.unitCode)
        .sort()
      expect(actual, month).toEqual(expected)
    }
  })

  it('passes validation with no errors, every one', () => {
    const failing = entries
      .map((entry) => ({ entry, errors: validateCounts(entry.counts).errors }))
      .filter(({ errors }) => errors.length > 0)
    expect(failing).toEqual([])
  })

  it('reports every element, with an empty note and an ISO timestamp inside the month', () => {
    for (const entry of entries) {
      expect(Object.keys(entry.counts).sort()).toEqual([
        'digitized',
        'eResults',
        'online',
        'received',
        'resolved',
        'reused',
      ])
      expect(entry.note).toBe('')
      expect(new Date(entry.updatedAt).toISOString()).toBe(entry.updatedAt)
      // Saved in the month itself, or in the next one by a unit that reported late.
      expect([entry.month, addMonths(entry.month, 1)]).toContain(entry.updatedAt.slice(0, 7))
    }
  })

  it('has plausible volumes: communes ~80–600 a month, offices ~200–1500', () => {
    const kindOf = new Map(units.map((unit) => [unit.code, unit.kind]))
    for (const entry of entries) {
      const received = entry.counts.received ?? 0
      if (kindOf.get(entry.unitCode) === 'commune') {
        expect(received).toBeGreaterThanOrEqual(60)
        expect(received).toBeLessThanOrEqual(650)
      } else {
        expect(received).toBeGreaterThanOrEqual(150)
        expect(received).toBeLessThanOrEqual(1500)
      }
    }
  })

  it('digitizes a larger share province-wide in the last year than in the first', () => {
    const firstYear = new Set(monthRange(addMonths(END, -23), addMonths(END, -12)))
    const rateOf = (keep: (entry: Entry) => boolean) =>
      ratio(
        entries.filter(keep).map((entry) => entry.counts),
        DIGITIZATION,
      ).rate ?? 0
    const first = rateOf((entry) => firstYear.has(entry.month))
    const last = rateOf((entry) => !firstYear.has(entry.month))
    expect(first).toBeGreaterThan(0.4)
    expect(last).toBeLessThan(0.95)
    expect(last - first).toBeGreaterThan(0.15)
  })
})
