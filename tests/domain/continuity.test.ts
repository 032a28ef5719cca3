import { describe, expect, it } from 'vitest'
import { completeness } from '../../src/domain/completeness.ts'
import { lineage } from '../../src/domain/continuity.ts'
import { monthRange, type Month } from '../../src/domain/periods.ts'
import {
  buildDataset,
  isApproximate,
  isDerived,
  rollup,
  type Fact,
  type Rollup,
} from '../../src/domain/rollup.ts'
import type { Tally } from '../../src/domain/tally.ts'
import type { LinkKind, UnitLink } from '../../src/domain/unitLinks.ts'
import { REFORM_DATE, type Unit } from '../../src/domain/units.ts'
import { factsOf, makeUnit } from './builders.ts'

/**
 * Two old provinces merged into one on 2025-07-01, and old communes merged into new ones.
 *
 * Old province 42 (until 2025-07-01): department 42-STP (kept across the reform), district 001 with
 * its office 001-VP and communes 00001–00006; 00006 itself was formed on 2023-01-01 from 00008
 * (whole) and part of 00009. Old province 44 (until 2025-07-01) had no districts on this device,
 * only its department 44-SYT.
 * New province 42 (from 2025-07-01) = old 42 + old 44, with communes
 *   00020 = 00001 + 00002 (both whole: exact)
 *   00030 = part of 00003 + 00004 (approximate)
 *   00005 = 00005 + 00006 (kept the code of one of them, as nearly every new commune did)
 */
const OLD = { validTo: REFORM_DATE }
const NEW = { validFrom: REFORM_DATE }
const office: Pick<Unit, 'kind' | 'type'> = { kind: 'office', type: 'Cơ quan' }
const province: Pick<Unit, 'kind' | 'type' | 'level'> = {
  kind: 'province',
  type: 'Tỉnh',
  level: 'province',
}

const UNITS: Unit[] = [
  makeUnit({ code: '42', name: 'Tỉnh Cũ', ...province, ...OLD }),
  makeUnit({ code: '44', name: 'Tỉnh Bên', ...province, ...OLD }),
  makeUnit({ code: '42', name: 'Tỉnh Mới', ...province, ...NEW }),
  makeUnit({ code: '42-STP', ...office, level: 'province', parentCode: '42' }),
  makeUnit({ code: '44-SYT', ...office, level: 'province', parentCode: '44', ...OLD }),
  makeUnit({
    code: '001',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: '42',
    ...OLD,
  }),
  makeUnit({ code: '001-VP', ...office, level: 'district', parentCode: '001', ...OLD }),
  ...['00001', '00002', '00003', '00004', '00005'].map((code) =>
    makeUnit({ code, parentCode: '001', ...OLD }),
  ),
  makeUnit({ code: '00006', parentCode: '001', validFrom: '2023-01-01', validTo: REFORM_DATE }),
  makeUnit({ code: '00008', parentCode: '001', validTo: '2023-01-01' }),
  makeUnit({ code: '00009', parentCode: '001', validTo: '2023-01-01' }),
  makeUnit({ code: '00020', name: 'Xã Hai Mươi', parentCode: '42', ...NEW }),
  makeUnit({ code: '00030', name: 'Xã Ba Mươi', parentCode: '42', ...NEW }),
  makeUnit({ code: '00005', name: 'Xã Năm Mới', parentCode: '42', ...NEW }),
]

function link(newCode: string, oldCode: string, kind: LinkKind, date = REFORM_DATE): UnitLink {
  return { newCode, oldCode, kind, date }
}

const LINKS: UnitLink[] = [
  link('42', '42', 'full'),
  link('42', '44', 'full'),
  link('00020', '00001', 'full'),
  link('00020', '00002', 'full'),
  link('00030', '00003', 'partial'),
  link('00030', '00004', 'full'),
  link('00005', '00005', 'full'),
  link('00005', '00006', 'full'),
  link('00006', '00008', 'full', '2023-01-01'),
  link('00006', '00009', 'partial', '2023-01-01'),
]

