import { describe, expect, it } from 'vitest'
import { formatCount, formatRate } from '../../src/domain/format.ts'
import {
  DIGITIZATION,
  INDICATORS,
  type Counts,
  type Indicator,
  type IndicatorId,
} from '../../src/domain/indicators.ts'
import { groupCounts, ratio, recordRate, sumCounts } from '../../src/domain/rates.ts'
import type { GovernmentLevel } from '../../src/domain/units.ts'

function indicator(id: IndicatorId): Indicator {
  const found = INDICATORS.find((candidate) => candidate.id === id)
  if (!found) throw new Error(`No indicator ${id}`)
  return found
}

describe('ratio', () => {
  it('is Σ numerator / Σ denominator, not the mean of the records’ rates', () => {
    const records: Counts[] = [
      { received: 10, digitized: 10 },
      { received: 990, digitized: 0 },
    ]
    expect(ratio(records, DIGITIZATION)).toEqual({
      numerator: 10,
      denominator: 1000,
      rate: 0.01,
      records: 2,
    })
  })

  it.each<[IndicatorId, Counts[], { numerator: number; denominator: number; records: number }]>([
    // The second record has no `digitized`: it does not count as 0 of 500.
    [
      'digitization',
      [{ received: 100, digitized: 80 }, { received: 500 }],
      { numerator: 80, denominator: 100, records: 1 },
    ],
    // Nor does a record with a numerator and no denominator.
    [
      'digitization',
      [{ received: 100, digitized: 80 }, { digitized: 50 }],
      { numerator: 80, denominator: 100, records: 1 },
    ],
    // Each indicator picks its own records: online is missing here, digitization is not.
    [
      'online',
      [
        { received: 100, digitized: 80, online: 30 },
        { received: 300, digitized: 200 },
      ],
      { numerator: 30, denominator: 100, records: 1 },
    ],
    [
      'digitization',
      [
        { received: 100, digitized: 80, online: 30 },
        { received: 300, digitized: 200 },
      ],
      { numerator: 280, denominator: 400, records: 2 },
    ],
    // eResults is rated against resolved, not received.
    [
      'eResults',
      [
        { received: 100, resolved: 50, eResults: 25 },
        { received: 100, eResults: 10 },
      ],
      { numerator: 25, denominator: 50, records: 1 },
    ],
  ])('%s excludes records missing either count: %o', (id, records, expected) => {
    const result = ratio(records, indicator(id))
    expect(result).toEqual({ ...expected, rate: expected.numerator / expected.denominator })
  })

  it.each<[Counts[]]>([[[]], [[{ received: 0, digitized: 0 }]], [[{ received: 10 }]]])(
    'has no rate without a positive denominator: %o',
    (records) => {
      expect(ratio(records, DIGITIZATION).rate).toBeNull()
    },
  )

  it('reads any iterable once', () => {
    function* records(): Generator<Counts> {
      yield { received: 4, digitized: 1 }
      yield { received: 4, digitized: 3 }
    }
    expect(ratio(records(), DIGITIZATION).rate).toBe(0.5)
  })
})

describe('recordRate', () => {
  it.each<[Counts, number | null]>([
    [{ received: 200, digitized: 150 }, 0.75],
    [{ received: 0, digitized: 0 }, null],
    [{ received: 200 }, null],
  ])('%o → %s', (counts, rate) => {
    expect(recordRate(counts, DIGITIZATION)).toBe(rate)
  })
})

describe('sumCounts', () => {
  it('sums each element over the records that reported it and counts every record', () => {
    expect(sumCounts([{ received: 10, digitized: 5 }, { received: 20, online: 3 }, {}])).toEqual({
      received: 30,
      digitized: 5,
      resolved: 0,
      eResults: 0,
      reused: 0,
      online: 3,
      records: 3,
    })
  })
})

describe('groupCounts', () => {
  it('keeps insertion order within each group', () => {
    const items = [
      { unit: 'a', counts: { received: 1 } },
      { unit: 'b', counts: { received: 2 } },
      { unit: 'a', counts: { received: 3 } },
    ]
    const groups = groupCounts(
      items,
      (item) => item.unit,
      (item) => item.counts,
    )
    expect([...groups.keys()]).toEqual(['a', 'b'])
    expect(groups.get('a')).toEqual([{ received: 1 }, { received: 3 }])
  })
})

