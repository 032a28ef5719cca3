/**
 * The country's units after the 2025 reform, for the sync benchmarks: the official list from
 * ../shared/data when it is there (read in place, never copied into the repository), otherwise the
 * same number of synthetic communes spread over 34 provinces.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { REFORM_DATE, type Unit, type UnitType } from '../../../src/domain/units.ts'
import { ROOT } from '../../e2e/harness.ts'

export const OFFICIAL_UNITS_FILE = join(ROOT, '..', 'shared', 'data', 'units-2026-07-25.json')
/** What the official list holds; the synthetic one has as many. */
export const COMMUNES = 3_321
export const PROVINCES = 34

/** The country: provinces and communes, all valid from the reform on. */
export interface Country {
  provinces: Unit[]
  communes: Unit[]
  source: 'official' | 'synthetic'
}

const Named = {
  Code: Type.String(),
  FullName: Type.String(),
  NameEn: Type.String(),
}
const checkFile = Compile(
  Type.Array(
    Type.Object({
      ...Named,
      Wards: Type.Array(Type.Object({ ...Named, ProvinceCode: Type.String() })),
    }),
  ),
)

/** The official list when present, else a synthetic country of the same size. */
export async function loadCountry(): Promise<Country> {
  if (!existsSync(OFFICIAL_UNITS_FILE)) return syntheticCountry()
  const data: unknown = JSON.parse(await readFile(OFFICIAL_UNITS_FILE, 'utf8'))
  if (!checkFile.Check(data)) throw new Error(`Unexpected format: ${OFFICIAL_UNITS_FILE}`)
  const provinces = data.map((p) =>
    unit(p.Code, p.FullName, p.NameEn, 'province', provinceType(p.FullName), null),
  )
  const communes = data.flatMap((p) =>
    p.Wards.map((w) =>
      unit(w.Code, w.FullName, w.NameEn, 'commune', communeType(w.FullName), w.ProvinceCode),
    ),
  )
  return { provinces, communes, source: 'official' }
}

function syntheticCountry(): Country {
  const provinces = Array.from({ length: PROVINCES }, (_, i) => {
    const code = String(10 + i)
    return unit(code, `Tỉnh ${code} (mẫu)`, `Province ${code}`, 'province', 'Tỉnh', null)
  })
  const communes = Array.from({ length: COMMUNES }, (_, i) => {
    const code = String(10_000 + i)
    const parent = provinces[i % PROVINCES]?.code ?? null
    return unit(code, `Xã ${code} (mẫu)`, `Commune ${code}`, 'commune', 'Xã', parent)
  })
  return { provinces, communes, source: 'synthetic' }
}

function unit(
  code: string,
  name: string,
  nameEn: string,
  kind: 'province' | 'commune',
  type: UnitType,
  parentCode: string | null,
): Unit {
  return {
    code,
    name,
    nameEn,
    kind,
    type,
    level: kind,
    parentCode,
    validFrom: REFORM_DATE,
    validTo: null,
  }
}

function provinceType(fullName: string): UnitType {
  return fullName.startsWith('Thành phố') ? 'Thành phố Trung ương' : 'Tỉnh'
}

function communeType(fullName: string): UnitType {
  if (fullName.startsWith('Phường')) return 'Phường'
  if (fullName.startsWith('Đặc khu')) return 'Đặc khu'
  return 'Xã'
}

/** Where the units came from and how many, for the report. */
export interface CountrySummary {
  source: Country['source']
  file: string | null
  provinces: number
  communes: number
}

export function countrySummary(country: Country): CountrySummary {
  return {
    source: country.source,
    file: country.source === 'official' ? OFFICIAL_UNITS_FILE : null,
    provinces: country.provinces.length,
    communes: country.communes.length,
  }
}