/** [received, digitized] a month, the same every month a unit reports. */
const OLD_MONTHLY = {
  '42-STP': [1000, 900],
  '001-VP': [200, 100],
  '00001': [10, 5],
  '00002': [20, 10],
  '00003': [30, 15],
  '00004': [40, 20],
  '00005': [50, 25],
  '44-SYT': [300, 150],
} as const satisfies Record<string, readonly [number, number]>
const NEW_MONTHLY = {
  '42-STP': [1000, 900],
  '00020': [35, 30],
  '00030': [75, 60],
  '00005': [115, 100],
} as const satisfies Record<string, readonly [number, number]>

const FACTS: Fact[] = [
  // 2022: 00008 and 00009 still exist; 00006 does not yet.
  ...monthRange('2022-01', '2022-12').flatMap((month) =>
    factsOf(month, { '00005': [50, 25], '00008': [70, 35], '00009': [80, 40] }),
  ),
  ...monthRange('2023-01', '2025-06').flatMap((month) =>
    factsOf(month, { ...OLD_MONTHLY, '00006': [60, 30] }),
  ),
  ...monthRange('2025-07', '2025-12').flatMap((month) => factsOf(month, NEW_MONTHLY)),
]

const DATA = buildDataset(UNITS, FACTS, LINKS)

const Q2 = monthRange('2025-04', '2025-06')
const Q3 = monthRange('2025-07', '2025-09')
const H1 = monthRange('2025-01', '2025-06')
const H2 = monthRange('2025-07', '2025-12')
const YEAR = monthRange('2025-01', '2025-12')

function rd(tally: Tally | undefined): [number, number] {
  if (!tally) throw new Error('missing')
  return [tally.counts.received, tally.counts.digitized]
}

function predecessorsOf(result: Rollup): Array<[string, LinkKind]> {
  return result.predecessors.map(({ unit, kind }) => [unit.code, kind])
}

describe('buildDataset with links', () => {
  it('indexes links by the new unit, each once, and every version of a code oldest first', () => {
    const data = buildDataset(UNITS, [], [...LINKS, link('00020', '00001', 'full')])
    expect(data.links).toHaveLength(LINKS.length)
    expect(data.linksTo('00020').map((l) => l.oldCode)).toEqual(['00001', '00002'])
    expect(data.linksTo('00001')).toEqual([])
    expect(data.versionsOf('42').map((u) => u.name)).toEqual(['Tỉnh Cũ', 'Tỉnh Mới'])
    expect(buildDataset(UNITS, []).links).toEqual([])
  })
})

describe('a new commune formed wholly from two old ones (00020 = 00001 + 00002)', () => {
  it('has, before it existed, exactly the sum of its predecessors', () => {
    const result = rollup(DATA, '00020', Q2)
    // 3 months × (10 + 20) / (5 + 10).
    expect(rd(result.total)).toEqual([90, 45])
    expect(rd(result.byMonth.get('2025-05'))).toEqual([30, 15])
    expect(rd(result.byLevel.get('commune'))).toEqual([90, 45])
    expect(rd(result.byUnit.get('00020'))).toEqual([90, 45])
    expect(rd(result.byUnit.get('00001'))).toEqual([30, 15])
    expect(result.root?.validFrom).toBe(REFORM_DATE)
    expect(result.rootEra?.from).toBe(REFORM_DATE)
    expect([...result.derivedMonths]).toEqual(Q2)
    expect(result.approximateMonths.size).toBe(0)
    expect(isDerived(result)).toBe(true)
    expect(isApproximate(result)).toBe(false)
    expect(predecessorsOf(result)).toEqual([
      ['00001', 'full'],
      ['00002', 'full'],
    ])
    expect(result.children).toEqual([])
  })

  it('has only its own figures after the reform', () => {
    const result = rollup(DATA, '00020', Q3)
    expect(rd(result.total)).toEqual([105, 90]) // 3 × 35/30
    expect(result.derivedMonths.size).toBe(0)
    expect(result.predecessors).toEqual([])
  })

  it('sums the predecessors in the months before and itself after, across the reform', () => {
    const result = rollup(DATA, '00020', YEAR)
    // 6 × 30/15 + 6 × 35/30.
    expect(rd(result.total)).toEqual([390, 270])
    expect([...result.derivedMonths]).toEqual(H1)
    expect(isDerived(result, H2)).toBe(false)
    expect(isDerived(result, ['2025-06'])).toBe(true)
    expect(result.spansReform).toBe(true)
  })
})