/**
 * The figures of an official provincial report on digitizing dossiers: digitized per level and the
 * level's rate. The report gives no denominators, so received is derived per level as an integer
 * near digitized / rate that reproduces the published rate; each level is split over two records
 * so the roll-up is a real sum.
 */
const REPORT: ReadonlyArray<{
  level: GovernmentLevel
  digitized: number
  published: string
  records: Counts[]
}> = [
  {
    level: 'province',
    digitized: 28_627,
    published: '36,23%',
    records: [
      { received: 40_000, digitized: 10_627 },
      { received: 39_015, digitized: 18_000 },
    ],
  },
  {
    level: 'district',
    digitized: 16_301,
    published: '58,79%',
    records: [
      { received: 15_000, digitized: 9_000 },
      { received: 12_728, digitized: 7_301 },
    ],
  },
  {
    level: 'commune',
    digitized: 96_688,
    published: '74,16%',
    records: [
      { received: 70_000, digitized: 52_000 },
      { received: 60_378, digitized: 44_688 },
    ],
  },
]

describe('roll-up of the official report figures', () => {
  const all = REPORT.flatMap((level) => level.records.map((counts) => ({ ...level, counts })))
  const byLevel = groupCounts(
    all,
    (item) => item.level,
    (item) => item.counts,
  )

  it.each(REPORT)('the $level level reproduces $published', ({ level, digitized, published }) => {
    const result = ratio(byLevel.get(level) ?? [], DIGITIZATION)
    expect(result.numerator).toBe(digitized)
    expect(formatRate(result.rate, 'vi')).toBe(published)
  })

  it('sums digitized to the published 141.616 and rates the total as Σ/Σ', () => {
    const total = ratio(
      all.map((item) => item.counts),
      DIGITIZATION,
    )
    expect(formatCount(total.numerator, 'vi')).toBe('141.616')
    expect(total.denominator).toBe(237_121)
    expect(formatRate(total.rate, 'vi')).toBe('59,72%')
  })

  it('differs clearly from the mean of the three level rates', () => {
    const levelRates = REPORT.map(
      ({ level }) => ratio(byLevel.get(level) ?? [], DIGITIZATION).rate ?? Number.NaN,
    )
    const mean = levelRates.reduce((sum, rate) => sum + rate, 0) / levelRates.length
    const total = ratio(
      all.map((item) => item.counts),
      DIGITIZATION,
    ).rate
    expect(formatRate(mean, 'vi')).toBe('56,39%')
    expect(Math.abs((total ?? 0) - mean)).toBeGreaterThan(0.03)
  })

  it('cannot reach the published overall 57,53% from the three levels alone', () => {
    // Every integer denominator that keeps a level at its published rate, at both extremes, gives
    // 59,72–59,73% overall. 57,53% needs about 9.000 more received dossiers (246.139–246.181 in
    // all), so the report's total must count dossiers that none of the three levels lists.
    const feasible = REPORT.map(({ digitized, published }) => {
      const near = Math.round((digitized / parseFloat(published.replace(',', '.'))) * 100)
      const denominators: number[] = []
      for (let d = near - 50; d <= near + 50; d++) {
        if (formatRate(digitized / d, 'vi') === published) denominators.push(d)
      }
      return { digitized, low: Math.min(...denominators), high: Math.max(...denominators) }
    })
    const digitized = feasible.reduce((sum, level) => sum + level.digitized, 0)
    const most = ratio(
      [{ digitized, received: feasible.reduce((s, l) => s + l.low, 0) }],
      DIGITIZATION,
    )
    const least = ratio(
      [{ digitized, received: feasible.reduce((s, l) => s + l.high, 0) }],
      DIGITIZATION,
    )
    expect([formatRate(least.rate, 'vi'), formatRate(most.rate, 'vi')]).toEqual([
      '59,72%',
      '59,73%',
    ])
    expect(formatRate(ratio([{ digitized, received: 246_160 }], DIGITIZATION).rate, 'vi')).toBe(
      '57,53%',
    )
  })
})
