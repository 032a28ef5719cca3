/** The zip-bomb guard in front of read-excel-file: what an archive really unpacks to, not what it says. */
import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import writeXlsxFile from 'write-excel-file/node'
import { unpacksWithin } from '../../src/server/unitFiles.ts'

const bytes = (length: number, fill = 0x61) => new Uint8Array(length).fill(fill)

describe('unpacksWithin', () => {
  it('counts every entry together, to the byte', () => {
    const archive = zipSync({ 'a.xml': bytes(600), 'b/c.xml': bytes(400), 'empty.xml': bytes(0) })
    expect(unpacksWithin(archive, 1000)).toBe(true)
    expect(unpacksWithin(archive, 999)).toBe(false)
  })

  it('counts stored (uncompressed) entries and deflated ones alike', () => {
    const archive = zipSync({
      'stored.xml': [bytes(700), { level: 0 }],
      'deflated.xml': bytes(700),
    })
    expect(unpacksWithin(archive, 1400)).toBe(true)
    expect(unpacksWithin(archive, 1399)).toBe(false)
  })

  it('stops a bomb whose compressed size says nothing of what it holds', () => {
    const bomb = zipSync({ 'sheet.xml': [bytes(32 * 1024 * 1024, 0x20), { level: 9 }] })
    expect(bomb.length).toBeLessThan(64 * 1024)
    expect(unpacksWithin(bomb, 16 * 1024 * 1024)).toBe(false)
  })

  it('lets a real workbook through', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [
      { value: `Xã Thử ${i}` },
      { value: String(10000 + i) },
    ])
    const xlsx = await writeXlsxFile(rows).toBuffer()
    expect(unpacksWithin(xlsx)).toBe(true)
  })
})
