/**
 * A fictional province for demos, screenshots and tests: two districts with their communes before the
 * 2025 reform, three merged communes under the province after it, and 24 months of plausible counts.
 * Every name is marked "(mẫu)" so demo data can never pass for a real report. Given `endMonth` the
 * output is fixed: counts come from a PRNG seeded by each entry's key, never from Math.random, so
 * tests, screenshots and two devices loading the demo all see the same figures.
 */
import { deadlineOf, DEFAULT_DEADLINE_DAY } from './completeness.ts'
import { entryKey, type Entry } from './entries.ts'
import type { Counts } from './indicators.ts'
import { addMonths, monthOf, monthRange, parseMonth, type Month } from './periods.ts'
import type { Target } from './targets.ts'
import { REFORM_DATE, isReportingUnit, unitsActiveIn, type Unit } from './units.ts'

export const DEMO_PROVINCE_CODE = '99'

/** How many months of entries the demo holds, ending at `endMonth`. */
export const DEMO_MONTHS = 24

const SINCE = '2020-01-01'

type UnitFields = Omit<Unit, 'validFrom' | 'validTo'>

const always = (unit: UnitFields): Unit => ({ ...unit, validFrom: SINCE, validTo: null })
const beforeReform = (unit: UnitFields): Unit => ({
  ...unit,
  validFrom: SINCE,
  validTo: REFORM_DATE,
})
const afterReform = (unit: UnitFields): Unit => ({ ...unit, validFrom: REFORM_DATE, validTo: null })

function commune(
  code: string,
  parentCode: string,
  type: Unit['type'],
  name: string,
  nameEn: string,
): UnitFields {
  return { code, name, nameEn, kind: 'commune', type, level: 'commune', parentCode }
}

function districtOffice(district: string, name: string, nameEn: string): UnitFields {
  return {
    code: `${district}-VP`,
    name,
    nameEn,
    kind: 'office',
    type: 'Cơ quan',
    level: 'district',
    parentCode: district,
  }
}

const P = DEMO_PROVINCE_CODE

const UNITS: readonly Unit[] = [
  always({
    code: P,
    name: 'Tỉnh Sơn Hoà (mẫu)',
    nameEn: 'Son Hoa Province (sample)',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
  }),
  always({
    code: `${P}-STP`,
    name: 'Sở Tư pháp tỉnh Sơn Hoà (mẫu)',
    nameEn: 'Son Hoa Department of Justice (sample)',
    kind: 'office',
    type: 'Cơ quan',
    level: 'province',
    parentCode: P,
  }),
  always({
    code: `${P}-SXD`,
    name: 'Sở Xây dựng tỉnh Sơn Hoà (mẫu)',
    nameEn: 'Son Hoa Department of Construction (sample)',
    kind: 'office',
    type: 'Cơ quan',
    level: 'province',
    parentCode: P,
  }),

  beforeReform({
    code: '991',
    name: 'Huyện An Lạc (mẫu)',
    nameEn: 'An Lac District (sample)',
    kind: 'district',
    type: 'Huyện',
    level: 'district',
    parentCode: P,
  }),
  beforeReform(
    districtOffice(
      '991',
      'Văn phòng HĐND và UBND huyện An Lạc (mẫu)',
      'An Lac District People’s Council and Committee Office (sample)',
    ),
  ),
  beforeReform(commune('99001', '991', 'Xã', 'Xã An Phú (mẫu)', 'An Phu Commune (sample)')),
  beforeReform(commune('99004', '991', 'Xã', 'Xã An Hoà (mẫu)', 'An Hoa Commune (sample)')),
  beforeReform(
    commune('99007', '991', 'Thị trấn', 'Thị trấn An Lạc (mẫu)', 'An Lac Township (sample)'),
  ),

  beforeReform({
    code: '992',
    name: 'Thị xã Phú Bình (mẫu)',
    nameEn: 'Phu Binh Town (sample)',
    kind: 'district',
    type: 'Thị xã',
    level: 'district',
    parentCode: P,
  }),
  beforeReform(
    districtOffice(
      '992',
      'Văn phòng HĐND và UBND thị xã Phú Bình (mẫu)',
      'Phu Binh Town People’s Council and Committee Office (sample)',
    ),
  ),
  beforeReform(
    commune('99010', '992', 'Phường', 'Phường Phú Bình (mẫu)', 'Phu Binh Ward (sample)'),
  ),
  beforeReform(
    commune('99013', '992', 'Phường', 'Phường Phú Thịnh (mẫu)', 'Phu Thinh Ward (sample)'),
  ),
  beforeReform(commune('99016', '992', 'Xã', 'Xã Bình Minh (mẫu)', 'Binh Minh Commune (sample)')),

  // The reform removed districts and merged communes; a new commune reports to the province.
  afterReform(commune('99019', P, 'Xã', 'Xã An Lạc (mẫu)', 'An Lac Commune (sample)')),
  afterReform(commune('99022', P, 'Phường', 'Phường Sơn Hoà (mẫu)', 'Son Hoa Ward (sample)')),
  afterReform(commune('99025', P, 'Xã', 'Xã Bình An (mẫu)', 'Binh An Commune (sample)')),
]

