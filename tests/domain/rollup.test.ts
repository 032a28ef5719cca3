import { describe, expect, it } from 'vitest'
import { DIGITIZATION } from '../../src/domain/indicators.ts'
import { formatCount, formatRate } from '../../src/domain/format.ts'
import { monthRange, type Month } from '../../src/domain/periods.ts'
import { buildDataset, rollup, type Fact } from '../../src/domain/rollup.ts'
import { tallyRatio, type Tally } from '../../src/domain/tally.ts'
import { factsOf, makeFact, makeProvince } from './builders.ts'

const UNITS = makeProvince()

/** [received, digitized] of a tally; every fact here reports both, so these are also the Σ of the rate. */
function rd(maybe: Tally | undefined): [number, number] {
  const tally = must(maybe)
  const { numerator, denominator } = tallyRatio(tally, DIGITIZATION)
  expect([tally.counts.received, tally.counts.digitized]).toEqual([denominator, numerator])
  return [denominator, numerator]
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing')
  return value
}

/**
 * [received, digitized] per unit and month.
 *
 * May:  province 42-STP 1000/600 + 42-SYT 500/250 = 1500/850; district 001-VP 200/100 + 002-VP 100/50
 *       = 300/150; commune 00001 50/40 + 00002 30/20 + 00003 20/10 + 00004 60/30 = 160/100;
 *       all 1960/1100.
 * June: as May without 00004: commune 100/70; all 1900/1070.
 * July, August: province 1000/800 + 500/250 = 1500/1050; commune 00010 80/70 + 00003 40/30 = 120/100;
 *       all 1620/1150.
 * Every month: commune 43001 of province 43 reports 999/1, outside province 42.
 */
const MAY = {
  '42-STP': [1000, 600],
  '42-SYT': [500, 250],
  '001-VP': [200, 100],
  '00001': [50, 40],
  '00002': [30, 20],
  '002-VP': [100, 50],
  '00003': [20, 10],
  '00004': [60, 30],
  '43001': [999, 1],
} as const satisfies Record<string, readonly [number, number]>
const JUNE = {
  '42-STP': [1000, 600],
  '42-SYT': [500, 250],
  '001-VP': [200, 100],
  '00001': [50, 40],
  '00002': [30, 20],
  '002-VP': [100, 50],
  '00003': [20, 10],
  '43001': [999, 1],
} as const satisfies Record<string, readonly [number, number]>
const AFTER = {
  '42-STP': [1000, 800],
  '42-SYT': [500, 250],
  '00010': [80, 70],
  '00003': [40, 30],
  '43001': [999, 1],
} as const satisfies Record<string, readonly [number, number]>

const FACTS: Fact[] = [
  ...factsOf('2025-05', MAY),
  ...factsOf('2025-06', JUNE),
  ...factsOf('2025-07', AFTER),
  ...factsOf('2025-08', AFTER),
]

function dataset(extra: Fact[] = []) {
  return buildDataset(UNITS, [...FACTS, ...extra])
}

const Q2 = monthRange('2025-04', '2025-06')
const Q3 = monthRange('2025-07', '2025-09')
const MAY_TO_AUGUST = monthRange('2025-05', '2025-08')

describe('buildDataset', () => {
  it('indexes facts by month and splits time into eras at the reform', () => {
    const data = dataset()
    expect(data.months).toEqual(['2025-05', '2025-06', '2025-07', '2025-08'])
    expect(data.byMonth.get('2025-06')).toHaveLength(8) // 7 of province 42 + 43001
    const june = data.eraOf('2025-06')
    const july = data.eraOf('2025-07')
    expect(june).toBe(data.eraOf('2025-01'))
    expect(july).toBe(data.eraOf('2030-12'))
    expect([june.from, june.to, july.from, july.to]).toEqual([
      '2020-01-01',
      '2025-07-01',
      '2025-07-01',
      null,
    ])
    expect(june.chain('00003')).toEqual(['00003', '002', '42'])
    expect(july.chain('00003')).toEqual(['00003', '42'])
    expect(july.chain('001')).toEqual([])
    expect(june.children.get('42')?.map((unit) => unit.code)).toEqual([
      '42-STP',
      '42-SYT',
      '001',
      '002',
    ])
  })
})

