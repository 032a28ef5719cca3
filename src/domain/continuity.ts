/**
 * Which units' figures make up a unit's in a given month, across reorganizations.
 *
 * A unit in force in the month is its own subtree, as always. A unit formed later from others (see
 * unitLinks.ts) has, before it existed, the history of its predecessors: the sum of their subtrees in
 * that month's hierarchy, following links further back when a predecessor was itself formed from
 * others. Each old unit counts once however many links lead to it, and a sum reached through a
 * `partial` link (only part of the old unit went in) is approximate.
 *
 * Nearly every new commune of 2025 kept the code of one of its old communes, so one code names two
 * units: which one a roll-up is about (its subject) is the version in force in the latest month of
 * the period, or the one given by `asOf`. Old units therefore stay viewable for old periods.
 */
import { monthStart, toMonth, type Month } from './periods.ts'
import type { Dataset, Era, SubtreeUnit } from './rollup.ts'
import type { LinkKind, UnitLink } from './unitLinks.ts'
import { isActiveOn, type Unit } from './units.ts'

/** An old unit whose figures stand in for a newer unit's before the newer one existed. */
export interface Predecessor {
  unit: Unit
  /** `partial` when any link on the way from the newer unit to it is partial. */
  kind: LinkKind
}

export interface MonthScope {
  era: Era
  /** The units whose figures make up the root's in the month, each with the codes it adds to. */
  units: readonly SubtreeUnit[]
  /**
   * The old units summed in place of the root, by code; null when the root's figures are its own
   * (it was in force, or only its same-code predecessor went wholly into it).
   */
  predecessors: ReadonlyMap<string, LinkKind> | null
}

export interface Lineage {
  /** The unit the figures are about; null when neither it nor its predecessors exist in the months. */
  root: Unit | null
  /** The era the root belongs to: of the latest month it was in force, else of its first month. */
  rootEra: Era | null
  /** By month, what makes up the root's figures; months with nothing are absent. */
  scopes: ReadonlyMap<Month, MonthScope>
}

export interface LineageOptions {
  /**
   * An ISO date picking which version of the code is meant: the one in force on that day. By
   * default, the version in force in the latest month of the period that has one, else the version
   * formed after the period from predecessors.
   */
  asOf?: string
}

/** What `code` was made of in each of `months` (given in any order, repeats ignored). */
export function lineage(
  dataset: Dataset,
  rootCode: string,
  months: readonly Month[],
  options: LineageOptions = {},
): Lineage {
  const sorted = [...new Set(months)].sort()
  const subject = subjectOf(dataset, rootCode, sorted, options.asOf)
  const scopes = new Map<Month, MonthScope>()
  if (!subject) return { root: null, rootEra: null, scopes }
  for (const month of sorted) {
    const scope = scopeIn(dataset, subject, month)
    if (scope) scopes.set(month, scope)
  }
  if (scopes.size === 0) return { root: null, rootEra: null, scopes }
  let rootEra: Era | null = null
  for (let i = sorted.length - 1; i >= 0 && !rootEra; i -= 1) {
    const era = dataset.eraOf(sorted[i]!)
    if (era.index.get(rootCode)?.validFrom === subject.validFrom) rootEra = era
  }
  rootEra ??= dataset.eraOf(monthOfDate(subject.validFrom))
  return { root: subject, rootEra, scopes }
}

/** The links that formed this version of a unit: those dated the day it took effect. */
export function formedFrom(dataset: Dataset, unit: Unit): UnitLink[] {
  return dataset.linksTo(unit.code).filter((link) => link.date === unit.validFrom)
}

function subjectOf(
  dataset: Dataset,
  code: string,
  sorted: readonly Month[],
  asOf: string | undefined,
): Unit | null {
  const versions = dataset.versionsOf(code)
  if (asOf !== undefined) {
    const chosen = versions.find((unit) => isActiveOn(unit, asOf))
    if (chosen) return chosen
  }
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const unit = dataset.eraOf(sorted[i]!).index.get(code)
    if (unit) return unit
  }
  const last = sorted.at(-1)
  if (last === undefined) return null
  // A unit formed after the period: its history there is its predecessors'.
  const end = monthStart(last)
  return (
    versions.find((unit) => unit.validFrom > end && formedFrom(dataset, unit).length > 0) ?? null
  )
}

