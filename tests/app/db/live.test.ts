import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { observeQuery } from '../../../src/app/db/live.ts'
import { pendingCount } from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { AUTHOR, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

describe('observeQuery', () => {
  it('emits again when a save changes what the query read', async () => {
    const seen: number[] = []
    const twoValues = new Promise<void>((resolve, reject) => {
      const subscription = observeQuery(() => pendingCount(db, null)).subscribe({
        next: (count) => {
          seen.push(count)
          if (count === 0) void saveEntry(db, makeInput(), AUTHOR).catch(reject)
          if (count === 1) {
            subscription.unsubscribe()
            resolve()
          }
        },
        error: reject,
      })
    })

    await twoValues
    expect(seen).toEqual([0, 1])
  })
})