describe('rollup of a period before the reform (Q2 2025)', () => {
  const result = rollup(dataset(), '42', Q2)

  it('totals everything in the province over the months: 1960 + 1900 received, 1100 + 1070 digitized', () => {
    expect(rd(result.total)).toEqual([3860, 2170])
    expect(result.total.records).toBe(15) // 8 in May + 7 in June
    expect(result.root?.code).toBe('42')
    expect(result.spansReform).toBe(false)
  })

  it('splits by the three levels, which add up to the total', () => {
    expect([...result.byLevel.keys()]).toEqual(['province', 'district', 'commune'])
    expect(rd(result.byLevel.get('province'))).toEqual([3000, 1700]) // 2 × 1500/850
    expect(rd(result.byLevel.get('district'))).toEqual([600, 300]) // 2 × 300/150
    expect(rd(result.byLevel.get('commune'))).toEqual([260, 170]) // 160/100 + 100/70
  })

  it('has the months with data only', () => {
    expect([...result.byMonth.keys()]).toEqual(['2025-05', '2025-06'])
    expect(rd(result.byMonth.get('2025-05'))).toEqual([1960, 1100])
    expect(rd(result.byMonth.get('2025-06'))).toEqual([1900, 1070])
  })

  it('sums each unit and its subtree', () => {
    // 001: 001-VP 2 × 200/100 + 00001 2 × 50/40 + 00002 2 × 30/20 = 560/320.
    expect(rd(result.byUnit.get('001'))).toEqual([560, 320])
    // 002: 002-VP 2 × 100/50 + 00003 2 × 20/10 + 00004 60/30 (May only) = 300/150.
    expect(rd(result.byUnit.get('002'))).toEqual([300, 150])
    expect(rd(result.byUnit.get('42-STP'))).toEqual([2000, 1200])
    expect(rd(result.byUnit.get('00004'))).toEqual([60, 30])
    // 42 = 2000/1200 + 1000/500 + 560/320 + 300/150.
    expect(rd(result.byUnit.get('42'))).toEqual([3860, 2170])
    expect([...result.byUnit.keys()].sort()).toEqual(
      [
        '00001',
        '00002',
        '00003',
        '00004',
        '001',
        '001-VP',
        '002',
        '002-VP',
        '42',
        '42-STP',
        '42-SYT',
      ].sort(),
    )
  })

  it('lists the districts and the province offices as children', () => {
    expect(result.children.map((unit) => unit.code)).toEqual(['001', '002', '42-STP', '42-SYT'])
  })
})

describe('rollup of a period after the reform (Q3 2025)', () => {
  const result = rollup(dataset(), '42', Q3)

  it('has two levels and the communes straight under the province', () => {
    expect(rd(result.total)).toEqual([3240, 2300]) // 2 × 1620/1150
    expect([...result.byLevel.keys()]).toEqual(['province', 'commune'])
    expect(rd(result.byLevel.get('province'))).toEqual([3000, 2100]) // 2 × 1500/1050
    expect(rd(result.byLevel.get('commune'))).toEqual([240, 200]) // 2 × 120/100
    expect([...result.byMonth.keys()]).toEqual(['2025-07', '2025-08'])
    expect(result.children.map((unit) => unit.code)).toEqual(['00003', '00010', '42-STP', '42-SYT'])
    expect(result.spansReform).toBe(false)
    expect(result.byUnit.has('001')).toBe(false)
  })
})

