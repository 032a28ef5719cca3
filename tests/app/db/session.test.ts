import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { pendingOps, unclaimedCount } from '../../../src/app/db/outbox.ts'
import type { SohoaDb } from '../../../src/app/db/schema.ts'
import {
  getSession,
  markSessionExpired,
  signIn,
  signOut,
  type NewSession,
} from '../../../src/app/db/session.ts'
import { AUTHOR, authorFor, dropDb, makeInput, openTestDb } from './builders.ts'

let db: SohoaDb
beforeEach(() => {
  db = openTestDb()
})
afterEach(async () => {
  await dropDb(db)
})

function makeSession(userId: string, token = `token-${userId}`): NewSession {
  return {
    token,
    expiresAt: '2025-07-01T00:00:00.000Z',
    user: {
      id: userId,
      username: userId,
      displayName: `Cán bộ ${userId}`,
      role: 'reporter',
      unitCodes: ['00004'],
    },
  }
}

describe('session', () => {
  it('stores the session and gives the unowned ops to the first user who signs in', async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), AUTHOR)
    await saveEntry(db, makeInput({ month: '2025-02' }), AUTHOR)

    expect(await signIn(db, makeSession('lan'))).toEqual({ claimed: 2 })

    expect(await getSession(db)).toMatchObject({ token: 'token-lan', expired: false })
    expect(
      (await pendingOps(db, 'lan')).filter((op) => op.kind === 'entry.put').map((op) => op.month),
    ).toEqual(['2025-01', '2025-02'])
    expect(await unclaimedCount(db)).toBe(0)
  })

  it("leaves another user's ops alone and claims nothing twice", async () => {
    await saveEntry(db, makeInput({ month: '2025-01' }), authorFor('lan'))
    await signIn(db, makeSession('lan'))
    await signOut(db)

    expect(await signIn(db, makeSession('minh'))).toEqual({ claimed: 0 })
    expect(await pendingOps(db, 'minh')).toEqual([])
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
  })

  it('marks only the refused token expired, keeping every op', async () => {
    await signIn(db, makeSession('lan', 'old'))
    await saveEntry(db, makeInput(), authorFor('lan'))

    await markSessionExpired(db, 'another')
    expect(await getSession(db)).toMatchObject({ expired: false })

    await markSessionExpired(db, 'old')
    expect(await getSession(db)).toMatchObject({ expired: true, user: { id: 'lan' } })
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
  })

  it('signs out without losing the unsent changes, which wait for the same user', async () => {
    await signIn(db, makeSession('lan'))
    await saveEntry(db, makeInput(), authorFor('lan'))

    await signOut(db)

    expect(await getSession(db)).toBeNull()
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
    expect(await signIn(db, makeSession('lan'))).toEqual({ claimed: 0 })
    expect(await pendingOps(db, 'lan')).toHaveLength(1)
  })

  it('reads a damaged session row as signed out', async () => {
    await db.meta.put({ key: 'session', value: { token: 'x', user: { id: 1 } } })
    expect(await getSession(db)).toBeNull()
  })
})