/** The old communes each new commune was formed from; 99025 joins communes of both old districts. */
const MERGED_FROM: Readonly<Record<string, readonly [string, string]>> = {
  '99019': ['99001', '99004'],
  '99022': ['99010', '99013'],
  '99025': ['99007', '99016'],
}

const DISTRICT_OFFICE_VOLUME: Readonly<Record<string, number>> = { '991-VP': 300, '992-VP': 240 }

/** Typical dossiers received per month by each reporting unit that existed before the reform. */
const VOLUME: Readonly<Record<string, number>> = {
  [`${P}-STP`]: 900,
  [`${P}-SXD`]: 450,
  ...DISTRICT_OFFICE_VOLUME,
  '99001': 160,
  '99004': 120,
  '99007': 200,
  '99010': 180,
  '99013': 140,
  '99016': 100,
}

/**
 * The reform handed the districts' procedures down to the communes, so the district offices' load is
 * shared among the new communes instead of vanishing from the province totals.
 */
const DEVOLVED_PER_COMMUNE =
  Object.values(DISTRICT_OFFICE_VOLUME).reduce((sum, volume) => sum + volume, 0) /
  Object.keys(MERGED_FROM).length

/** A merged commune serves its predecessors' residents and takes over part of the district's work. */
function volumeOf(code: string): number {
  const parts = MERGED_FROM[code]
  if (!parts) return VOLUME[code] ?? 0
  return parts.reduce((sum, part) => sum + volumeOf(part), DEVOLVED_PER_COMMUNE)
}

/** Rush before Tết (January), the Tết lull (February), the year-end push (December). */
const SEASON = [1.1, 0.75, 1, 1, 1, 0.95, 0.95, 1, 1, 1.05, 1.05, 1.1] as const

/** FNV-1a: a stable 32-bit seed from a string. */
function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** mulberry32: small, fast and good enough for demo noise; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const clamp = (value: number, low: number, high: number): number =>
  Math.min(high, Math.max(low, value))

/**
 * One month of counts. `progress` runs from 0 (first demo month) to 1 (last), driving the slow rise
 * of every rate; each share is floored from its denominator so the caps of validation always hold.
 */
function demoCounts(code: string, month: Month, progress: number): Counts {
  const random = mulberry32(hashString(entryKey(code, month)))
  const noise = (spread: number): number => (random() * 2 - 1) * spread
  // Some units are keener than others, and stay so every month.
  const keenness = (mulberry32(hashString(code))() * 2 - 1) * 0.05
  const share = (base: number, spread: number): number =>
    clamp(base + keenness + noise(spread), 0, 1)

  const season = SEASON[parseMonth(month).month - 1] ?? 1
  const received = Math.max(1, Math.round(volumeOf(code) * season * (1 + noise(0.15))))
  const resolved = Math.floor(received * (0.9 + random() * 0.1))
  return {
    received,
    digitized: Math.floor(received * share(0.45 + 0.4 * progress, 0.04)),
    resolved,
    eResults: Math.floor(resolved * share(0.5 + 0.35 * progress, 0.05)),
    reused: Math.floor(received * share(0.1 + 0.3 * progress, 0.04)),
    online: Math.floor(received * share(0.25 + 0.35 * progress, 0.05)),
  }
}

