/**
 * A small province across the 2025 reform for report tests: a province office, a district with its
 * office and a commune before 1 July 2025, and the same commune directly under the province after.
 * June's figures give the rates of the official sample sentence (36,23%, 58,79%, 74,16%).
 */
import type { Counts } from '../../src/domain/indicators.ts'
import type { Month } from '../../src/domain/periods.ts'
import { buildDataset, type Dataset, type Fact } from '../../src/domain/rollup.ts'
import type { Target } from '../../src/domain/targets.ts'
import { REFORM_DATE, type Unit } from '../../src/domain/units.ts'

type UnitFields = Omit<Unit, 'validFrom' | 'validTo'> & Partial<Pick<Unit, 'validFrom' | 'validTo'>>
const unit = (fields: UnitFields): Unit => ({ validFrom: '2020-01-01', validTo: null, ...fields })

export const REPORT_UNITS: Unit[] = [
  unit({
    code: '42',
    name: 'Tỉnh Hà Tĩnh',
    nameEn: 'Ha Tinh Province',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
  }),
  unit({
    code: '42-STP',
    name: 'Sở Tư pháp',
    nameEn: 'Department of Justice',
    kind: 'office',
    type: 'Cơ quan',
    level: 'province',
    parentCode: '42',
  }),
  unit({
    code: '421',
    name: 'Huyện Can Lộc',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: '42',
    validTo: REFORM_DATE,
  }),
  unit({
    code: '421-VP',
    name: 'Văn phòng huyện Can Lộc',
    kind: 'office',
    type: 'Cơ quan',
    level: 'district',
    parentCode: '421',
    validTo: REFORM_DATE,
  }),
  unit({
    code: '42001',
    name: 'Xã Thạch Lạc',
    nameEn: 'Thach Lac Commune',
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: '421',
    validTo: REFORM_DATE,
  }),
  unit({
    code: '42001',
    name: 'Xã Thạch Lạc',
    nameEn: 'Thach Lac Commune',
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: '42',
    validFrom: REFORM_DATE,
  }),
]

const fact = (unitCode: string, month: Month, counts: Counts, reportedAt: string | null): Fact => ({
  unitCode,
  month,
  counts,
  reportedAt,
})

export const REPORT_FACTS: Fact[] = [
  fact('42-STP', '2025-06', { received: 79_014, digitized: 28_627 }, '2025-07-03T02:00:00.000Z'),
  fact('421-VP', '2025-06', { received: 27_727, digitized: 16_301 }, '2025-07-04T02:00:00.000Z'),
  fact('42001', '2025-06', { received: 130_378, digitized: 96_688 }, '2025-07-05T10:00:00.000Z'),
  // After the reform: the commune reports late, the province office on time.
  fact('42001', '2025-07', { received: 1_000, digitized: 900 }, '2025-08-10T02:00:00.000Z'),
  fact('42-STP', '2025-07', { received: 100, digitized: 50 }, '2025-08-01T02:00:00.000Z'),
]

export function makeReportDataset(): Dataset {
  return buildDataset(REPORT_UNITS, REPORT_FACTS)
}

/** Communes of province 42 are held to 70% in 2025. */
export const REPORT_TARGETS: Target[] = [
  {
    indicator: 'digitization',
    year: 2025,
    unitCode: '42',
    level: 'commune',
    basisPoints: 7000,
    maxPoints: 10,
    updatedAt: '2025-01-01T00:00:00.000Z',
    updatedBy: 'tinh',
  },
]

/** 20 August 2025, 09:00 in Vietnam. */
export const REPORT_NOW = new Date('2025-08-20T02:00:00.000Z')
