import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getInstallId, getMeta, setMeta } from '../../../src/app/db/meta.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { dropDb, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('meta', () => {
  it('creates the install id once and keeps it across connections', async () => {
    const first = await getInstallId(db)
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(await getInstallId(db)).toBe(first)

    const again = new SohoaDb(db.name)
    expect(await getInstallId(again)).toBe(first)
    again.close()
  })

  it('gives concurrent first callers the same id', async () => {
    const other = new SohoaDb(db.name)
    const ids = await Promise.all([getInstallId(db), getInstallId(other), getInstallId(db)])
    other.close()

    expect(new Set(ids).size).toBe(1)
  })

  it('stores typed values and reads unset keys as undefined', async () => {
    expect(await getMeta(db, 'unitCode')).toBeUndefined()

    await setMeta(db, 'unitCode', '00004')
    await setMeta(db, 'locale', 'en')
    expect(await getMeta(db, 'unitCode')).toBe('00004')
    expect(await getMeta(db, 'locale')).toBe('en')

    await setMeta(db, 'unitCode', null)
    expect(await getMeta(db, 'unitCode')).toBeNull()
  })

  it('reads a value of the wrong shape as missing, and replaces a bad install id', async () => {
    await db.meta.put({ key: 'locale', value: 'fr' })
    await db.meta.put({ key: 'installId', value: 42 })

    expect(await getMeta(db, 'locale')).toBeUndefined()
    expect(await getInstallId(db)).toMatch(/^[0-9a-f-]{36}$/)
  })
})
