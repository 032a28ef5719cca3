import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { getMeta, setMeta } from '../../../src/app/db/meta.ts'
import {
  chooseUnitIfNone,
  hasUnits,
  listUnits,
  putUnits,
  storeServerUnits,
  unitByCode,
} from '../../../src/app/db/units.ts'
import { listLinks } from '../../../src/app/db/links.ts'
import { dropDb, makeUnit, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

// One code naming two units: a ward before the 2025 reform and the merged ward after it.
const before = makeUnit({
  name: 'Phường Phúc Xá',
  parentCode: '001',
  validFrom: '2008-08-01',
  validTo: '2025-07-01',
})
const after = makeUnit({ name: 'Phường Ba Đình' })

describe('units', () => {
  it('keeps every version of a code and finds the one valid in a month', async () => {
    await putUnits(db, [after, before, makeUnit({ code: '00007', name: 'Phường Ngọc Hà' })])

    expect(await listUnits(db)).toHaveLength(3)
    expect((await unitByCode(db, '00004', '2025-06'))?.name).toBe('Phường Phúc Xá')
    expect((await unitByCode(db, '00004', '2025-07'))?.name).toBe('Phường Ba Đình')
    expect((await unitByCode(db, '00004'))?.name).toBe('Phường Ba Đình')
    expect(await unitByCode(db, '00004', '2000-01')).toBeUndefined()
    expect(await unitByCode(db, '00010')).toBeUndefined()
  })

  it('replaces a unit with the same code and start date', async () => {
    await putUnits(db, [after])
    await putUnits(db, [{ ...after, nameEn: 'Ba Dinh Ward' }])

    expect(await listUnits(db)).toEqual([{ ...after, nameEn: 'Ba Dinh Ward' }])
  })
})

describe('units from the server', () => {
  it('stores the list with its ETag, and forgets the ETag when none came', async () => {
    expect(await hasUnits(db)).toBe(false)
    await storeServerUnits(db, [makeUnit()], '"v1"')

    expect(await hasUnits(db)).toBe(true)
    expect(await getMeta(db, 'unitsEtag')).toBe('"v1"')
    await storeServerUnits(db, [makeUnit({ name: 'Phường Ba Đình mới' })], null)
    expect(await getMeta(db, 'unitsEtag')).toBeUndefined()
    expect((await listUnits(db)).map((unit) => unit.name)).toEqual(['Phường Ba Đình mới'])
  })

  it('replaces the stored links with the ones sent, and keeps them when none are sent', async () => {
    const merged = { newCode: '00004', oldCode: '00001', kind: 'full', date: '2025-07-01' } as const
    const split = {
      newCode: '00004',
      oldCode: '00007',
      kind: 'partial',
      date: '2025-07-01',
    } as const
    const gone = { newCode: '00010', oldCode: '00013', kind: 'full', date: '2025-07-01' } as const
    await storeServerUnits(db, [makeUnit()], '"v1"', [gone, split])
    await storeServerUnits(db, [makeUnit()], '"v2"', [merged, split])

    expect(await listLinks(db)).toEqual([merged, split])
    // A server before the reorganization links sends no list: what is stored stays.
    await storeServerUnits(db, [makeUnit()], '"v3"')
    expect(await listLinks(db)).toEqual([merged, split])
    await storeServerUnits(db, [makeUnit()], '"v4"', [])
    expect(await listLinks(db)).toEqual([])
  })

  it('chooses a unit only when the official has not chosen one', async () => {
    expect(await chooseUnitIfNone(db, '00004')).toBe('00004')
    expect(await chooseUnitIfNone(db, '00007')).toBeNull()
    expect(await getMeta(db, 'unitCode')).toBe('00004')

    await setMeta(db, 'unitCode', null)
    expect(await chooseUnitIfNone(db, '00007')).toBe('00007')
  })
})
