/**
 * Checks on values that arrive from outside (a backup file, the server) before they are stored:
 * IndexedDB keeps whatever it is given, so a wrong shape would only fail later, far from its cause.
 */
import { DATA_ELEMENTS, type Counts, type DataElement } from '../../domain/indicators.ts'
import {
  GOVERNMENT_LEVELS as LEVELS,
  isValidUnitCode,
  UNIT_KINDS,
  UNIT_TYPES,
  type Unit,
} from '../../domain/units.ts'

/** `value` as a unit, or the name of the first property that is wrong. */
export function toUnit(value: unknown): Unit | string {
  if (!isRecord(value)) return 'unit'
  const { code, name, nameEn, kind, type, level, parentCode, validFrom, validTo } = value
  const unitKind = UNIT_KINDS.find((k) => k === kind)
  if (unitKind === undefined) return 'kind'
  if (typeof code !== 'string' || !isValidUnitCode(unitKind, code)) return 'code'
  if (typeof name !== 'string' || name === '') return 'name'
  if (nameEn !== undefined && typeof nameEn !== 'string') return 'nameEn'
  const unitType = UNIT_TYPES.find((t) => t === type)
  if (unitType === undefined) return 'type'
  const unitLevel = LEVELS.find((l) => l === level)
  if (unitLevel === undefined) return 'level'
  if (parentCode !== null && typeof parentCode !== 'string') return 'parentCode'
  if (!isDate(validFrom)) return 'validFrom'
  if (validTo !== null && !isDate(validTo)) return 'validTo'
  const unit: Unit = {
    code,
    name,
    kind: unitKind,
    type: unitType,
    level: unitLevel,
    parentCode,
    validFrom,
    validTo,
  }
  if (nameEn !== undefined) unit.nameEn = nameEn
  return unit
}

/** Counts with only known elements and number values; their rules are checked separately. */
export function parseCounts(value: unknown): Counts | null {
  if (!isRecord(value)) return null
  const counts: Counts = {}
  for (const [field, count] of Object.entries(value)) {
    if (!isDataElement(field) || typeof count !== 'number') return null
    counts[field] = count
  }
  return counts
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string'
}

export function isDataElement(value: string): value is DataElement {
  return DATA_ELEMENTS.some((element) => element === value)
}

export function isUnitCode(value: unknown): value is string {
  return typeof value === 'string' && UNIT_KINDS.some((kind) => isValidUnitCode(kind, value))
}

export function isDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value))
}
