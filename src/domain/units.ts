/**
 * Administrative and reporting units, versioned in time.
 *
 * Before 2025-07-01 Vietnam had three levels (province, district, commune); after it, two (province,
 * commune). A unit is valid on [validFrom, validTo); the same code may therefore name different
 * units in different eras, and a unit list for a month is the units valid on its first day.
 */
import { monthStart, type Month } from './periods.ts'

/** Date the two-level local government took effect (Resolution 202/2025/QH15). */
export const REFORM_DATE = '2025-07-01'

/** The level of government a unit belongs to: the "3 cấp chính quyền" of the reports. */
export const GOVERNMENT_LEVELS = ['province', 'district', 'commune'] as const
export type GovernmentLevel = (typeof GOVERNMENT_LEVELS)[number]

/**
 * `province`, `district`, `commune`: administrative units with official codes.
 * `office`: a reporting unit inside a level, such as a province department (Sở) or a district office.
 */
export const UNIT_KINDS = ['province', 'district', 'commune', 'office'] as const
export type UnitKind = (typeof UNIT_KINDS)[number]

/** Sub-types as written in official lists. */
export const UNIT_TYPES = [
  'Tỉnh',
  'Thành phố Trung ương',
  'Huyện',
  'Quận',
  'Thị xã',
  'Thành phố',
  'Xã',
  'Phường',
  'Thị trấn',
  'Đặc khu',
  'Cơ quan',
] as const
export type UnitType = (typeof UNIT_TYPES)[number]

export interface Unit {
  /** Official code: 2 digits for a province, 3 for a district, 5 for a commune; `<parent>-<ABC>` for an office. */
  code: string
  name: string
  nameEn?: string
  kind: UnitKind
  type: UnitType
  /** The government level; for an office, the level of the unit it belongs to. */
  level: GovernmentLevel
  parentCode: string | null
  /** ISO date, inclusive. */
  validFrom: string
  /** ISO date, exclusive; null while the unit exists. */
  validTo: string | null
}

const CODE_PATTERNS: Record<Exclude<UnitKind, 'office'>, RegExp> = {
  province: /^\d{2}$/,
  district: /^\d{3}$/,
  commune: /^\d{5}$/,
}
const OFFICE_CODE = /^\d{2,5}-[A-Z0-9]{2,12}$/

export function isValidUnitCode(kind: UnitKind, code: string): boolean {
  return kind === 'office' ? OFFICE_CODE.test(code) : CODE_PATTERNS[kind].test(code)
}

export function isActiveOn(unit: Unit, isoDate: string): boolean {
  return unit.validFrom <= isoDate && (unit.validTo === null || isoDate < unit.validTo)
}

/** The units that exist in `month` (valid on its first day). */
export function unitsActiveIn(units: readonly Unit[], month: Month): Unit[] {
  const date = monthStart(month)
  return units.filter((unit) => isActiveOn(unit, date))
}

/** Whether the three-level hierarchy (with districts) applies to `month`. */
export function hasDistricts(month: Month): boolean {
  return monthStart(month) < REFORM_DATE
}

/** Units that report figures themselves: communes and offices (province and district totals are sums). */
export function isReportingUnit(unit: Unit): boolean {
  return unit.kind === 'commune' || unit.kind === 'office'
}

/** Index of units by code for one era; build it from `unitsActiveIn` so codes are unique. */
export type UnitIndex = ReadonlyMap<string, Unit>

export function indexUnits(units: readonly Unit[]): UnitIndex {
  return new Map(units.map((unit) => [unit.code, unit]))
}

/** The chain of ancestors of `code`, nearest first, within one era's index. */
export function ancestorsOf(index: UnitIndex, code: string): Unit[] {
  const chain: Unit[] = []
  const seen = new Set<string>()
  let parent = index.get(code)?.parentCode ?? null
  while (parent !== null && !seen.has(parent)) {
    seen.add(parent)
    const unit = index.get(parent)
    if (!unit) break
    chain.push(unit)
    parent = unit.parentCode
  }
  return chain
}

/** `code` itself and every unit below it, within one era's units. */
export function subtreeOf(units: readonly Unit[], code: string): Unit[] {
  const children = new Map<string, Unit[]>()
  for (const unit of units) {
    if (unit.parentCode === null) continue
    const list = children.get(unit.parentCode) ?? []
    list.push(unit)
    children.set(unit.parentCode, list)
  }
  const root = units.find((unit) => unit.code === code)
  if (!root) return []
  const result: Unit[] = []
  // Guards against a parent cycle in imported data, as ancestorsOf does; without it this never ends.
  const seen = new Set<string>()
  const stack = [root]
  while (stack.length > 0) {
    const unit = stack.pop()!
    if (seen.has(unit.code)) continue
    seen.add(unit.code)
    result.push(unit)
    stack.push(...(children.get(unit.code) ?? []))
  }
  return result
}
