import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import writeXlsxFile from 'write-excel-file/node'
import type { ImportResult } from '../../../src/domain/sync/protocol.ts'
import type { UnitImportFormat } from '../../../src/domain/unitImport/types.ts'
import { isActiveOn, type Unit } from '../../../src/domain/units.ts'
import type { Store } from '../../../src/server/store/store.ts'
import { readImportFile } from '../../../src/server/unitFiles.ts'
import { ROOT } from '../../e2e/harness.ts'
import { parseCsv } from '../../../src/domain/unitImport/stats.ts'
import { backends, useDb } from './backends.ts'

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'units')
const SHARED = join(ROOT, '..', 'shared', 'data')
const HAS_SHARED = existsSync(join(SHARED, 'units-2025-03-01.json'))

async function importFile(
  store: Store,
  format: UnitImportFormat,
  path: string,
  options: { effectiveDate?: string; dryRun?: boolean; content?: Buffer } = {},
): Promise<ImportResult> {
  const read = await readImportFile({
    format,
    fileName: path,
    content: options.content ?? (await readFile(path)),
    effectiveDate: options.effectiveDate,
  })
  if (!read.ok) throw new Error(JSON.stringify(read.errors))
  return store.importUnits({
    format,
    fileName: path,
    effectiveDate: read.effectiveDate,
    parsed: read.parsed,
    dryRun: options.dryRun ?? false,
    actor: 'admin',
  })
}

function active(units: readonly Unit[], date: string, kind: Unit['kind'], under?: string) {
  return units.filter(
    (u) =>
      u.kind === kind &&
      isActiveOn(u, date) &&
      (under === undefined || u.code.startsWith(under) || u.parentCode === under),
  ).length
}

const fixture = (name: string) => join(FIXTURES, name)