describe('a new commune formed from part of an old one (00030 = part of 00003 + 00004)', () => {
  it('has the same kind of sum, marked approximate', () => {
    const result = rollup(DATA, '00030', Q2)
    // 3 × (30 + 40) / (15 + 20): the whole of 00003 is counted, as its figures cannot be divided.
    expect(rd(result.total)).toEqual([210, 105])
    expect([...result.derivedMonths]).toEqual(Q2)
    expect([...result.approximateMonths]).toEqual(Q2)
    expect(isApproximate(result)).toBe(true)
    expect([...result.approximateLevels]).toEqual(['commune'])
    expect([...result.approximateUnits]).toEqual(['00003'])
    expect(predecessorsOf(result)).toEqual([
      ['00003', 'partial'],
      ['00004', 'full'],
    ])
  })

  it('is approximate only over the months before the reform', () => {
    const result = rollup(DATA, '00030', YEAR)
    expect(rd(result.total)).toEqual([870, 570]) // 6 × 70/35 + 6 × 75/60
    expect([...result.approximateMonths]).toEqual(H1)
    expect(isApproximate(result, H2)).toBe(false)
    expect(isApproximate(result, ['2025-06', '2025-07'])).toBe(true)
    expect(isApproximate(rollup(DATA, '00030', Q3))).toBe(false)
  })

  it('is not approximate over months without figures', () => {
    const nothing = buildDataset(UNITS, factsOf('2025-07', NEW_MONTHLY), LINKS)
    const result = rollup(nothing, '00030', ['2025-06', '2025-07'])
    expect(result.approximateMonths.has('2025-06')).toBe(true)
    expect(isApproximate(result)).toBe(false)
    expect(rd(result.total)).toEqual([75, 60])
  })
})

describe('a new commune that kept the code of one of its old communes (00005 = 00005 + 00006)', () => {
  it('is the old commune for a period entirely before the reform: old units stay viewable', () => {
    const result = rollup(DATA, '00005', Q2)
    expect(rd(result.total)).toEqual([150, 75]) // 3 × 50/25, 00005 alone
    expect(result.root?.validTo).toBe(REFORM_DATE)
    expect(result.derivedMonths.size).toBe(0)
  })

  it('is the new commune for the same period asked as of the reform date', () => {
    const result = rollup(DATA, '00005', Q2, { asOf: REFORM_DATE })
    expect(rd(result.total)).toEqual([330, 165]) // 3 × (50 + 60) / (25 + 30)
    expect(result.root?.name).toBe('Xã Năm Mới')
    expect(predecessorsOf(result)).toEqual([
      ['00005', 'full'],
      ['00006', 'full'],
    ])
  })

  it('shows the derived history in its 36-month trend', () => {
    const months = monthRange('2023-01', '2025-12')
    const result = rollup(DATA, '00005', months)
    expect(result.root?.name).toBe('Xã Năm Mới')
    expect(result.byMonth.size).toBe(36)
    expect(rd(result.byMonth.get('2023-01'))).toEqual([110, 55])
    expect(rd(result.byMonth.get('2025-06'))).toEqual([110, 55])
    expect(rd(result.byMonth.get('2025-07'))).toEqual([115, 100])
    expect(result.derivedMonths.size).toBe(30) // 2023-01 to 2025-06
    expect(rd(result.total)).toEqual([30 * 110 + 6 * 115, 30 * 55 + 6 * 100])
    expect(isApproximate(result)).toBe(false)
  })

  it('follows a predecessor formed from others further back, and a partial link there', () => {
    // 2022: 00006 did not exist yet; it was formed from 00008 and part of 00009.
    const result = rollup(DATA, '00005', ['2022-06', '2025-07'])
    expect(rd(result.byMonth.get('2022-06'))).toEqual([200, 100]) // 50 + 70 + 80 / 25 + 35 + 40
    expect([...result.approximateMonths]).toEqual(['2022-06'])
    expect(predecessorsOf(result)).toEqual([
      ['00005', 'full'],
      ['00008', 'full'],
      ['00009', 'partial'],
    ])
  })
})

