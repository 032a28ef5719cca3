/**
 * Reads an uploaded or local unit file into a ParsedImport: JSON formats, and the statistics office's
 * list as CSV or XLSX (read with read-excel-file's Node entry; never part of the app bundle).
 */
import { Unzip, UnzipInflate } from 'fflate'
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

/**
 * The most an XLSX may unpack to. The statistics office's whole-country list (10,047 communes) is a
 * few MiB of sheet XML; a zip bomb within the 20 MiB upload limit would unpack to gigabytes.
 */
export const XLSX_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
/** Compressed bytes inflated per step: at DEFLATE's ~1,000:1 ceiling, ~16 MiB of output at most. */
const INFLATE_STEP = 16 * 1024

/**
 * Whether every entry of the archive together unpacks to at most `limit` bytes. Inflates and counts
 * in small steps, keeping nothing, so a zip bomb is stopped before read-excel-file unpacks it whole;
 * the sizes an archive declares are not trusted.
 */
export function unpacksWithin(content: Uint8Array, limit = XLSX_MAX_UNPACKED_BYTES): boolean {
  let unpacked = 0
  const unzip = new Unzip((file) => {
    file.ondata = (error, chunk) => {
      if (error) throw error
      unpacked += chunk.length
    }
    file.start()
  })
  unzip.register(UnzipInflate)
  for (let at = 0; at < content.length && unpacked <= limit; at += INFLATE_STEP) {
    const end = Math.min(at + INFLATE_STEP, content.length)
    unzip.push(content.subarray(at, end), end === content.length)
  }
  return unpacked <= limit
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
      if (!unpacksWithin(file.content))
        return {
          errors: [
            {
              path: file.fileName,
              message: `tệp Excel (.xlsx) giải nén ra quá ${XLSX_MAX_UNPACKED_BYTES / 1024 / 1024} MiB: không phải danh mục đơn vị`,
            },
          ],
        }
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
