/**
 * Field-by-field merge of an incoming `entry.put` into the server's copy of the entry. Pure and
 * deterministic: the server runs it inside the push transaction; the rules are tested as a table.
 *
 * A field counts as changed by a side when it differs from the base (the entry at the op's
 * baseVersion). Fields one side changed merge; when both changed one field differently, the incoming
 * value wins (the server's order decides: it arrived later) and the losing value is returned as a
 * conflict, so no count disappears silently.
 *
 * A device's ops are made one on top of the other, so a value the op's own stream wrote is not the
 * other side: the device had it when it made this op. Only other streams' changes count as changed
 * by the server.
 */
import { DATA_ELEMENTS, type Counts, type DataElement } from '../indicators.ts'
import { validateCounts } from '../validation.ts'

/** A data element, or the free-text note. */
export type MergeField = DataElement | 'note'

export const MERGE_FIELDS: readonly MergeField[] = [...DATA_ELEMENTS, 'note']

/** Who last wrote a field's current value, and when. */
export interface FieldStamp {
  by: string
  at: string
  /** The device stream (`<installId>:<userId>`) whose op wrote it; absent on older stamps. */
  stream?: string
}

export type FieldMeta = Partial<Record<MergeField, FieldStamp>>

export interface EntryValues {
  counts: Counts
  note: string
}

/** The server's current entry. */
export interface CurrentEntry extends EntryValues {
  version: number
  fieldMeta: FieldMeta
  /** Stamp for fields that have none in `fieldMeta`. */
  updatedBy: string
  updatedAt: string
}

/** The values an op carries, and who wrote them when. */
export interface IncomingEdit extends EntryValues {
  baseVersion: number | null
  author: string
  at: string
  /** The device stream the op came from; without it every earlier change counts as another side's. */
  stream?: string
}

/** A field's value as conflicts carry it: an absent count is null. */
export type FieldValue = number | string | null

export interface MergeConflict {
  field: MergeField
  /** The value that lost. */
  value: FieldValue
  /** The value that won and is now current. */
  currentValue: FieldValue
  /** Who wrote the losing value, and when. */
  author: string
  authoredAt: string
  /** Who wrote the winning value. */
  winner: string
}

/**
 * create: no entry yet. fastForward: the op was based on the current version. merge: field by field.
 * fallback: the field merge gave counts that fail validation, so the op's counts were taken whole.
 */
export type MergeMode = 'create' | 'fastForward' | 'merge' | 'fallback'

export interface MergeResult extends EntryValues {
  fieldMeta: FieldMeta
  conflicts: MergeConflict[]
  /** Whether counts or note differ from the current entry (always true on create). */
  changed: boolean
  mode: MergeMode
}

/** What a device that never saw the entry based its edit on: nothing (an empty note is no note). */
const EMPTY: EntryValues = { counts: {}, note: '' }

/**
 * Merges `incoming` into `current`. `base` is the entry at `incoming.baseVersion`, or null when the
 * op has no base version or the server no longer knows it.
 */
export function mergeEntry(
  current: CurrentEntry | null,
  base: EntryValues | null,
  incoming: IncomingEdit,
): MergeResult {
  if (current === null) return finish(null, incoming, incoming, [], 'create')
  if (incoming.baseVersion === current.version)
    return finish(current, incoming, incoming, [], 'fastForward')

  const from = base ?? EMPTY
  const merged: EntryValues = { counts: {}, note: current.note }
  const conflicts: MergeConflict[] = []
  const serverChanged = new Set<MergeField>()
  for (const field of MERGE_FIELDS) {
    const mine = valueOf(current, field)
    const theirs = valueOf(incoming, field)
    // An official who corrects a value offline sends two ops on one base: the second replaces the
    // first, it does not conflict with it.
    const own =
      incoming.stream !== undefined && current.fieldMeta[field]?.stream === incoming.stream
    const was = own ? mine : valueOf(from, field)
    if (mine !== was) serverChanged.add(field)
    const takeTheirs = theirs !== was && mine !== theirs
    if (takeTheirs && serverChanged.has(field)) conflicts.push(conflictOn(field, current, incoming))
    setValue(merged, field, takeTheirs ? theirs : mine)
  }
  if (validateCounts(merged.counts).errors.length === 0)
    return finish(current, merged, incoming, conflicts, 'merge')

  // Each side may be valid alone and invalid together (one raised digitized, the other lowered
  // received). Never store an invalid entry: take the op's counts, which were validated, and keep
  // every current count the server side had changed and now loses as a conflict.
  const fallback: MergeConflict[] = []
  for (const field of DATA_ELEMENTS) {
    const mine = current.counts[field]
    if (mine !== incoming.counts[field] && serverChanged.has(field))
      fallback.push(conflictOn(field, current, incoming))
  }
  const noteConflicts = conflicts.filter((conflict) => conflict.field === 'note')
  const values = { counts: incoming.counts, note: merged.note }
  return finish(current, values, incoming, [...fallback, ...noteConflicts], 'fallback')
}

function finish(
  current: CurrentEntry | null,
  values: EntryValues,
  incoming: IncomingEdit,
  conflicts: MergeConflict[],
  mode: MergeMode,
): MergeResult {
  const counts = normalized(values.counts)
  const note = values.note
  const before = current ?? EMPTY
  const fieldMeta: FieldMeta = { ...current?.fieldMeta }
  const stamp: FieldStamp = { by: incoming.author, at: incoming.at }
  if (incoming.stream !== undefined) stamp.stream = incoming.stream
  let changed = current === null
  for (const field of MERGE_FIELDS) {
    const now = field === 'note' ? note : counts[field]
    if (now === valueOf(before, field)) continue
    changed = true
    fieldMeta[field] = stamp
  }
  return { counts, note, fieldMeta, conflicts, changed, mode }
}

function conflictOn(
  field: MergeField,
  current: CurrentEntry,
  incoming: IncomingEdit,
): MergeConflict {
  const stamp = current.fieldMeta[field] ?? { by: current.updatedBy, at: current.updatedAt }
  return {
    field,
    value: valueOf(current, field) ?? null,
    currentValue: valueOf(incoming, field) ?? null,
    author: stamp.by,
    authoredAt: stamp.at,
    winner: incoming.author,
  }
}

function valueOf(values: EntryValues, field: MergeField): number | string | undefined {
  return field === 'note' ? values.note : values.counts[field]
}

function setValue(values: EntryValues, field: MergeField, value: number | string | undefined) {
  if (field === 'note') values.note = typeof value === 'string' ? value : ''
  else if (typeof value === 'number') values.counts[field] = value
  else delete values.counts[field]
}

/** Counts in DATA_ELEMENTS order without undefined keys, so stored JSON is stable. */
function normalized(counts: Counts): Counts {
  const result: Counts = {}
  for (const field of DATA_ELEMENTS) {
    const value = counts[field]
    if (value !== undefined) result[field] = value
  }
  return result
}
