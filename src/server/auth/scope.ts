/**
 * Who may read and write which units: pure functions of a user and the unit tree, tested with tables.
 *
 * - reporter: writes exactly its assigned units and reads them; sets no targets;
 * - viewer: writes no entries and reads the subtree of each of its units in every era, so a province
 *   viewer sees the pre-2025 districts and communes as well as the post-reform communes; sets
 *   targets on units of that subtree (not nationwide ones);
 * - admin: reads and writes everything, nationwide targets included.
 *
 * Targets are read more widely than entries: a user reads the nationwide ones and those set on the
 * units it reads or on their ancestors, since a commune's target is usually a default its province
 * set for all its communes.
 *
 * Units are versioned in time and a code may name different units in different eras, so the tree
 * indexes every version of a code and follows parent links through all of them.
 */
import type {
  EntryPutOp,
  Op,
  RejectReason,
  ReviewOp,
  Role,
  TargetPutOp,
} from '../../domain/sync/protocol.ts'
import { isMonth, monthStart, toMonth, type Month } from '../../domain/periods.ts'
import { targetProblem } from '../../domain/targets.ts'
import { isActiveOn, isReportingUnit, type GovernmentLevel, type Unit } from '../../domain/units.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { ReadScope, WriteCheck } from '../store/store.ts'

/** The parts of a user that authorization depends on. */
export interface ScopedUser {
  role: Role
  unitCodes: readonly string[]
}

/** Every version of every unit, with parent links across eras. */
export interface UnitTree {
  units: readonly Unit[]
  /** code → its versions (usually one; two when a code was reused after the reform). */
  byCode: ReadonlyMap<string, readonly Unit[]>
  /** code → codes of the units that name it as parent in any era. */
  children: ReadonlyMap<string, ReadonlySet<string>>
  /** code → codes of the units merged (wholly or partly) into it by a reorganization. */
  predecessors: ReadonlyMap<string, ReadonlySet<string>>
}

/** Indexes every version of every unit by code and by parent. */
export function buildUnitTree(
  units: readonly Unit[],
  links: readonly Pick<UnitLink, 'newCode' | 'oldCode'>[] = [],
): UnitTree {
  const predecessors = new Map<string, Set<string>>()
  for (const link of links) {
    if (link.newCode === link.oldCode) continue
    const olds = predecessors.get(link.newCode) ?? new Set<string>()
    olds.add(link.oldCode)
    predecessors.set(link.newCode, olds)
  }
  const byCode = new Map<string, Unit[]>()
  const children = new Map<string, Set<string>>()
  for (const unit of units) {
    const versions = byCode.get(unit.code) ?? []
    versions.push(unit)
    byCode.set(unit.code, versions)
    if (unit.parentCode === null) continue
    const siblings = children.get(unit.parentCode) ?? new Set<string>()
    siblings.add(unit.code)
    children.set(unit.parentCode, siblings)
  }
  return { units, byCode, children, predecessors }
}

/** `roots` and every code below them in any era; unknown roots are ignored. */
export function subtreeCodes(tree: UnitTree, roots: readonly string[]): Set<string> {
  const result = new Set<string>()
  const stack = roots.filter((code) => tree.byCode.has(code))
  while (stack.length > 0) {
    const code = stack.pop()
    // The `has` check also ends a parent cycle in imported data.
    if (code === undefined || result.has(code)) continue
    result.add(code)
    for (const child of tree.children.get(code) ?? []) stack.push(child)
  }
  return result
}

/** Codes above `codes` in any era; `codes` themselves only if a parent cycle leads back to them. */
export function ancestorCodes(tree: UnitTree, codes: Iterable<string>): Set<string> {
  const result = new Set<string>()
  const stack = [...codes]
  while (stack.length > 0) {
    const code = stack.pop()
    if (code === undefined) continue
    for (const unit of tree.byCode.get(code) ?? []) {
      const parent = unit.parentCode
      if (parent !== null && !result.has(parent)) {
        result.add(parent)
        stack.push(parent)
      }
    }
  }
  return result
}

/** Every unit merged into any of `codes`, and theirs in turn, through earlier reorganizations. */
export function predecessorCodes(tree: UnitTree, codes: Iterable<string>): Set<string> {
  const result = new Set<string>()
  const stack = [...codes]
  while (stack.length > 0) {
    const code = stack.pop()
    if (code === undefined) continue
    for (const old of tree.predecessors.get(code) ?? []) {
      if (result.has(old)) continue
      result.add(old)
      stack.push(old)
    }
  }
  return result
}

/** The entries `user` may read, as a scope the store can filter by. */
export function readScopeOf(user: ScopedUser, tree: UnitTree): ReadScope {
  switch (user.role) {
    case 'admin':
      return { all: true }
    case 'viewer': {
      // A unit's history before a reorganization is its predecessors' (src/domain/continuity.ts):
      // a viewer of a merged province or commune reads the old units it was formed from.
      const own = subtreeCodes(tree, user.unitCodes)
      const before = predecessorCodes(tree, own)
      return { all: false, unitCodes: new Set([...own, ...subtreeCodes(tree, [...before])]) }
    }
    case 'reporter':
      // Read-only: writeCheckFor still allows only the assigned units.
      return {
        all: false,
        unitCodes: new Set([...user.unitCodes, ...predecessorCodes(tree, user.unitCodes)]),
      }
  }
}

