/**
 * Writing pulled changes. Each page is written in one transaction together with the cursor that
 * follows it, so an interrupted pull resumes exactly where the last written page ended and never
 * stores a cursor past changes it has not kept.
 *
 * An entry whose shown values are still queued on this phone keeps them and its base version:
 * the official sees what they typed, and the queued op, still based on the version they edited,
 * lets the server merge field by field. Only the server's open conflicts and the month's review are
 * taken, so both values show as soon as they exist and a locked month shows locked.
 */
import { entryKey } from '../../domain/entries.ts'
import { isMonth } from '../../domain/periods.ts'
import type { Conflict, EntryChange } from '../../domain/sync/protocol.ts'
import { plainCounts } from './entries.ts'
import { userMetaKey } from './meta.ts'
import type { EntryRecord, EntryReview, SohoaDb } from './schema.ts'

/** What a page did to the local copy. */
export interface PullPageOutcome {
  /** Entries replaced or created with the server's values. */
  written: number
  /** Entries with queued local changes that only took the server's conflicts. */
  keptLocal: number
}

/** Writes one page of `changes` for `userId` and stores `cursor` as where the next page starts. */
export async function applyPullPage(
  db: SohoaDb,
  userId: string,
  changes: readonly EntryChange[],
  cursor: string,
): Promise<PullPageOutcome> {
  return db.transaction('rw', [db.entries, db.outbox, db.meta], async () => {
    const outcome: PullPageOutcome = { written: 0, keptLocal: 0 }
    // The decoder checked every month; the guard only gives the type its shape.
    const items = changes.flatMap((change) => {
      const { month } = change
      return isMonth(month) ? [{ change, month, key: entryKey(change.unitCode, month) }] : []
    })
    const keys = items.map((item) => item.key)
    const existing = await db.entries.bulkGet(keys)
    // Queued ops are few; one index lookup tells which pulled entries have one.
    const queued = (await db.outbox.where('entryKey').anyOf(keys).toArray()).filter(
      (op) => op.kind === 'entry.put',
    )
    const queuedKeys = new Set(queued.map((op) => op.entryKey))
    const resolving = new Set(queued.flatMap((op) => op.resolves ?? []))

    // A page may hold the same entry twice; the later change wins, as on the server.
    const records = new Map<string, EntryRecord>()
    items.forEach(({ change, month, key }, i) => {
      const local = records.get(key) ?? existing[i]
      const conflicts = openConflicts(change.conflicts, resolving)
      // `local` means the values shown are still queued; an older op of another user may wait
      // for the entry too, but it carries its own base and must not hold the server's values back.
      if (queuedKeys.has(key) && local?.state !== 'sent') {
        if (local === undefined) return
        records.set(key, {
          ...local,
          conflicts,
          reportedAt: change.reportedAt ?? local.reportedAt,
          review: reviewOf(change, local),
        })
        outcome.keptLocal++
        return
      }
      // A change older than the version this phone already holds comes from earlier in the log.
      if (local?.baseVersion != null && change.version < local.baseVersion) return
      records.set(key, {
        key,
        unitCode: change.unitCode,
        month,
        counts: plainCounts(change.counts),
        note: change.note,
        updatedAt: change.updatedAt,
        state: 'sent',
        baseVersion: change.version,
        sentAt: local?.sentAt ?? null,
        conflicts,
        updatedBy: change.updatedBy,
        // The server's time is the unit's report time; a server before protocol 2 sends none.
        reportedAt: change.reportedAt ?? local?.reportedAt ?? null,
        review: reviewOf(change, local),
      })
      outcome.written++
    })
    await db.entries.bulkPut([...records.values()])
    await db.meta.put({ key: userMetaKey('cursor', userId), value: cursor })
    return outcome
  })
}

/**
 * The month's review after `change`: the server's, even over values still queued here (a review is
 * the server's decision, not this phone's), or the stored one when the server sends none (a server
 * before protocol 3).
 */
function reviewOf(change: EntryChange, local: EntryRecord | undefined): EntryReview | null {
  if (change.review === undefined) return local?.review ?? null
  return change.review === null ? null : { ...change.review }
}

/** The server's open conflicts less those a queued op of this phone already settles. */
function openConflicts(conflicts: readonly Conflict[], resolving: ReadonlySet<string>): Conflict[] {
  return conflicts.filter((conflict) => !resolving.has(conflict.id))
}
