/**
 * Checks the server's answers against the protocol before anything is stored. The server is ours,
 * but a proxy, a captive portal or a half-deployed version can still answer with something else,
 * and a wrong row written to IndexedDB would outlive the bad answer. TypeBox's value checker is not
 * used here: it would add tens of kilobytes to the phone's download for a handful of shapes.
 */
import type {
  Conflict,
  EntryChange,
  HistoryEvent,
  LoginResponse,
  OpResult,
  Problem,
  PullResponse,
  PushResponse,
  RejectReason,
  ReviewWire,
  Role,
  SessionUser,
} from '../../domain/sync/protocol.ts'
import { isMonth } from '../../domain/periods.ts'
import { INDICATORS } from '../../domain/indicators.ts'
import { targetProblem, type Target } from '../../domain/targets.ts'
import { LINK_KINDS, type UnitLink } from '../../domain/unitLinks.ts'
import { GOVERNMENT_LEVELS, type Unit } from '../../domain/units.ts'
import { isRecord, isUnitCode, parseCounts, toUnit } from '../db/shapes.ts'

const ROLES: readonly Role[] = ['reporter', 'viewer', 'admin']
const REJECT_REASONS: readonly RejectReason[] = [
  'forbidden',
  'unknownUnit',
  'unitNotActive',
  'futureMonth',
  'invalid',
  'locked',
  'wrongState',
]

const isString = (value: unknown): value is string => typeof value === 'string'
const isInteger = (value: unknown): value is number => Number.isSafeInteger(value)

/** A list whose every element decodes, or null. */
function listOf<T>(value: unknown, decode: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null
  const items: T[] = []
  for (const item of value) {
    const decoded = decode(item)
    if (decoded === null) return null
    items.push(decoded)
  }
  return items
}

export function decodeSessionUser(value: unknown): SessionUser | null {
  if (!isRecord(value)) return null
  const { id, username, displayName, role } = value
  const unitCodes = listOf(value.unitCodes, (code) => (isString(code) ? code : null))
  const knownRole = ROLES.find((r) => r === role)
  if (!isString(id) || id === '' || !isString(username) || !isString(displayName)) return null
  if (knownRole === undefined || unitCodes === null) return null
  return { id, username, displayName, role: knownRole, unitCodes }
}

export function decodeLoginResponse(value: unknown): LoginResponse | null {
  if (!isRecord(value) || !isString(value.token) || !isString(value.expiresAt)) return null
  const user = decodeSessionUser(value.user)
  return user === null ? null : { token: value.token, expiresAt: value.expiresAt, user }
}

type FieldValue = Conflict['value']
const isFieldValue = (value: unknown): value is FieldValue =>
  value === null || isString(value) || isInteger(value)

function decodeConflict(value: unknown): Conflict | null {
  if (!isRecord(value)) return null
  const { id, unitCode, month, field, author, authoredAt, winner, createdAt } = value
  if (!isString(id) || !isString(unitCode) || !isString(month) || !isString(field)) return null
  if (!isString(author) || !isString(authoredAt) || !isString(winner) || !isString(createdAt)) {
    return null
  }
  if (!isFieldValue(value.value) || !isFieldValue(value.currentValue) || !isMonth(month)) {
    return null
  }
  return {
    id,
    unitCode,
    month,
    field,
    value: value.value,
    currentValue: value.currentValue,
    author,
    authoredAt,
    winner,
    createdAt,
  }
}

function decodeOpResult(value: unknown): OpResult | null {
  if (!isRecord(value) || !isString(value.id) || !isInteger(value.seq)) return null
  const { id, seq, status } = value
  if (status === 'applied' || status === 'duplicate') {
    return isInteger(value.version) ? { id, seq, status, version: value.version } : null
  }
  if (status === 'conflict') {
    const conflicts = listOf(value.conflicts, decodeConflict)
    if (!isInteger(value.version) || conflicts === null) return null
    return { id, seq, status, version: value.version, conflicts }
  }
  if (status === 'rejected') {
    const reason = REJECT_REASONS.find((r) => r === value.reason)
    if (reason === undefined) return null
    return { id, seq, status, reason, detail: isString(value.detail) ? value.detail : '' }
  }
  return null
}

export function decodePushResponse(value: unknown): PushResponse | null {
  if (!isRecord(value) || !isInteger(value.ackSeq)) return null
  const results = listOf(value.results, decodeOpResult)
  return results === null ? null : { results, ackSeq: value.ackSeq }
}

const REVIEW_STATES: readonly ReviewWire['state'][] = ['submitted', 'returned', 'accepted']

function decodeReview(value: unknown): ReviewWire | undefined {
  if (!isRecord(value)) return undefined
  const { comment, updatedBy, updatedAt } = value
  const state = REVIEW_STATES.find((s) => s === value.state)
  if (state === undefined || !isString(comment) || !isString(updatedBy)) return undefined
  if (!isString(updatedAt)) return undefined
  return { state, comment, updatedBy, updatedAt }
}

function decodeChange(value: unknown): EntryChange | null {
  if (!isRecord(value)) return null
  const { unitCode, month, note, version, updatedAt, updatedBy } = value
  const counts = parseCounts(value.counts)
  const conflicts = listOf(value.conflicts, decodeConflict)
  if (!isString(unitCode) || !isString(month) || !isMonth(month) || !isString(note)) return null
  if (!isInteger(version) || !isString(updatedAt) || !isString(updatedBy)) return null
  if (counts === null || conflicts === null) return null
  const change: EntryChange = {
    unitCode,
    month,
    counts,
    note,
    version,
    updatedAt,
    updatedBy,
    conflicts,
  }
  // Absent from servers before protocol 2; anything but a string or null is a malformed change.
  const { reportedAt } = value
  if (reportedAt !== undefined) {
    if (reportedAt !== null && !isString(reportedAt)) return null
    change.reportedAt = reportedAt
  }
  // Absent from servers before protocol 3.
  if (value.review !== undefined) {
    const review = value.review === null ? null : decodeReview(value.review)
    if (review === undefined) return null
    change.review = review
  }
  return change
}

