/**
 * A small province for the dashboard component tests: 42 with a department, a district (with its
 * office and two communes) until 2025-07-01 and two communes straight under the province after.
 * Figures are round so the expected numbers can be worked out by hand in the tests.
 */
import { buildDataset, type Dataset, type Fact } from '../../../src/domain/rollup.ts'
import { addMonths, monthRange, type Month } from '../../../src/domain/periods.ts'
import { REFORM_DATE, type Unit } from '../../../src/domain/units.ts'
import { makeFact, makeUnit } from '../../domain/builders.ts'

export const UNITS: Unit[] = [
  makeUnit({
    code: '42',
    name: 'Tỉnh Thử',
    nameEn: 'Test Province',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
  }),
  makeUnit({
    code: '42-STP',
    name: 'Sở Tư pháp',
    kind: 'office',
    type: 'Cơ quan',
    level: 'province',
    parentCode: '42',
  }),
  makeUnit({
    code: '421',
    name: 'Huyện Một',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: '42',
    validTo: REFORM_DATE,
  }),
  makeUnit({
    code: '421-VP',
    name: 'Văn phòng huyện Một',
    kind: 'office',
    type: 'Cơ quan',
    level: 'district',
    parentCode: '421',
    validTo: REFORM_DATE,
  }),
  makeUnit({ code: '42001', name: 'Xã An', parentCode: '421', validTo: REFORM_DATE }),
  makeUnit({ code: '42004', name: 'Xã Bình', parentCode: '421', validTo: REFORM_DATE }),
  makeUnit({ code: '42010', name: 'Xã Cát', parentCode: '42', validFrom: REFORM_DATE }),
  makeUnit({ code: '42013', name: 'Xã Đông', parentCode: '42', validFrom: REFORM_DATE }),
]

/** The 2nd of the following month, 10:00 Vietnam time: on time for any deadline day ≥ 2. */
const onTime = (month: Month): string => `${addMonths(month, 1)}-02T03:00:00.000Z`
/** The 10th of the following month: late with the default deadline (the 5th). */
const late = (month: Month): string => `${addMonths(month, 1)}-10T03:00:00.000Z`

function fact(
  unitCode: string,
  month: Month,
  received: number,
  digitized: number,
  at: string | null,
): Fact {
  return makeFact({ unitCode, month, counts: { received, digitized }, reportedAt: at })
}

export function makeFacts(): Fact[] {
  const facts: Fact[] = []
  for (const month of monthRange('2025-01', '2025-06')) {
    facts.push(fact('42001', month, 1000, 500, null))
    // Xã Bình did not report March.
    if (month !== '2025-03') facts.push(fact('42004', month, 2000, 1800, onTime(month)))
    facts.push(fact('421-VP', month, 500, 400, late(month)))
  }
  for (const month of monthRange('2025-01', '2025-07')) {
    facts.push(fact('42-STP', month, 3000, 2700, onTime(month)))
  }
  // July 2025: Xã Cát reports, Xã Đông does not.
  facts.push(fact('42010', '2025-07', 4000, 3760, onTime('2025-07')))
  // The district's published February total: 100 more received than its units add up to.
  facts.push(
    makeFact({ unitCode: '421', month: '2025-02', counts: { received: 3_600, digitized: 2_700 } }),
  )
  // 2026: Xã Đông behind its target but catching up.
  const dong: Array<[Month, number, number]> = [
    ['2026-01', 1000, 500],
    ['2026-02', 1000, 750],
    ['2026-03', 1000, 900],
    ['2026-04', 1100, 1000],
  ]
  for (const [month, received, digitized] of dong) {
    facts.push(fact('42013', month, received, digitized, onTime(month)))
  }
  return facts
}

export function makeDataset(): Dataset {
  return buildDataset(UNITS, makeFacts())
}
