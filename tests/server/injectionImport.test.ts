/**
 * Hostile text in what an admin imports, on both backends: unit names in the statistics office's
 * list as CSV and as XLSX come back exactly as the file says (trimmed and NFC-composed) or the
 * whole file is refused with nothing written; hostile codes are refused; file names reach the audit
 * log exactly as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSheet } from 'read-excel-file/node'
import writeXlsxFile from 'write-excel-file/node'
import { isStorableText } from '../../src/domain/text.ts'
import { changedTables } from './dbSnapshot.ts'
import { BACKENDS } from './helpers.ts'
import { expect4xx, openHostileApi, SLOW, type HostileApi } from './hostileApi.ts'
import { HOSTILE_STRINGS } from './schemaArbitrary.ts'

const STRINGS = HOSTILE_STRINGS

/** What a file's bytes say: an unpaired surrogate in a JSON string becomes U+FFFD once encoded. */
const asFileText = (text: string) => Buffer.from(text, 'utf8').toString('utf8')

describe.each(BACKENDS)('hostile text in imports on %s', (backend) => {
  let api: HostileApi
  let call: HostileApi['call']
  let only: HostileApi['only']
  let reader: HostileApi['reader']

  beforeAll(async () => {
    api = await openHostileApi(backend)
    ;({ call, only, reader } = api)
  })
  afterAll(async () => api?.dispose())

  const statsCsv = (code: string, name: string) =>
    'Tỉnh / Thành phố,Mã TP,Quận Huyện,Mã QH,Phường Xã,Mã PX,Cấp\r\n' +
    `Tỉnh Thử,42,,,"${name.replaceAll('"', '""')}",${code},Xã\r\n`

  async function importStats(
    fileName: string,
    content: string,
    encoding: 'text' | 'base64' = 'text',
  ) {
    return call('POST', '/api/admin/units/import', {
      format: 'stats',
      fileName,
      content,
      encoding,
      effectiveDate: '2030-01-01',
    })
  }

  async function unitName(code: string): Promise<string | undefined> {
    const units: { code: string; name: string }[] = (await call('GET', '/api/units')).json().units
    return units.find((unit) => unit.code === code)?.name
  }

  /** A one-commune XLSX list, and the name as a spreadsheet reader reads it back (if it can). */
  async function xlsxFile(code: string, name: string) {
    const rows = [
      ['Tỉnh / Thành phố', 'Mã TP', 'Phường Xã', 'Mã PX', 'Cấp'],
      ['Tỉnh Thử', '42', name, code, 'Xã'],
    ]
    const buffer = await writeXlsxFile(
      rows.map((row) => row.map((value) => ({ value }))),
    ).toBuffer()
    const read = await readSheet(buffer).catch(() => null)
    const cell = read?.[1]?.[2]
    return { buffer, name: typeof cell === 'string' ? cell : null }
  }

  it(
    'imports unit names from CSV and XLSX exactly as the file says, or refuses the file',
    async () => {
      let imported = 0
      for (const [i, text] of STRINGS.entries()) {
        const csvCode = `42${String(100 + i).padStart(3, '0')}`
        const xlsxCode = `42${String(500 + i).padStart(3, '0')}`
        const xlsx = await xlsxFile(xlsxCode, text)
        const files = [
          {
            file: 'hostile.csv',
            content: statsCsv(csvCode, text),
            encoding: 'text',
            code: csvCode,
            said: asFileText(text),
          },
          {
            file: 'hostile.xlsx',
            content: xlsx.buffer.toString('base64'),
            encoding: 'base64',
            code: xlsxCode,
            said: xlsx.name,
          },
        ] as const
        for (const { file, content, encoding, code, said } of files) {
          const before = await reader.snapshot()
          const response = await importStats(file, content, encoding)
          const changed = changedTables(before, await reader.snapshot())
          if (response.statusCode === 200) {
            imported += 1
            expect(await unitName(code), `${file} ${i}`).toBe(said?.normalize('NFC').trim())
          } else {
            // A name the store would not keep as it is (NUL), or blank once trimmed.
            expect4xx(response, `${file} name ${i}`)
            expect(changed, `${file} ${i}`).toEqual([])
            const name = said?.normalize('NFC').trim() ?? ''
            expect(name === '' || !isStorableText(name), `${file} ${i} refused`).toBe(true)
          }
        }
      }
      expect(imported).toBeGreaterThan(STRINGS.length)
    },
    SLOW,
  )

  it(
    'refuses hostile unit codes and writes nothing',
    async () => {
      for (const text of STRINGS.filter((s) => !/^\d{5}$/.test(s.trim()))) {
        await only([], `code ${text.slice(0, 20)}`, async () => {
          expect4xx(
            await importStats('codes.csv', statsCsv(text.replaceAll(',', ';'), 'Xã Thử')),
            'code',
          )
          const json = JSON.stringify([{ Code: text, FullName: 'Tỉnh Thử', Wards: [] }])
          expect4xx(
            await call('POST', '/api/admin/units/import', {
              format: 'units-new',
              fileName: 'u.json',
              content: json,
              encoding: 'text',
              effectiveDate: '2030-01-01',
            }),
            'units-new code',
          )
        })
      }
    },
    SLOW,
  )

  it(
    'keeps file names in the audit log exactly as sent, or refuses them',
    async () => {
      for (const text of STRINGS.filter((s) => s.length >= 1 && s.length <= 200)) {
        const refused = !isStorableText(text)
        await only(
          refused ? [] : ['audit_log', 'counters'],
          `file name ${text.slice(0, 20)}`,
          async () => {
            const response = await call('POST', '/api/admin/units/import', {
              format: 'merges',
              fileName: text,
              content: '{"data":[]}',
              encoding: 'text',
            })
            if (refused) return expect4xx(response, 'file name')
            expect(response.statusCode, response.body).toBe(200)
            const events = (await call('GET', '/api/admin/audit?limit=1')).json().events
            expect(events[0]?.target).toBe(text)
          },
        )
      }
    },
    SLOW,
  )
})
