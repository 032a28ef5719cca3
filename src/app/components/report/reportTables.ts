/**
 * The report's tables as the export buttons take them (one CSV section or one sheet each), so what
 * is downloaded is exactly what is printed. Approximate figures (a new unit's history summed through
 * a partial predecessor) are printed with "≈" and say so in a note column the exports carry.
 */
import type { Locale } from '../../../domain/format.ts'
import type { Report } from '../../../domain/report.ts'
import type { Tally } from '../../../domain/tally.ts'
import { DIGITIZATION } from '../../../domain/indicators.ts'
import { tallyRatio } from '../../../domain/tally.ts'
import type { DashboardColumn } from '../../export/table.ts'
import type { DashboardTable } from '../../composables/useDashboardTables.ts'
import { formatMonth, translate } from '../../i18n/useI18n.ts'
import { unitName } from './reportText.ts'

function levelLabel(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1)
}

type Note = 'approximate' | 'partOnly' | null

/** The figure columns of the report's tables: what "≈" goes before. */
const FIGURE_COLUMNS = [
  'numerator',
  'denominator',
  'rate',
  'received',
  'digitized',
  'points',
] as const

/** Adds a note column and the cells to mark when any row is approximate; else the table as is. */
function withNotes(table: DashboardTable, notes: readonly Note[], locale: Locale): DashboardTable {
  if (notes.every((note) => note === null)) return table
  const rows = new Set<number>()
  notes.forEach((note, i) => {
    if (note !== null) rows.add(i)
  })
  return {
    ...table,
    columns: [
      ...table.columns,
      { key: 'note', label: translate(locale, 'report.columns.note'), kind: 'text' },
    ],
    rows: table.rows.map((row, i) => {
      const note = notes[i] ?? null
      return { ...row, note: note === null ? null : translate(locale, `report.notes.${note}`) }
    }),
    approximate: { rows, columns: FIGURE_COLUMNS },
  }
}

function digitizationCells(tally: Tally) {
  const ratio = tallyRatio(tally, DIGITIZATION)
  return { received: ratio.denominator, digitized: ratio.numerator, rate: ratio.rate }
}

export function indicatorsTable(report: Report, locale: Locale): DashboardTable {
  const c = (key: 'indicator' | 'numerator' | 'denominator' | 'rate') =>
    translate(locale, `report.columns.${key}`)
  const table: DashboardTable = {
    id: 'indicators',
    title: translate(locale, 'report.tables.indicators'),
    columns: [
      { key: 'indicator', label: c('indicator'), kind: 'text' },
      { key: 'numerator', label: c('numerator'), kind: 'count' },
      { key: 'denominator', label: c('denominator'), kind: 'count' },
      { key: 'rate', label: c('rate'), kind: 'rate' },
    ],
    rows: report.indicators.map(({ indicator, ratio }) => ({
      indicator: translate(locale, `indicators.${indicator.id}`),
      numerator: ratio.numerator,
      denominator: ratio.denominator,
      rate: ratio.rate,
    })),
  }
  return withNotes(
    table,
    // An indicator with no figures has nothing to be approximate about.
    report.indicators.map(({ ratio }): Note =>
      report.continuity.approximate && ratio.records > 0 ? 'approximate' : null,
    ),
    locale,
  )
}

function digitizationColumns(locale: Locale): DashboardColumn[] {
  return [
    { key: 'received', label: translate(locale, 'report.columns.received'), kind: 'count' },
    { key: 'digitized', label: translate(locale, 'report.columns.digitized'), kind: 'count' },
    { key: 'rate', label: translate(locale, 'report.columns.digitizationRate'), kind: 'rate' },
  ]
}

export function levelsTable(report: Report, locale: Locale): DashboardTable {
  const table: DashboardTable = {
    id: 'levels',
    title: translate(locale, 'report.tables.levels'),
    columns: [
      { key: 'level', label: translate(locale, 'report.columns.level'), kind: 'text' },
      ...digitizationColumns(locale),
    ],
    rows: [
      ...report.levels.map((level) => ({
        level: levelLabel(translate(locale, `report.levels.${level.level}`)),
        ...digitizationCells(level.tally),
      })),
      { level: translate(locale, 'report.total'), ...digitizationCells(report.total) },
    ],
  }
  return withNotes(
    table,
    [
      ...report.levels.map((level): Note => (level.approximate ? 'approximate' : null)),
      report.continuity.approximate ? 'approximate' : null,
    ],
    locale,
  )
}

export function unitsTable(report: Report, locale: Locale): DashboardTable {
  const column = (key: 'order' | 'unit' | 'target' | 'assessment' | 'points') =>
    translate(locale, `report.columns.${key}`)
  const table: DashboardTable = {
    id: 'units',
    title: translate(locale, 'report.tables.units'),
    columns: [
      { key: 'order', label: column('order'), kind: 'count' },
      { key: 'unit', label: column('unit'), kind: 'text' },
      ...digitizationColumns(locale),
      { key: 'target', label: column('target'), kind: 'rate' },
      { key: 'assessment', label: column('assessment'), kind: 'text' },
      { key: 'points', label: column('points'), kind: 'points' },
    ],
    rows: report.units.map((row, i) => ({
      order: i + 1,
      unit: unitName(row.unit, locale),
      ...digitizationCells(row.tally),
      target: row.target?.rate ?? null,
      assessment:
        row.meets === null ? null : translate(locale, row.meets ? 'report.met' : 'report.notMet'),
      points: row.points,
    })),
  }
  // A unit counted through a partial link: its own figures, of which only part belong to the root.
  return withNotes(
    table,
    report.units.map((row): Note => (row.approximate ? 'partOnly' : null)),
    locale,
  )
}

export function reportingTable(report: Report, locale: Locale): DashboardTable {
  const column = (key: 'month' | 'expected' | 'reported' | 'onTime') =>
    translate(locale, `report.columns.${key}`)
  return {
    id: 'reporting',
    title: translate(locale, 'report.tables.reporting'),
    columns: [
      { key: 'month', label: column('month'), kind: 'text' },
      { key: 'expected', label: column('expected'), kind: 'count' },
      { key: 'reported', label: column('reported'), kind: 'count' },
      { key: 'onTime', label: column('onTime'), kind: 'count' },
    ],
    rows: report.completeness.months.map((row) => ({
      month: formatMonth(row.month, locale),
      expected: row.expected,
      reported: row.reported,
      onTime: row.onTime,
    })),
  }
}

/** Every table of the report, in the order they are printed. */
export function reportTables(report: Report, locale: Locale): DashboardTable[] {
  return [
    indicatorsTable(report, locale),
    levelsTable(report, locale),
    unitsTable(report, locale),
    reportingTable(report, locale),
  ]
}
