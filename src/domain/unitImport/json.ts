/** Parsers of the JSON formats: units-old, units-new and merges (see types.ts). */
import { REFORM_DATE, type UnitType } from '../units.ts'
import type { LinkKind, UnitLink } from '../unitLinks.ts'
import {
  MAX_PROBLEMS,
  type ImportProblem,
  type ListedUnit,
  type ParseResult,
  type UnitList,
} from './types.ts'

type Rec = Readonly<Record<string, unknown>>

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export const PROVINCE_TYPES: readonly UnitType[] = ['Tỉnh', 'Thành phố Trung ương']
export const DISTRICT_TYPES: readonly UnitType[] = ['Huyện', 'Quận', 'Thị xã', 'Thành phố']
export const COMMUNE_TYPES: readonly UnitType[] = ['Xã', 'Phường', 'Thị trấn', 'Đặc khu']

/** Collects problems, at most MAX_PROBLEMS of them. */
export class Problems {
  readonly list: ImportProblem[] = []
  private dropped = 0
  add(path: string, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ path, message })
    else this.dropped++
  }
  get empty(): boolean {
    return this.list.length === 0
  }
  result<T>(value: T): ParseResult<T> {
    if (this.empty) return { ok: true, value }
    const errors = [...this.list]
    if (this.dropped > 0)
      errors.push({ path: '…', message: `và ${this.dropped} lỗi khác không được liệt kê` })
    return { ok: false, errors }
  }
}

function str(problems: Problems, record: Rec, key: string, path: string): string | null {
  const value = record[key]
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  problems.add(`${path}.${key}`, `thiếu "${key}" hoặc không phải chuỗi ký tự`)
  return null
}

