/**
 * Reads an uploaded or local unit file into a ParsedImport: JSON formats, and the statistics office's
 * list as CSV or XLSX (read with read-excel-file's Node entry; never part of the app bundle).
 */
import { readSheet } from 'read-excel-file/node'
import { parseMerges, parseUnitsNew, parseUnitsOld } from '../domain/unitImport/json.ts'
import { parseCsv, parseStatsRows, type Cell } from '../domain/unitImport/stats.ts'
import {
  DEFAULT_EFFECTIVE_DATE,
  type ImportProblem,
  type ParsedImport,
  type ParseResult,
  type UnitImportFormat,
} from '../domain/unitImport/types.ts'

export interface ImportFile {
  format: UnitImportFormat
  fileName: string
  content: Buffer
  effectiveDate?: string
}

export type ReadImport =
  { ok: true; effectiveDate: string; parsed: ParsedImport } | { ok: false; errors: ImportProblem[] }

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  // Month 13 is an Invalid Date, whose toISOString throws; February 30 rolls over to March.
  const time = Date.parse(`${value}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value
}

/** XLSX files are ZIP archives: "PK\x03\x04". */
function isZip(content: Buffer): boolean {
  return content.length > 4 && content[0] === 0x50 && content[1] === 0x4b
}

function toCell(value: unknown): Cell {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value
  return null
}

async function statsRows(
  file: ImportFile,
): Promise<{ rows: Cell[][] } | { errors: ImportProblem[] }> {
  if (isZip(file.content)) {
    try {
      const sheet = await readSheet(file.content)
      return { rows: sheet.map((row) => row.map(toCell)) }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return {
        errors: [{ path: file.fileName, message: `không đọc được tệp Excel (.xlsx): ${reason}` }],
      }
    }
  }
  return { rows: parseCsv(file.content.toString('utf8')) }
}

function parseJson(
  file: ImportFile,
): { ok: true; value: unknown } | { ok: false; errors: ImportProblem[] } {
  try {
    const text = file.content.toString('utf8')
    return { ok: true, value: JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { ok: false, errors: [{ path: '$', message: `tệp không phải JSON hợp lệ: ${reason}` }] }
  }
}

function units<T>(
  result: ParseResult<T>,
  wrap: (value: T) => ParsedImport,
): ParseResult<ParsedImport> {
  return result.ok ? { ok: true, value: wrap(result.value) } : result
}

/** Parses and validates everything; nothing is written here. */
export async function readImportFile(file: ImportFile): Promise<ReadImport> {
  const effectiveDate = file.effectiveDate ?? DEFAULT_EFFECTIVE_DATE[file.format]
  if (effectiveDate === null)
    return {
      ok: false,
      errors: [
        { path: 'effectiveDate', message: 'cần ngày hiệu lực (YYYY-MM-DD) cho danh mục này' },
      ],
    }
  if (!isIsoDate(effectiveDate))
    return {
      ok: false,
      errors: [
        {
          path: 'effectiveDate',
          message: `ngày hiệu lực "${effectiveDate}" không hợp lệ (YYYY-MM-DD)`,
        },
      ],
    }
  let result: ParseResult<ParsedImport>
  if (file.format === 'stats') {
    const read = await statsRows(file)
    if ('errors' in read) return { ok: false, errors: read.errors }
    result = units(parseStatsRows(read.rows), (list) => ({ kind: 'units', list }))
  } else {
    const json = parseJson(file)
    if (!json.ok) return json
    if (file.format === 'units-old')
      result = units(parseUnitsOld(json.value), (list) => ({ kind: 'units', list }))
    else if (file.format === 'units-new')
      result = units(parseUnitsNew(json.value), (list) => ({ kind: 'units', list }))
    else
      result = units(parseMerges(json.value, effectiveDate), (links) => ({ kind: 'links', links }))
  }
  return result.ok ? { ok: true, effectiveDate, parsed: result.value } : result
}
