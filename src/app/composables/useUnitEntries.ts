import type { Ref } from 'vue'
import { db } from '../db/connection.ts'
import { entriesForUnit } from '../db/entries.ts'
import type { EntryRecord } from '../db/schema.ts'
import { useLiveQuery, type UseLiveQueryReturn } from './useLiveQuery.ts'

/** Every month recorded on this device for one unit, oldest first, kept live. */
export function useUnitEntries(unitCode: Ref<string | null>): UseLiveQueryReturn<EntryRecord[]> {
  return useLiveQuery(() => (unitCode.value ? entriesForUnit(db, unitCode.value) : []), {
    initial: [],
    deps: [unitCode],
  })
}
