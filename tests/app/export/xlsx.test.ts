// @vitest-environment node
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { sheetNames, toXlsx, XLSX_MIME } from '../../../src/app/export/xlsx.ts'
import { makeTable } from './builders.ts'

interface ParsedCell {
  ref: string
  style: number
  value: string | number
}

/** Reads a workbook back: sheet names, shared strings and the cells of each sheet, with styles. */
async function readWorkbook(blob: Blob) {
  const files = unzipSync(new Uint8Array(await blob.arrayBuffer()))
  const text = (name: string) => {
    const file = files[name]
    if (!file) throw new Error(`missing ${name}`)
    return strFromU8(file)
  }
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  const strings = [...text('xl/sharedStrings.xml').matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((m) =>
    decode(m[1]!),
  )
  const names = [...text('xl/workbook.xml').matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) =>
    decode(m[1]!),
  )
  const styles = text('xl/styles.xml')
  const formats = new Map(
    [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]+)"/g)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  )
  const xfs = [...styles.split('<cellXfs')[1]!.matchAll(/<xf ([^>]*)>/g)].map((m) => m[1]!)
  const styleOf = (index: number) => {
    const xf = xfs[index] ?? ''
    const fontId = /fontId="(\d+)"/.exec(xf)?.[1]
    const fonts = [...styles.matchAll(/<font>(.*?)<\/font>/g)].map((m) => m[1]!)
    return {
      format: formats.get(/numFmtId="(\d+)"/.exec(xf)?.[1] ?? '') ?? null,
      bold: fontId !== undefined && (fonts[Number(fontId)] ?? '').includes('<b/>'),
    }
  }
  const sheets = names.map((_, i) => {
    const xml = text(`xl/worksheets/sheet${i + 1}.xml`)
    const cells: ParsedCell[] = [
      ...xml.matchAll(/<c r="([A-Z]+\d+)" s="(\d+)"( t="s")?>(?:<v>([^<]*)<\/v>)?<\/c>/g),
    ].map((m) => ({
      ref: m[1]!,
      style: Number(m[2]),
      value: m[3] ? strings[Number(m[4])]! : Number(m[4]),
    }))
    const widths = [...xml.matchAll(/<col [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]))
    return { xml, cells, widths, cell: (ref: string) => cells.find((c) => c.ref === ref) }
  })
  return { names, sheets, styleOf }
}

describe('toXlsx', () => {
  it('writes one sheet per table with numeric cells, percent format and a bold header', async () => {
    const blob = await toXlsx([makeTable(), makeTable({ id: 'x', title: 'Tình hình báo cáo' })])
    expect(blob.type).toBe(XLSX_MIME)
    const book = await readWorkbook(blob)
    expect(book.names).toEqual(['Theo đơn vị', 'Tình hình báo cáo'])
    const sheet = book.sheets[0]!
    expect(sheet.cell('A1')?.value).toBe('Đơn vị')
    expect(sheet.cell('C1')?.value).toBe('Tỷ lệ số hoá (%)')
    expect(book.styleOf(sheet.cell('A1')!.style).bold).toBe(true)
    expect(sheet.cell('A2')?.value).toBe('Xã Thạch Lạc')
    expect(sheet.cell('B2')?.value).toBe(96688)
    expect(sheet.cell('C2')?.value).toBe(0.7416)
    expect(book.styleOf(sheet.cell('C2')!.style)).toEqual({ format: '0.00%', bold: false })
    expect(book.styleOf(sheet.cell('B2')!.style).format).toBe('#,##0')
    expect(sheet.cell('D3')?.value).toBe(7.1906)
    // Text stays text in a workbook: a would-be formula is a string cell, never a formula.
    expect(sheet.cell('A4')?.value).toBe('=HYPERLINK("http://x")')
    expect(sheet.xml).not.toContain('<f>')
    // A missing rate is an empty cell, not 0.
    expect(sheet.cell('C4')).toBeUndefined()
    // The header row is frozen and the unit column is wider than the numbers.
    expect(sheet.xml).toContain('state="frozen"')
    expect(sheet.widths[0]).toBeGreaterThan(sheet.widths[2]!)
  })
})

describe('sheetNames', () => {
  it('drops characters Excel refuses, cuts at 31 and keeps names apart', () => {
    expect(
      sheetNames([
        'Kỳ 1/2026: [tỉnh]',
        'A'.repeat(40),
        'A'.repeat(40),
        'theo đơn vị',
        'Theo đơn vị',
        '',
      ]),
    ).toEqual([
      'Kỳ 1 2026 tỉnh',
      'A'.repeat(31),
      `${'A'.repeat(27)} (2)`,
      'theo đơn vị',
      'Theo đơn vị (2)',
      'Sheet6',
    ])
  })
})
