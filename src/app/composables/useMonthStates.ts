import { computed, type ComputedRef, type Ref } from 'vue'
import { DIGITIZATION } from '../../domain/indicators.ts'
import { addMonths, monthStart, type Month } from '../../domain/periods.ts'
import { recordRate } from '../../domain/rates.ts'
import type { Unit } from '../../domain/units.ts'
import type { EntryRecord } from '../db/schema.ts'

export type MonthState = 'missing' | 'local' | 'sent'

export interface MonthRow {
  month: Month
  state: MonthState
  entry: EntryRecord | null
  rate: number | null
}

/** The unit's last `count` months (newest first, none before the unit existed) with their state. */
export function useMonthStates(
  unit: Ref<Unit | null>,
  entries: Ref<EntryRecord[]>,
  latest: Month,
  count = 12,
): ComputedRef<MonthRow[]> {
  return computed(() => {
    const byMonth = new Map(entries.value.map((entry) => [entry.month, entry]))
    const rows: MonthRow[] = []
    for (let i = 0; i < count; i += 1) {
      const month = addMonths(latest, -i)
      if (unit.value && monthStart(month) < unit.value.validFrom) break
      const entry = byMonth.get(month) ?? null
      rows.push({
        month,
        entry,
        state: entry ? entry.state : 'missing',
        rate: entry ? recordRate(entry.counts, DIGITIZATION) : null,
      })
    }
    return rows
  })
}
