/**
 * The IndexedDB schema and its version history. Phones stay offline for weeks and update the app
 * whenever they next see a network, so any shipped version may still be on a device: old versions
 * are never edited, only followed by new ones whose upgrade brings old rows forward.
 */
import { Dexie, type Table, type Transaction } from 'dexie'
import type { Entry } from '../../domain/entries.ts'
import type { Counts, DataElement } from '../../domain/indicators.ts'
import type { Month } from '../../domain/periods.ts'
import type { Review, ReviewAction } from '../../domain/review.ts'
import type { Target } from '../../domain/targets.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { Unit } from '../../domain/units.ts'
import type { Conflict, HistoryEvent, RejectReason } from '../../domain/sync/protocol.ts'

export const DB_NAME = 'sohoa'

/** `local`: saved on this phone, not yet acknowledged by the server. `sent`: the server has it. */
export type EntryState = 'local' | 'sent'

export interface EntryRecord extends Entry {
  /** `entryKey(unitCode, month)`. */
  key: string
  state: EntryState
  /** Server version this edit was based on; null if the entry never came from the server. */
  baseVersion: number | null
  /** When the server last acknowledged a version of this entry; null if it never did. */
  sentAt: string | null
  /** Open conflicts the server reported on this entry: values that lost and wait for a decision. */
  conflicts: Conflict[]
  /** Username of whoever wrote the current values, here or on the server; null if unknown. */
  updatedBy: string | null
  /**
   * When the unit first reported this month: the first save on this phone that created the entry,
   * or the server's time once pulled. Null when unknown (entries stored before version 4).
   */
  reportedAt: string | null
  /**
   * The month's review as the server last reported it, or as this phone expects it while a review
   * op is on its way; null when the month was never submitted (draft). Server state: a pull
   * replaces it even on an entry whose values are still queued here.
   */
  review: EntryReview | null
}

/** A review as an entry carries it: its unit and month are the entry's. */
export type EntryReview = Omit<Review, 'unitCode' | 'month'>

/** A link between an old and a new unit of a reorganization, keyed by `linkKey(link)`. */
export type UnitLinkRecord = UnitLink & { key: string }

/** The server's history of one unit's month, as last fetched, for reading offline. */
export interface HistoryRecord {
  /** `entryKey(unitCode, month)`. */
  key: string
  unitCode: string
  month: Month
  /** Oldest first, as the server sent them. */
  events: HistoryEvent[]
  /** When this copy was fetched (ISO). */
  fetchedAt: string
}

/** A target setting (chỉ tiêu) as this phone holds it; `state` as for entries. */
export type TargetRecord = Target & {
  /** `targetKey(target)`. */
  key: string
  state: 'local' | 'sent'
}

/** What every queued change carries, whatever it changes. */
interface OutboxOpBase {
  /** Auto-increment primary key: the order this device made its changes in. */
  seq?: number
  /** Lets the server recognise an op it has already applied when a reply was lost. */
  id: string
  /** This phone's install id (informational: the push names the stream from install and user). */
  deviceId: string
  /**
   * The user whose change this is; only that user's session ever sends it. Null for changes made
   * while nobody was signed in, which the next user to sign in claims.
   */
  userId: string | null
  createdAt: string
}

/** One change waiting to be sent. The outbox is the per-device, ordered log the sync engine drains. */
export type OutboxOp = EntryOutboxOp | TargetOutboxOp | ReviewOutboxOp

/** A confirmed entry on its way to the server. */
export interface EntryOutboxOp extends OutboxOpBase {
  kind: 'entry.put'
  entryKey: string
  unitCode: string
  month: Month
  counts: Counts
  note: string
  baseVersion: number | null
  /** Ids of the open conflicts the author saw and settles with these values. */
  resolves?: string[]
}

