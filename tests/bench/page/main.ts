/**
 * Bench-only page, built separately from the app: runs the app's real db module (Dexie, schema,
 * bulkPutEntries) in Chromium and exposes timing functions to tests/bench/idb.ts.
 */
import { bulkPutEntries, type BulkEntry } from '../../../src/app/db/entries.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { addMonths, type Month } from '../../../src/domain/periods.ts'

/** Wall time and throughput of one write run. */
export interface WriteResult {
  records: number
  ms: number
  perSecond: number
}

export interface SohoaBench {
  /** `n` entries in one bulkPutEntries call (one transaction). */
  bulk: (n: number) => Promise<WriteResult>
  /** `n` entries, one bulkPutEntries call (one transaction) each. */
  oneByOne: (n: number) => Promise<WriteResult>
}

declare global {
  interface Window {
    sohoaBench?: SohoaBench
  }
}

/** Realistic rows: many units, a few years of months, all six counts. */
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

async function freshDb(name: string): Promise<SohoaDb> {
  const db = new SohoaDb(name)
  await db.delete()
  await db.open()
  return db
}

async function timed(db: SohoaDb, write: () => Promise<void>, records: number) {
  const start = performance.now()
  await write()
  const ms = performance.now() - start
  db.close()
  return { records, ms, perSecond: (records / ms) * 1000 }
}

window.sohoaBench = {
  bulk: async (n) => {
    const db = await freshDb('sohoa-bench-bulk')
    const entries = makeEntries(n, 'B')
    return timed(db, async () => void (await bulkPutEntries(db, entries, 'sent')), n)
  },
  oneByOne: async (n) => {
    const db = await freshDb('sohoa-bench-single')
    const entries = makeEntries(n, 'S')
    return timed(
      db,
      async () => {
        for (const entry of entries) await bulkPutEntries(db, [entry], 'sent')
      },
      n,
    )
  },
}
document.title = 'ready'
