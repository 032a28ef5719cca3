// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { csvField, csvValue, neutralizeFormula, toCsv } from '../../../src/app/export/csv.ts'
import { makeTable } from './builders.ts'

describe('toCsv', () => {
  it('writes a BOM, a header of labels and CRLF-ended rows with machine-readable numbers', () => {
    const text = toCsv([makeTable()])
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.slice(1).split('\r\n')).toEqual([
      'Đơn vị,Hồ sơ tiếp nhận,Tỷ lệ số hoá (%),Điểm 766',
      'Xã Thạch Lạc,96688,74.16,10',
      // The rate rounds as the screen does (57,53%), the quoted name keeps its comma and quotes.
      '"Phường ""Bắc"", Hà Tĩnh",1234567,57.53,7.19',
      `"'=HYPERLINK(""http://x"")",0,,`,
      '',
    ])
    expect(text.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('separates several tables by an empty line, each under its title', () => {
    const text = toCsv([makeTable(), makeTable({ id: 'b', title: 'Khác', rows: [] })])
    const lines = text.slice(1).split('\r\n')
    expect(lines[0]).toBe('Theo đơn vị')
    expect(lines[1]).toBe('Đơn vị,Hồ sơ tiếp nhận,Tỷ lệ số hoá (%),Điểm 766')
    expect(lines.slice(5, 8)).toEqual([
      '',
      'Khác',
      'Đơn vị,Hồ sơ tiếp nhận,Tỷ lệ số hoá (%),Điểm 766',
    ])
  })

  it('keeps a label that already says (%)', () => {
    const table = makeTable({ columns: [{ key: 'rate', label: 'Tỷ lệ (%)', kind: 'rate' }] })
    expect(toCsv([table]).split('\r\n')[0]).toBe('\uFEFFTỷ lệ (%)')
  })
})

describe('cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+84 912', "'+84 912"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['Xã An Lạc', 'Xã An Lạc'],
    ['Xã A-B', 'Xã A-B'],
  ])('neutralizes a formula in %j', (input, output) => {
    expect(neutralizeFormula(input)).toBe(output)
  })

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('line\nbreak')).toBe('"line\nbreak"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
  })

  it('writes counts without grouping and rates with two decimals and a dot', () => {
    expect(csvValue(96688, { key: 'n', label: 'n', kind: 'count' })).toBe('96688')
    expect(csvValue(1, { key: 'r', label: 'r', kind: 'rate' })).toBe('100.00')
    expect(csvValue(0, { key: 'r', label: 'r', kind: 'rate' })).toBe('0.00')
    expect(csvValue(null, { key: 'r', label: 'r', kind: 'rate' })).toBe('')
    expect(csvValue(Number.NaN, { key: 'n', label: 'n', kind: 'count' })).toBe('')
  })
})