describe('a new province formed from two old provinces (42 = old 42 + old 44)', () => {
  const result = rollup(DATA, '42', YEAR)

  it('sums both old provinces through their hierarchy before the reform and itself after', () => {
    // Before, a month: old 42 = 1000 + 200 + 10 + 20 + 30 + 40 + 50 + 60 = 1410 received,
    // 900 + 100 + 5 + 10 + 15 + 20 + 25 + 30 = 1105 digitized; old 44 = 300/150 → 1710/1255.
    // After, a month: 1000 + 35 + 75 + 115 = 1225 received, 900 + 30 + 60 + 100 = 1090 digitized.
    expect(rd(result.byMonth.get('2025-03'))).toEqual([1710, 1255])
    expect(rd(result.byMonth.get('2025-09'))).toEqual([1225, 1090])
    expect(rd(result.total)).toEqual([6 * 1710 + 6 * 1225, 6 * 1255 + 6 * 1090])
    expect(rd(result.byUnit.get('42'))).toEqual([17_610, 14_070])
  })

  it('keeps the district level for the months it existed', () => {
    expect([...result.byLevel.keys()]).toEqual(['province', 'district', 'commune'])
    expect(rd(result.byLevel.get('province'))).toEqual([6 * 1300 + 6 * 1000, 6 * 1050 + 6 * 900])
    expect(rd(result.byLevel.get('district'))).toEqual([1200, 600])
    expect(rd(result.byLevel.get('commune'))).toEqual([6 * 210 + 6 * 225, 6 * 105 + 6 * 190])
  })

  it('lists the old provinces’ units before the reform and its own after as children', () => {
    expect(result.children.map((unit) => unit.code)).toEqual([
      '00005',
      '00020',
      '00030',
      '001',
      '42-STP',
      '44-SYT',
    ])
    expect(rd(result.byUnit.get('44-SYT'))).toEqual([1800, 900])
    expect(rd(result.byUnit.get('44'))).toEqual([1800, 900])
    // The department kept across the reform: old and new months.
    expect(rd(result.byUnit.get('42-STP'))).toEqual([12_000, 10_800])
  })

  it('is exact: both old provinces went in whole', () => {
    expect([...result.derivedMonths]).toEqual(H1)
    expect(result.approximateMonths.size).toBe(0)
    expect(predecessorsOf(result)).toEqual([
      ['42', 'full'],
      ['44', 'full'],
    ])
    expect(result.root?.name).toBe('Tỉnh Mới')
  })

  it('is the old province alone for a period entirely before the reform, unless asked as of it', () => {
    const old = rollup(DATA, '42', Q2)
    expect(old.root?.name).toBe('Tỉnh Cũ')
    expect(rd(old.total)).toEqual([3 * 1410, 3 * 1105])
    const merged = rollup(DATA, '42', Q2, { asOf: '2026-01-01' })
    expect(merged.root?.name).toBe('Tỉnh Mới')
    expect(rd(merged.total)).toEqual([3 * 1710, 3 * 1255])
  })

  it('is approximate where an old province went in only in part, and only at its levels', () => {
    const links = LINKS.map((l) => (l.oldCode === '44' ? { ...l, kind: 'partial' as const } : l))
    const partly = rollup(buildDataset(UNITS, FACTS, links), '42', YEAR)
    expect(rd(partly.total)).toEqual(rd(result.total))
    expect([...partly.approximateMonths]).toEqual(H1)
    // Only 44-SYT, a province department, came through the partial link.
    expect([...partly.approximateLevels]).toEqual(['province'])
    expect([...partly.approximateUnits].sort()).toEqual(['44', '44-SYT'])
    expect(predecessorsOf(partly)).toEqual([
      ['42', 'full'],
      ['44', 'partial'],
    ])
  })

  it('expects the old provinces’ reporting units before the reform', () => {
    const now = new Date('2026-03-01T00:00:00.000Z')
    const result = completeness(DATA, '42', ['2025-06', '2025-07'], { now })
    // June: 42-STP, 001-VP, 00001–00006, 44-SYT. July: 42-STP, 00020, 00030, 00005.
    expect(result.months.map((row) => [row.month, row.expected, row.reported])).toEqual([
      ['2025-06', 9, 9],
      ['2025-07', 4, 4],
    ])
  })
})

