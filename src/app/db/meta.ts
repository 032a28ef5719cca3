/**
 * Per-device settings in the `meta` table. Values are stored untyped, so every read checks the
 * shape: a row written by another version of the app reads as missing rather than as a wrong type.
 */
import type { Locale } from '../../domain/format.ts'
import type { Role, SessionUser } from '../../domain/sync/protocol.ts'
import type { SohoaDb } from './schema.ts'

/** The signed-in user on this phone, kept across restarts so that offline work needs no server. */
export interface StoredSession {
  token: string
  expiresAt: string
  user: SessionUser
  /** The server refused the token: sign in again. Unsent changes stay queued for this user. */
  expired: boolean
}

export interface MetaValues {
  /**
   * Identifies this installation; created once, never changed. Version 3 took it over from the
   * former `deviceId`, so ops queued before the upgrade keep their identity.
   */
  installId: string
  /** The commune chosen on this phone; null until the official picks one. */
  unitCode: string | null
  locale: Locale
  session: StoredSession | null
  /** The ETag of the unit list last fetched, for a conditional request. */
  unitsEtag: string
  /** Day of the following month reports are due, as the dashboard counts timeliness. */
  deadlineDay: number
}

export type MetaKey = keyof MetaValues

/** Settings kept once per user, because each user reads a different part of the data. */
export interface UserMetaValues {
  /** Where the next pull resumes; opaque, from the server. */
  cursor: string
  /** When a sync last completed for this user. */
  lastSyncAt: string
}

export type UserMetaKey = keyof UserMetaValues

const isString = (value: unknown): value is string => typeof value === 'string' && value !== ''

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const ROLES: readonly Role[] = ['reporter', 'viewer', 'admin']

function isSessionUser(value: unknown): value is SessionUser {
  return (
    isRecord(value) &&
    isString(value.id) &&
    typeof value.username === 'string' &&
    typeof value.displayName === 'string' &&
    ROLES.some((role) => role === value.role) &&
    Array.isArray(value.unitCodes) &&
    value.unitCodes.every((code) => typeof code === 'string')
  )
}

function isSession(value: unknown): value is StoredSession | null {
  if (value === null) return true
  return (
    isRecord(value) &&
    isString(value.token) &&
    typeof value.expiresAt === 'string' &&
    typeof value.expired === 'boolean' &&
    isSessionUser(value.user)
  )
}

const GUARDS: { [K in MetaKey]: (value: unknown) => value is MetaValues[K] } = {
  installId: isString,
  unitCode: (value): value is string | null => value === null || isString(value),
  locale: (value): value is Locale => value === 'vi' || value === 'en',
  session: isSession,
  unitsEtag: isString,
  deadlineDay: (value): value is number =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 31,
}

const USER_GUARDS: { [K in UserMetaKey]: (value: unknown) => value is UserMetaValues[K] } = {
  cursor: (value): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value),
  lastSyncAt: isString,
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

/** The row key of a per-user setting. */
export function userMetaKey(key: UserMetaKey, userId: string): string {
  return `${key}:${userId}`
}

/** The stored value of `key` for `userId`, or undefined if it was never set. */
export async function getUserMeta<K extends UserMetaKey>(
  db: SohoaDb,
  key: K,
  userId: string,
): Promise<UserMetaValues[K] | undefined> {
  const row = await db.meta.get(userMetaKey(key, userId))
  const guard: (value: unknown) => value is UserMetaValues[K] = USER_GUARDS[key]
  return row !== undefined && guard(row.value) ? row.value : undefined
}

/** Stores `value` under `key` for `userId`. */
export async function setUserMeta<K extends UserMetaKey>(
  db: SohoaDb,
  key: K,
  userId: string,
  value: UserMetaValues[K],
): Promise<void> {
  await db.meta.put({ key: userMetaKey(key, userId), value })
}

/** The row of the notice about lost or restored data (recovery.ts, loaded only when it exists). */
export const RECOVERY_KEY = 'recovery'

/** Whether a notice about lost or restored data waits to be read, without loading its code. */
export async function hasRecoveryNotice(db: SohoaDb): Promise<boolean> {
  return (await db.meta.get(RECOVERY_KEY)) !== undefined
}

/**
 * This installation's id, created on first use. The read and the write share one transaction so
 * that two tabs starting at once cannot each create a different id.
 */
export async function getInstallId(db: SohoaDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await getMeta(db, 'installId')
    if (existing !== undefined) return existing
    const installId = crypto.randomUUID()
    await setMeta(db, 'installId', installId)
    return installId
  })
}
