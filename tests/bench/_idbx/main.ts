import { Dexie } from 'dexie'
import { SohoaDb, type EntryRecord } from '../../../src/app/db/schema.ts'
import type { Entry } from '../../../src/domain/entries.ts'
import { entryKey } from '../../../src/domain/entries.ts'
import { addMonths, type Month } from '../../../src/domain/periods.ts'

type BulkEntry = Entry
async function bulkPutEntries(db: SohoaDb, entries: BulkEntry[], _s: 'sent'): Promise<number> {
  return db.transaction('rw', [db.entries, db.outbox, db.meta], async () => {
    const unsent = new Set(await db.entries.where('state').equals('local').primaryKeys())
    const records = entries.map(toRecord).filter((r) => !unsent.has(r.key))
    await db.entries.bulkPut(records)
    return records.length
  })
}
function makeEntries(n: number, salt: string): BulkEntry[] {
  const entries: BulkEntry[] = []
  const start: Month = '2020-01'
  for (let i = 0; i < n; i++) {
    const received = 100 + (i % 900)
    entries.push({
      unitCode: `${salt}${String(Math.floor(i / 120)).padStart(5, '0')}`,
      month: addMonths(start, i % 120),
      counts: {
        received,
        digitized: Math.floor(received * 0.8),
        resolved: Math.floor(received * 0.9),
        eResults: Math.floor(received * 0.5),
        reused: Math.floor(received * 0.2),
        online: Math.floor(received * 0.6),
      },
      note: '',
      updatedAt: '2026-01-01T00:00:00.000Z',
    })
  }
  return entries
}
const toRecord = (e: BulkEntry): EntryRecord =>
  ({
    key: entryKey(e.unitCode, e.month),
    unitCode: e.unitCode,
    month: e.month,
    counts: { ...e.counts },
    note: e.note,
    updatedAt: e.updatedAt,
    state: 'sent',
    baseVersion: null,
    sentAt: null,
  }) as EntryRecord

const req = <T>(r: IDBRequest<T>) =>
  new Promise<T>((res, rej) => {
    r.onsuccess = () => res(r.result)
    r.onerror = () => rej(r.error)
  })
const done = (tx: IDBTransaction) =>
  new Promise<void>((res, rej) => {
    tx.oncomplete = () => res()
    tx.onerror = () => rej(tx.error)
    tx.onabort = () => rej(tx.error)
  })

async function rawOpen(
  name: string,
  indexes: Array<[string, string | string[]]>,
): Promise<IDBDatabase> {
  await req(indexedDB.deleteDatabase(name))
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('entries', { keyPath: 'key' })
    for (const [n, kp] of indexes) store.createIndex(n, kp)
    open.result.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true })
  }
  return req(open)
}
const V2: Array<[string, string | string[]]> = [
  ['[unitCode+month]', ['unitCode', 'month']],
  ['month', 'month'],
  ['state', 'state'],
]
const NO_MONTH: Array<[string, string | string[]]> = [
  ['[unitCode+month]', ['unitCode', 'month']],
  ['state', 'state'],
]

