import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseMerges, parseUnitsNew, parseUnitsOld } from '../../src/domain/unitImport/json.ts'
import { activeCounts, dayBefore, planUnitImport } from '../../src/domain/unitImport/plan.ts'
import { parseCsv, parseStatsRows } from '../../src/domain/unitImport/stats.ts'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'units')
const json = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))
const text = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

describe('unit list parsers', () => {
  it('reads the three-level list with types and parents', () => {
    const result = parseUnitsOld(json('units-old.json'))
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.value.provinces).toBe('all')
    expect(result.value.units.find((u) => u.code === '18007')).toEqual({
      code: '18007',
      name: 'Thị trấn Đồi Xanh',
      kind: 'commune',
      type: 'Thị trấn',
      level: 'commune',
      parentCode: '436',
    })
  })

  it('names the JSON path of every bad unit', () => {
    const value = json('units-old.json')
    const bad = JSON.parse(
      JSON.stringify(value).replace('"18013"', '"1801"').replace('"Thị xã"', '"Làng"'),
    )
    const result = parseUnitsOld(bad)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors).toEqual([
      { path: 'data[0].level2s[1].type', message: expect.stringContaining('"Làng" không hợp lệ') },
      {
        path: 'data[0].level2s[1].level3s[1].level3_id',
        message: 'mã "1801" phải gồm 5 chữ số',
      },
    ])
    const duplicate = JSON.parse(JSON.stringify(value).replace('"18004"', '"18001"'))
    const dup = parseUnitsOld(duplicate)
    expect(dup.ok ? [] : dup.errors).toEqual([
      {
        path: 'data[0].level2s[0].level3s[1]',
        message: 'mã 18001 bị trùng (đã có ở data[0].level2s[0].level3s[0])',
      },
    ])
    expect(parseUnitsOld([])).toMatchObject({ ok: true })
    expect(parseUnitsOld('x')).toMatchObject({ ok: false, errors: [{ path: '$' }] })
  })

  it('reads the two-level list: types from the full name, communes under the province', () => {
    const result = parseUnitsNew(json('units-new.json'))
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.value.units.map((u) => [u.code, u.type, u.parentCode])).toEqual([
      ['42', 'Tỉnh', null],
      ['18001', 'Xã', '42'],
      ['18010', 'Phường', '42'],
      ['44', 'Tỉnh', null],
      ['19001', 'Phường', '44'],
    ])
    const bad = parseUnitsNew([
      {
        Code: '42',
        FullName: 'Hà Tĩnh',
        Wards: [{ Code: '18001', FullName: 'Xã A', ProvinceCode: '44' }],
      },
    ])
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual([
      '[0].FullName',
      '[0].Wards[0].ProvinceCode',
    ])
  })

  it('reads the merge mapping, full and partial, dated', () => {
    const result = parseMerges(json('merges.json'), '2025-07-01')
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.value.filter((l) => l.oldCode === '18007')).toEqual([
      { newCode: '18001', oldCode: '18007', kind: 'partial', date: '2025-07-01' },
      { newCode: '18010', oldCode: '18007', kind: 'partial', date: '2025-07-01' },
    ])
    const bad = parseMerges({
      data: [{ level1_id: '42', merges: [{ old_id: '42', type: 'half' }] }],
    })
    expect(bad.ok ? [] : bad.errors).toEqual([
      { path: 'data[0].merges[0].type', message: '"type" phải là "full" hoặc "partial"' },
    ])
  })

  it('parses CSV with quotes, CRLF, a BOM and semicolons', () => {
    expect(parseCsv('\uFEFFa,"b, c","d ""e"""\r\n1,2,3\r\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ])
    expect(parseCsv('a;b\n1;2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('reads the statistics list and names every bad row', () => {
    const good = parseStatsRows(parseCsv(text('stats-42.csv')))
    if (!good.ok) throw new Error(JSON.stringify(good.errors))
    expect(good.value.provinces).toEqual(['42'])
    expect(good.value.units).toHaveLength(1 + 2 + 5)
    expect(good.value.units.find((u) => u.code === '437')).toMatchObject({
      type: 'Thị xã',
      parentCode: '42',
    })
    const bad = parseStatsRows(parseCsv(text('stats-bad.csv')))
    expect(bad.ok ? [] : bad.errors).toEqual([
      { path: 'row 3', message: 'mã xã "180040" phải gồm 5 chữ số' },
      { path: 'row 4', message: 'cấp "Ấp" không hợp lệ (cho phép: Xã, Phường, Thị trấn, Đặc khu)' },
    ])
    expect(parseStatsRows([['a', 'b']])).toMatchObject({ ok: false, errors: [{ path: 'row 1' }] })
  })

  it('plans "as of D": unchanged, new versions, closures; planning the result again is empty', () => {
    const old = parseUnitsOld(json('units-old.json'))
    const next = parseUnitsNew(json('units-new.json'))
    if (!old.ok || !next.ok) throw new Error('fixtures')
    const first = planUnitImport([], old.value, '2020-01-01')
    const second = planUnitImport(first.after, next.value, '2025-07-01')
    expect(activeCounts(second.after, dayBefore('2025-07-01'))).toEqual({
      province: 2,
      district: 3,
      commune: 7,
    })
    expect(activeCounts(second.after, '2025-07-01')).toEqual({
      province: 2,
      district: 0,
      commune: 3,
    })
    const again = planUnitImport(second.after, next.value, '2025-07-01')
    expect([again.upserts, again.closes, again.deletes]).toEqual([[], [], []])
    expect(dayBefore('2025-03-01')).toBe('2025-02-28')
  })
})
