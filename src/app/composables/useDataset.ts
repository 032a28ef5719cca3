/**
 * The data behind dashboards and reports: every unit, entry and link between old and new units on
 * this device indexed by month (domain/rollup.ts), kept live as the user saves and as sync brings changes. Rebuilding the index
 * is throttled so that a first sync pulling thousands of pages redraws a few times, not thousands.
 */
import { getCurrentScope, onScopeDispose, shallowRef, watch, type ShallowRef } from 'vue'
import { buildDataset, type Dataset } from '../../domain/rollup.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { Unit } from '../../domain/units.ts'
import { db as appDb } from '../db/connection.ts'
import { allEntries } from '../db/facts.ts'
import { listLinks } from '../db/links.ts'
import type { EntryRecord, SohoaDb } from '../db/schema.ts'
import { listUnits } from '../db/units.ts'
import { useLiveQuery } from './useLiveQuery.ts'

export interface UseDatasetOptions {
  db?: SohoaDb
  /** Least time between two rebuilds while changes stream in. */
  throttleMs?: number
}

export interface UseDatasetReturn {
  /** Null until the first read completes. */
  dataset: ShallowRef<Dataset | null>
  error: ShallowRef<unknown>
}

export const DATASET_THROTTLE_MS = 500

export function useDataset(options: UseDatasetOptions = {}): UseDatasetReturn {
  const db = options.db ?? appDb
  const throttleMs = options.throttleMs ?? DATASET_THROTTLE_MS
  const source = useLiveQuery(
    async (): Promise<{ units: Unit[]; entries: EntryRecord[]; links: UnitLink[] } | null> => ({
      units: await listUnits(db),
      entries: await allEntries(db),
      links: await listLinks(db),
    }),
    { initial: null },
  )
  const dataset = shallowRef<Dataset | null>(null)
  let lastBuild = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  function rebuild(): void {
    timer = null
    const value = source.data.value
    if (!value) return
    lastBuild = Date.now()
    dataset.value = buildDataset(value.units, value.entries, value.links)
  }

  watch(source.data, () => {
    if (timer !== null) return
    const wait = dataset.value === null ? 0 : Math.max(0, lastBuild + throttleMs - Date.now())
    if (wait === 0) rebuild()
    else timer = setTimeout(rebuild, wait)
  })

  if (getCurrentScope())
    onScopeDispose(() => {
      if (timer !== null) clearTimeout(timer)
    })
  return { dataset, error: source.error }
}
