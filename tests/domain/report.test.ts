import { describe, expect, it } from 'vitest'
import { buildReport } from '../../src/domain/report.ts'
import { makeReportDataset, REPORT_NOW, REPORT_TARGETS } from './reportDataset.ts'

const dataset = makeReportDataset()

describe('buildReport', () => {
  const report = buildReport({
    dataset,
    rootCode: '42',
    period: { kind: 'year', year: 2025, index: 0 },
    targets: REPORT_TARGETS,
    now: REPORT_NOW,
  })

  it('sums each level from what its units reported, across the reform', () => {
    expect(report.root?.name).toBe('Tỉnh Hà Tĩnh')
    expect(report.province?.code).toBe('42')
    expect(report.spansReform).toBe(true)
    expect(
      report.levels.map((l) => [l.level, l.digitization.numerator, l.digitization.denominator]),
    ).toEqual([
      ['province', 28_677, 79_114],
      ['district', 16_301, 27_727],
      ['commune', 97_588, 131_378],
    ])
    expect(report.overall.ratio.numerator).toBe(142_566)
    // The province has no target of its own: the built-in 80% of Decision 766 applies.
    expect(report.overall.target?.source).toBe('builtIn')
    expect(report.overall.meets).toBe(false)
    expect(report.overall.points).toBeCloseTo((report.overall.ratio.rate! * 10) / 0.8, 10)
  })

  it('scores each unit below against the target that applies to it', () => {
    const byCode = new Map(report.units.map((row) => [row.unit.code, row]))
    expect([...byCode.keys()].sort()).toEqual(['42-STP', '42001', '421'])
    const commune = byCode.get('42001')!
    // June through the district and July straight under the province: both months count.
    expect(commune.ratio).toMatchObject({ numerator: 97_588, denominator: 131_378 })
    expect(commune.target).toMatchObject({ basisPoints: 7000, source: 'level' })
    expect(commune.meets).toBe(true)
    // Decision 766 gives full points from 80%, whatever the local target.
    expect(commune.points).toBeCloseTo((97_588 / 131_378 / 0.8) * 10, 10)
    const district = byCode.get('421')!
    expect(district.ratio).toMatchObject({ numerator: 112_989, denominator: 158_105 })
    expect(district.target?.source).toBe('builtIn')
    expect(district.meets).toBe(false)
    expect(district.points).toBeCloseTo((112_989 / 158_105 / 0.8) * 10, 10)
  })

  it('counts the reports due up to today, and which came in on time', () => {
    // January–June: 3 reporting units; July: 2. August is not due before 5 September.
    expect(report.months.at(-1)).toBe('2025-08')
    expect(report.completeness.months.at(-1)?.month).toBe('2025-07')
    expect(report.completeness).toMatchObject({ expected: 20, reported: 5, onTime: 4 })
    expect(report.completeness.missing.map((m) => [m.unit.code, m.months.length])).toEqual([
      ['42-STP', 5],
      ['42001', 5],
      ['421-VP', 5],
    ])
  })

  it('lists only the levels that have figures: two after the reform', () => {
    const after = buildReport({
      dataset,
      rootCode: '42',
      period: { kind: 'quarter', year: 2025, index: 3 },
      targets: [],
      now: REPORT_NOW,
    })
    expect(after.levels.map((l) => l.level)).toEqual(['province', 'commune'])
    expect(after.spansReform).toBe(false)
    expect(after.units.map((row) => row.unit.code).sort()).toEqual(['42-STP', '42001'])
  })

  it('has no root for a code that does not exist in the period', () => {
    const none = buildReport({
      dataset,
      rootCode: '421',
      period: { kind: 'quarter', year: 2025, index: 4 },
      targets: [],
      now: new Date('2025-12-31T00:00:00Z'),
    })
    expect(none.root).toBeNull()
    expect(none.levels).toEqual([])
  })
})
