/**
 * What the targets screen offers for one unit (or the whole country) and year: which level defaults
 * make sense there, which units may get an override, and what each setting falls back to when it is
 * not set.
 *
 * A year can span the 2025 reform, so "the units of a year" are those of every era touching it:
 * 2025 has districts (January to June) and merged communes (from July).
 */
import type { IndicatorId } from './indicators.ts'
import { toMonth } from './periods.ts'
import {
  DEFAULT_TARGETS,
  MAX_BASIS_POINTS,
  resolveTarget,
  type ResolvedTarget,
  type Target,
  type TargetIndex,
} from './targets.ts'
import {
  GOVERNMENT_LEVELS,
  ancestorsOf,
  indexUnits,
  subtreeOf,
  unitsActiveIn,
  type GovernmentLevel,
  type Unit,
  type UnitIndex,
} from './units.ts'

/** The unit lists of the eras touching `year`, in time order (one list when nothing changed). */
export function erasOfYear(units: readonly Unit[], year: number): Unit[][] {
  const eras: Unit[][] = []
  let previous = ''
  for (let month = 1; month <= 12; month += 1) {
    const era = unitsActiveIn(units, toMonth(year, month))
    const signature = era.map((unit) => `${unit.code}@${unit.validFrom}`).join(' ')
    if (signature === previous) continue
    previous = signature
    if (era.length > 0) eras.push(era)
  }
  return eras
}

export interface TargetScopeView {
  /**
   * Levels that have units below the root at some time in the year, top first: the levels a
   * default set on the root can apply to. Nationwide: every level in the country that year.
   */
  levels: GovernmentLevel[]
  /**
   * Units an override may be set on, as they last were in the year: the root and every unit below
   * it. Nationwide, only the top-level units (provinces); deeper units are reached by choosing
   * their province.
   */
  candidates: Unit[]
}

/** The levels and override candidates for `rootCode` (null: nationwide) in `year`. */
export function targetScopeIn(
  units: readonly Unit[],
  rootCode: string | null,
  year: number,
): TargetScopeView {
  const levels = new Set<GovernmentLevel>()
  const candidates = new Map<string, Unit>()
  for (const era of erasOfYear(units, year)) {
    const subtree = rootCode === null ? era : subtreeOf(era, rootCode)
    for (const unit of subtree) {
      if (unit.code !== rootCode) levels.add(unit.level)
      // Later eras overwrite earlier ones: a code keeps its latest version in the year.
      if (rootCode !== null || unit.parentCode === null) candidates.set(unit.code, unit)
    }
  }
  return {
    levels: GOVERNMENT_LEVELS.filter((level) => levels.has(level)),
    candidates: [...candidates.values()],
  }
}

/** The version of `code` that last existed in `year`, with the unit index of its era. */
export function unitInYear(
  units: readonly Unit[],
  code: string,
  year: number,
): { unit: Unit; index: UnitIndex } | null {
  const eras = erasOfYear(units, year)
  for (let i = eras.length - 1; i >= 0; i -= 1) {
    const era = eras[i]!
    const unit = era.find((candidate) => candidate.code === code)
    if (unit) return { unit, index: indexUnits(era) }
  }
  return null
}

function fromTarget(target: Target, source: ResolvedTarget['source']): ResolvedTarget {
  return {
    rate: target.basisPoints / MAX_BASIS_POINTS,
    basisPoints: target.basisPoints,
    maxPoints: target.maxPoints,
    source,
    target,
  }
}

function builtIn(indicator: IndicatorId): ResolvedTarget | null {
  const defaults = DEFAULT_TARGETS[indicator]
  if (!defaults) return null
  return {
    rate: defaults.basisPoints / MAX_BASIS_POINTS,
    ...defaults,
    source: 'builtIn',
    target: null,
  }
}

/**
 * What units of `level` under `rootCode` get when the root sets no default for them: the default
 * for that level set on the root's nearest ancestor, then the nationwide one, then the built-in.
 * Nationwide (`rootCode` null) falls back to the built-in only.
 */
export function inheritedLevelTarget(
  targets: TargetIndex,
  units: readonly Unit[],
  rootCode: string | null,
  level: GovernmentLevel,
  indicator: IndicatorId,
  year: number,
): ResolvedTarget | null {
  if (rootCode !== null) {
    const found = unitInYear(units, rootCode, year)
    for (const ancestor of found ? ancestorsOf(found.index, rootCode) : []) {
      const set = targets.get(ancestor.code, level)
      if (set) return fromTarget(set, 'level')
    }
    const national = targets.get(null, level)
    if (national) return fromTarget(national, 'national')
  }
  return builtIn(indicator)
}

/** What `unit` gets without an override of its own: `resolveTarget` with that override hidden. */
export function inheritedUnitTarget(
  targets: TargetIndex,
  units: readonly Unit[],
  unitCode: string,
  indicator: IndicatorId,
  year: number,
): ResolvedTarget | null {
  const found = unitInYear(units, unitCode, year)
  if (!found) return builtIn(indicator)
  const withoutOwn: TargetIndex = {
    get: (code, level) =>
      code === unitCode && level === null ? undefined : targets.get(code, level),
  }
  return resolveTarget(withoutOwn, found.unit, found.index, indicator)
}