describe('rollup of a period across the reform (May–August 2025)', () => {
  // Given out of order on purpose.
  const months: Month[] = ['2025-08', '2025-05', '2025-07', '2025-06']
  const result = rollup(dataset(), '42', months)

  it('sums January–June through the districts and July on straight to the province', () => {
    // Q2 3860/2170 + Q3 3240/2300.
    expect(rd(result.total)).toEqual([7100, 4470])
    expect(rd(result.byUnit.get('42'))).toEqual([7100, 4470])
    expect(result.spansReform).toBe(true)
    expect(result.root?.code).toBe('42')
    expect([...result.byMonth.keys()].sort()).toEqual(MAY_TO_AUGUST)
  })

  it('keeps the district level for the months it existed', () => {
    expect([...result.byLevel.keys()]).toEqual(['province', 'district', 'commune'])
    expect(rd(result.byLevel.get('province'))).toEqual([6000, 3800]) // 3000/1700 + 3000/2100
    expect(rd(result.byLevel.get('district'))).toEqual([600, 300]) // May and June only
    expect(rd(result.byLevel.get('commune'))).toEqual([500, 370]) // 260/170 + 240/200
    // 6000 + 600 + 500 = 7100 and 3800 + 300 + 370 = 4470.
  })

  it('lists old districts and new communes as children, latest version of each code', () => {
    expect(result.children.map((unit) => unit.code)).toEqual([
      '00003',
      '00010',
      '001',
      '002',
      '42-STP',
      '42-SYT',
    ])
    expect(result.children.find((unit) => unit.code === '00003')?.parentCode).toBe('42')
    // The districts add up to the old months; the new communes to the new ones.
    expect(rd(result.byUnit.get('001'))).toEqual([560, 320])
    expect(rd(result.byUnit.get('00010'))).toEqual([160, 140]) // 2 × 80/70
  })

  it('sums a code kept across the reform under both parents', () => {
    // 00003: May 20/10 + June 20/10 under 002, July 40/30 + August 40/30 under 42.
    expect(rd(result.byUnit.get('00003'))).toEqual([120, 80])
    // Rooted at district 002, only the months 00003 was under it count: 2 × 20/10.
    const district = rollup(dataset(), '002', months)
    expect(rd(district.byUnit.get('00003'))).toEqual([40, 20])
    expect(rd(district.total)).toEqual([300, 150])
    expect(district.root?.validTo).toBe('2025-07-01')
    expect(district.children.map((unit) => [unit.code, unit.parentCode])).toEqual([
      ['00003', '002'],
      ['00004', '002'],
      ['002-VP', '002'],
    ])
    // Rooted at the commune itself, both eras count.
    const commune = rollup(dataset(), '00003', months)
    expect(rd(commune.total)).toEqual([120, 80])
    expect(commune.root?.parentCode).toBe('42')
  })
})

describe('rollup: what is left out', () => {
  it('ignores facts outside the root and facts of units not in force', () => {
    const result = rollup(
      dataset([
        makeFact({ unitCode: '99999', month: '2025-05' }), // no such unit
        makeFact({ unitCode: '00004', month: '2025-07' }), // merged away on 2025-07-01
        makeFact({ unitCode: '00010', month: '2025-06' }), // not yet created
      ]),
      '42',
      MAY_TO_AUGUST,
    )
    // 43001's 999/1 every month and the three facts above are not in it.
    expect(rd(result.total)).toEqual([7100, 4470])
    expect(result.byUnit.has('43001')).toBe(false)
    expect(rd(rollup(dataset(), '43', MAY_TO_AUGUST).total)).toEqual([3996, 4]) // 4 × 999/1
  })

  it('reports a district or province entry as a discrepancy and does not add it', () => {
    const declared = [
      // 001 in May: its units sum to 200 + 50 + 30 = 280 received, 100 + 40 + 20 = 160 digitized.
      makeFact({ unitCode: '001', month: '2025-05', counts: { received: 700, digitized: 160 } }),
      // 42 in July: its units sum to 1620/1150.
      makeFact({ unitCode: '42', month: '2025-07', counts: { received: 1620, digitized: 1000 } }),
      // Another province's total is not this province's business.
      makeFact({ unitCode: '43', month: '2025-07', counts: { received: 1, digitized: 1 } }),
    ]
    const result = rollup(dataset(declared), '42', MAY_TO_AUGUST)
    expect(rd(result.total)).toEqual([7100, 4470])
    expect(rd(result.byUnit.get('001'))).toEqual([560, 320])
    expect(rd(result.byLevel.get('district'))).toEqual([600, 300])
    expect(result.total.records).toBe(23) // 8 + 7 + 4 + 4 reporting units' unit-months
    expect(result.discrepancies).toEqual([
      { unitCode: '001', month: '2025-05', element: 'received', declared: 700, computed: 280 },
      { unitCode: '42', month: '2025-07', element: 'digitized', declared: 1000, computed: 1150 },
    ])
    // Rooted at 002, neither aggregate is below the root.
    expect(rollup(dataset(declared), '002', MAY_TO_AUGUST).discrepancies).toEqual([])
  })

  it('has no root and nothing in it for a unit not in force in the period', () => {
    const result = rollup(dataset(), '00010', Q2)
    expect(result.root).toBeNull()
    expect(result.children).toEqual([])
    expect(result.total.records).toBe(0)
    expect(result.byUnit.size).toBe(0)
  })

  it('counts a month given twice once', () => {
    const result = rollup(dataset(), '42', ['2025-05', '2025-05'])
    expect(rd(result.total)).toEqual([1960, 1100])
  })
})

