/**
 * The unit-list parsers against hostile input (fast-check): CSV fields holding the delimiter,
 * quotes, line breaks and any Unicode come back exactly as written; unit names of any text are kept
 * as written (trimmed and NFC-composed), never mistaken for codes or types; and no value at all,
 * however malformed, makes a parser throw instead of reporting problems.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseMerges, parseUnitsNew, parseUnitsOld } from '../../src/domain/unitImport/json.ts'
import { parseCsv, parseStatsRows } from '../../src/domain/unitImport/stats.ts'

const HEADER = ['Tỉnh / Thành phố', 'Mã TP', 'Quận Huyện', 'Mã QH', 'Phường Xã', 'Mã PX', 'Cấp']

const quote = (field: string) => `"${field.replaceAll('"', '""')}"`
const record = (fields: readonly string[]) => `${fields.map(quote).join(',')}\r\n`

/** Text as a spreadsheet cell might hold it: anything, with the usual troublemakers mixed in. */
const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '"; DROP TABLE units; --',
    'a,b;c\r\nd',
    '""',
    '=1+1',
    '<script>alert(1)</script>',
    '\u202eRTL',
    'Xa\u0303 Ho\u0300a',
  ),
)

describe('unit lists with hostile text', () => {
  it('reads back every CSV field exactly as written (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellText, { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (rows) => {
          const parsed = parseCsv(record(HEADER) + rows.map(record).join(''))
          expect(parsed.slice(1)).toEqual(rows)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps any commune name as written, trimmed and composed (fast-check)', () => {
    fc.assert(
      fc.property(
        cellText.filter((name) => name.normalize('NFC').trim() !== ''),
        (name) => {
          const result = parseStatsRows([HEADER, ['Tỉnh Thử', '42', '', '', name, '42001', 'Xã']])
          expect(result.ok).toBe(true)
          if (!result.ok) return
          const commune = result.value.units.find((unit) => unit.code === '42001')
          expect(commune?.name).toBe(name.normalize('NFC').trim())
          expect(commune?.kind).toBe('commune')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('refuses a row whose code or type is not one, naming the row (fast-check)', () => {
    fc.assert(
      fc.property(
        cellText.filter((code) => !/^\d{1,5}$/.test(code.trim())),
        (code) => {
          const result = parseStatsRows([HEADER, ['Tỉnh Thử', '42', '', '', 'Xã A', code, 'Xã']])
          expect(result.ok).toBe(false)
          if (!result.ok) expect(result.errors[0]?.path).toBe('row 2')
        },
      ),
      { numRuns: 200 },
    )
  })

  it('never throws on any JSON or any sheet, only reports problems (fast-check)', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true }),
    )
    fc.assert(
      fc.property(value, (input) => {
        for (const parse of [parseUnitsNew, parseUnitsOld, (v: unknown) => parseMerges(v)]) {
          const result = parse(input)
          if (!result.ok) expect(result.errors.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(cellText, fc.integer(), fc.boolean(), fc.constant(null))), {
          maxLength: 5,
        }),
        (rows) => {
          const result = parseStatsRows([HEADER, ...rows])
          if (!result.ok) expect(result.errors.length).toBeGreaterThan(0)
        },
      ),
      { numRuns: 300 },
    )
  })
})
