import { db } from '../db/connection.ts'
import type { EntryRecord } from '../db/schema.ts'
import { useLiveQuery, type UseLiveQueryReturn } from './useLiveQuery.ts'

/** A month waiting for review: the entry as stored on this phone. */
export type ReviewQueueItem = EntryRecord

/**
 * The months on this phone that were submitted and wait for a supervisor's decision, newest month
 * first (then by submission time, newest first), kept live. A supervisor's phone holds the entries
 * of its scope only, so these are the months it may decide.
 */
export function useReviewQueue(): UseLiveQueryReturn<EntryRecord[]> {
  return useLiveQuery(
    async () => {
      const waiting = await db.entries
        .filter((entry) => entry.review?.state === 'submitted')
        .toArray()
      return waiting.sort(
        (a, b) =>
          b.month.localeCompare(a.month) ||
          (b.review?.updatedAt ?? '').localeCompare(a.review?.updatedAt ?? '') ||
          a.unitCode.localeCompare(b.unitCode),
      )
    },
    { initial: [] },
  )
}
