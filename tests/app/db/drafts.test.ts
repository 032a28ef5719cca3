import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deleteDraft, getDraft, saveDraft, type DraftInput } from '../../../src/app/db/drafts.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { dropDb, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('drafts', () => {
  it('keeps the latest text per unit and month until deleted', async () => {
    const draft: DraftInput = { unitCode: '00004', month: '2025-03', note: '', input: {} }
    await saveDraft(db, { ...draft, input: { received: '1' } })
    await saveDraft(
      db,
      { ...draft, input: { received: '1.200', digitized: 'abc' }, note: 'chưa xong' },
      new Date('2025-04-01T00:00:00Z'),
    )

    expect(await getDraft(db, '00004', '2025-03')).toEqual({
      key: '00004/2025-03',
      unitCode: '00004',
      month: '2025-03',
      input: { received: '1.200', digitized: 'abc' },
      note: 'chưa xong',
      updatedAt: '2025-04-01T00:00:00.000Z',
    })
    expect(await getDraft(db, '00004', '2025-04')).toBeUndefined()

    await deleteDraft(db, '00004', '2025-03')
    expect(await getDraft(db, '00004', '2025-03')).toBeUndefined()
  })
})
