/**
 * Every dashboard section as a plain table: what the screen shows as its table alternatives, and
 * what exports (CSV, XLSX, the printed report) read. Values stay raw: counts and points as numbers,
 * rates as fractions 0..1, null where there is nothing; titles and labels follow the language.
 */
import { computed, type ComputedRef } from 'vue'
import type { Completeness } from '../../domain/completeness.ts'
import type { Indicator } from '../../domain/indicators.ts'
import type { MonthPoint, Scored, UseDashboardReturn } from './useDashboard.ts'
import { useDashboardLabels, type UseDashboardLabelsReturn } from './useDashboardLabels.ts'

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
}

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

function levelsTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  return {
    id: 'levels',
    title: t('dashboard.levels.title'),
    columns: [
      { key: 'level', label: t('dashboard.levels.level'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
    ],
    rows: dashboard.levels.value.map((row) => ({
      level: t(`dashboard.levels.names.${row.level}`),
      ...ratioCells(row),
      score: row.score,
    })),
  }
}

function rankingTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  return {
    id: 'ranking',
    title: t('dashboard.ranking.title'),
    columns: [
      { key: 'unit', label: t('dashboard.ranking.unit'), kind: 'text' },
      { key: 'code', label: t('dashboard.ranking.code'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
      { key: 'status', label: t('dashboard.ranking.status'), kind: 'text' },
    ],
    rows: dashboard.ranking.value.map((row) => ({
      unit: labels.unitName(row.unit),
      code: row.unit.code,
      ...ratioCells(row),
      score: row.score,
      status: statusText(row, labels),
    })),
  }
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
  return {
    id,
    title,
    columns: [
      { key: 'month', label: labels.t('dashboard.charts.month'), kind: 'text' },
      ...ratioColumns(indicator, labels),
    ],
    rows: points.map((point) => ({ month: labels.month(point.month), ...ratioCells(point) })),
  }
}

function yearsTable(
  dashboard: UseDashboardReturn,
  indicator: Indicator,
  labels: Labels,
): DashboardTable {
  const { t } = labels
  return {
    id: 'years',
    title: t('dashboard.charts.byYear'),
    columns: [
      { key: 'year', label: t('dashboard.year'), kind: 'text' },
      ...ratioColumns(indicator, labels),
      { key: 'score', label: t('dashboard.levels.score'), kind: 'points' },
    ],
    rows: dashboard.years.value.map((row) => ({
      year: String(row.year),
      ...ratioCells(row),
      score: row.score,
    })),
  }
}
