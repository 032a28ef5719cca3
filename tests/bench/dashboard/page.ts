/**
 * Bench-only code run inside the app's own page (tests/bench/dashboard.ts builds it as one script
 * and evaluates it there, which the app's Content-Security-Policy does not govern): writes a
 * country's worth of entries straight into the app's IndexedDB, times the plain full-table scan the
 * dashboard is compared with, and records interactions for INP. Never part of the app build.
 */
import type { EntryRecord } from '../../../src/app/db/schema.ts'
import { entryKey } from '../../../src/domain/entries.ts'
import type { Counts } from '../../../src/domain/indicators.ts'
import { addMonths, type Month } from '../../../src/domain/periods.ts'
import type { Unit } from '../../../src/domain/units.ts'

export interface SeedInput {
  dbName: string
  units: Unit[]
  /** Every commune gets an entry for every month. */
  communeCodes: string[]
  months: Month[]
  /** PRNG seed: the same seed writes the same values. */
  seed: number
}

export interface SeedResult {
  entries: number
  units: number
  ms: number
}

export interface BaselineInput {
  dbName: string
  /** The province's communes. */
  communeCodes: string[]
  /** The months of the selected period, and of the trend chart. */
  periodMonths: Month[]
  trendMonths: Month[]
}

/** Σ received and Σ digitized. */
export interface Sums {
  received: number
  digitized: number
}

export interface BaselineResult {
  /** indexedDB.open to the sums, ms. */
  ms: number
  openMs: number
  getAllMs: number
  sumMs: number
  /** Rows read: the whole table. */
  scanned: number
  /** Rows of the province's communes in the trend's months. */
  matched: number
  period: Sums
  trend: Array<Sums & { month: Month }>
}

/** The slowest event of one interaction (INP's unit), as the Event Timing API reports it. */
export interface Interaction {
  interactionId: number
  /** Start of the first event of the interaction, ms since navigation start. */
  startTime: number
  /** Its longest event: input delay + processing + presentation. */
  duration: number
  /** The events behind it, e.g. pointerdown, pointerup, click. */
  names: string[]
}

/** A long animation frame (Chromium's LoAF): rendering that kept the page from painting. */
export interface LongFrame {
  startTime: number
  duration: number
  /** Time in scripts (event handlers, Vue, chart.js) before rendering started. */
  scriptMs: number
  /** Style, layout and paint at the end of the frame. */
  renderMs: number
  /** The longest scripts of the frame: where the time went. */
  scripts: Array<{ invoker: string; source: string; duration: number }>
}

export interface DashboardBench {
  seed(input: SeedInput): Promise<SeedResult>
  baseline(input: BaselineInput): Promise<BaselineResult>
  /** Starts recording interactions (Event Timing, durationThreshold 16) and long frames. */
  watch(): void
  /** What was recorded since the last call, after the entries of the latest frame arrived. */
  take(): { interactions: Interaction[]; longFrames: LongFrame[] }
  /** When the latest long animation frame recorded since `take` ended; 0 when none. */
  lastFrameEnd(): number
}

declare global {
  interface Window {
    sohoaDashboardBench?: DashboardBench
  }
}

/** mulberry32: small, fast and the same in every browser. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** One commune-month: all six counts, every numerator within its denominator. */
function countsOf(size: number, random: () => number): Counts {
  const received = Math.round(size * (0.7 + 0.6 * random()))
  const digitized = Math.floor(received * (0.5 + 0.5 * random()))
  const resolved = Math.floor(received * (0.8 + 0.2 * random()))
  return {
    received,
    digitized,
    resolved,
    eResults: Math.floor(resolved * (0.3 + 0.6 * random())),
    reused: Math.floor(digitized * (0.1 + 0.4 * random())),
    online: Math.floor(received * (0.2 + 0.7 * random())),
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('Transaction aborted'))
  })
}

/** Opens the app's database at whatever version the app created; never creates or upgrades it. */
async function openExisting(name: string): Promise<IDBDatabase> {
  const req = indexedDB.open(name)
  req.onupgradeneeded = () => req.transaction?.abort()
  const db = await request(req)
  for (const store of ['entries', 'units']) {
    if (!db.objectStoreNames.contains(store)) {
      db.close()
      throw new Error(`The app has not created its "${store}" table in ${name} yet`)
    }
  }
  return db
}

const ENTRIES_PER_TRANSACTION = 10_000

async function seed(input: SeedInput): Promise<SeedResult> {
  const start = performance.now()
  const random = prng(input.seed)
  const db = await openExisting(input.dbName)
  try {
    const unitsTx = db.transaction('units', 'readwrite', { durability: 'relaxed' })
    for (const unit of input.units) unitsTx.objectStore('units').put(unit)
    await done(unitsTx)
    const sizes = input.communeCodes.map(() => 80 + Math.floor(random() * 1_400))
    const records: EntryRecord[] = []
    for (const [i, unitCode] of input.communeCodes.entries()) {
      for (const month of input.months) {
        const day = 1 + Math.floor(random() * 9)
        const at = `${addMonths(month, 1)}-0${day}T02:00:00.000Z`
        records.push({
          key: entryKey(unitCode, month),
          unitCode,
          month,
          counts: countsOf(sizes[i] ?? 0, random),
          note: '',
          updatedAt: at,
          state: 'sent',
          baseVersion: 1,
          sentAt: at,
          conflicts: [],
          updatedBy: `bench-${unitCode}`,
          reportedAt: at,
          review: null,
        })
      }
    }
    for (let from = 0; from < records.length; from += ENTRIES_PER_TRANSACTION) {
      const tx = db.transaction('entries', 'readwrite', { durability: 'relaxed' })
      const store = tx.objectStore('entries')
      for (const record of records.slice(from, from + ENTRIES_PER_TRANSACTION)) store.put(record)
      await done(tx)
    }
    const entries = await request(db.transaction('entries').objectStore('entries').count())
    const units = await request(db.transaction('units').objectStore('units').count())
    return { entries, units, ms: performance.now() - start }
  } finally {
    db.close()
  }
}