describe('completeness of a new commune before it existed', () => {
  const now = new Date('2026-03-01T00:00:00.000Z')

  it('expects its predecessors’ reports and names the old commune that did not report', () => {
    const facts = FACTS.filter((f) => !(f.unitCode === '00003' && f.month === '2025-05'))
    const data = buildDataset(UNITS, facts, LINKS)
    const result = completeness(data, '00030', ['2025-05', '2025-06', '2025-07'], { now })
    expect(result.months.map((row) => [row.month, row.expected, row.reported])).toEqual([
      ['2025-05', 2, 1],
      ['2025-06', 2, 2],
      ['2025-07', 1, 1],
    ])
    expect(result.missing.map(({ unit, months }) => [unit.code, months])).toEqual([
      ['00003', ['2025-05']],
    ])
  })
})

describe('completeness of a new commune that kept an old code', () => {
  it('is about the old commune by default and the new one as of the reform date', () => {
    const now = new Date('2026-03-01T00:00:00.000Z')
    expect(completeness(DATA, '00005', ['2025-06'], { now }).expected).toBe(1)
    const asNew = completeness(DATA, '00005', ['2025-06'], { now, asOf: REFORM_DATE })
    expect([asNew.expected, asNew.reported]).toEqual([2, 2]) // 00005 and 00006
  })
})

describe('lineage: guards', () => {
  it('counts an old unit once when two links lead to it', () => {
    // N = A + B; A was itself formed in 2023 from part of B. Before 2023, N is B, once.
    const units = [
      makeUnit({ code: '00100', validTo: REFORM_DATE }), // B
      makeUnit({ code: '00200', validFrom: '2023-01-01', validTo: REFORM_DATE }), // A
      makeUnit({ code: '00300', ...NEW }), // N
    ]
    const links = [
      link('00300', '00200', 'full'),
      link('00300', '00100', 'full'),
      link('00200', '00100', 'partial', '2023-01-01'),
    ]
    const facts = [
      ...factsOf('2022-05', { '00100': [100, 50] }),
      ...factsOf('2024-05', { '00100': [100, 50], '00200': [10, 5] }),
    ]
    const result = rollup(buildDataset(units, facts, links), '00300', ['2022-05', '2024-05'])
    expect(rd(result.byMonth.get('2022-05'))).toEqual([100, 50])
    expect(rd(result.byMonth.get('2024-05'))).toEqual([110, 55])
    // Reached through the partial link in 2022: approximate then, not in 2024.
    expect([...result.approximateMonths]).toEqual(['2022-05'])
  })

  it('counts a unit once when a predecessor lies inside another one', () => {
    // A mapping that names both old province 42 and its commune 00001 as going into new 42.
    const data = buildDataset(UNITS, FACTS, [...LINKS, link('42', '00001', 'full')])
    const result = rollup(data, '42', ['2025-03'], { asOf: REFORM_DATE })
    expect(rd(result.total)).toEqual([1710, 1255])
    expect(rd(result.byUnit.get('00001'))).toEqual([10, 5])
  })

  it('ends on cyclic links and leaves the figures alone', () => {
    const cyclic = [
      ...LINKS,
      link('00020', '00030', 'full'),
      link('00030', '00020', 'full'),
      link('00008', '00006', 'full', '2020-01-01'),
    ]
    const data = buildDataset(UNITS, FACTS, cyclic)
    expect(rd(rollup(data, '00020', Q2).total)).toEqual([90, 45])
    expect(rd(rollup(data, '00005', ['2022-06']).byMonth.get('2022-06'))).toEqual([50, 25])
    expect(rd(rollup(data, '00005', ['2022-06'], { asOf: REFORM_DATE }).total)).toEqual([200, 100])
  })

  it('has nothing for a unit whose predecessors did not exist yet', () => {
    const months: Month[] = ['2019-06']
    expect(lineage(DATA, '00020', months).root).toBeNull()
    expect(rollup(DATA, '00020', months).root).toBeNull()
  })

  it('without links, treats a code kept across the reform as one unit, as before', () => {
    const data = buildDataset(UNITS, FACTS)
    const result = rollup(data, '00005', ['2025-06', '2025-07'])
    expect(rd(result.total)).toEqual([165, 125]) // 50/25 + 115/100
    expect(result.derivedMonths.size).toBe(0)
    // A new code without links has no history.
    expect(rollup(data, '00020', Q2).root).toBeNull()
  })
})
