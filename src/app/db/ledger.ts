/**
 * A few hundred bytes in localStorage that say what this phone had not sent yet, who was signed in
 * and when it last synced. Browsers evict or lose IndexedDB on their own (storage pressure, a
 * corrupted database, a partial "clear data") while localStorage often survives; the ledger is then
 * the only way to tell the official which months to type again. It names changes, never their
 * figures: a list of what was lost, not a backup.
 *
 * It is rewritten by a live query whenever the outbox or the session changes, after the change has
 * committed, so a save never waits for it and typing never touches it. Loaded after the first
 * screen, which it does not need.
 */
import { isMonth, type Month } from '../../domain/periods.ts'
import { LEDGER_KEY } from '../constants.ts'
import { observeQuery } from './live.ts'
import { getInstallId, getMeta, getUserMeta, RECOVERY_KEY } from './meta.ts'
import { allPendingOps } from './outbox.ts'
import type { RecoveryNotice } from './recovery.ts'
import type { OutboxOp, SohoaDb } from './schema.ts'
import { isRecord, isStringOrNull } from './shapes.ts'
import { unitByCode } from './units.ts'

/** One unsent change as the ledger names it. */
export interface LedgerChange {
  kind: OutboxOp['kind']
  /** Null for a nationwide target. */
  unitCode: string | null
  /** The unit's name when the phone knew it, so the name survives the unit list. */
  unitName: string | null
  /** The month of an entry or a review; null for a target. */
  month: Month | null
  /** The year of a target; null otherwise. */
  year: number | null
}

export interface Ledger {
  version: 1
  /** The install whose database this describes; another id in IndexedDB means it was erased. */
  installId: string
  user: { id: string; username: string } | null
  /** Unsent changes, oldest first, one line per unit and month (or target). */
  unsent: LedgerChange[]
  /** Unsent changes beyond those listed, which keeps the ledger small. */
  more: number
  lastSyncAt: string | null
}

/** The part of `Storage` the ledger uses; tests pass their own. */
export type LedgerStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** At most this many changes are named; the rest are counted. */
export const LEDGER_MAX_LISTED = 20

/** The page's localStorage, or undefined where it is missing or forbidden (some WebViews throw). */
function defaultLedgerStorage(): LedgerStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}

/** What the ledger should say now; null before this install has an id (nothing to lose yet). */
export async function buildLedger(db: SohoaDb): Promise<Ledger | null> {
  const installId = await getMeta(db, 'installId')
  if (installId === undefined) return null
  const session = (await getMeta(db, 'session')) ?? null
  const user = session === null ? null : { id: session.user.id, username: session.user.username }
  const lastSyncAt = user === null ? null : ((await getUserMeta(db, 'lastSyncAt', user.id)) ?? null)
  const changes = new Map<string, LedgerChange>()
  for (const op of await allPendingOps(db)) {
    const change = describe(op)
    changes.set(`${change.kind}|${change.unitCode}|${change.month}|${change.year}`, change)
  }
  const listed = [...changes.values()].slice(0, LEDGER_MAX_LISTED)
  const names = new Map<string, string | null>()
  for (const change of listed) {
    if (change.unitCode === null || names.has(change.unitCode)) continue
    names.set(change.unitCode, (await unitByCode(db, change.unitCode))?.name ?? null)
  }
  return {
    version: 1,
    installId,
    user,
    unsent: listed.map((change) => ({
      ...change,
      unitName: change.unitCode === null ? null : (names.get(change.unitCode) ?? null),
    })),
    more: changes.size - listed.length,
    lastSyncAt,
  }
}

function describe(op: OutboxOp): LedgerChange {
  if (op.kind === 'target.put') {
    return { kind: op.kind, unitCode: op.unitCode, unitName: null, month: null, year: op.year }
  }
  return { kind: op.kind, unitCode: op.unitCode, unitName: null, month: op.month, year: null }
}