/** Whether `scope` covers at least one of `unitCodes`. */
export function scopeCovers(scope: ReadScope, unitCodes: readonly string[]): boolean {
  return scope.all || unitCodes.some((code) => scope.unitCodes.has(code))
}

/**
 * The units `user` sees in the app: those it may read plus their ancestors, so a commune can show
 * its district and province names. Every version of each code is included.
 */
export function visibleUnits(user: ScopedUser, tree: UnitTree): Unit[] {
  const scope = readScopeOf(user, tree)
  if (scope.all) return [...tree.units]
  const codes = new Set([...scope.unitCodes, ...ancestorCodes(tree, scope.unitCodes)])
  return tree.units.filter((unit) => codes.has(unit.code))
}

/**
 * The units whose targets `user` may read, besides the nationwide ones: those it reads and their
 * ancestors in any era.
 */
export function targetReadScopeOf(user: ScopedUser, tree: UnitTree): ReadScope {
  const scope = readScopeOf(user, tree)
  if (scope.all) return scope
  return {
    all: false,
    unitCodes: new Set([...scope.unitCodes, ...ancestorCodes(tree, scope.unitCodes)]),
  }
}

/** Vietnam has one time zone, UTC+7, and no daylight saving time. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000

/** The calendar month officials are living in at `now`, whatever the server's time zone. */
export function currentMonthInVietnam(now: Date): Month {
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS)
  return toMonth(local.getUTCFullYear(), local.getUTCMonth() + 1)
}

/**
 * The per-op check the store runs inside the push transaction. Checks run from the most basic
 * (does the unit exist) to the most specific, and the first failure is the reason given.
 */
export function writeCheckFor(user: ScopedUser, tree: UnitTree, now: Date): WriteCheck {
  const checkEntry = entryCheckFor(user, tree, now)
  const checkTarget = targetCheckFor(user, tree)
  const checkReview = reviewCheckFor(user, tree)
  return (op: Op) => {
    switch (op.kind) {
      case 'target.put':
        return checkTarget(op)
      case 'review':
        return checkReview(op)
      case 'entry.put':
        return checkEntry(op)
    }
  }
}

/**
 * Who may move a month's review: the unit's own reporter submits it; a viewer whose read scope
 * holds the unit (its district or province) returns, accepts or reopens it; an admin does all four.
 * Whether the transition fits the month's current state is decided in the store (review.ts).
 */
export function reviewCheckFor(
  user: ScopedUser,
  tree: UnitTree,
): (op: ReviewOp) => RejectReason | null {
  const assigned = new Set(user.unitCodes)
  // A province viewer's subtree is large: built once per push, and only when a review op needs it.
  let readable: ReadScope | null = null
  return (op) => {
    if (!tree.byCode.has(op.unitCode)) return 'unknownUnit'
    if (user.role === 'admin') return null
    if (op.action === 'submit')
      return user.role === 'reporter' && assigned.has(op.unitCode) ? null : 'forbidden'
    if (user.role !== 'viewer') return 'forbidden'
    readable ??= readScopeOf(user, tree)
    return scopeCovers(readable, [op.unitCode]) ? null : 'forbidden'
  }
}

function entryCheckFor(
  user: ScopedUser,
  tree: UnitTree,
  now: Date,
): (op: EntryPutOp) => RejectReason | null {
  const thisMonth = currentMonthInVietnam(now)
  const assigned = new Set(user.unitCodes)
  return (op) => {
    const versions = tree.byCode.get(op.unitCode)
    if (!versions) return 'unknownUnit'
    if (user.role === 'viewer') return 'forbidden'
    if (user.role === 'reporter' && !assigned.has(op.unitCode)) return 'forbidden'
    // The schema already checked the format; the guard narrows the type.
    const month = op.month
    if (!isMonth(month)) return 'invalid'
    if (month > thisMonth) return 'futureMonth'
    const unit = versions.find((version) => isActiveOn(version, monthStart(month)))
    if (!unit) return 'unitNotActive'
    // Province and district figures are sums of their communes and offices, never typed.
    if (!isReportingUnit(unit)) return 'invalid'
    return null
  }
}

const LEVEL_RANK: Record<GovernmentLevel, number> = { province: 0, district: 1, commune: 2 }

/**
 * Who may set which target. A reporter sets none; a viewer sets targets on units of its subtree; an
 * admin on any unit and nationwide. A level default must be for the unit's own level or one below
 * it (communes of a province, not provinces of a commune).
 */
export function targetCheckFor(
  user: ScopedUser,
  tree: UnitTree,
): (op: TargetPutOp) => RejectReason | null {
  const writable = user.role === 'viewer' ? subtreeCodes(tree, user.unitCodes) : null
  return (op) => {
    if (user.role === 'reporter') return 'forbidden'
    if (op.unitCode === null) {
      if (user.role !== 'admin') return 'forbidden'
    } else {
      const versions = tree.byCode.get(op.unitCode)
      if (!versions) return 'unknownUnit'
      if (writable !== null && !writable.has(op.unitCode)) return 'forbidden'
      const level = op.level
      if (level !== null && !versions.some((unit) => LEVEL_RANK[unit.level] <= LEVEL_RANK[level])) {
        return 'invalid'
      }
    }
    return targetProblem(op) === null ? null : 'invalid'
  }
}
