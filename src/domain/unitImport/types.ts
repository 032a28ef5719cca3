/**
 * Importing official unit lists: the statistics office's spreadsheet (`stats`), the three-level JSON
 * list before the 2025 reform (`units-old`), the two-level list after it (`units-new`) and the
 * new → old merge mapping (`merges`). Parsers are pure and collect every problem with the row or
 * JSON path it was found at; docs/admin.md describes the formats and the import semantics.
 */
import type { UnitLink } from '../unitLinks.ts'
import type { GovernmentLevel, Unit } from '../units.ts'

export const IMPORT_FORMATS = ['stats', 'units-old', 'units-new', 'merges'] as const
export type UnitImportFormat = (typeof IMPORT_FORMATS)[number]

/** Where a problem is (`row 17`, `data[3].level2s[5]`) and what it is, in Vietnamese. */
export interface ImportProblem {
  path: string
  message: string
}

/** A unit as a list states it: no validity, the import decides that. */
export type ListedUnit = Omit<Unit, 'validFrom' | 'validTo'>

/** A parsed unit list and what it covers (see planUnitImport). */
export interface UnitList {
  units: ListedUnit[]
  /** Provinces whose units the list states completely; 'all' for a national list. */
  provinces: 'all' | string[]
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ImportProblem[] }

/** Parsed content ready for the store. */
export type ParsedImport = { kind: 'units'; list: UnitList } | { kind: 'links'; links: UnitLink[] }

/** Default effective dates: the old list is taken to describe units since 2020, the new ones the reform. */
export const DEFAULT_EFFECTIVE_DATE: Record<UnitImportFormat, string | null> = {
  stats: null,
  'units-old': '2020-01-01',
  'units-new': '2025-07-01',
  merges: '2025-07-01',
}

export type LevelCounts = Record<GovernmentLevel, number>

/** At most this many problems are reported; the rest are summed up in the last one. */
export const MAX_PROBLEMS = 50