function optionalStr(record: Rec, key: string): string | undefined {
  const value = record[key]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function code(
  problems: Problems,
  record: Rec,
  key: string,
  path: string,
  digits: number | readonly number[],
): string | null {
  const value = str(problems, record, key, path)
  if (value === null) return null
  const allowed = typeof digits === 'number' ? [digits] : digits
  if (!allowed.some((n) => value.length === n && /^\d+$/.test(value))) {
    problems.add(`${path}.${key}`, `mã "${value}" phải gồm ${allowed.join(' hoặc ')} chữ số`)
    return null
  }
  return value
}

function oneOfTypes(
  problems: Problems,
  value: string | null,
  allowed: readonly UnitType[],
  path: string,
): UnitType | null {
  if (value === null) return null
  const found = allowed.find((type) => type === value)
  if (found === undefined)
    problems.add(path, `loại đơn vị "${value}" không hợp lệ (cho phép: ${allowed.join(', ')})`)
  return found ?? null
}

function array(problems: Problems, record: Rec, key: string, path: string): unknown[] {
  const value = record[key]
  if (Array.isArray(value)) return value
  problems.add(`${path}.${key}`, `thiếu danh sách "${key}"`)
  return []
}

/** Every unit code once; a second occurrence is a problem at its path. */
class Seen {
  private readonly paths = new Map<string, string>()
  check(problems: Problems, unitCode: string | null, path: string): void {
    if (unitCode === null) return
    const first = this.paths.get(unitCode)
    if (first !== undefined) problems.add(path, `mã ${unitCode} bị trùng (đã có ở ${first})`)
    else this.paths.set(unitCode, path)
  }
}

function dataArray(problems: Problems, value: unknown, key: string | null): unknown[] {
  if (key === null) {
    if (Array.isArray(value)) return value
    problems.add('$', 'tệp phải là một mảng JSON')
    return []
  }
  if (isRecord(value) && Array.isArray(value[key])) return value[key]
  if (Array.isArray(value)) return value
  problems.add('$', `tệp phải là đối tượng JSON có mảng "${key}"`)
  return []
}

/** The three-level list: { data: [{ level1_id, name, type, level2s: [{ level2_id, …, level3s }] }] }. */
export function parseUnitsOld(value: unknown): ParseResult<UnitList> {
  const problems = new Problems()
  const units: ListedUnit[] = []
  const seen = new Seen()
  for (const [i, province] of dataArray(problems, value, 'data').entries()) {
    const pPath = `data[${i}]`
    if (!isRecord(province)) {
      problems.add(pPath, 'phải là một đối tượng')
      continue
    }
    const pCode = code(problems, province, 'level1_id', pPath, 2)
    const pName = str(problems, province, 'name', pPath)
    const pType = oneOfTypes(
      problems,
      str(problems, province, 'type', pPath),
      PROVINCE_TYPES,
      `${pPath}.type`,
    )
    seen.check(problems, pCode, pPath)
    if (pCode !== null && pName !== null && pType !== null)
      units.push(listed(pCode, pName, 'province', pType, null))
    for (const [j, district] of array(problems, province, 'level2s', pPath).entries()) {
      const dPath = `${pPath}.level2s[${j}]`
      if (!isRecord(district)) {
        problems.add(dPath, 'phải là một đối tượng')
        continue
      }
      const dCode = code(problems, district, 'level2_id', dPath, 3)
      const dName = str(problems, district, 'name', dPath)
      const dType = oneOfTypes(
        problems,
        str(problems, district, 'type', dPath),
        DISTRICT_TYPES,
        `${dPath}.type`,
      )
      seen.check(problems, dCode, dPath)
      if (dCode !== null && dName !== null && dType !== null)
        units.push(listed(dCode, dName, 'district', dType, pCode))
      for (const [k, commune] of array(problems, district, 'level3s', dPath).entries()) {
        const cPath = `${dPath}.level3s[${k}]`
        if (!isRecord(commune)) {
          problems.add(cPath, 'phải là một đối tượng')
          continue
        }
        const cCode = code(problems, commune, 'level3_id', cPath, 5)
        const cName = str(problems, commune, 'name', cPath)
        const cType = oneOfTypes(
          problems,
          str(problems, commune, 'type', cPath),
          COMMUNE_TYPES,
          `${cPath}.type`,
        )
        seen.check(problems, cCode, cPath)
        if (cCode !== null && cName !== null && cType !== null)
          units.push(listed(cCode, cName, 'commune', cType, dCode))
      }
    }
  }
  return problems.result({ units, provinces: 'all' })
}

/** Type from a full name's leading word(s): "Tỉnh Hà Tĩnh", "Thành phố Hà Nội", "Phường Ba Đình". */
export function typeFromName(
  name: string,
  prefixes: readonly (readonly [string, UnitType])[],
): UnitType | null {
  const lower = name.toLocaleLowerCase('vi')
  for (const [prefix, type] of prefixes)
    if (lower.startsWith(`${prefix.toLocaleLowerCase('vi')} `)) return type
  return null
}

export const PROVINCE_PREFIXES: readonly (readonly [string, UnitType])[] = [
  ['Tỉnh', 'Tỉnh'],
  ['Thành phố', 'Thành phố Trung ương'],
]
export const DISTRICT_PREFIXES: readonly (readonly [string, UnitType])[] = [
  ['Huyện', 'Huyện'],
  ['Quận', 'Quận'],
  ['Thị xã', 'Thị xã'],
  ['Thành phố', 'Thành phố'],
]
export const COMMUNE_PREFIXES: readonly (readonly [string, UnitType])[] = [
  ['Xã', 'Xã'],
  ['Phường', 'Phường'],
  ['Thị trấn', 'Thị trấn'],
  ['Đặc khu', 'Đặc khu'],
]

function typeOf(
  problems: Problems,
  name: string | null,
  prefixes: readonly (readonly [string, UnitType])[],
  path: string,
): UnitType | null {
  if (name === null) return null
  const type = typeFromName(name, prefixes)
  if (type === null)
    problems.add(
      path,
      `tên "${name}" phải bắt đầu bằng loại đơn vị (${prefixes.map(([p]) => p).join(', ')})`,
    )
  return type
}

/** The two-level list: [{ Code, FullName, FullNameEn?, Wards: [{ Code, FullName, ProvinceCode }] }]. */
export function parseUnitsNew(value: unknown): ParseResult<UnitList> {
  const problems = new Problems()
  const units: ListedUnit[] = []
  const seen = new Seen()
  for (const [i, province] of dataArray(problems, value, null).entries()) {
    const pPath = `[${i}]`
    if (!isRecord(province)) {
      problems.add(pPath, 'phải là một đối tượng')
      continue
    }
    const pCode = code(problems, province, 'Code', pPath, 2)
    const pName = str(problems, province, 'FullName', pPath)
    const pType = typeOf(problems, pName, PROVINCE_PREFIXES, `${pPath}.FullName`)
    seen.check(problems, pCode, pPath)
    if (pCode !== null && pName !== null && pType !== null)
      units.push(listed(pCode, pName, 'province', pType, null, optionalStr(province, 'FullNameEn')))
    for (const [j, ward] of array(problems, province, 'Wards', pPath).entries()) {
      const wPath = `${pPath}.Wards[${j}]`
      if (!isRecord(ward)) {
        problems.add(wPath, 'phải là một đối tượng')
        continue
      }
      const wCode = code(problems, ward, 'Code', wPath, 5)
      const wName = str(problems, ward, 'FullName', wPath)
      const wType = typeOf(problems, wName, COMMUNE_PREFIXES, `${wPath}.FullName`)
      const parent = ward['ProvinceCode']
      if (parent !== undefined && parent !== pCode)
        problems.add(
          `${wPath}.ProvinceCode`,
          `mã tỉnh "${String(parent)}" khác tỉnh chứa nó (${pCode ?? '?'})`,
        )
      seen.check(problems, wCode, wPath)
      if (wCode !== null && wName !== null && wType !== null)
        units.push(listed(wCode, wName, 'commune', wType, pCode, optionalStr(ward, 'FullNameEn')))
    }
  }
  return problems.result({ units, provinces: 'all' })
}

function listed(
  unitCode: string,
  name: string,
  kind: ListedUnit['kind'],
  type: UnitType,
  parentCode: string | null,
  nameEn?: string,
): ListedUnit {
  return {
    code: unitCode,
    name,
    ...(nameEn === undefined ? {} : { nameEn }),
    kind,
    type,
    level: kind === 'office' ? 'province' : kind,
    parentCode,
  }
}

function linkKind(problems: Problems, record: Rec, path: string): LinkKind | null {
  const value = record['type']
  if (value === 'full' || value === 'partial') return value
  problems.add(`${path}.type`, `"type" phải là "full" hoặc "partial"`)
  return null
}

/**
 * The merge mapping: { data: [{ level1_id, merges: [{ old_id, type }], level2s: [{ level2_id,
 * merges }] }] }; links dated `date` (default REFORM_DATE).
 */
export function parseMerges(value: unknown, date: string = REFORM_DATE): ParseResult<UnitLink[]> {
  const problems = new Problems()
  const links: UnitLink[] = []
  const seen = new Set<string>()
  const addMerges = (
    record: Rec,
    path: string,
    newCode: string | null,
    digits: readonly number[],
  ) => {
    for (const [m, merge] of array(problems, record, 'merges', path).entries()) {
      const mPath = `${path}.merges[${m}]`
      if (!isRecord(merge)) {
        problems.add(mPath, 'phải là một đối tượng')
        continue
      }
      const oldCode = code(problems, merge, 'old_id', mPath, digits)
      const kind = linkKind(problems, merge, mPath)
      if (newCode === null || oldCode === null || kind === null) continue
      const key = `${newCode}/${oldCode}`
      if (seen.has(key)) {
        problems.add(mPath, `liên kết ${oldCode} → ${newCode} bị trùng`)
        continue
      }
      seen.add(key)
      links.push({ newCode, oldCode, kind, date })
    }
  }
  for (const [i, province] of dataArray(problems, value, 'data').entries()) {
    const pPath = `data[${i}]`
    if (!isRecord(province)) {
      problems.add(pPath, 'phải là một đối tượng')
      continue
    }
    const pCode = code(problems, province, 'level1_id', pPath, 2)
    addMerges(province, pPath, pCode, [2])
    const communes = province['level2s']
    if (communes === undefined) continue
    if (!Array.isArray(communes)) {
      problems.add(`${pPath}.level2s`, 'phải là một mảng')
      continue
    }
    for (const [j, commune] of communes.entries()) {
      const cPath = `${pPath}.level2s[${j}]`
      if (!isRecord(commune)) {
        problems.add(cPath, 'phải là một đối tượng')
        continue
      }
      // A whole old district without communes (an island district) became one new commune.
      addMerges(commune, cPath, code(problems, commune, 'level2_id', cPath, 5), [5, 3])
    }
  }
  return problems.result(links)
}