describe.each(backends())('$name store: unit imports', (backend) => {
  const db = useDb(backend)

  it('imports the old list, the new list and the mapping; a re-import changes nothing', async () => {
    const { store } = db()
    const old = await importFile(store, 'units-old', fixture('units-old.json'))
    expect(old.effectiveDate).toBe('2020-01-01')
    expect(old.units).toEqual({ added: 12, closed: 0, unchanged: 0 })
    expect(old.active.after).toEqual({ province: 2, district: 3, commune: 7 })

    const next = await importFile(store, 'units-new', fixture('units-new.json'))
    expect(next.effectiveDate).toBe('2025-07-01')
    // 18001 keeps its name but now hangs off the province: a new version. 44 is renamed.
    expect(next.units).toEqual({ added: 4, closed: 7, unchanged: 1 })
    expect(next.active).toEqual({
      before: { province: 2, district: 3, commune: 7 },
      after: { province: 2, district: 0, commune: 3 },
    })
    const units = await store.listUnits()
    expect(units.find((u) => u.code === '18001' && u.validFrom === '2020-01-01')).toMatchObject({
      validTo: '2025-07-01',
      parentCode: '436',
    })
    expect(units.find((u) => u.code === '18001' && u.validFrom === '2025-07-01')).toMatchObject({
      validTo: null,
      parentCode: '42',
      nameEn: 'An Phu Commune',
    })
    expect(
      active(units, '2025-06-01', 'commune', '436') + active(units, '2025-06-01', 'commune', '437'),
    ).toBe(5)
    expect(active(units, '2025-07-01', 'commune', '42')).toBe(2)

    const links = await importFile(store, 'merges', fixture('merges.json'))
    expect(links.links).toEqual({ added: 10, unchanged: 0 })
    expect(await store.listLinks()).toContainEqual({
      newCode: '18010',
      oldCode: '18007',
      kind: 'partial',
      date: '2025-07-01',
    })

    const before = await store.listUnits()
    expect((await importFile(store, 'units-old', fixture('units-old.json'))).units).toEqual({
      added: 0,
      closed: 0,
      unchanged: 12,
    })
    expect((await importFile(store, 'units-new', fixture('units-new.json'))).units).toEqual({
      added: 0,
      closed: 0,
      unchanged: 5,
    })
    expect((await importFile(store, 'merges', fixture('merges.json'))).links).toEqual({
      added: 0,
      unchanged: 10,
    })
    expect(await store.listUnits()).toEqual(before)
    expect(await store.listLinks()).toHaveLength(10)
  })

  it('a dry run counts and writes nothing', async () => {
    const { store } = db()
    const result = await importFile(store, 'units-old', fixture('units-old.json'), { dryRun: true })
    expect(result).toMatchObject({ dryRun: true, units: { added: 12 } })
    expect(result.active.after).toEqual({ province: 2, district: 3, commune: 7 })
    expect(await store.listUnits()).toEqual([])
    expect(await store.listAudit(10)).toEqual([])
  })

  it('imports the statistics list from CSV and from XLSX alike, closing only in its provinces', async () => {
    const { store } = db()
    await importFile(store, 'units-old', fixture('units-old.json'))
    // The same province, one commune gone and one renamed, as of 2024-01-01.
    const rows = parseCsv(await readFile(fixture('stats-42.csv'), 'utf8'))
    const changed = rows.filter((row) => row[5] !== '18004')
    const renamed = changed.map((row) => (row[5] === '18013' ? row.with(4, 'Xã Cẩm Hà Mới') : row))
    const xlsx = await writeXlsxFile(
      // Codes as numbers, as spreadsheets often keep them: leading zeros are restored.
      renamed.map((row, i) =>
        row.map((cell, c) => ({ value: i > 0 && c === 1 ? Number(cell) : cell })),
      ),
    ).toBuffer()
    const fromXlsx = await importFile(store, 'stats', 'stats-42.xlsx', {
      effectiveDate: '2024-01-01',
      content: xlsx,
    })
    expect(fromXlsx.units).toEqual({ added: 1, closed: 1, unchanged: 6 })
    const units = await store.listUnits()
    expect(active(units, '2024-01-01', 'commune')).toBe(6)
    // Province 44 is not in the file: untouched.
    expect(active(units, '2024-01-01', 'commune', '450')).toBe(2)

    // The CSV as it stands states the 2024 list again: 18004 reopens, 18013 gets its name back.
    const fromCsv = await importFile(store, 'stats', fixture('stats-42.csv'), {
      effectiveDate: '2024-01-01',
    })
    expect(fromCsv.units).toEqual({ added: 2, closed: 0, unchanged: 6 })
    const again = await store.listUnits()
    expect(
      again.filter((u) => u.code === '18013').map((u) => [u.validFrom, u.validTo, u.name]),
    ).toEqual([
      ['2020-01-01', '2024-01-01', 'Xã Cẩm Hà'],
      ['2024-01-01', null, 'Xã Cẩm Hà'],
    ])
    expect(again.find((u) => u.code === '18013' && u.validFrom === '2024-01-01')?.nameEn).toBe(
      'Cam Ha, Song Lam',
    )
  })

  it('records each import in the audit log, newest first', async () => {
    const { store } = db()
    await importFile(store, 'units-old', fixture('units-old.json'))
    await importFile(store, 'merges', fixture('merges.json'))
    const events = await store.listAudit(10)
    expect(events.map((e) => [e.actor, e.action, e.target.endsWith('merges.json')])).toEqual([
      ['admin', 'units.import', true],
      ['admin', 'units.import', false],
    ])
    expect(JSON.parse(events[1].detail)).toMatchObject({
      format: 'units-old',
      units: { added: 12 },
    })
    expect(await store.listAudit(1)).toHaveLength(1)
  })

  it.skipIf(!HAS_SHARED)(
    'imports the official lists: 63/696/10,047 before the reform, 34/3,321 after',
    { timeout: 120_000 },
    async () => {
      const { store } = db()
      await importFile(store, 'units-old', join(SHARED, 'units-2025-03-01.json'))
      const result = await importFile(store, 'units-new', join(SHARED, 'units-2026-07-25.json'))
      expect(result.active).toEqual({
        before: { province: 63, district: 696, commune: 10_047 },
        after: { province: 34, district: 0, commune: 3_321 },
      })
      const merges = await importFile(store, 'merges', join(SHARED, 'units-2025-07-01-merges.json'))
      expect(merges.links.added).toBeGreaterThan(10_000)
      const units = await store.listUnits()
      const byCode = new Map(
        units.filter((u) => isActiveOn(u, '2025-06-01')).map((u) => [u.code, u]),
      )
      const inHaTinhBefore = units.filter(
        (u) =>
          u.kind === 'commune' &&
          isActiveOn(u, '2025-06-01') &&
          byCode.get(u.parentCode ?? '')?.parentCode === '42',
      )
      expect(inHaTinhBefore).toHaveLength(210)
      expect(active(units, '2025-07-01', 'commune', '42')).toBe(69)

      const again = [
        await importFile(store, 'units-old', join(SHARED, 'units-2025-03-01.json')),
        await importFile(store, 'units-new', join(SHARED, 'units-2026-07-25.json')),
        await importFile(store, 'merges', join(SHARED, 'units-2025-07-01-merges.json')),
      ]
      expect(again.map((r) => [r.units.added, r.units.closed, r.links.added])).toEqual([
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ])
      expect(await store.listUnits()).toEqual(units)
    },
  )
})