type Opts = {
  add?: boolean
  indexes?: Array<[string, string | string[]]>
  durability?: IDBTransactionDurability
  chunk?: number
  small?: boolean
  each?: boolean
  txChunk?: number
}
async function raw(entries: BulkEntry[], o: Opts): Promise<number> {
  const db = await rawOpen('x-raw', o.indexes ?? V2)
  const t0 = performance.now()
  const records = o.small
    ? entries.map((e) => ({
        key: entryKey(e.unitCode, e.month),
        unitCode: e.unitCode,
        month: e.month,
        state: 'sent',
      }))
    : entries.map(toRecord)
  const opts = o.durability ? { durability: o.durability } : undefined
  if (o.each) {
    for (const r of records) {
      const tx = db.transaction('entries', 'readwrite', opts)
      tx.objectStore('entries').put(r)
      await done(tx)
    }
  } else if (o.txChunk) {
    for (let i = 0; i < records.length; i += o.txChunk) {
      const tx = db.transaction('entries', 'readwrite', opts)
      const s = tx.objectStore('entries')
      for (const r of records.slice(i, i + o.txChunk)) s.put(r)
      await done(tx)
    }
  } else {
    const tx = db.transaction('entries', 'readwrite', opts)
    const store = tx.objectStore('entries')
    if (o.chunk) {
      for (let i = 0; i < records.length; i += o.chunk) {
        let last: IDBRequest | undefined
        for (const r of records.slice(i, i + o.chunk)) last = store.put(r)
        await req(last!)
      }
    } else {
      const t1 = performance.now()
      if (o.add) for (const r of records) store.add(r)
      else for (const r of records) store.put(r)
      const t2 = performance.now()
      await done(tx)
      console.log(
        `issue ${(t1 - t0).toFixed(0)} records, ${(t2 - t1).toFixed(0)} puts, ${(performance.now() - t2).toFixed(0)} commit`,
      )
    }
  }
  const ms = performance.now() - t0
  db.close()
  if (!(window as any).keep) await req(indexedDB.deleteDatabase('x-raw'))
  return ms
}
async function dexie(
  entries: BulkEntry[],
  o: {
    app?: boolean
    durability?: 'relaxed' | 'strict' | 'default'
    cache?: 'disabled' | 'cloned' | 'immutable'
    chunk?: number
  },
): Promise<number> {
  const db = new SohoaDb('x-dexie')
  await db.delete()
  const db2 = new (class extends SohoaDb {
    constructor() {
      super('x-dexie')
      ;(
        this as unknown as { _options: Record<string, unknown> }
      )._options.chromeTransactionDurability = o.durability ?? 'default'
      if (o.cache)
        (this as unknown as { _options: Record<string, unknown> })._options.cache = o.cache
    }
  })()
  await db2.open()
  const t0 = performance.now()
  if (o.app) await bulkPutEntries(db2, entries, 'sent')
  else
    await db2.transaction('rw', db2.entries, async () => {
      const records = entries.map(toRecord)
      if (o.chunk)
        for (let i = 0; i < records.length; i += o.chunk)
          await db2.entries.bulkPut(records.slice(i, i + o.chunk))
      else await db2.entries.bulkPut(records)
    })
  const ms = performance.now() - t0
  db2.close()
  await Dexie.delete('x-dexie')
  return ms
}
const variants: Record<string, (e: BulkEntry[]) => Promise<number>> = {
  app: (e) => dexie(e, { app: true }),
  'app-relaxed': (e) => dexie(e, { app: true, durability: 'relaxed' }),
  'dexie-bulkput': (e) => dexie(e, {}),
  'dexie-cache-disabled': (e) => dexie(e, { cache: 'disabled' }),
  'dexie-chunk1000': (e) => dexie(e, { chunk: 1000 }),
  'dexie-chunk10000': (e) => dexie(e, { chunk: 10000 }),
  idb: (e) => raw(e, {}),
  'idb-relaxed': (e) => raw(e, { durability: 'relaxed' }),
  'idb-strict': (e) => raw(e, { durability: 'strict' }),
  'idb-no-month': (e) => raw(e, { indexes: NO_MONTH }),
  'idb-pk-only': (e) => raw(e, { indexes: [] }),
  'idb-state-only': (e) => raw(e, { indexes: [['state', 'state']] }),
  'idb-compound-only': (e) => raw(e, { indexes: [['[unitCode+month]', ['unitCode', 'month']]] }),
  'idb-add': (e) => raw(e, { add: true }),
  'idb-small': (e) => raw(e, { small: true }),
  'idb-chunk1000': (e) => raw(e, { chunk: 1000 }),
  'idb-tx10000': (e) => raw(e, { txChunk: 10000 }),
  'idb-tx500': (e) => raw(e, { txChunk: 500 }),
  'idb-tx1000': (e) => raw(e, { txChunk: 1000 }),
  'idb-tx2000': (e) => raw(e, { txChunk: 2000 }),
  'idb-tx5000': (e) => raw(e, { txChunk: 5000 }),
  'idb-pk-tx1000': (e) => raw(e, { indexes: [], txChunk: 1000 }),
  'idb-each': (e) => raw(e.slice(0, 2000), { each: true }),
  'idb-each-relaxed': (e) => raw(e.slice(0, 2000), { each: true, durability: 'relaxed' }),
  'idb-each-strict': (e) => raw(e.slice(0, 2000), { each: true, durability: 'strict' }),
}
;(window as unknown as { x: unknown }).x = {
  names: Object.keys(variants),
  run: async (name: string, n: number) => variants[name]!(makeEntries(n, name.slice(0, 3))),
}
;(window as any).keep = location.hash === '#keep'
document.title = 'ready'
