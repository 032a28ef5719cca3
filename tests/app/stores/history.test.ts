import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import { db } from '../../../src/app/db/connection.ts'
import { storeHistory } from '../../../src/app/db/history.ts'
import { signIn, signOut } from '../../../src/app/db/session.ts'
import { useHistoryStore } from '../../../src/app/stores/history.ts'
import type { Month } from '../../../src/domain/periods.ts'
import type { HistoryEvent } from '../../../src/domain/sync/protocol.ts'

const edit: HistoryEvent = {
  type: 'edit',
  at: '2025-04-02T03:00:00.000Z',
  by: 'lan',
  deviceId: 'device-a',
  version: 1,
  changes: [{ field: 'received', from: null, to: 120 }],
}

beforeEach(async () => {
  setActivePinia(createPinia())
  await db.open()
  await Promise.all(db.tables.map((table) => table.clear()))
})
afterEach(async () => {
  await signOut(db)
  vi.unstubAllGlobals()
})

describe('useHistoryStore', () => {
  it('follows the cached history of the month asked for', async () => {
    await storeHistory(db, '00004', '2025-03', [edit])
    const scope = effectScope()
    const month = shallowRef<Month | null>('2025-03')
    const live = scope.run(() => useHistoryStore().cached(shallowRef('00004'), month))
    if (live === undefined) throw new Error('scope stopped')
    const { data } = live

    await vi.waitFor(() => expect(data.value?.events).toEqual([edit]))
    month.value = '2025-04'
    await vi.waitFor(() => expect(data.value).toBeNull())
    await storeHistory(db, '00004', '2025-04', [edit, edit])
    await vi.waitFor(() => expect(data.value?.events).toHaveLength(2))
    scope.stop()
  })

  it('refreshes from the server, and says why it could not', async () => {
    expect(await useHistoryStore().refresh('00004', '2025-03')).toEqual({
      ok: false,
      reason: 'signedOut',
    })
    await signIn(db, {
      token: 'tok',
      expiresAt: '2099-01-01T00:00:00.000Z',
      user: { id: 'lan', username: 'lan', displayName: 'Lan', role: 'reporter', unitCodes: [] },
    })
    const fetch = vi.fn(async () => Response.json({ events: [edit] }))
    vi.stubGlobal('fetch', fetch)
    expect(await useHistoryStore().refresh('00004', '2025-03')).toEqual({ ok: true })
    expect(fetch).toHaveBeenCalledWith('/api/history/00004/2025-03', expect.anything())
    expect((await db.history.get('00004/2025-03'))?.events).toEqual([edit])

    fetch.mockRejectedValue(new TypeError('fetch failed'))
    expect(await useHistoryStore().refresh('00004', '2025-03')).toEqual({
      ok: false,
      reason: 'offline',
    })
  })
})
