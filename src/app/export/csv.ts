/**
 * CSV as Excel and LibreOffice open it without an import dialog: RFC 4180 quoting, CRLF line ends
 * and a UTF-8 byte order mark (without it Excel reads the file as ANSI and garbles Vietnamese).
 * Numbers are written machine-readably (96688, 74.16), never with the screen's grouping.
 */
import { exportLabel, type DashboardColumn, type DashboardTable } from './table.ts'

const BOM = '\uFEFF'
const CRLF = '\r\n'

/** A rate as a percentage with two decimals, rounded as the screen rounds it. */
const PERCENT = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  useGrouping: false,
})
const POINTS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false })

/** Quotes a field when it holds a comma, a quote or a line break (RFC 4180 §2.6–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value
}

/**
 * Unit names come from imported lists; a name starting with = + - @ (or a tab or CR) would run as a
 * formula in a spreadsheet (CSV injection), so such text gets a leading apostrophe.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text
}

/** One cell as CSV text, before quoting. */
export function csvValue(
  value: string | number | null | undefined,
  column: DashboardColumn,
): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return neutralizeFormula(value)
  if (!Number.isFinite(value)) return ''
  switch (column.kind) {
    case 'count':
      return String(Math.round(value))
    case 'rate':
      return PERCENT.format(value).replace('%', '')
    case 'points':
      return POINTS.format(value)
    case 'text':
      return neutralizeFormula(String(value))
  }
}

function record(fields: string[]): string {
  return fields.map(csvField).join(',') + CRLF
}

/** The table's header row and rows, without the byte order mark. */
export function tableToCsvRows(table: DashboardTable): string {
  let text = record(table.columns.map(exportLabel))
  for (const row of table.rows) {
    text += record(table.columns.map((column) => csvValue(row[column.key], column)))
  }
  return text
}

/**
 * A CSV file of one table, or of several: then each starts with a row holding its title and the
 * tables are separated by an empty line, as a spreadsheet user would lay them out by hand.
 */
export function toCsv(tables: readonly DashboardTable[]): string {
  if (tables.length === 1) return BOM + tableToCsvRows(tables[0]!)
  return (
    BOM +
    tables
      .map((table) => record([neutralizeFormula(table.title)]) + tableToCsvRows(table))
      .join(CRLF)
  )
}
