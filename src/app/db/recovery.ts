/**
 * The notice that tells the official what happened to data this phone lost, kept in the `meta`
 * table until they dismiss it. Two events fill it: at start-up, a ledger that describes another
 * database than the one open, meaning the browser erased ours (ledger.ts, noteErasure); and a
 * sign-in on an empty database, after which the first complete pull is what the server gave back.
 * Loaded on demand: the first screen only asks whether a notice exists (meta.ts).
 */
import { isLedgerChange, type LedgerChange } from './ledger.ts'
import { RECOVERY_KEY } from './meta.ts'
import type { SohoaDb } from './schema.ts'
import { isRecord, isStringOrNull } from './shapes.ts'

/** What a ledger said about the database that was erased. */
export interface ErasedData {
  /** The erased install's id. */
  installId: string
  /** When this phone noticed (ISO). */
  noticedAt: string
  username: string | null
  lost: LedgerChange[]
  /** Lost changes beyond those named. */
  more: number
  lastSyncAt: string | null
}

export interface RecoveryNotice {
  /** Null when nothing said what was there before (a fresh install, or everything cleared). */
  erased: ErasedData | null
  /** Signed in on an empty database; the first complete pull has not finished yet. */
  restoring: boolean
  /** What that pull brought back: entries (unit-months) and the newest one's time. */
  restored: { months: number; latest: string | null } | null
}

/** The notice to show, or null when there is none (or it was dismissed). */
export async function getRecovery(db: SohoaDb): Promise<RecoveryNotice | null> {
  const row = await db.meta.get(RECOVERY_KEY)
  return row !== undefined && isNotice(row.value) ? row.value : null
}

async function putRecovery(db: SohoaDb, notice: RecoveryNotice): Promise<void> {
  await db.meta.put({ key: RECOVERY_KEY, value: notice })
}

/**
 * Called right after a sign-in: on a database without a single entry, the coming pull restores
 * what the server holds, and the notice will say how much. A phone that holds entries is left
 * alone: nothing was lost there.
 */
export async function expectRestore(db: SohoaDb): Promise<void> {
  await db.transaction('rw', [db.entries, db.meta], async () => {
    if ((await db.entries.limit(1).count()) > 0) return
    const existing = await getRecovery(db)
    await putRecovery(db, { erased: existing?.erased ?? null, restoring: true, restored: null })
  })
}

/**
 * Called after a complete pull while a notice exists: when a restore was expected, records how many
 * months of figures the server gave back and the newest one's time.
 */
export async function completeRestore(db: SohoaDb): Promise<void> {
  const notice = await getRecovery(db)
  if (notice === null || !notice.restoring) return
  let months = 0
  let latest: string | null = null
  // Once per restore; the state index skips anything typed on this phone since the sign-in.
  await db.entries
    .where('state')
    .equals('sent')
    .each((entry) => {
      months += 1
      if (latest === null || entry.updatedAt > latest) latest = entry.updatedAt
    })
  await db.transaction('rw', db.meta, async () => {
    // Dismissed meanwhile: it stays dismissed.
    if ((await getRecovery(db)) === null) return
    // A new phone of someone the server holds nothing for: there is nothing to tell.
    if (notice.erased === null && months === 0) return dismissRecovery(db)
    await putRecovery(db, { erased: notice.erased, restoring: false, restored: { months, latest } })
  })
}

/** The official has read the notice: it does not come back. */
export async function dismissRecovery(db: SohoaDb): Promise<void> {
  await db.meta.delete(RECOVERY_KEY)
}

function isErased(value: unknown): value is ErasedData {
  return (
    isRecord(value) &&
    typeof value.installId === 'string' &&
    typeof value.noticedAt === 'string' &&
    isStringOrNull(value.username) &&
    Array.isArray(value.lost) &&
    value.lost.every(isLedgerChange) &&
    typeof value.more === 'number' &&
    isStringOrNull(value.lastSyncAt)
  )
}

function isNotice(value: unknown): value is RecoveryNotice {
  return (
    isRecord(value) &&
    (value.erased === null || isErased(value.erased)) &&
    typeof value.restoring === 'boolean' &&
    (value.restored === null ||
      (isRecord(value.restored) &&
        typeof value.restored.months === 'number' &&
        isStringOrNull(value.restored.latest)))
  )
}
