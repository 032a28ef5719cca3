/** The cached unit list, versioned in time like the domain's `Unit`. */
import { Dexie } from 'dexie'
import { monthStart, type Month } from '../../domain/periods.ts'
import { isActiveOn, type Unit } from '../../domain/units.ts'
import type { SohoaDb } from './schema.ts'

/** Adds or replaces units; a unit is identified by its code and the date it took effect. */
export async function putUnits(db: SohoaDb, units: readonly Unit[]): Promise<void> {
  // Spread so that a reactive list is stored as plain objects.
  await db.units.bulkPut(units.map((unit) => ({ ...unit })))
}

/** Every stored unit of every era, by code and then by date. */
export async function listUnits(db: SohoaDb): Promise<Unit[]> {
  return db.units.toArray()
}

/**
 * The unit with `code` that was valid in `month` (on its first day); without a month, the most
 * recent version of that code.
 */
export async function unitByCode(
  db: SohoaDb,
  code: string,
  month?: Month,
): Promise<Unit | undefined> {
  const versions = await db.units
    .where('[code+validFrom]')
    .between([code, Dexie.minKey], [code, Dexie.maxKey])
    .toArray()
  if (month === undefined) return versions.at(-1)
  const date = monthStart(month)
  return versions.find((unit) => isActiveOn(unit, date))
}
