/**
 * Reading what the app hands over as a download, for the browser tests of the dashboard and the
 * report: the file behind a button, its CSV records (see src/app/export/csv.ts) and a PNG's size.
 */
import { readFile } from 'node:fs/promises'
import type { Download, Locator, Page } from 'playwright-core'

/** Taps the button named `name` (in `within`, the whole page by default) and waits for its file. */
export async function downloadFrom(
  page: Page,
  name: string,
  within: Page | Locator = page,
): Promise<{ download: Download; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    within.getByRole('button', { name, exact: true }).click(),
  ])
  const path = await file.path()
  return { download: file, bytes: await readFile(path) }
}

/** A screen cell as the CSV writes it: 96.688 → 96688, 74,16% → 74.16, 9,43 → 9.43, – → empty. */
export function asCsv(text: string): string {
  if (text === '–') return ''
  if (/^[\d.]+(,\d+)?%?$/u.test(text))
    return text.replace(/\./gu, '').replace(',', '.').replace('%', '')
  return text
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"'
      i += 1
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && c === ',') {
      record.push(field)
      field = ''
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += 1
    } else {
      field += c
    }
  }
  return records
}

/** A table of a CSV export: the title row's text, then the header row and the data rows. */
export interface CsvSection {
  title: string
  header: string[]
  rows: string[][]
}

/**
 * The tables of a multi-table CSV export: UTF-8 with a byte order mark and CRLF line ends, each
 * table a title row, a header row and its rows, tables separated by an empty line. Throws when the
 * bytes are not laid out so.
 */
export function csvSections(bytes: Buffer): CsvSection[] {
  if (bytes[0] !== 0xef || bytes[1] !== 0xbb || bytes[2] !== 0xbf) {
    throw new Error('The CSV has no UTF-8 byte order mark')
  }
  const text = bytes.toString('utf8').slice(1)
  if (!text.endsWith('\r\n')) throw new Error('The CSV does not end with CRLF')
  const groups: string[][][] = [[]]
  for (const record of parseCsv(text)) {
    if (record.length === 1 && record[0] === '') groups.push([])
    else groups.at(-1)!.push(record)
  }
  return groups.map(([title, header, ...rows]) => {
    if (!title || title.length !== 1 || !header) throw new Error('A CSV section has no title')
    return { title: title[0]!, header, rows }
  })
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The pixel size a PNG declares in its IHDR chunk; null when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length < 24) return null
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return null
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') return null
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}
