/**
 * Every dashboard section as a plain table: what the screen shows as its table alternatives, and
 * what exports (CSV, XLSX, the printed report) read. Values stay raw: counts and points as numbers,
 * rates as fractions 0..1, null where there is nothing; titles and labels follow the language.
 * Rows whose figures are approximate (a new unit's history summed through a partial predecessor)
 * say so in words in a "Ghi chú" column, which exports carry, and list the figures to mark "≈".
 */
import { computed, type ComputedRef } from 'vue'
import type { Completeness } from '../../domain/completeness.ts'
import type { Indicator } from '../../domain/indicators.ts'
import type { MonthPoint, Scored, UseDashboardReturn } from './useDashboard.ts'
import {
  approximately,
  useDashboardLabels,
  type UseDashboardLabelsReturn,
} from './useDashboardLabels.ts'

export type DashboardColumnKind = 'text' | 'count' | 'rate' | 'points'

export interface DashboardColumn {
  key: string
  label: string
  kind: DashboardColumnKind
}

/** Same shape as src/app/export/table.ts declares, so these tables export as they are. */
export interface DashboardTable {
  id: string
  title: string
  columns: DashboardColumn[]
  rows: Record<string, string | number | null>[]
  /**
   * Rows (by index) whose figures are approximate, and the columns holding those figures: the
   * screen writes "≈" before each. Exports, whose cells stay numbers, have the note column instead.
   */
  approximate?: ApproximateCells
}

export interface ApproximateCells {
  rows: ReadonlySet<number>
  columns: readonly string[]
}

/** The columns of ratioColumns that hold figures (the target is a set value, never approximate). */
const FIGURE_COLUMNS = ['denominator', 'numerator', 'rate', 'score'] as const

export type DashboardTableId =
  'levels' | 'ranking' | 'completeness' | 'missing' | 'monthly' | 'trend' | 'years'

export interface UseDashboardTablesReturn {
  /** Each table on its own, built only when read: the screen reads some, an export all. */
  tables: Record<DashboardTableId, ComputedRef<DashboardTable | null>>
  /** The tables that have rows, in screen order. */
  list: ComputedRef<DashboardTable[]>
}

export function useDashboardTables(
  dashboard: UseDashboardReturn,
  indicator: () => Indicator,
): UseDashboardTablesReturn {
  const labels = useDashboardLabels()
  // The caller's getter may read a fresh selection object on every route change; this settles on
  // the indicator itself, so the tables that do not depend on the period are not rebuilt.
  const current = computed(indicator)
  // One computed per table: a period switch rebuilds the period's tables and leaves the trend's
  // alone, so the screen re-renders only what changed.
  const aggregate = computed(() => !dashboard.reporting.value)
  const levels = computed(() =>
    aggregate.value ? levelsTable(dashboard, current.value, labels) : null,
  )
  const ranking = computed(() =>
    aggregate.value ? rankingTable(dashboard, current.value, labels) : null,
  )
  const completeness = computed(() => completenessTable(dashboard.completeness.value, labels))
  const missing = computed(() => missingTable(dashboard.completeness.value, labels))
  const monthly = computed(() =>
    monthTable(
      'monthly',
      labels.t('dashboard.charts.monthly', { year: String(dashboard.year.value) }),
      dashboard.yearMonths.value,
      current.value,
      labels,
    ),
  )
  const trend = computed(() =>
    monthTable(
      'trend',
      labels.t('dashboard.charts.trend'),
      dashboard.trend.value,
      current.value,
      labels,
    ),
  )
  const years = computed(() => yearsTable(dashboard, current.value, labels))
  const tables = { levels, ranking, completeness, missing, monthly, trend, years }
  const list = computed(() =>
    Object.values(tables)
      .map((table) => table.value)
      .filter((table): table is DashboardTable => table !== null && table.rows.length > 0),
  )
  return { tables, list }
}

type Labels = UseDashboardLabelsReturn

/** Denominator, numerator, rate and target columns, labelled for the indicator. */
function ratioColumns(indicator: Indicator, labels: Labels): DashboardColumn[] {
  const { t } = labels
  return [
    { key: 'denominator', label: t(`elements.${indicator.denominator}`), kind: 'count' },
    { key: 'numerator', label: t(`elements.${indicator.numerator}`), kind: 'count' },
    { key: 'rate', label: t('dashboard.levels.rate'), kind: 'rate' },
    { key: 'target', label: t('dashboard.levels.target'), kind: 'rate' },
  ]
}

function ratioCells(row: Pick<Scored, 'ratio' | 'target'>): Record<string, number | null> {
  const none = row.ratio.records === 0
  return {
    denominator: none ? null : row.ratio.denominator,
    numerator: none ? null : row.ratio.numerator,
    rate: row.ratio.rate,
    target: row.target?.rate ?? null,
  }
}

/** "Đạt" / "Chưa đạt (còn thiếu 3,2 điểm %)" / "Chưa có chỉ tiêu" / "Chưa có số liệu". */
export function statusText(row: Scored, labels: Labels): string {
  if (row.ratio.rate === null) return labels.t('dashboard.noRate')
  if (row.target === null) return labels.t('dashboard.noTarget')
  if (row.meets) return labels.t('dashboard.met')
  return labels.t('dashboard.behind', { gap: labels.gap(row.gap ?? 0) })
}

/**
 * What a row's note says: its figures are approximate, only part of the unit went into the one on
 * screen, its figures are the sum of former units, or nothing.
 */
type RowNote = 'approximate' | 'partOnly' | 'derived' | null