/** The stored ledger, or null when there is none or it cannot be read. */
export function readLedger(storage = defaultLedgerStorage()): Ledger | null {
  try {
    const text = storage?.getItem(LEDGER_KEY)
    if (text === null || text === undefined) return null
    const value: unknown = JSON.parse(text)
    return isLedger(value) ? value : null
  } catch {
    return null
  }
}

/** Stores `ledger`; a full or forbidden localStorage is ignored, the ledger being a courtesy. */
export function writeLedger(ledger: Ledger, storage = defaultLedgerStorage()): void {
  try {
    storage?.setItem(LEDGER_KEY, JSON.stringify(ledger))
  } catch {
    // Nothing to do: IndexedDB still holds the data itself.
  }
}

/**
 * Keeps the ledger in step with the database until the returned function is called. Writes only
 * when the text changes; a database without an install id leaves the stored ledger alone (it may
 * describe a database that was erased, and is read at start-up before this runs).
 */
export function keepLedger(db: SohoaDb, storage = defaultLedgerStorage()): () => void {
  let last: string | null = null
  const subscription = observeQuery(() => buildLedger(db)).subscribe({
    next: (ledger) => {
      if (ledger === null) return
      const text = JSON.stringify(ledger)
      if (text === last) return
      last = text
      writeLedger(ledger, storage)
    },
    // A closed or erased database: the ledger keeps its last state, which is what was lost.
    error: () => undefined,
  })
  return () => subscription.unsubscribe()
}

/** The install id of the last erased database reported, so a dismissed report does not return. */
const NOTED_KEY = 'recovery:noted'

/**
 * Compares the ledger found at start-up with the database: when the ledger describes another
 * install, the database was erased under it, and a notice (recovery.ts) records what the ledger
 * named. Gives this database its install id in the same transaction and remembers which erasure it
 * reported, so a reload before the ledger is rewritten reports nothing twice, even once dismissed.
 * Resolves to whether an erasure was found now.
 */
export async function noteErasure(db: SohoaDb, ledger: Ledger, now = new Date()): Promise<boolean> {
  return db.transaction('rw', db.meta, async () => {
    if ((await getMeta(db, 'installId')) === ledger.installId) return false
    await getInstallId(db)
    if ((await db.meta.get(NOTED_KEY))?.value === ledger.installId) return false
    await db.meta.put({ key: NOTED_KEY, value: ledger.installId })
    const notice: RecoveryNotice = {
      erased: {
        installId: ledger.installId,
        noticedAt: now.toISOString(),
        username: ledger.user?.username ?? null,
        lost: ledger.unsent,
        more: ledger.more,
        lastSyncAt: ledger.lastSyncAt,
      },
      restoring: false,
      restored: null,
    }
    await db.meta.put({ key: RECOVERY_KEY, value: notice })
    return true
  })
}

const isString = (value: unknown): value is string => typeof value === 'string'
const isNumber = (value: unknown): value is number => typeof value === 'number'

const KINDS: readonly string[] = ['entry.put', 'target.put', 'review'] satisfies OutboxOp['kind'][]

/** Whether `value` is a change as a ledger names it (recovery.ts checks its notice with it too). */
export function isLedgerChange(value: unknown): value is LedgerChange {
  return (
    isRecord(value) &&
    isString(value.kind) &&
    KINDS.includes(value.kind) &&
    isStringOrNull(value.unitCode) &&
    isStringOrNull(value.unitName) &&
    (value.month === null || (isString(value.month) && isMonth(value.month))) &&
    (value.year === null || isNumber(value.year))
  )
}

function isLedger(value: unknown): value is Ledger {
  return (
    isRecord(value) &&
    value.version === 1 &&
    typeof value.installId === 'string' &&
    (value.user === null ||
      (isRecord(value.user) && isString(value.user.id) && isString(value.user.username))) &&
    Array.isArray(value.unsent) &&
    value.unsent.every(isLedgerChange) &&
    isNumber(value.more) &&
    isStringOrNull(value.lastSyncAt)
  )
}