/** When the official saved the month: a working hour (Vietnam time) late in the month itself. */
function demoUpdatedAt(code: string, month: Month): string {
  const random = mulberry32(hashString(`${entryKey(code, month)}@`))
  const { year, month: m } = parseMonth(month)
  const day = 25 + Math.floor(random() * 4)
  const hourUtc = 1 + Math.floor(random() * 9)
  const minute = Math.floor(random() * 60)
  return new Date(Date.UTC(year, m - 1, day, hourUtc, minute)).toISOString()
}

/** About one report in seven comes in after the deadline. */
const LATE_SHARE = 0.15
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * When the month was first reported, and when it was last saved. Most units report in the month
 * itself (then the first report is the last save); a late one reports 1 to 4 days after the
 * deadline (day 5 of the following month, Vietnam time) and has not changed it since. The same
 * draw decides for every build; `mayBeLate` false makes it on time.
 */
function demoTimes(
  code: string,
  month: Month,
  mayBeLate: boolean,
): { reportedAt: string; updatedAt: string } {
  const random = mulberry32(hashString(`${entryKey(code, month)}#late`))
  if (random() >= LATE_SHARE || !mayBeLate) {
    const at = demoUpdatedAt(code, month)
    return { reportedAt: at, updatedAt: at }
  }
  const days = 1 + Math.floor(random() * 4)
  const hours = Math.floor(random() * 9)
  const at = new Date(
    deadlineOf(month, DEFAULT_DEADLINE_DAY).getTime() +
      1 +
      (days - 1) * DAY_MS +
      (8 + hours) * 3_600_000,
  ).toISOString()
  return { reportedAt: at, updatedAt: at }
}

/** A demo entry knows when it was first reported, as a synced one does. */
export type DemoEntry = Entry & { reportedAt: string }

/**
 * The demo's targets for `year`: the province sets 80% digitization for its communes and 70% for
 * the district level, and holds one ward (99022, the provincial town) to 85%.
 */
function demoTargets(year: number): Target[] {
  const updatedAt = new Date(Date.UTC(year, 0, 15, 2, 0)).toISOString()
  const target = (unitCode: string, level: Target['level'], basisPoints: number): Target => ({
    indicator: 'digitization',
    year,
    unitCode,
    level,
    basisPoints,
    maxPoints: 10,
    updatedAt,
    updatedBy: 'admin',
  })
  return [target(P, 'commune', 8000), target(P, 'district', 7000), target('99022', null, 8500)]
}

export interface DemoOptions {
  /** Last month with entries; defaults to the month before the current one (local time). */
  endMonth?: Month
}

export interface Demo {
  units: Unit[]
  entries: DemoEntry[]
  /** Targets for every year the entries cover. */
  targets: Target[]
}

/**
 * The demo province "Tỉnh Sơn Hoà (mẫu)" (code 99) with `DEMO_MONTHS` months of entries ending at
 * `endMonth`, one per reporting unit active in each month. Same `endMonth`, same output; every entry
 * passes `validateCounts` without errors.
 */
export function buildDemo(options: DemoOptions = {}): Demo {
  const endMonth = options.endMonth ?? addMonths(monthOf(new Date()), -1)
  const months = monthRange(addMonths(endMonth, 1 - DEMO_MONTHS), endMonth)
  const entries: DemoEntry[] = []
  months.forEach((month, i) => {
    const progress = i / (months.length - 1)
    for (const unit of unitsActiveIn(UNITS, month).filter(isReportingUnit)) {
      entries.push({
        unitCode: unit.code,
        month,
        counts: demoCounts(unit.code, month, progress),
        note: '',
        // The last month is the one just ended: a late report of it could lie in the future.
        ...demoTimes(unit.code, month, month !== endMonth),
      })
    }
  })
  const years = [...new Set(months.map((month) => parseMonth(month).year))]
  // Copies, so a caller that edits its demo cannot change the next one.
  return { units: UNITS.map((unit) => ({ ...unit })), entries, targets: years.flatMap(demoTargets) }
}