function scopeIn(dataset: Dataset, subject: Unit, month: Month): MonthScope | null {
  const era = dataset.eraOf(month)
  const code = subject.code
  const active = era.index.get(code)
  const own = (): MonthScope => ({ era, units: era.subtree(code), predecessors: null })
  if (active && active.validFrom === subject.validFrom) return own()
  if (monthStart(month) < subject.validFrom) {
    const predecessors = predecessorsIn(dataset, era, month, subject)
    if (predecessors.size === 1 && predecessors.get(code) === 'full') return own()
    if (predecessors.size > 0) return { era, units: unionOf(era, code, predecessors), predecessors }
    // Without a mapping, a code kept across the reform is taken to be one unit, as it always was.
    return active && formedFrom(dataset, subject).length === 0 ? own() : null
  }
  // After the subject ended: the same code again is the same unit unless it was formed anew.
  return active && formedFrom(dataset, active).length === 0 ? own() : null
}

/** The units in force in the month that `subject` was (wholly or partly) formed from, by code. */
function predecessorsIn(
  dataset: Dataset,
  era: Era,
  month: Month,
  subject: Unit,
): Map<string, LinkKind> {
  const start = monthStart(month)
  const found = new Map<string, LinkKind>()
  const visited = new Set<string>()
  // Each step goes to a version that took effect strictly earlier, so the walk ends even on cyclic
  // links; `visited` keeps diamonds (two links into the same old unit) from being walked twice.
  const visit = (unit: Unit, partial: boolean): void => {
    const key = `${unit.code}/${unit.validFrom}/${partial}`
    if (visited.has(key)) return
    visited.add(key)
    for (const link of formedFrom(dataset, unit)) {
      const viaPartial = partial || link.kind === 'partial'
      const before = versionBefore(dataset, link.oldCode, link.date)
      const inForce = era.index.get(link.oldCode)
      if (inForce && (!before || before.validFrom === inForce.validFrom)) {
        found.set(
          link.oldCode,
          viaPartial || found.get(link.oldCode) === 'partial' ? 'partial' : 'full',
        )
      } else if (before && start < before.validFrom) {
        visit(before, viaPartial)
      }
    }
  }
  visit(subject, false)
  return found
}

/** The version of `code` in force the day before `date`, if the device knows it. */
function versionBefore(dataset: Dataset, code: string, date: string): Unit | undefined {
  let found: Unit | undefined
  for (const unit of dataset.versionsOf(code)) {
    if (unit.validFrom < date && (unit.validTo === null || unit.validTo >= date)) found = unit
  }
  return found
}

const unions = new WeakMap<Era, Map<string, readonly SubtreeUnit[]>>()

/**
 * Every unit of the predecessors' subtrees, once, each adding to its own chain up to its
 * predecessor and then to the root. Cached per era: the 36 months of a trend share one.
 */
function unionOf(
  era: Era,
  rootCode: string,
  predecessors: ReadonlyMap<string, LinkKind>,
): readonly SubtreeUnit[] {
  const codes = [...predecessors.keys()].sort()
  const key = `${rootCode}|${codes.join(',')}`
  let cache = unions.get(era)
  if (!cache) {
    cache = new Map()
    unions.set(era, cache)
  }
  const known = cache.get(key)
  if (known) return known
  const seen = new Set<string>()
  const list: SubtreeUnit[] = []
  for (const code of codes) {
    for (const { unit, path } of era.subtree(code)) {
      if (seen.has(unit.code)) continue
      seen.add(unit.code)
      list.push({ unit, path: path.at(-1) === rootCode ? path : [...path, rootCode] })
    }
  }
  cache.set(key, list)
  return list
}

function monthOfDate(isoDate: string): Month {
  return toMonth(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)))
}
