/**
 * Excel workbooks: one sheet per table, numbers as numeric cells (rates with a 0.00% format), a
 * bold, frozen header row and columns sized to their content. write-excel-file (and its zip
 * library) is loaded only when the user asks for a workbook: it has no place in the first screen.
 */
import type { Cell, Sheet } from 'write-excel-file/browser'
import { exportLabel, type DashboardColumn, type DashboardTable } from './table.ts'

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Excel's limits on sheet names: 31 characters, none of : \ / ? * [ ]. */
const SHEET_NAME_MAX = 31
const MIN_WIDTH = 8
const MAX_WIDTH = 60

const FORMATS: Record<DashboardColumn['kind'], string | undefined> = {
  text: undefined,
  count: '#,##0',
  rate: '0.00%',
  points: '0.00',
}

function cell(value: string | number | null | undefined, column: DashboardColumn): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || column.kind === 'text')
    return { value: String(value), type: String }
  if (!Number.isFinite(value)) return null
  return { value, type: Number, format: FORMATS[column.kind] }
}

/** How wide a column's widest cell reads, in Excel's character units. */
function width(table: DashboardTable, column: DashboardColumn): number {
  let widest = exportLabel(column).length
  for (const row of table.rows) {
    const value = row[column.key]
    if (value === null || value === undefined) continue
    // Numbers are shown grouped (96.688) or as 74,16%: a few characters more than their digits.
    const shown = typeof value === 'number' && column.kind === 'rate' ? 7 : String(value).length + 2
    widest = Math.max(widest, shown)
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2))
}

/** Sheet names that Excel accepts and that differ from each other. */
export function sheetNames(titles: readonly string[]): string[] {
  const used = new Set<string>()
  return titles.map((title, i) => {
    const base =
      title
        .replace(/[:\\/?*[\]]/gu, ' ')
        .replace(/\s+/gu, ' ')
        .trim() || `Sheet${i + 1}`
    let name = base.slice(0, SHEET_NAME_MAX).trim()
    for (let n = 2; used.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`
      name = base.slice(0, SHEET_NAME_MAX - suffix.length).trim() + suffix
    }
    used.add(name.toLowerCase())
    return name
  })
}

/** The workbook's sheets, as write-excel-file takes them. */
export function workbookSheets(tables: readonly DashboardTable[]): Sheet<Blob>[] {
  const names = sheetNames(tables.map((table) => table.title))
  return tables.map((table, i) => ({
    sheet: names[i],
    stickyRowsCount: 1,
    columns: table.columns.map((column) => ({ width: width(table, column) })),
    data: [
      table.columns.map((column) => ({
        value: exportLabel(column),
        type: String,
        fontWeight: 'bold',
      })),
      ...table.rows.map((row) => table.columns.map((column) => cell(row[column.key], column))),
    ],
  }))
}

/** An .xlsx file of the tables, one sheet each. */
export async function toXlsx(tables: readonly DashboardTable[]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser')
  const blob = await writeXlsxFile(workbookSheets(tables), {
    fontFamily: 'Calibri',
    fontSize: 11,
  }).toBlob()
  return blob.type === XLSX_MIME ? blob : new Blob([blob], { type: XLSX_MIME })
}