describe('rollup reproduces the figures of an official provincial report', () => {
  /**
   * "số hoá hồ sơ thủ tục hành chính của 3 cấp chính quyền là 141.616 hồ sơ, đạt tỷ lệ 57,53%. Trong
   * đó, cấp tỉnh 28.627 hồ sơ, đạt 36,23%; cấp huyện 16.301 hồ sơ, đạt 58,79%; cấp xã 96.688 hồ sơ,
   * đạt 74,16%". The report gives no received counts; each level's is an integer near
   * digitized ÷ rate that reproduces the rate, split over two units of the level (as in rates.test.ts):
   * province 28 627 / 79 015 = 36,229…%; district 16 301 / 27 728 = 58,789…%;
   * commune 96 688 / 130 378 = 74,159…%.
   */
  const report = buildDataset(UNITS, [
    makeFact({
      unitCode: '42-STP',
      month: '2025-03',
      counts: { received: 40_000, digitized: 10_627 },
    }),
    makeFact({
      unitCode: '42-SYT',
      month: '2025-03',
      counts: { received: 39_015, digitized: 18_000 },
    }),
    makeFact({
      unitCode: '001-VP',
      month: '2025-03',
      counts: { received: 15_000, digitized: 9_000 },
    }),
    makeFact({
      unitCode: '002-VP',
      month: '2025-03',
      counts: { received: 12_728, digitized: 7_301 },
    }),
    makeFact({
      unitCode: '00001',
      month: '2025-03',
      counts: { received: 70_000, digitized: 52_000 },
    }),
    makeFact({
      unitCode: '00004',
      month: '2025-03',
      counts: { received: 60_378, digitized: 44_688 },
    }),
  ])
  const result = rollup(report, '42', ['2025-03'])

  it.each([
    ['province', '28.627', '36,23%'],
    ['district', '16.301', '58,79%'],
    ['commune', '96.688', '74,16%'],
  ] as const)('the %s level: %s dossiers at %s', (level, digitized, rate) => {
    const ratio = tallyRatio(must(result.byLevel.get(level)), DIGITIZATION)
    expect(formatCount(ratio.numerator)).toBe(digitized)
    expect(formatRate(ratio.rate)).toBe(rate)
  })

  it('adds the three levels to 141.616 dossiers, rated Σ/Σ', () => {
    const ratio = tallyRatio(result.total, DIGITIZATION)
    expect(formatCount(ratio.numerator)).toBe('141.616') // 28 627 + 16 301 + 96 688
    expect(ratio.denominator).toBe(237_121) // 79 015 + 27 728 + 130 378
    // 141 616 / 237 121 = 59,72%. The report's 57,53% cannot come out of these three levels: it
    // needs 246 140–246 182 received, and the levels allow at most 79 025 + 27 730 + 130 386 = 237 141
    // (see rates.test.ts). The mean of the three rates, 56,39%, is not it either.
    expect(formatRate(ratio.rate)).toBe('59,72%')
    expect(formatRate(141_616 / 246_160)).toBe('57,53%')
  })
})
