/**
 * Links of the 2025 reorganization: which old units each new one was formed from. The server sends
 * the links the user may see with the unit list; a new unit's history before the reform is read
 * through them.
 */
import { linkKey, type UnitLink } from '../../domain/unitLinks.ts'
import type { SohoaDb, UnitLinkRecord } from './schema.ts'

/** Every stored link, in key order (by date, then new code, then old code). */
export async function listLinks(db: SohoaDb): Promise<UnitLink[]> {
  return (await db.unitLinks.toArray()).map(plainLink)
}

/** Adds or replaces links; a re-sent link has the same key and replaces itself. */
export async function putLinks(db: SohoaDb, links: readonly UnitLink[]): Promise<void> {
  await db.unitLinks.bulkPut(links.map(toRecord))
}

/**
 * Replaces the stored links with the server's list: a link the server no longer sends (or no longer
 * lets this user see) goes. Call inside a transaction that includes `db.unitLinks`.
 */
export async function replaceLinks(db: SohoaDb, links: readonly UnitLink[]): Promise<void> {
  await db.unitLinks.clear()
  await putLinks(db, links)
}

function toRecord(link: UnitLink): UnitLinkRecord {
  // Field by field: the caller may hand over a reactive object, which IndexedDB cannot clone.
  const plain = plainLink(link)
  return { ...plain, key: linkKey(plain) }
}

function plainLink(link: UnitLink): UnitLink {
  return { newCode: link.newCode, oldCode: link.oldCode, kind: link.kind, date: link.date }
}