/**
 * The least a dashboard could do: one getAll of the entries table, then Σ received and Σ digitized
 * over the province's communes for the period and for each month of the trend.
 */
async function baseline(input: BaselineInput): Promise<BaselineResult> {
  const start = performance.now()
  const db = await openExisting(input.dbName)
  const opened = performance.now()
  try {
    const rows: EntryRecord[] = await request(
      db.transaction('entries').objectStore('entries').getAll(),
    )
    const read = performance.now()
    const communes = new Set(input.communeCodes)
    const inPeriod = new Set(input.periodMonths)
    const trendIndex = new Map(input.trendMonths.map((month, i) => [month, i]))
    const trend = input.trendMonths.map((month) => ({ month, received: 0, digitized: 0 }))
    const period: Sums = { received: 0, digitized: 0 }
    let matched = 0
    for (const row of rows) {
      if (!communes.has(row.unitCode)) continue
      const received = row.counts.received ?? 0
      const digitized = row.counts.digitized ?? 0
      const i = trendIndex.get(row.month)
      const point = i === undefined ? undefined : trend[i]
      if (point) {
        matched += 1
        point.received += received
        point.digitized += digitized
      }
      if (inPeriod.has(row.month)) {
        period.received += received
        period.digitized += digitized
      }
    }
    const end = performance.now()
    return {
      ms: end - start,
      openMs: opened - start,
      getAllMs: read - opened,
      sumMs: end - read,
      scanned: rows.length,
      matched,
      period,
      trend,
    }
  } finally {
    db.close()
  }
}

/** An Event Timing entry; TypeScript's DOM types do not know `interactionId` yet. */
type EventEntry = PerformanceEntry & { interactionId: number }

/** Events that belong to an interaction (a tap, a key press); hovers and scrolls have id 0. */
function isInteractionEvent(entry: PerformanceEntry): entry is EventEntry {
  return (
    entry.entryType === 'event' &&
    'interactionId' in entry &&
    typeof entry.interactionId === 'number' &&
    entry.interactionId > 0
  )
}

/** `entry[key]` when it is a number (LoAF fields are missing from TypeScript's DOM types). */
function numberIn(entry: object, key: string): number {
  const value: unknown = Reflect.get(entry, key)
  return typeof value === 'number' ? value : 0
}

function stringIn(entry: object, key: string): string {
  const value: unknown = Reflect.get(entry, key)
  return typeof value === 'string' ? value : ''
}

function longFrame(entry: PerformanceEntry): LongFrame {
  const renderStart = numberIn(entry, 'renderStart') || entry.startTime + entry.duration
  const scripts: unknown = Reflect.get(entry, 'scripts')
  const attributed = Array.isArray(scripts) ? scripts.filter((s) => typeof s === 'object') : []
  return {
    startTime: entry.startTime,
    duration: entry.duration,
    scriptMs: renderStart - entry.startTime,
    renderMs: entry.startTime + entry.duration - renderStart,
    scripts: attributed
      .map((script: object) => ({
        invoker: stringIn(script, 'invoker'),
        source: `${stringIn(script, 'sourceFunctionName')} ${stringIn(script, 'sourceURL').replace(location.origin, '')}:${numberIn(script, 'sourceCharPosition')}`,
        duration: numberIn(script, 'duration'),
      }))
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3),
  }
}

const events: EventEntry[] = []
const frames: LongFrame[] = []
let observers: PerformanceObserver[] = []

function record(entries: PerformanceEntryList): void {
  for (const entry of entries) {
    if (isInteractionEvent(entry)) events.push(entry)
    else if (entry.entryType === 'long-animation-frame') frames.push(longFrame(entry))
  }
}

function watch(): void {
  for (const observer of observers) observer.disconnect()
  events.length = 0
  frames.length = 0
  const eventObserver = new PerformanceObserver((list) => record(list.getEntries()))
  // 16 ms is the smallest threshold the API allows: shorter interactions are not reported at all.
  // The option is missing from TypeScript's DOM types, hence the object built beforehand.
  const eventOptions = { type: 'event', durationThreshold: 16 }
  eventObserver.observe(eventOptions)
  observers = [eventObserver]
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    const frameObserver = new PerformanceObserver((list) => record(list.getEntries()))
    frameObserver.observe({ type: 'long-animation-frame' })
    observers.push(frameObserver)
  }
}

function take(): { interactions: Interaction[]; longFrames: LongFrame[] } {
  for (const observer of observers) record(observer.takeRecords())
  const byId = new Map<number, Interaction>()
  for (const entry of events) {
    const known = byId.get(entry.interactionId)
    if (known) {
      known.startTime = Math.min(known.startTime, entry.startTime)
      known.duration = Math.max(known.duration, entry.duration)
      known.names.push(entry.name)
    } else {
      byId.set(entry.interactionId, {
        interactionId: entry.interactionId,
        startTime: entry.startTime,
        duration: entry.duration,
        names: [entry.name],
      })
    }
  }
  const longFrames = [...frames]
  events.length = 0
  frames.length = 0
  return { interactions: [...byId.values()], longFrames }
}

function lastFrameEnd(): number {
  for (const observer of observers) record(observer.takeRecords())
  return Math.max(0, ...frames.map((frame) => frame.startTime + frame.duration))
}

window.sohoaDashboardBench = { seed, baseline, watch, take, lastFrameEnd }
