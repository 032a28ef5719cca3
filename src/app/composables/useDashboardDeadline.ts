/**
 * The day of the following month reports are due, as this phone's dashboard counts timeliness.
 * Kept per device in `meta`; DEFAULT_DEADLINE_DAY until someone changes it.
 */
import type { ShallowRef } from 'vue'
import { DEFAULT_DEADLINE_DAY } from '../../domain/completeness.ts'
import { db as appDb } from '../db/connection.ts'
import { getMeta, setMeta } from '../db/meta.ts'
import type { SohoaDb } from '../db/schema.ts'
import { useLiveQuery } from './useLiveQuery.ts'

export interface UseDashboardDeadlineReturn {
  deadlineDay: ShallowRef<number>
  setDeadlineDay: (day: number) => Promise<void>
}

export function useDashboardDeadline(options: { db?: SohoaDb } = {}): UseDashboardDeadlineReturn {
  const db = options.db ?? appDb
  const { data } = useLiveQuery(
    async () => (await getMeta(db, 'deadlineDay')) ?? DEFAULT_DEADLINE_DAY,
    { initial: DEFAULT_DEADLINE_DAY },
  )
  return {
    deadlineDay: data,
    setDeadlineDay: async (day) => {
      data.value = day
      await setMeta(db, 'deadlineDay', day)
    },
  }
}
