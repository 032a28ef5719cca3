/**
 * Bench-only page, built separately from the app: runs the app's real db module (Dexie, schema,
 * bulkPutEntries) in Chromium next to raw IndexedDB variants of the same write, and exposes them
 * to tests/bench/idb.ts. Each variant answers one question about what limits bulk writes.
 */
import { bulkPutEntries, type BulkEntry } from '../../../src/app/db/entries.ts'
import { SohoaDb, type EntryRecord } from '../../../src/app/db/schema.ts'
import { entryKey } from '../../../src/domain/entries.ts'
import { makeEntries } from '../entries.ts'

/** Wall time of one write run, from the input entries to the committed transaction(s). */
export interface WriteResult {
  records: number
  /** Counts stored (six per entry here); 0 for records that carry none. */
  values: number
  ms: number
}

/** One way of writing the same entries; see VARIANTS in tests/bench/idb.ts for what each shows. */
export type WriteVariant =
  | 'app'
  | 'app-one-tx-each'
  | 'idb'
  | 'idb-old-indexes'
  | 'idb-primary-key-only'
  | 'idb-relaxed'
  | 'idb-strict'
  | 'idb-tiny-records'
  | 'idb-10-transactions'
  | 'app-slices-one-tx'
  | 'idb-one-tx-each'
  | 'idb-one-tx-each-strict'

export interface SohoaBench {
  /** Writes `n` fresh entries with `variant` into a new database. */
  write: (variant: WriteVariant, n: number) => Promise<WriteResult>
}

declare global {
  interface Window {
    sohoaBench?: SohoaBench
  }
}

const COUNTS_PER_ENTRY = 6

/** The row bulkPutEntries stores for a `sent` entry. */
function sentRecord(entry: BulkEntry): EntryRecord {
  return {
    key: entryKey(entry.unitCode, entry.month),
    unitCode: entry.unitCode,
    month: entry.month,
    counts: { ...entry.counts },
    note: entry.note,
    updatedAt: entry.updatedAt,
    state: 'sent',
    baseVersion: null,
    sentAt: null,
    conflicts: [],
    updatedBy: null,
    reportedAt: entry.reportedAt ?? null,
    review: null,
  }
}

/** An index as IndexedDB declares it. */
interface IndexSpec {
  name: string
  keyPath: string | string[]
}

/** The entries indexes this change removed: `key, [unitCode+month], month, state`. */
const OLD_INDEXES: IndexSpec[] = [
  { name: '[unitCode+month]', keyPath: ['unitCode', 'month'] },
  { name: 'month', keyPath: 'month' },
  { name: 'state', keyPath: 'state' },
]

const NAME = 'sohoa-bench'

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
  })
}

/** A fresh app database; its entries indexes are the ones the raw variants copy. */
async function freshAppDb(): Promise<SohoaDb> {
  const db = new SohoaDb(NAME)
  await db.delete()
  await db.open()
  return db
}

/** The app's entries indexes, read from the schema so the raw variants follow it. */
async function appIndexes(): Promise<IndexSpec[]> {
  const db = await freshAppDb()
  const specs = db.entries.schema.indexes.map(({ name, keyPath }) => ({
    name,
    keyPath: keyPath ?? name,
  }))
  db.close()
  await db.delete()
  return specs
}

/** A raw IndexedDB database holding only an `entries` store with `indexes`. */
async function freshRawDb(indexes: IndexSpec[]): Promise<IDBDatabase> {
  await request(indexedDB.deleteDatabase(NAME))
  const open = indexedDB.open(NAME, 1)
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('entries', { keyPath: 'key' })
    for (const { name, keyPath } of indexes) store.createIndex(name, keyPath)
  }
  return request(open)
}

interface RawOptions {
  indexes: IndexSpec[]
  durability?: IDBTransactionDurability
  /** Records per transaction; all in one when absent. */
  perTransaction?: number
  record?: (entry: BulkEntry) => object
}

/** Puts every entry through plain IndexedDB: no Dexie, one request per record. */
async function writeRaw(entries: BulkEntry[], options: RawOptions): Promise<number> {
  const db = await freshRawDb(options.indexes)
  const toRecord = options.record ?? sentRecord
  const size = options.perTransaction ?? entries.length
  const start = performance.now()
  for (let i = 0; i < entries.length; i += size) {
    const tx = db.transaction('entries', 'readwrite', {
      durability: options.durability ?? 'default',
    })
    const store = tx.objectStore('entries')
    for (const entry of entries.slice(i, i + size)) store.put(toRecord(entry))
    await committed(tx)
  }
  const ms = performance.now() - start
  db.close()
  await request(indexedDB.deleteDatabase(NAME))
  return ms
}

/** Runs `write` on a fresh app database. */
async function writeApp(write: (db: SohoaDb) => Promise<void>): Promise<number> {
  const db = await freshAppDb()
  const start = performance.now()
  await write(db)
  const ms = performance.now() - start
  db.close()
  await db.delete()
  return ms
}

const SLICE = 1_000

const variants: Record<WriteVariant, (entries: BulkEntry[]) => Promise<number>> = {
  app: (entries) => writeApp(async (db) => void (await bulkPutEntries(db, entries, 'sent'))),
  'app-one-tx-each': (entries) =>
    writeApp(async (db) => {
      for (const entry of entries) await bulkPutEntries(db, [entry], 'sent')
    }),
  'app-slices-one-tx': (entries) =>
    writeApp((db) =>
      db.transaction('rw', db.entries, async () => {
        const records = entries.map(sentRecord)
        for (let i = 0; i < records.length; i += SLICE) {
          await db.entries.bulkPut(records.slice(i, i + SLICE))
        }
      }),
    ),
  idb: async (entries) => writeRaw(entries, { indexes: await appIndexes() }),
  'idb-old-indexes': (entries) => writeRaw(entries, { indexes: OLD_INDEXES }),
  'idb-primary-key-only': (entries) => writeRaw(entries, { indexes: [] }),
  'idb-relaxed': async (entries) =>
    writeRaw(entries, { indexes: await appIndexes(), durability: 'relaxed' }),
  'idb-strict': async (entries) =>
    writeRaw(entries, { indexes: await appIndexes(), durability: 'strict' }),
  'idb-tiny-records': async (entries) =>
    writeRaw(entries, {
      indexes: await appIndexes(),
      record: (entry) => ({ key: entryKey(entry.unitCode, entry.month), state: 'sent' }),
    }),
  'idb-10-transactions': async (entries) =>
    writeRaw(entries, {
      indexes: await appIndexes(),
      perTransaction: Math.ceil(entries.length / 10),
    }),
  'idb-one-tx-each': async (entries) =>
    writeRaw(entries, { indexes: await appIndexes(), perTransaction: 1 }),
  'idb-one-tx-each-strict': async (entries) =>
    writeRaw(entries, { indexes: await appIndexes(), perTransaction: 1, durability: 'strict' }),
}

window.sohoaBench = {
  write: async (variant, n) => {
    const entries = makeEntries(n)
    const ms = await variants[variant](entries)
    const values = variant === 'idb-tiny-records' ? 0 : n * COUNTS_PER_ENTRY
    return { records: n, values, ms }
  },
}
document.title = 'ready'
