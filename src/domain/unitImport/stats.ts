/**
 * The statistics office's list as a spreadsheet (XLSX read on the server, or CSV): one row per
 * commune with the columns `Tỉnh / Thành phố, Mã TP, Quận Huyện, Mã QH, Phường Xã, Mã PX, Cấp,
 * Tên Tiếng Anh`. After the reform the district columns are empty and communes hang off the province.
 */
import type { UnitType } from '../units.ts'
import {
  COMMUNE_TYPES,
  DISTRICT_PREFIXES,
  PROVINCE_PREFIXES,
  Problems,
  typeFromName,
} from './json.ts'
import type { ListedUnit, ParseResult, UnitList } from './types.ts'

export type Cell = string | number | boolean | null | undefined

/** RFC 4180 CSV (comma or semicolon, chosen from the first line), BOM and CRLF tolerated. */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const firstLine = source.slice(0, source.search(/\r?\n|$/))
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === delimiter) {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const COLUMNS = {
  provinceName: 'tỉnh / thành phố',
  provinceCode: 'mã tp',
  districtName: 'quận huyện',
  districtCode: 'mã qh',
  communeName: 'phường xã',
  communeCode: 'mã px',
  communeType: 'cấp',
  nameEn: 'tên tiếng anh',
} as const
type Column = keyof typeof COLUMNS
const REQUIRED: readonly Column[] = [
  'provinceName',
  'provinceCode',
  'communeName',
  'communeCode',
  'communeType',
]

function normalizeHeader(cell: Cell): string {
  return String(cell ?? '')
    .normalize('NFC')
    .toLocaleLowerCase('vi')
    .replace(/\s*\/\s*/g, ' / ')
    .replace(/\s+/g, ' ')
    .trim()
}

function cellText(cell: Cell): string {
  return String(cell ?? '')
    .normalize('NFC')
    .trim()
}

/** A code cell: spreadsheets often store "01" as the number 1, so digits are padded back. */
function cellCode(cell: Cell, digits: number): string {
  const value = cellText(cell)
  return /^\d+$/.test(value) && value.length < digits ? value.padStart(digits, '0') : value
}

/**
 * Rows as read from the sheet (the first row holding the column names is the header; rows are
 * numbered as the spreadsheet numbers them, from 1).
 */
export function parseStatsRows(rows: readonly (readonly Cell[])[]): ParseResult<UnitList> {
  const problems = new Problems()
  const headerIndex = rows.findIndex((row) =>
    row.some((cell) => normalizeHeader(cell) === COLUMNS.communeCode),
  )
  if (headerIndex < 0) {
    problems.add(
      'row 1',
      `không tìm thấy dòng tiêu đề (cần các cột ${Object.values(COLUMNS).join(', ')})`,
    )
    return problems.result({ units: [], provinces: [] })
  }
  const header = rows[headerIndex].map(normalizeHeader)
  const index = new Map<Column, number>()
  for (const [column, name] of Object.entries(COLUMNS)) {
    const at = header.indexOf(name)
    if (at >= 0 && isColumn(column)) index.set(column, at)
  }
  const missing = REQUIRED.filter((column) => !index.has(column))
  if (missing.length > 0) {
    problems.add(
      `row ${headerIndex + 1}`,
      `thiếu cột ${missing.map((column) => `"${COLUMNS[column]}"`).join(', ')}`,
    )
    return problems.result({ units: [], provinces: [] })
  }
  const get = (row: readonly Cell[], column: Column): Cell => {
    const at = index.get(column)
    return at === undefined ? undefined : row[at]
  }
  const units = new Map<string, { unit: ListedUnit; row: number }>()
  const provinces = new Set<string>()
  const put = (unit: ListedUnit, rowNumber: number, what: string) => {
    const known = units.get(unit.code)
    if (known === undefined) {
      units.set(unit.code, { unit, row: rowNumber })
      return
    }
    const same =
      known.unit.name === unit.name &&
      known.unit.kind === unit.kind &&
      known.unit.parentCode === unit.parentCode
    if (!same || unit.kind === 'commune')
      problems.add(
        `row ${rowNumber}`,
        unit.kind === 'commune'
          ? `${what} mã ${unit.code} bị trùng (đã có ở dòng ${known.row})`
          : `${what} mã ${unit.code} khác với dòng ${known.row} ("${known.unit.name}")`,
      )
  }
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r]
    const rowNumber = r + 1
    if (row.every((cell) => cellText(cell) === '')) continue
    const at = `row ${rowNumber}`
    const pCode = cellCode(get(row, 'provinceCode'), 2)
    const pName = cellText(get(row, 'provinceName'))
    const dCode = cellCode(get(row, 'districtCode'), 3)
    const dName = cellText(get(row, 'districtName'))
    const cCode = cellCode(get(row, 'communeCode'), 5)
    const cName = cellText(get(row, 'communeName'))
    const cTypeText = cellText(get(row, 'communeType'))
    const nameEn = cellText(get(row, 'nameEn'))
    let ok = true
    const fail = (message: string) => {
      problems.add(at, message)
      ok = false
    }
    if (!/^\d{2}$/.test(pCode)) fail(`mã tỉnh "${pCode}" phải gồm 2 chữ số`)
    const pType = typeFromName(pName, PROVINCE_PREFIXES)
    if (pType === null) fail(`tên tỉnh "${pName}" phải bắt đầu bằng "Tỉnh" hoặc "Thành phố"`)
    const hasDistrict = dCode !== '' || dName !== ''
    let dType: UnitType | null = null
    if (hasDistrict) {
      if (!/^\d{3}$/.test(dCode)) fail(`mã huyện "${dCode}" phải gồm 3 chữ số`)
      dType = typeFromName(dName, DISTRICT_PREFIXES)
      if (dType === null)
        fail(`tên huyện "${dName}" phải bắt đầu bằng "Huyện", "Quận", "Thị xã" hoặc "Thành phố"`)
    }
    if (!/^\d{5}$/.test(cCode)) fail(`mã xã "${cCode}" phải gồm 5 chữ số`)
    if (cName === '') fail('thiếu tên xã')
    const cType = COMMUNE_TYPES.find(
      (type) => type.toLocaleLowerCase('vi') === cTypeText.toLocaleLowerCase('vi'),
    )
    if (cType === undefined)
      fail(`cấp "${cTypeText}" không hợp lệ (cho phép: ${COMMUNE_TYPES.join(', ')})`)
    if (!ok || pType === null || cType === undefined) continue
    provinces.add(pCode)
    put(unit(pCode, pName, 'province', pType, null), rowNumber, 'tỉnh')
    if (hasDistrict && dType !== null)
      put(unit(dCode, dName, 'district', dType, pCode), rowNumber, 'huyện')
    put(
      unit(cCode, cName, 'commune', cType, hasDistrict ? dCode : pCode, nameEn || undefined),
      rowNumber,
      'xã',
    )
  }
  if (problems.empty && units.size === 0)
    problems.add(`row ${headerIndex + 2}`, 'tệp không có dòng dữ liệu nào')
  return problems.result({
    units: [...units.values()].map((entry) => entry.unit),
    provinces: [...provinces],
  })
}

function isColumn(value: string): value is Column {
  return value in COLUMNS
}

function unit(
  code: string,
  name: string,
  kind: 'province' | 'district' | 'commune',
  type: UnitType,
  parentCode: string | null,
  nameEn?: string,
): ListedUnit {
  return {
    code,
    name,
    ...(nameEn === undefined ? {} : { nameEn }),
    kind,
    type,
    level: kind,
    parentCode,
  }
}
