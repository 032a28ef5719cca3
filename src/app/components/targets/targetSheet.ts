/**
 * The rows of the targets screen for one root (a unit, or the whole country) and year: a card per
 * level default and a card per unit with an override, each with a row per indicator. Pure: the
 * editor feeds it the live targets and units and keeps only the typing.
 */
import type { IndicatorId } from '../../../domain/indicators.ts'
import {
  indexTargets,
  targetKey,
  type ResolvedTarget,
  type Target,
  type TargetIndex,
  type TargetScope,
} from '../../../domain/targets.ts'
import {
  inheritedLevelTarget,
  inheritedUnitTarget,
  targetScopeIn,
} from '../../../domain/targetScope.ts'
import { GOVERNMENT_LEVELS, type GovernmentLevel, type Unit } from '../../../domain/units.ts'

/** The order the screen lists indicators in: the 766-scored ones first. */
export const TARGET_INDICATORS: readonly IndicatorId[] = [
  'digitization',
  'eResults',
  'reuse',
  'online',
]

/** A target as the store holds it; `local` until the server has it. */
export type StoredTarget = Target & { state: 'local' | 'sent' }

export interface TargetRowView {
  key: string
  scope: TargetScope
  indicator: IndicatorId
  stored: StoredTarget | null
  /** What applies when this setting is not made. */
  inherited: ResolvedTarget | null
}

export type TargetCardView =
  | { kind: 'level'; id: string; level: GovernmentLevel; rows: TargetRowView[] }
  | { kind: 'unit'; id: string; unit: Unit; rows: TargetRowView[] }

export interface TargetSheet {
  levels: TargetCardView[]
  overrides: TargetCardView[]
  /** Units that may still get an override, by level then name. */
  candidates: Unit[]
}

const collator = new Intl.Collator('vi')

function byLevelThenName(a: Unit, b: Unit): number {
  return (
    GOVERNMENT_LEVELS.indexOf(a.level) - GOVERNMENT_LEVELS.indexOf(b.level) ||
    collator.compare(a.name, b.name)
  )
}

export function buildTargetSheet(options: {
  targets: readonly StoredTarget[]
  units: readonly Unit[]
  rootCode: string | null
  year: number
  /** Units the user added an override card for, not saved yet. */
  added: readonly string[]
}): TargetSheet {
  const { targets, units, rootCode, year } = options
  const stored = new Map(targets.map((target) => [targetKey(target), target]))
  const indexes = new Map<IndicatorId, TargetIndex>(
    TARGET_INDICATORS.map((indicator) => [indicator, indexTargets(targets, indicator, year)]),
  )
  const scope = targetScopeIn(units, rootCode, year)

  function row(
    indicator: IndicatorId,
    unitCode: string | null,
    level: GovernmentLevel | null,
  ): TargetRowView {
    const rowScope: TargetScope = { indicator, year, unitCode, level }
    const key = targetKey(rowScope)
    const index = indexes.get(indicator)!
    const inherited =
      level === null
        ? inheritedUnitTarget(index, units, unitCode ?? '', indicator, year)
        : inheritedLevelTarget(index, units, unitCode, level, indicator, year)
    return { key, scope: rowScope, indicator, stored: stored.get(key) ?? null, inherited }
  }

  const levels: TargetCardView[] = scope.levels.map((level) => ({
    kind: 'level',
    id: `level/${level}`,
    level,
    rows: TARGET_INDICATORS.map((indicator) => row(indicator, rootCode, level)),
  }))

  const candidates = new Map(scope.candidates.map((unit) => [unit.code, unit]))
  const withOverride = new Set(
    targets
      .filter((target) => target.year === year && target.level === null && target.unitCode)
      .map((target) => target.unitCode ?? ''),
  )
  const shown = [...candidates.values()]
    .filter((unit) => withOverride.has(unit.code))
    .sort(byLevelThenName)
  for (const code of options.added) {
    const unit = candidates.get(code)
    if (unit && !withOverride.has(code)) shown.push(unit)
  }
  const overrides: TargetCardView[] = shown.map((unit) => ({
    kind: 'unit',
    id: `unit/${unit.code}`,
    unit,
    rows: TARGET_INDICATORS.map((indicator) => row(indicator, unit.code, null)),
  }))
  const shownCodes = new Set(shown.map((unit) => unit.code))
  return {
    levels,
    overrides,
    candidates: [...candidates.values()]
      .filter((unit) => !shownCodes.has(unit.code))
      .sort(byLevelThenName),
  }
}
