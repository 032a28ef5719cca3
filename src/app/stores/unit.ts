import { computed, shallowRef, watch } from 'vue'
import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { getMeta, setMeta } from '../db/meta.ts'
import { listLinks } from '../db/links.ts'
import { listUnits, putUnits } from '../db/units.ts'
import { bulkPutEntries } from '../db/entries.ts'
import { storeServerTargets } from '../db/targets.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import { isActiveOn, type Unit } from '../../domain/units.ts'

/**
 * The unit list on this device and the reporting unit this phone records for. Both follow the
 * database live: a sync may bring units and, for a reporter who has not chosen yet, pick their
 * assigned commune.
 */
export const useUnitStore = defineStore('unit', () => {
  const { data: units, loading } = useLiveQuery(() => listUnits(db), { initial: [] as Unit[] })
  /** The 2025 reorganization's links between old and new units, as the server last sent them. */
  const { data: links } = useLiveQuery(() => listLinks(db), { initial: [] as UnitLink[] })
  const unitCode = shallowRef<string | null>(null)
  const ready = shallowRef(false)
  const { data: storedCode, loading: codeLoading } = useLiveQuery(
    async () => (await getMeta(db, 'unitCode')) ?? null,
    { initial: null },
  )
  watch([storedCode, codeLoading], ([code, pending]) => {
    if (pending) return
    unitCode.value = code
    ready.value = true
  })

  /** The chosen unit as it is today (the latest version of its code). */
  const current = computed<Unit | null>(() => {
    const versions = units.value.filter((unit) => unit.code === unitCode.value)
    versions.sort((a, b) => b.validFrom.localeCompare(a.validFrom))
    return versions[0] ?? null
  })

  const activeToday = computed(() => {
    const today = new Date().toISOString().slice(0, 10)
    return units.value.filter((unit) => isActiveOn(unit, today))
  })

  async function load(): Promise<void> {
    unitCode.value = (await getMeta(db, 'unitCode')) ?? null
    ready.value = true
  }

  async function choose(code: string): Promise<void> {
    await setMeta(db, 'unitCode', code)
    unitCode.value = code
  }

  /** Loads the demo province; its generator is imported only when asked for. */
  async function loadDemo(): Promise<void> {
    const { buildDemo } = await import('../../domain/demo.ts')
    const demo = buildDemo()
    await putUnits(db, demo.units)
    await bulkPutEntries(db, demo.entries, 'sent')
    await storeServerTargets(db, demo.targets)
  }

  return { units, links, loading, unitCode, ready, current, activeToday, load, choose, loadDemo }
})
