import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getHistory } from '../../../src/app/db/history.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import { getSession, signIn, type NewSession } from '../../../src/app/db/session.ts'
import { OfflineError } from '../../../src/app/sync/errors.ts'
import {
  HISTORY_PREFETCH_LIMIT,
  prefetchHistory,
  refreshHistory,
} from '../../../src/app/sync/history.ts'
import { syncPass } from '../../../src/app/sync/run.ts'
import type { EntryChange, HistoryEvent } from '../../../src/domain/sync/protocol.ts'
import { dropDb, makeChange, openTestDb } from '../db/builders.ts'
import { makeSession } from './builders.ts'
import { ScriptedTransport } from './fakes.ts'

let db: SohoaDb
let transport: ScriptedTransport
beforeEach(() => {
  db = openTestDb()
  transport = new ScriptedTransport()
})
afterEach(async () => {
  await dropDb(db)
})

const NOW = new Date('2025-04-05T01:00:00Z')
const edit: HistoryEvent = {
  type: 'edit',
  at: '2025-04-02T03:00:00.000Z',
  by: 'lan',
  deviceId: 'device-a',
  version: 1,
  changes: [{ field: 'received', from: null, to: 120 }],
}
const review: HistoryEvent = {
  type: 'review',
  at: '2025-04-03T03:00:00.000Z',
  by: 'lan',
  action: 'submit',
  comment: '',
}

const options = () => ({ db, transport, token: 'tok', now: () => NOW })
const historyCalls = (): string[] => transport.calls.filter((call) => call.startsWith('history'))

describe('history cache', () => {
  it('stores a fetched history whole, replacing the cached one', async () => {
    transport.onHistory = async () => [edit]
    await refreshHistory(options(), '00004', '2025-03')
    transport.onHistory = async () => [edit, review]
    await refreshHistory(options(), '00004', '2025-03')

    expect(await getHistory(db, '00004', '2025-03')).toEqual({
      key: '00004/2025-03',
      unitCode: '00004',
      month: '2025-03',
      events: [edit, review],
      fetchedAt: NOW.toISOString(),
    })
    expect(await getHistory(db, '00004', '2025-04')).toBeUndefined()
  })

  it('prefetches at most the limit, newest month first, and stops quietly at a failure', async () => {
    const keys = Array.from(
      { length: 30 },
      (_, i) => `00004/20${20 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
    )

    expect(await prefetchHistory(options(), keys)).toBe(HISTORY_PREFETCH_LIMIT)
    expect(historyCalls()).toHaveLength(HISTORY_PREFETCH_LIMIT)
    expect(historyCalls()[0]).toBe('history 00004/2022-06')
    expect(await db.history.count()).toBe(HISTORY_PREFETCH_LIMIT)

    let calls = 0
    transport.onHistory = async () => {
      if (++calls === 3) throw new OfflineError('offline')
      return []
    }
    expect(await prefetchHistory(options(), keys, 10)).toBe(2)
    expect(calls).toBe(3)
  })
})

describe('history after a sync', () => {
  async function passWith(session: NewSession, changes: EntryChange[]): Promise<void> {
    await signIn(db, session)
    transport.onPull = async () => ({ changes, cursor: '9', more: false, remaining: 0 })
    transport.onHistory = async () => [edit]
    const stored = await getSession(db)
    if (stored === null) throw new Error('not signed in')
    await syncPass({ db, transport, session: stored, now: () => NOW, onProgress: () => undefined })
  }

  const changes = [
    makeChange({ unitCode: '00004', month: '2025-03' }),
    makeChange({ unitCode: '00004', month: '2025-04' }),
    makeChange({ unitCode: '00007', month: '2025-03' }),
  ]

  it("fetches the history of a reporter's own months that changed", async () => {
    await passWith(makeSession('lan'), changes)

    expect(historyCalls()).toEqual(['history 00004/2025-04', 'history 00004/2025-03'])
    expect((await getHistory(db, '00004', '2025-04'))?.events).toEqual([edit])
    expect(await getHistory(db, '00007', '2025-03')).toBeUndefined()
  })

  it('fetches nothing for a viewer, whose months are looked at one by one', async () => {
    const viewer = makeSession('huyen')
    await passWith({ ...viewer, user: { ...viewer.user, role: 'viewer' } }, changes)

    expect(historyCalls()).toEqual([])
  })

  it('still completes the pass when the history cannot be fetched', async () => {
    await signIn(db, makeSession('lan'))
    transport.onPull = async () => ({ changes, cursor: '9', more: false, remaining: 0 })
    transport.onHistory = () => Promise.reject(new OfflineError('network'))
    const stored = await getSession(db)
    if (stored === null) throw new Error('not signed in')

    await expect(
      syncPass({ db, transport, session: stored, now: () => NOW, onProgress: () => undefined }),
    ).resolves.toBe(NOW.toISOString())
    expect(await db.history.count()).toBe(0)
  })
})