const NOTE_KEYS = {
  approximate: 'dashboard.continuity.approximateNote',
  partOnly: 'dashboard.continuity.partOnlyNote',
  derived: 'dashboard.continuity.derivedNote',
} as const

/** A scored row's note: approximate sums are the only kind a level or a year can have. */
const noteOf = (row: Pick<Scored, 'approximate'>): RowNote =>
  row.approximate ? 'approximate' : null

/**
 * Adds the note column, and the cells to mark "≈", when any row needs them; a table without
 * derived figures stays exactly as it was.
 */
function withNotes(
  table: DashboardTable,
  notes: readonly RowNote[],
  labels: Labels,
): DashboardTable {
  if (notes.every((note) => note === null)) return table
  const marked = new Set<number>()
  notes.forEach((note, i) => {
    if (note === 'approximate' || note === 'partOnly') marked.add(i)
  })
  return {
    ...table,
    columns: [
      ...table.columns,
      { key: 'note', label: labels.t('dashboard.continuity.noteColumn'), kind: 'text' },
    ],
    rows: table.rows.map((row, i) => {
      const note = notes[i] ?? null
      return { ...row, note: note === null ? null : labels.t(NOTE_KEYS[note]) }
    }),
    ...(marked.size > 0 ? { approximate: { rows: marked, columns: FIGURE_COLUMNS } } : {}),
  }
}

function levelsTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  const rows = dashboard.levels.value
  const table: DashboardTable = {
    id: 'levels',
    title: t('dashboard.levels.title'),
    columns: [
      { key: 'level', label: t('dashboard.levels.level'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
    ],
    rows: rows.map((row) => ({
      level: t(`dashboard.levels.names.${row.level}`),
      ...ratioCells(row),
      score: row.score,
    })),
  }
  return withNotes(table, rows.map(noteOf), labels)
}

function rankingTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  const rows = dashboard.ranking.value
  const table: DashboardTable = {
    id: 'ranking',
    title: t('dashboard.ranking.title'),
    columns: [
      { key: 'unit', label: t('dashboard.ranking.unit'), kind: 'text' },
      { key: 'code', label: t('dashboard.ranking.code'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
      { key: 'status', label: t('dashboard.ranking.status'), kind: 'text' },
    ],
    rows: rows.map((row) => ({
      unit: labels.unitName(row.unit),
      code: row.unit.code,
      ...ratioCells(row),
      score: row.score,
      status: statusText(row, labels),
    })),
  }
  // A unit below counted through a partial link: its own figures are exact, but only part of it
  // belongs to the unit on screen.
  return withNotes(
    table,
    rows.map((row) => (row.approximate ? 'partOnly' : null)),
    labels,
  )
}

function completenessTable(result: Completeness | null, labels: Labels): DashboardTable | null {
  if (!result) return null
  const { t } = labels
  return {
    id: 'completeness',
    title: t('dashboard.completeness.byMonth'),
    columns: [
      { key: 'month', label: t('dashboard.charts.month'), kind: 'text' },
      { key: 'expected', label: t('dashboard.completeness.expected'), kind: 'count' },
      { key: 'reported', label: t('dashboard.completeness.reported'), kind: 'count' },
      { key: 'onTime', label: t('dashboard.completeness.onTime'), kind: 'count' },
      { key: 'unknownTime', label: t('dashboard.completeness.unknownTime'), kind: 'count' },
    ],
    rows: result.months.map((row) => ({
      month: labels.month(row.month),
      expected: row.expected,
      reported: row.reported,
      onTime: row.onTime,
      unknownTime: row.unknownTime,
    })),
  }
}

function missingTable(result: Completeness | null, labels: Labels): DashboardTable | null {
  if (!result) return null
  const { t } = labels
  const due = new Map(result.months.map((row) => [row.month, row.due]))
  return {
    id: 'missing',
    title: t('dashboard.completeness.missingTitle'),
    columns: [
      { key: 'unit', label: t('dashboard.ranking.unit'), kind: 'text' },
      { key: 'code', label: t('dashboard.ranking.code'), kind: 'text' },
      { key: 'months', label: t('dashboard.completeness.months'), kind: 'text' },
    ],
    rows: result.missing.map(({ unit, months }) => ({
      unit: labels.unitName(unit),
      code: unit.code,
      months: months
        .map((month) =>
          due.get(month)
            ? labels.month(month)
            : t('dashboard.completeness.notDue', { month: labels.month(month) }),
        )
        .join(', '),
    })),
  }
}

function monthTable(
  id: DashboardTableId,
  title: string,
  points: readonly MonthPoint[],
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const table: DashboardTable = {
    id,
    title,
    columns: [
      { key: 'month', label: labels.t('dashboard.charts.month'), kind: 'text' },
      ...ratioColumns(indicator, labels),
    ],
    rows: points.map((point) => ({ month: labels.month(point.month), ...ratioCells(point) })),
  }
  return withNotes(
    table,
    points.map((point) => (point.approximate ? 'approximate' : point.derived ? 'derived' : null)),
    labels,
  )
}

function yearsTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  const rows = dashboard.years.value
  const table: DashboardTable = {
    id: 'years',
    title: t('dashboard.charts.byYear'),
    columns: [
      { key: 'year', label: t('dashboard.year'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
    ],
    rows: rows.map((row) => ({
      year: String(row.year),
      ...ratioCells(row),
      score: row.score,
    })),
  }
  return withNotes(table, rows.map(noteOf), labels)
}

/** A cell's text, with "≈" before it when the table lists it as approximate. */
export function markedCell(table: DashboardTable, row: number, key: string, text: string): string {
  const marks = table.approximate
  return approximately(text, !!marks && marks.rows.has(row) && marks.columns.includes(key))
}
