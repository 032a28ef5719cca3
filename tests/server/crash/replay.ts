/**
 * What one unit-month must hold: the entry ops that changed it, replayed through the pure merge
 * rules (src/domain/sync/merge.ts) in the order the server applied them. Same rules, same inputs,
 * so every version, the field stamps and every conflict must come out as the database has them;
 * an op applied twice, lost, or half-written cannot.
 */
import {
  mergeEntry,
  type CurrentEntry,
  type EntryValues,
  type MergeConflict,
} from '../../../src/domain/sync/merge.ts'
import type { EntryPutOp } from '../../../src/domain/sync/protocol.ts'

/** An op with who sent it, as the server stamps it. */
export interface AppliedOp {
  op: EntryPutOp
  author: string
  stream: string
}

export interface Replayed {
  /** The values at version 1, 2, ... */
  versions: EntryValues[]
  current: CurrentEntry | null
  conflicts: MergeConflict[]
}

export function replayMonth(applied: readonly AppliedOp[]): Replayed {
  const versions: EntryValues[] = []
  const conflicts: MergeConflict[] = []
  let current: CurrentEntry | null = null
  for (const { op, author, stream } of applied) {
    const base =
      op.baseVersion === null || current === null || op.baseVersion === current.version
        ? null
        : (versions[op.baseVersion - 1] ?? null)
    // Authored times are in the past, so the server keeps them as sent.
    const at = op.createdAt
    const version: number = (current?.version ?? 0) + 1
    const merge = mergeEntry(current, base, {
      counts: op.counts,
      note: op.note,
      baseVersion: op.baseVersion,
      author,
      at,
      stream,
    })
    current = {
      counts: merge.counts,
      note: merge.note,
      version,
      fieldMeta: merge.fieldMeta,
      updatedBy: author,
      updatedAt: at,
    }
    versions.push({ counts: merge.counts, note: merge.note })
    conflicts.push(...merge.conflicts)
  }
  return { versions, current, conflicts }
}
