/**
 * Targets (chỉ tiêu) and the Decision 766/QĐ-TTg score.
 *
 * A target is set per indicator and year, either as a default for one government level under a unit
 * (e.g. "communes of province 42: 80%") or as an override on one unit. The target that applies to a
 * unit is, in order: its own override; the default for its level set on its nearest ancestor; the
 * nationwide default for its level; the built-in default (Decision 766: 80% digitization).
 *
 * Target rates are stored as whole basis points (8000 = 80,00%) so that what syncs, what is compared
 * and what is shown are the same number, free of binary-fraction noise.
 */
import type { IndicatorId } from './indicators.ts'
import type { GovernmentLevel, Unit, UnitIndex } from './units.ts'
import { ancestorsOf } from './units.ts'

/** A rate of 80% or more earns the full points of a digitization indicator (Decision 766). */
export const FULL_SCORE_RATE = 0.8

/** The indicators Decision 766 scores as digitization ("số hoá") criteria. */
export const SCORED_INDICATORS: readonly IndicatorId[] = ['digitization', 'eResults', 'reuse']

export const MAX_BASIS_POINTS = 10_000
export const MAX_TARGET_POINTS = 100

export interface Target {
  indicator: IndicatorId
  year: number
  /** The unit the target is set on; null for the nationwide default (admin only). */
  unitCode: string | null
  /** A default for units of this level under `unitCode`; null: an override on `unitCode` itself. */
  level: GovernmentLevel | null
  /** Target rate in basis points: 8000 = 80,00%. */
  basisPoints: number
  /** Full points of the 766 score for this indicator. */
  maxPoints: number
  updatedAt: string
  updatedBy: string
}

/** The fields that identify a target; two targets with the same key are versions of one setting. */
export type TargetScope = Pick<Target, 'indicator' | 'year' | 'unitCode' | 'level'>

/** Stable key of a target setting, used as its primary key on both sides. */
export function targetKey(target: TargetScope): string {
  return `${target.indicator}/${target.year}/${target.unitCode ?? '*'}/${target.level ?? '='}`
}

/** Built-in targets when nobody has set one. Only digitization has an official default (766). */
export const DEFAULT_TARGETS: Partial<
  Record<IndicatorId, { basisPoints: number; maxPoints: number }>
> = { digitization: { basisPoints: 8000, maxPoints: 10 } }

/** Where the target that applies to a unit came from, so the UI can say "default" or "set by …". */
export type TargetSource = 'unit' | 'level' | 'national' | 'builtIn'

export interface ResolvedTarget {
  /** Target rate, 0..1. */
  rate: number
  basisPoints: number
  maxPoints: number
  source: TargetSource
  /** The target record it came from; null for the built-in default. */
  target: Target | null
}

/** Targets of one indicator and year, indexed for resolving many units at once. */
export interface TargetIndex {
  get(unitCode: string | null, level: GovernmentLevel | null): Target | undefined
}

export function indexTargets(
  targets: Iterable<Target>,
  indicator: IndicatorId,
  year: number,
): TargetIndex {
  const map = new Map<string, Target>()
  for (const target of targets) {
    if (target.indicator !== indicator || target.year !== year) continue
    map.set(`${target.unitCode ?? '*'}/${target.level ?? '='}`, target)
  }
  return { get: (unitCode, level) => map.get(`${unitCode ?? '*'}/${level ?? '='}`) }
}

/**
 * The target that applies to `unit` (given with the unit index of its era, for its ancestors), or
 * null when none is set and the indicator has no built-in default.
 */
export function resolveTarget(
  targets: TargetIndex,
  unit: Unit,
  units: UnitIndex,
  indicator: IndicatorId,
): ResolvedTarget | null {
  const own = targets.get(unit.code, null)
  if (own) return resolved(own, 'unit')
  for (const ancestor of ancestorsOf(units, unit.code)) {
    const byLevel = targets.get(ancestor.code, unit.level)
    if (byLevel) return resolved(byLevel, 'level')
  }
  const national = targets.get(null, unit.level)
  if (national) return resolved(national, 'national')
  const builtIn = DEFAULT_TARGETS[indicator]
  if (!builtIn) return null
  return {
    rate: builtIn.basisPoints / MAX_BASIS_POINTS,
    ...builtIn,
    source: 'builtIn',
    target: null,
  }
}

function resolved(target: Target, source: TargetSource): ResolvedTarget {
  return {
    rate: target.basisPoints / MAX_BASIS_POINTS,
    basisPoints: target.basisPoints,
    maxPoints: target.maxPoints,
    source,
    target,
  }
}

/**
 * Decision 766 score of a digitization indicator: full points at a rate of 80% or more, otherwise
 * rate × max ÷ 80%. Null when there is no rate (nothing received).
 */
export function score766(rate: number | null, maxPoints: number): number | null {
  if (rate === null || !Number.isFinite(rate)) return null
  if (rate >= FULL_SCORE_RATE) return maxPoints
  return (Math.max(0, rate) * maxPoints) / FULL_SCORE_RATE
}

/** Whether a rate meets a target; a missing rate meets nothing. */
export function meetsTarget(rate: number | null, target: ResolvedTarget | null): boolean | null {
  if (target === null || rate === null) return null
  // Compared in basis points with a tolerance, so 0.8 meets 8000 despite binary fractions.
  return rate * MAX_BASIS_POINTS >= target.basisPoints - 1e-9
}

/** Checks a target as typed or received; returns the problem, or null when it is acceptable. */
export function targetProblem(
  target: Pick<Target, 'basisPoints' | 'maxPoints' | 'year'>,
): string | null {
  if (
    !Number.isInteger(target.basisPoints) ||
    target.basisPoints < 0 ||
    target.basisPoints > MAX_BASIS_POINTS
  )
    return 'basisPoints'
  if (
    !Number.isFinite(target.maxPoints) ||
    target.maxPoints <= 0 ||
    target.maxPoints > MAX_TARGET_POINTS
  )
    return 'maxPoints'
  if (!Number.isInteger(target.year) || target.year < 2000 || target.year > 2100) return 'year'
  return null
}