/** A target setting on its way to the server. */
export interface TargetOutboxOp
  extends
    OutboxOpBase,
    Pick<Target, 'indicator' | 'year' | 'unitCode' | 'level' | 'basisPoints' | 'maxPoints'> {
  kind: 'target.put'
  /** `targetKey(target)`: the target row this op carries. */
  targetKey: string
}

/** A review transition (submit, return, accept, reopen) of one unit's month on its way. */
export interface ReviewOutboxOp extends OutboxOpBase {
  kind: 'review'
  /** `entryKey(unitCode, month)`: the entry whose month is reviewed. */
  entryKey: string
  unitCode: string
  month: Month
  action: ReviewAction
  comment: string
  /** The review the entry had before this op's expected one, restored if the server refuses. */
  before: EntryReview | null
}

/** An op as read back from the table, where the database has assigned its `seq`. */
export type QueuedOp = OutboxOp & { seq: number }
export type QueuedEntryOp = EntryOutboxOp & { seq: number }
export type QueuedTargetOp = TargetOutboxOp & { seq: number }
export type QueuedReviewOp = ReviewOutboxOp & { seq: number }

/** Text typed into the entry form but not yet confirmed, so a closed tab loses nothing. */
export interface DraftRecord {
  /** `entryKey(unitCode, month)`. */
  key: string
  unitCode: string
  month: Month
  input: Partial<Record<DataElement, string>>
  note: string
  updatedAt: string
}

/** An op the server refused. Kept, and shown to its author, until dismissed: nothing is dropped silently. */
export type RejectedOp = QueuedOp & {
  reason: RejectReason
  /** The server's explanation, for support; the app shows a message for `reason`. */
  detail: string
  rejectedAt: string
}

/** Small per-device settings; read and write them through the typed accessors in meta.ts. */
export interface MetaRecord {
  key: string
  value: unknown
}

/** What an entry row looked like in version 1: no sync state, which version 2 derives. */
type EntryRecordV1 = Entry & { key: string; baseVersion?: number | null }

/**
 * Version 2 adds `state` and `sentAt`. Version 1 had no way to tell sent rows from unsent ones
 * other than the outbox, so an entry with a queued op is `local` and everything else was sent.
 * `sentAt` stays null for those: the acknowledgement time was never recorded.
 */
async function fillEntryState(tx: Transaction): Promise<void> {
  const queued = await tx.table<OutboxOp, number>('outbox').orderBy('entryKey').uniqueKeys()
  const unsent = new Set(queued.filter((key) => typeof key === 'string'))
  await tx
    .table<EntryRecordV1 & Partial<EntryRecord>, string>('entries')
    .toCollection()
    .modify((row) => {
      row.state ??= unsent.has(row.key) ? 'local' : 'sent'
      row.sentAt ??= null
      row.baseVersion ??= null
    })
}

/** What an entry row looked like in version 2: no conflicts, no author. */
type EntryRecordV2 = Omit<EntryRecord, 'conflicts' | 'updatedBy' | 'reportedAt'>
type OutboxOpV2 = Omit<EntryOutboxOp, 'userId'>

/**
 * Version 3 makes the phone multi-user. Queued ops get an owner: those made before this version
 * belong to nobody yet (null) and the first user to sign in claims them. Entries gain the server's
 * open conflicts and their author. The install id is the old device id, so the server keeps
 * recognising ops it has already seen from this phone.
 */
async function addOwners(tx: Transaction): Promise<void> {
  await tx
    .table<OutboxOpV2 & Partial<EntryOutboxOp>, number>('outbox')
    .toCollection()
    .modify((op) => {
      op.userId ??= null
    })
  await tx
    .table<EntryRecordV2 & Partial<EntryRecord>, string>('entries')
    .toCollection()
    .modify((row) => {
      row.conflicts ??= []
      row.updatedBy ??= null
    })
  const meta = tx.table<MetaRecord, string>('meta')
  const deviceId = await meta.get('deviceId')
  if (deviceId !== undefined && (await meta.get('installId')) === undefined) {
    await meta.put({ key: 'installId', value: deviceId.value })
  }
}

