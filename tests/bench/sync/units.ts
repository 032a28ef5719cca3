/**
 * The country's units for the benchmarks, in either era: the two-level hierarchy after the 2025
 * reform (34 provinces, 3,321 communes) or the three-level one before it (63 provinces, 696
 * districts, 10,047 communes). Read from the official lists in ../shared/data when they are there
 * (in place, never copied into the repository, through the product's own import parsers), otherwise
 * synthetic units of the same numbers.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Month } from '../../../src/domain/periods.ts'
import { parseUnitsNew, parseUnitsOld } from '../../../src/domain/unitImport/json.ts'
import type { ParseResult, UnitList } from '../../../src/domain/unitImport/types.ts'
import { REFORM_DATE, type Unit, type UnitKind } from '../../../src/domain/units.ts'
import { ROOT } from '../../e2e/harness.ts'

export type Era = 'two-level' | 'three-level'

/** Where each era's list lives, how to read it, when its units were in force, and its size. */
const ERAS = {
  'two-level': {
    file: join(ROOT, '..', 'shared', 'data', 'units-2026-07-25.json'),
    parse: parseUnitsNew,
    validFrom: REFORM_DATE,
    validTo: null,
    size: { provinces: 34, districts: 0, communes: 3_321 },
  },
  'three-level': {
    file: join(ROOT, '..', 'shared', 'data', 'units-2025-03-01.json'),
    parse: parseUnitsOld,
    validFrom: '2020-01-01',
    validTo: REFORM_DATE,
    size: { provinces: 63, districts: 696, communes: 10_047 },
  },
} satisfies Record<
  Era,
  {
    file: string
    parse: (value: unknown) => ParseResult<UnitList>
    validFrom: string
    validTo: string | null
    size: { provinces: number; districts: number; communes: number }
  }
>

/** The list of the two-level era, which the dashboard and pull parts use. */
export const OFFICIAL_UNITS_FILE = ERAS['two-level'].file

/** The country: its provinces, districts (none after the reform) and communes. */
export interface Country {
  era: Era
  provinces: Unit[]
  districts: Unit[]
  communes: Unit[]
  source: 'official' | 'synthetic'
  /** The month a burst reports: every unit of this era is in force in it. */
  burstMonth: Month | 'current'
}

/** The official list of `era` when present, else a synthetic country of the same size. */
export async function loadCountry(era: Era = 'two-level'): Promise<Country> {
  const spec = ERAS[era]
  const burstMonth = era === 'two-level' ? 'current' : '2025-06'
  const dated = (unit: Omit<Unit, 'validFrom' | 'validTo'>): Unit => ({
    ...unit,
    validFrom: spec.validFrom,
    validTo: spec.validTo,
  })
  if (!existsSync(spec.file)) return { ...syntheticCountry(era, dated), burstMonth }
  const parsed = spec.parse(JSON.parse(await readFile(spec.file, 'utf8')))
  if (!parsed.ok)
    throw new Error(
      `${spec.file}: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    )
  const units = parsed.value.units.map(dated)
  const ofKind = (kind: UnitKind): Unit[] => units.filter((unit) => unit.kind === kind)
  return {
    era,
    provinces: ofKind('province'),
    districts: ofKind('district'),
    communes: ofKind('commune'),
    source: 'official',
    burstMonth,
  }
}

function syntheticCountry(
  era: Era,
  dated: (unit: Omit<Unit, 'validFrom' | 'validTo'>) => Unit,
): Omit<Country, 'burstMonth'> {
  const { size } = ERAS[era]
  const provinces = Array.from({ length: size.provinces }, (_, i) => {
    const code = String(10 + i)
    return dated({
      code,
      name: `Tỉnh ${code} (mẫu)`,
      kind: 'province',
      type: 'Tỉnh',
      level: 'province',
      parentCode: null,
    })
  })
  const districts = Array.from({ length: size.districts }, (_, i) => {
    const code = String(100 + i)
    return dated({
      code,
      name: `Huyện ${code} (mẫu)`,
      kind: 'district',
      type: 'Huyện',
      level: 'district',
      parentCode: provinces[i % provinces.length]?.code ?? null,
    })
  })
  const parents = districts.length > 0 ? districts : provinces
  const communes = Array.from({ length: size.communes }, (_, i) => {
    const code = String(10_000 + i)
    return dated({
      code,
      name: `Xã ${code} (mẫu)`,
      kind: 'commune',
      type: 'Xã',
      level: 'commune',
      parentCode: parents[i % parents.length]?.code ?? null,
    })
  })
  return { era, provinces, districts, communes, source: 'synthetic' }
}

/** Every unit of the country, parents before children (the store checks nothing, but reads do). */
export function allUnits(country: Country): Unit[] {
  return [...country.provinces, ...country.districts, ...country.communes]
}

/** Where the units came from and how many, for the report. */
export interface CountrySummary {
  era: Era
  source: Country['source']
  file: string | null
  provinces: number
  districts: number
  communes: number
}

export function countrySummary(country: Country): CountrySummary {
  return {
    era: country.era,
    source: country.source,
    file: country.source === 'official' ? ERAS[country.era].file : null,
    provinces: country.provinces.length,
    districts: country.districts.length,
    communes: country.communes.length,
  }
}
