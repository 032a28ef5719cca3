/**
 * Per-device settings in the `meta` table. Values are stored untyped, so every read checks the
 * shape: a row written by another version of the app reads as missing rather than as a wrong type.
 */
import type { Locale } from '../../domain/format.ts'
import type { SohoaDb } from './schema.ts'

export interface MetaValues {
  /** Identifies this phone's outbox ops to the server; created once, never changed. */
  deviceId: string
  /** The commune chosen on this phone; null until the official picks one. */
  unitCode: string | null
  locale: Locale
}

export type MetaKey = keyof MetaValues

const isString = (value: unknown): value is string => typeof value === 'string' && value !== ''

const GUARDS: { [K in MetaKey]: (value: unknown) => value is MetaValues[K] } = {
  deviceId: isString,
  unitCode: (value): value is string | null => value === null || isString(value),
  locale: (value): value is Locale => value === 'vi' || value === 'en',
}

/** The stored value of `key`, or undefined if it was never set (or holds something unusable). */
export async function getMeta<K extends MetaKey>(
  db: SohoaDb,
  key: K,
): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key)
  const guard: (value: unknown) => value is MetaValues[K] = GUARDS[key]
  return row !== undefined && guard(row.value) ? row.value : undefined
}

/** Stores `value` under `key`. */
export async function setMeta<K extends MetaKey>(
  db: SohoaDb,
  key: K,
  value: MetaValues[K],
): Promise<void> {
  await db.meta.put({ key, value })
}

/**
 * This phone's id, created on first use. The read and the write share one transaction so that two
 * tabs starting at once cannot each create a different id.
 */
export async function getDeviceId(db: SohoaDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta(db, 'deviceId')
    if (existing !== undefined) return existing
    const deviceId = crypto.randomUUID()
    await setMeta(db, 'deviceId', deviceId)
    return deviceId
  })
}