/** What an entry row looked like in version 3: no report time. */
type EntryRecordV3 = Omit<EntryRecord, 'reportedAt'>

/**
 * Version 4 adds targets (a table of their own) and the time each entry was first reported. Rows
 * stored before it never recorded that time, so it is unknown (null) until a pull brings the
 * server's.
 */
async function addReportedAt(tx: Transaction): Promise<void> {
  await tx
    .table<EntryRecordV3 & Partial<EntryRecord>, string>('entries')
    .toCollection()
    .modify((row) => {
      row.reportedAt ??= null
    })
}

/** What an entry row looked like in version 4: no review. */
type EntryRecordV4 = Omit<EntryRecord, 'review'>

/**
 * Version 5 adds the links of the 2025 reorganization, a cache of each month's history and the
 * month's review on each entry. No review was known before it: every stored month is a draft (null)
 * until a pull brings its review.
 */
async function addReview(tx: Transaction): Promise<void> {
  await tx
    .table<EntryRecordV4 & Partial<EntryRecord>, string>('entries')
    .toCollection()
    .modify((row) => {
      row.review ??= null
    })
}

export class SohoaDb extends Dexie {
  // `declare`: Dexie creates these properties in stores(); the class only states their types.
  declare entries: Table<EntryRecord, string>
  declare outbox: Table<OutboxOp, number>
  declare drafts: Table<DraftRecord, string>
  declare meta: Table<MetaRecord, string>
  declare units: Table<Unit, [string, string]>
  declare rejected: Table<RejectedOp, string>
  declare targets: Table<TargetRecord, string>
  declare unitLinks: Table<UnitLinkRecord, string>
  declare history: Table<HistoryRecord, string>

  constructor(name: string) {
    // A confirmed entry must survive a power cut, not only a killed tab: Chromium's default
    // ('relaxed') skips the flush to disk. Measured cost: ~0.3 ms per save, none for bulk writes.
    super(name, { chromeTransactionDurability: 'strict' })
    // Each version lists only the tables it changes; Dexie carries the others forward. To change
    // the schema, append `this.version(n + 1)` with its own upgrade; never edit the ones above it.
    this.version(1).stores({
      // [unitCode+month] serves one unit's history in month order; month serves a dashboard's month.
      entries: 'key, [unitCode+month], month',
      outbox: '++seq, &id, entryKey',
      meta: 'key',
      // A code may name different units before and after the 2025 reform, hence the date in the key.
      units: '[code+validFrom]',
    })
    this.version(2)
      .stores({
        // state is indexed so that a bulk load can find unsent entries without reading every row.
        // Version 1's [unitCode+month] and month go: the key is `unitCode/month`, so a unit's
        // history is a key range already in month order, and a month's entries are read by key
        // (entriesForMonths). Chromium writes every index entry along with the record: each one
        // cost a bulk load 10-20% of its throughput (npm run bench).
        entries: 'key, state',
        drafts: 'key',
      })
      .upgrade(fillEntryState)
    this.version(3)
      .stores({
        // A user's queue is read in seq order; equal index keys come back in primary-key order.
        // Null is not a valid IndexedDB key, so unclaimed ops are simply absent from this index.
        outbox: '++seq, &id, entryKey, userId',
        rejected: 'id, userId',
      })
      .upgrade(addOwners)
    this.version(4)
      .stores({
        // Target ops have no entryKey (absent from that index) and entry ops no targetKey.
        outbox: '++seq, &id, entryKey, userId, targetKey',
        // A few dozen rows per user: read whole, no index beyond the key.
        targets: 'key',
      })
      .upgrade(addReportedAt)
    this.version(5)
      .stores({
        // A few thousand links, read whole: no index beyond the key.
        unitLinks: 'key',
        // One row per month looked at or prefetched, read by key.
        history: 'key',
      })
      .upgrade(addReview)
  }
}
