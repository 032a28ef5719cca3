/** The cached unit list, versioned in time like the domain's `Unit`. */
import { Dexie } from 'dexie'
import { monthStart, type Month } from '../../domain/periods.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import { isActiveOn, type Unit } from '../../domain/units.ts'
import { replaceLinks } from './links.ts'
import { getMeta, setMeta } from './meta.ts'
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

/**
 * Stores the unit list the server sent, its reorganization links and its ETag in one transaction,
 * so a crash cannot leave an ETag that claims a list this phone does not hold. The links replace the
 * stored ones (the server sends all the user may see); a server before issue 5 sends none, and
 * `links` undefined then leaves the stored ones alone.
 */
export async function storeServerUnits(
  db: SohoaDb,
  units: readonly Unit[],
  etag: string | null,
  links?: readonly UnitLink[],
): Promise<void> {
  await db.transaction('rw', [db.units, db.unitLinks, db.meta], async () => {
    await putUnits(db, units)
    if (links !== undefined) await replaceLinks(db, links)
    if (etag === null) await db.meta.delete('unitsEtag')
    else await setMeta(db, 'unitsEtag', etag)
  })
}

/**
 * Chooses `code` as this phone's unit unless one is chosen already; resolves to the unit chosen
 * now, or null when the official's own choice stands.
 */
export async function chooseUnitIfNone(db: SohoaDb, code: string): Promise<string | null> {
  return db.transaction('rw', db.meta, async () => {
    if (((await getMeta(db, 'unitCode')) ?? null) !== null) return null
    await setMeta(db, 'unitCode', code)
    return code
  })
}

/** Whether any unit is stored; without one, a cached ETag must not be sent. */
export async function hasUnits(db: SohoaDb): Promise<boolean> {
  return (await db.units.limit(1).count()) > 0
}