export function decodePullResponse(value: unknown): PullResponse | null {
  if (!isRecord(value)) return null
  const { cursor, more, remaining } = value
  const changes = listOf(value.changes, decodeChange)
  if (!isString(cursor) || !/^\d{1,18}$/.test(cursor) || typeof more !== 'boolean') return null
  if (!isInteger(remaining) || changes === null) return null
  return { changes, cursor, more, remaining }
}

/** The unit list, as domain units; null if any unit is malformed. */
export function decodeUnits(value: unknown): Unit[] | null {
  if (!isRecord(value)) return null
  return listOf(value.units, (item) => {
    const unit = toUnit(item)
    return typeof unit === 'string' ? null : unit
  })
}

function decodeLink(value: unknown): UnitLink | null {
  if (!isRecord(value)) return null
  const { newCode, oldCode, date } = value
  const kind = LINK_KINDS.find((k) => k === value.kind)
  if (!isUnitCode(newCode) || !isUnitCode(oldCode) || kind === undefined) return null
  if (!isString(date) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null
  return { newCode, oldCode, kind, date }
}

/**
 * The reorganization links sent with the unit list: undefined when the server sends none (before
 * issue 5), null when any is malformed.
 */
export function decodeUnitLinks(value: unknown): UnitLink[] | null | undefined {
  if (!isRecord(value) || value.links === undefined) return undefined
  return listOf(value.links, decodeLink)
}

function decodeTarget(value: unknown): Target | null {
  if (!isRecord(value)) return null
  const { year, unitCode, basisPoints, maxPoints, updatedAt, updatedBy } = value
  const indicator = INDICATORS.find((i) => i.id === value.indicator)?.id
  const level = value.level === null ? null : GOVERNMENT_LEVELS.find((l) => l === value.level)
  if (indicator === undefined || level === undefined) return null
  if (unitCode !== null && !isString(unitCode)) return null
  if (!isInteger(year) || !isInteger(basisPoints) || typeof maxPoints !== 'number') return null
  if (!isString(updatedAt) || !isString(updatedBy)) return null
  const target: Target = {
    indicator,
    year,
    unitCode,
    level,
    basisPoints,
    maxPoints,
    updatedAt,
    updatedBy,
  }
  return targetProblem(target) === null ? target : null
}

/** The targets the user may read; null if any is malformed. */
export function decodeTargets(value: unknown): Target[] | null {
  if (!isRecord(value)) return null
  return listOf(value.targets, decodeTarget)
}

type HistoryValue = Extract<HistoryEvent, { type: 'edit' }>['changes'][number]['from']
const isHistoryValue = (value: unknown): value is HistoryValue =>
  value === null || isString(value) || typeof value === 'number'
const REVIEW_ACTIONS: readonly Extract<HistoryEvent, { type: 'review' }>['action'][] = [
  'submit',
  'return',
  'accept',
  'reopen',
]

function decodeHistoryChange(
  value: unknown,
): Extract<HistoryEvent, { type: 'edit' }>['changes'][number] | null {
  if (!isRecord(value) || !isString(value.field)) return null
  const { field, from, to } = value
  return isHistoryValue(from) && isHistoryValue(to) ? { field, from, to } : null
}

function decodeHistoryEvent(value: unknown): HistoryEvent | null {
  if (!isRecord(value) || !isString(value.at) || !isString(value.by)) return null
  const { at, by } = value
  switch (value.type) {
    case 'edit': {
      const changes = listOf(value.changes, decodeHistoryChange)
      const { deviceId, version } = value
      if (!isString(deviceId) || !isInteger(version) || changes === null) return null
      return { type: 'edit', at, by, deviceId, version, changes }
    }
    case 'conflict': {
      const { field, winner } = value
      if (!isString(field) || !isString(winner)) return null
      if (!isHistoryValue(value.value) || !isHistoryValue(value.currentValue)) return null
      return {
        type: 'conflict',
        at,
        by,
        field,
        value: value.value,
        currentValue: value.currentValue,
        winner,
      }
    }
    case 'resolved':
      return isString(value.field) ? { type: 'resolved', at, by, field: value.field } : null
    case 'review': {
      const action = REVIEW_ACTIONS.find((a) => a === value.action)
      if (action === undefined || !isString(value.comment)) return null
      return { type: 'review', at, by, action, comment: value.comment }
    }
    default:
      return null
  }
}

/** A month's history, oldest first; null if any event is malformed. */
export function decodeHistory(value: unknown): HistoryEvent[] | null {
  if (!isRecord(value)) return null
  return listOf(value.events, decodeHistoryEvent)
}

/** Problem details, or null when the body is something else (a proxy's HTML page, say). */
export function decodeProblem(value: unknown): Problem | null {
  if (!isRecord(value) || !isString(value.type) || !isString(value.title)) return null
  if (!isInteger(value.status)) return null
  const problem: Problem = { type: value.type, title: value.title, status: value.status }
  if (isString(value.detail)) problem.detail = value.detail
  // Field errors (an import's bad rows, a refused account field) are shown to the admin.
  const errors = listOf(value.errors, (item) =>
    isRecord(item) && isString(item.path) && isString(item.message)
      ? { path: item.path, message: item.message }
      : null,
  )
  if (errors !== null) problem.errors = errors
  return problem
}
