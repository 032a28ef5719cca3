import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { LEDGER_KEY } from '../../../src/app/constants.ts'
import { db } from '../../../src/app/db/connection.ts'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { readLedger, type Ledger } from '../../../src/app/db/ledger.ts'
import { getRecovery } from '../../../src/app/db/recovery.ts'
import { useRecoveryStore } from '../../../src/app/stores/recovery.ts'
import { AUTHOR, makeInput } from '../db/builders.ts'

/** The stored ledger once it satisfies `test`. */
async function ledgerWhere(test: (ledger: Ledger) => boolean): Promise<Ledger> {
  await expect.poll(() => readLedger(), { timeout: 2000 }).toSatisfy((l) => l !== null && test(l))
  return readLedger()!
}

beforeEach(async () => {
  setActivePinia(createPinia())
  localStorage.clear()
  await db.open()
  await Promise.all(db.tables.map((table) => table.clear()))
})

describe('the recovery store at start-up', () => {
  it('keeps a ledger on a phone that has never synced, so its first unsent save is named', async () => {
    await useRecoveryStore().start()
    await saveEntry(db, makeInput({ month: '2025-03' }), AUTHOR)
    const ledger = await ledgerWhere((l) => l.unsent.length === 1)
    expect(ledger.unsent[0]).toMatchObject({ kind: 'entry.put', month: '2025-03' })
    expect(ledger.user).toBeNull()
  })

  it('turns a ledger of another install into the notice, then describes this one', async () => {
    const erased: Ledger = {
      version: 1,
      installId: 'erased-install',
      user: { id: 'u-lan', username: 'lan' },
      unsent: [
        { kind: 'entry.put', unitCode: '00004', unitName: null, month: '2025-02', year: null },
      ],
      more: 0,
      lastSyncAt: null,
    }
    localStorage.setItem(LEDGER_KEY, JSON.stringify(erased))
    await useRecoveryStore().start()
    expect(await getRecovery(db)).toMatchObject({
      erased: { installId: 'erased-install', username: 'lan', lost: erased.unsent },
    })
    await ledgerWhere((l) => l.installId !== 'erased-install' && l.unsent.length === 0)
  })
})
