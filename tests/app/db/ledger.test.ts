import 'fake-indexeddb/auto'
import { Window } from 'happy-dom'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LEDGER_KEY } from '../../../src/app/constants.ts'
import { saveDraft } from '../../../src/app/db/drafts.ts'
import { saveEntry } from '../../../src/app/db/entries.ts'
import {
  buildLedger,
  keepLedger,
  LEDGER_MAX_LISTED,
  readLedger,
  writeLedger,
  type Ledger,
  type LedgerStorage,
} from '../../../src/app/db/ledger.ts'
import { getInstallId, setUserMeta } from '../../../src/app/db/meta.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { signIn } from '../../../src/app/db/session.ts'
import { putUnits } from '../../../src/app/db/units.ts'
import { addMonths } from '../../../src/domain/periods.ts'
import { AUTHOR, authorFor, dropDb, makeInput, makeUnit, openTestDb } from './builders.ts'

let db: SohoaDb
let storage: Storage
beforeEach(async () => {
  db = openTestDb()
  // happy-dom's Storage: the browser's semantics (strings only, getItem null when missing).
  storage = new Window().localStorage
  await putUnits(db, [makeUnit({ code: '00004', name: 'Phường Ba Đình' })])
})
afterEach(async () => {
  await dropDb(db)
})

const SESSION = {
  token: 'token-lan',
  expiresAt: '2030-01-01T00:00:00.000Z',
  user: {
    id: 'u-lan',
    username: 'lan',
    displayName: 'Lan',
    role: 'reporter' as const,
    unitCodes: ['00004'],
  },
}

/** Resolves once `storage` holds a ledger satisfying `test`. */
async function ledgerWhere(test: (ledger: Ledger) => boolean): Promise<Ledger> {
  for (let i = 0; i < 200; i++) {
    const ledger = readLedger(storage)
    if (ledger !== null && test(ledger)) return ledger
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`No matching ledger; stored: ${storage.getItem(LEDGER_KEY)}`)
}

describe('buildLedger', () => {
  it('is null until the install has an id: nothing stored, nothing to lose', async () => {
    expect(await buildLedger(db)).toBeNull()
    const installId = await getInstallId(db)
    expect(await buildLedger(db)).toEqual({
      version: 1,
      installId,
      user: null,
      unsent: [],
      more: 0,
      lastSyncAt: null,
    })
  })

  it('names each unsent unit and month once, with its unit name, the user and the last sync', async () => {
    await getInstallId(db)
    await saveEntry(db, makeInput({ month: '2025-03' }), AUTHOR)
    await saveEntry(db, makeInput({ month: '2025-03', note: 'sửa' }), AUTHOR)
    await saveEntry(db, makeInput({ month: '2025-04', unitCode: '00099' }), AUTHOR)
    await signIn(db, SESSION)
    await setUserMeta(db, 'lastSyncAt', 'u-lan', '2025-04-05T01:00:00.000Z')

    const ledger = await buildLedger(db)
    expect(ledger).toMatchObject({
      user: { id: 'u-lan', username: 'lan' },
      lastSyncAt: '2025-04-05T01:00:00.000Z',
      more: 0,
    })
    expect(ledger?.unsent).toEqual([
      {
        kind: 'entry.put',
        unitCode: '00004',
        unitName: 'Phường Ba Đình',
        month: '2025-03',
        year: null,
      },
      // A unit the phone has no name for is named by its code on screen.
      { kind: 'entry.put', unitCode: '00099', unitName: null, month: '2025-04', year: null },
    ])
    expect(JSON.stringify(ledger).length).toBeLessThan(600)
  })

  it('names at most LEDGER_MAX_LISTED changes and counts the rest, so it stays small', async () => {
    await getInstallId(db)
    for (let i = 0; i < LEDGER_MAX_LISTED + 5; i++) {
      await saveEntry(db, makeInput({ month: addMonths('2020-01', i) }), AUTHOR)
    }
    const ledger = await buildLedger(db)
    expect(ledger?.unsent).toHaveLength(LEDGER_MAX_LISTED)
    expect(ledger?.unsent[0]?.month).toBe('2020-01')
    expect(ledger?.more).toBe(5)
    expect(JSON.stringify(ledger).length).toBeLessThan(4_000)
  })
})

describe('readLedger and writeLedger', () => {
  it('round-trips a ledger and reads anything else as none', async () => {
    await getInstallId(db)
    await saveEntry(db, makeInput(), AUTHOR)
    const ledger = await buildLedger(db)
    if (ledger === null) throw new Error('The install has an id')
    writeLedger(ledger, storage)
    expect(readLedger(storage)).toEqual(ledger)

    for (const text of ['not json', '{}', JSON.stringify({ ...ledger, version: 2 })]) {
      storage.setItem(LEDGER_KEY, text)
      expect(readLedger(storage)).toBeNull()
    }
    storage.setItem(LEDGER_KEY, JSON.stringify({ ...ledger, unsent: [{ kind: 'delete' }] }))
    expect(readLedger(storage)).toBeNull()
  })

  it('never throws when localStorage is full or forbidden', () => {
    const broken: LedgerStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError')
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    const ledger: Ledger = {
      version: 1,
      installId: 'i',
      user: null,
      unsent: [],
      more: 0,
      lastSyncAt: null,
    }
    expect(() => writeLedger(ledger, broken)).not.toThrow()
    expect(readLedger(broken)).toBeNull()
  })
})

describe('keepLedger', () => {
  it('follows saves, sign-in and acknowledgements, and ignores typing', async () => {
    const writes: string[] = []
    const counting: LedgerStorage = {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => {
        writes.push(value)
        storage.setItem(key, value)
      },
      removeItem: (key) => storage.removeItem(key),
    }
    const stop = keepLedger(db, counting)
    try {
      await getInstallId(db)
      await saveEntry(db, makeInput({ month: '2025-03' }), AUTHOR)
      await ledgerWhere((ledger) => ledger.unsent.length === 1)

      await signIn(db, SESSION)
      await ledgerWhere((ledger) => ledger.user?.username === 'lan')

      const before = writes.length
      for (let i = 0; i < 5; i++) {
        await saveDraft(db, {
          unitCode: '00004',
          month: '2025-05',
          input: { received: `${i}` },
          note: '',
        })
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(writes.length).toBe(before)

      // The server acknowledged the op: the outbox is empty, and so is the ledger's list.
      await db.outbox.clear()
      await ledgerWhere((ledger) => ledger.unsent.length === 0)
      await saveEntry(db, makeInput({ month: '2025-06' }), authorFor('u-lan'))
      expect((await ledgerWhere((ledger) => ledger.unsent.length === 1)).unsent[0]?.month).toBe(
        '2025-06',
      )
    } finally {
      stop()
    }
  })
})
