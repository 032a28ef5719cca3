/**
 * The import's semantics, "the list as of date D", as a pure plan over the stored units:
 * - a listed unit matching the version valid at D (same name, type, kind, level, parent) is unchanged;
 * - a new or changed unit opens a version valid from D; the version valid at D, if any, closes at D
 *   (a version that starts at D itself is replaced);
 * - a stored province, district or commune valid at D that the list covers (every province for a
 *   national list, else the provinces listed) and does not list closes at D (removed if it starts at D).
 * Offices are never touched. Planning the same list twice gives an empty plan the second time.
 */
import { linkKey, type UnitLink } from '../unitLinks.ts'
import { isActiveOn, type Unit } from '../units.ts'
import type { LevelCounts, ListedUnit, UnitList } from './types.ts'

export interface UnitKey {
  code: string
  validFrom: string
}

export interface UnitImportPlan {
  /** Versions to insert (or overwrite, same code and validFrom). */
  upserts: Unit[]
  /** Versions valid at D to close at D. */
  closes: UnitKey[]
  /** Versions that start at D and are no longer listed. */
  deletes: UnitKey[]
  added: number
  closed: number
  unchanged: number
  /** The stored list after the plan is applied. */
  after: Unit[]
}

/** The day before an ISO date. */
export function dayBefore(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() - 1)
  return date.toISOString().slice(0, 10)
}

/** Administrative units (not offices) valid on `isoDate`, per level. */
export function activeCounts(units: readonly Unit[], isoDate: string): LevelCounts {
  const counts: LevelCounts = { province: 0, district: 0, commune: 0 }
  for (const unit of units)
    if (unit.kind !== 'office' && isActiveOn(unit, isoDate)) counts[unit.kind]++
  return counts
}

function sameUnit(stored: Unit, listed: ListedUnit): boolean {
  return (
    stored.name === listed.name &&
    stored.type === listed.type &&
    stored.kind === listed.kind &&
    stored.level === listed.level &&
    stored.parentCode === listed.parentCode
  )
}

export function planUnitImport(
  existing: readonly Unit[],
  list: UnitList,
  date: string,
): UnitImportPlan {
  const versions = new Map<string, Unit[]>()
  for (const unit of existing) {
    const list = versions.get(unit.code)
    if (list) list.push(unit)
    else versions.set(unit.code, [unit])
  }
  const activeAt = (code: string) => versions.get(code)?.find((unit) => isActiveOn(unit, date))
  /** Where a new version ends: at the next stored version of the code, if one starts later. */
  const nextStart = (code: string): string | null => {
    let next: string | null = null
    for (const unit of versions.get(code) ?? [])
      if (unit.validFrom > date && (next === null || unit.validFrom < next)) next = unit.validFrom
    return next
  }
  const upserts: Unit[] = []
  const closes: UnitKey[] = []
  const deletes: UnitKey[] = []
  const replaced = new Set<string>()
  let unchanged = 0
  const listedCodes = new Set<string>()
  for (const listed of list.units) {
    listedCodes.add(listed.code)
    const current = activeAt(listed.code)
    if (current !== undefined && sameUnit(current, listed)) {
      unchanged++
      continue
    }
    if (current !== undefined) {
      if (current.validFrom === date) replaced.add(current.code)
      else closes.push({ code: current.code, validFrom: current.validFrom })
    }
    const validTo = current?.validFrom === date ? current.validTo : nextStart(listed.code)
    upserts.push({ ...listed, validFrom: date, validTo })
  }
  // Which stored units the list covers: all, or those under the listed provinces.
  const covered = list.provinces === 'all' ? null : new Set(list.provinces)
  const byCode = new Map<string, Unit>()
  for (const unit of existing) if (isActiveOn(unit, date)) byCode.set(unit.code, unit)
  const provinceOf = (unit: Unit): string | null => {
    let current: Unit | undefined = unit
    for (let depth = 0; current !== undefined && depth < 5; depth++) {
      if (current.parentCode === null) return current.code
      current = byCode.get(current.parentCode)
    }
    return null
  }
  let closed = 0
  for (const unit of byCode.values()) {
    if (unit.kind === 'office' || listedCodes.has(unit.code)) continue
    if (covered !== null) {
      const province = provinceOf(unit)
      if (province === null || !covered.has(province)) continue
    }
    closed++
    if (unit.validFrom === date) deletes.push({ code: unit.code, validFrom: unit.validFrom })
    else closes.push({ code: unit.code, validFrom: unit.validFrom })
  }
  const after = applyPlan(existing, { upserts, closes, deletes }, date)
  return {
    upserts,
    closes,
    deletes,
    added: upserts.length,
    closed,
    unchanged,
    after,
  }
}

function applyPlan(
  existing: readonly Unit[],
  plan: Pick<UnitImportPlan, 'upserts' | 'closes' | 'deletes'>,
  date: string,
): Unit[] {
  const key = (unit: UnitKey) => `${unit.code}@${unit.validFrom}`
  const closing = new Set(plan.closes.map(key))
  const dropping = new Set([...plan.deletes, ...plan.upserts].map(key))
  const result: Unit[] = []
  for (const unit of existing) {
    if (dropping.has(key(unit))) continue
    result.push(closing.has(key(unit)) ? { ...unit, validTo: date } : unit)
  }
  result.push(...plan.upserts)
  return result
}

export interface LinkImportPlan {
  /** New links, or links whose kind changed. */
  upserts: UnitLink[]
  unchanged: number
}

export function planLinkImport(
  existing: readonly UnitLink[],
  links: readonly UnitLink[],
): LinkImportPlan {
  const stored = new Map(existing.map((link) => [linkKey(link), link]))
  const upserts: UnitLink[] = []
  let unchanged = 0
  for (const link of links) {
    if (stored.get(linkKey(link))?.kind === link.kind) unchanged++
    else upserts.push(link)
  }
  return { upserts, unchanged }
}
