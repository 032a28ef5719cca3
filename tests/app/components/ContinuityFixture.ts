/**
 * A province merged on 2025-07-01, for the dashboard and report tests of figures before a unit
 * existed. Round figures, so the expected numbers can be worked out by hand.
 *
 * Old (until 2025-07-01): province 42 "Tỉnh Thử" with department 42-STP (kept across), district 421
 * with communes Xã An 42001, Xã Bình 42004, Xã Chè 42007, Xã Dừa 42008; province 43 "Tỉnh Bên" with
 * its health department 43-SYT.
 * New (from 2025-07-01): province 42 = old 42 + part of old 43; Xã Cát 42010 = Xã An + Xã Bình
 * (both whole: exact); Xã Đông 42013 = part of Xã Chè + Xã Dừa (approximate).
 */
import { monthRange, type Month } from '../../../src/domain/periods.ts'
import { buildDataset, type Dataset, type Fact } from '../../../src/domain/rollup.ts'
import type { UnitLink } from '../../../src/domain/unitLinks.ts'
import { REFORM_DATE, type Unit } from '../../../src/domain/units.ts'
import { makeFact, makeUnit } from '../../domain/builders.ts'

const OLD = { validTo: REFORM_DATE }
const NEW = { validFrom: REFORM_DATE }
const province: Pick<Unit, 'kind' | 'type' | 'level'> = {
  kind: 'province',
  type: 'Tỉnh',
  level: 'province',
}
const office: Pick<Unit, 'kind' | 'type'> = { kind: 'office', type: 'Cơ quan' }

export const CONTINUITY_UNITS: Unit[] = [
  makeUnit({ code: '42', name: 'Tỉnh Thử', nameEn: 'Test Province', ...province, ...OLD }),
  makeUnit({ code: '42', name: 'Tỉnh Thử', nameEn: 'Test Province', ...province, ...NEW }),
  makeUnit({ code: '43', name: 'Tỉnh Bên', nameEn: 'Next Province', ...province, ...OLD }),
  makeUnit({
    code: '42-STP',
    name: 'Sở Tư pháp',
    ...office,
    level: 'province',
    parentCode: '42',
  }),
  makeUnit({
    code: '43-SYT',
    name: 'Sở Y tế tỉnh Bên',
    nameEn: 'Next Province Health Department',
    ...office,
    level: 'province',
    parentCode: '43',
    ...OLD,
  }),
  makeUnit({
    code: '421',
    name: 'Huyện Một',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: '42',
    ...OLD,
  }),
  makeUnit({ code: '42001', name: 'Xã An', parentCode: '421', ...OLD }),
  makeUnit({ code: '42004', name: 'Xã Bình', parentCode: '421', ...OLD }),
  makeUnit({ code: '42007', name: 'Xã Chè', nameEn: 'Che Commune', parentCode: '421', ...OLD }),
  makeUnit({ code: '42008', name: 'Xã Dừa', parentCode: '421', ...OLD }),
  makeUnit({ code: '42010', name: 'Xã Cát', parentCode: '42', ...NEW }),
  makeUnit({ code: '42013', name: 'Xã Đông', nameEn: 'Dong Commune', parentCode: '42', ...NEW }),
]

const link = (newCode: string, oldCode: string, kind: UnitLink['kind']): UnitLink => ({
  newCode,
  oldCode,
  kind,
  date: REFORM_DATE,
})

export const CONTINUITY_LINKS: UnitLink[] = [
  link('42', '42', 'full'),
  link('42', '43', 'partial'),
  link('42010', '42001', 'full'),
  link('42010', '42004', 'full'),
  link('42013', '42007', 'partial'),
  link('42013', '42008', 'full'),
]

function fact(unitCode: string, month: Month, received: number, digitized: number): Fact {
  return makeFact({ unitCode, month, counts: { received, digitized }, reportedAt: null })
}

/**
 * Every month, [received, digitized]:
 * 2025-01..06: 42-STP 3000/2700, Xã An 1000/500, Xã Bình 2000/1800, Xã Chè 400/300,
 *   Xã Dừa 600/500, 43-SYT 500/250.
 * 2025-07..12: 42-STP 3000/2700, Xã Cát 3000/2700, Xã Đông 1000/900.
 * 2026-01..04: Xã Đông 1000/900.
 */
export function continuityFacts(): Fact[] {
  const facts: Fact[] = []
  for (const month of monthRange('2025-01', '2025-06')) {
    facts.push(
      fact('42-STP', month, 3000, 2700),
      fact('42001', month, 1000, 500),
      fact('42004', month, 2000, 1800),
      fact('42007', month, 400, 300),
      fact('42008', month, 600, 500),
      fact('43-SYT', month, 500, 250),
    )
  }
  for (const month of monthRange('2025-07', '2025-12')) {
    facts.push(
      fact('42-STP', month, 3000, 2700),
      fact('42010', month, 3000, 2700),
      fact('42013', month, 1000, 900),
    )
  }
  for (const month of monthRange('2026-01', '2026-04')) facts.push(fact('42013', month, 1000, 900))
  return facts
}

export function makeContinuityDataset(): Dataset {
  return buildDataset(CONTINUITY_UNITS, continuityFacts(), CONTINUITY_LINKS)
}
