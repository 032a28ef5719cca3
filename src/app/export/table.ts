/**
 * The table behind a dashboard or report section, as exports read it. Declared here as well as by
 * the dashboard: the two are the same structural type, so either side's tables export as they are.
 */

export type DashboardColumnKind = 'text' | 'count' | 'rate' | 'points'

export interface DashboardColumn {
  key: string
  label: string
  kind: DashboardColumnKind
}

export interface DashboardTable {
  id: string
  title: string
  columns: DashboardColumn[]
  /** Counts as numbers, rates as fractions 0..1 (or null), points as numbers. */
  rows: Record<string, string | number | null>[]
}

/** The label of a column in an export, with its unit: rates are written as percentages. */
export function exportLabel(column: DashboardColumn): string {
  if (column.kind !== 'rate' || /\(%\)\s*$/u.test(column.label)) return column.label
  return `${column.label} (%)`
}
