import 'fake-indexeddb/auto'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../../src/app/db/connection.ts'
import { getEntry } from '../../../src/app/db/entries.ts'
import { applyPullPage } from '../../../src/app/db/pull.ts'
import { signIn, signOut } from '../../../src/app/db/session.ts'
import { putUnits } from '../../../src/app/db/units.ts'
import { reviewActorFor, useReviewStore } from '../../../src/app/stores/review.ts'
import type { Role } from '../../../src/domain/sync/protocol.ts'
import { makeChange, makeUnit } from '../db/builders.ts'

function session(role: Role, unitCodes: string[]) {
  return {
    token: 'tok',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: `u-${role}`, username: role, displayName: role, role, unitCodes },
  }
}

beforeEach(async () => {
  setActivePinia(createPinia())
  await db.open()
  await Promise.all(db.tables.map((table) => table.clear()))
  // Province 01 > district 001 > commune 00004.
  await putUnits(db, [
    makeUnit({ code: '01', kind: 'province', level: 'province', type: 'Tỉnh', parentCode: null }),
    makeUnit({ code: '001', kind: 'district', level: 'district', type: 'Quận', parentCode: '01' }),
    makeUnit({ parentCode: '001' }),
  ])
  await applyPullPage(db, 'any', [makeChange({ month: '2025-08' })], '1')
})
afterEach(async () => {
  await signOut(db)
})

describe('reviewActorFor', () => {
  it('gives each role its part', () => {
    const reporter = { role: 'reporter', unitCodes: ['00004'] } as const
    expect(reviewActorFor(reporter, '00004', 'submit', false)).toBe('reporter')
    expect(reviewActorFor(reporter, '00007', 'submit', false)).toBeNull()
    const viewer = { role: 'viewer', unitCodes: ['01'] } as const
    expect(reviewActorFor(viewer, '00004', 'accept', true)).toBe('supervisor')
    expect(reviewActorFor(viewer, '00004', 'accept', false)).toBeNull()
    const admin = { role: 'admin', unitCodes: [] } as const
    expect(reviewActorFor(admin, '00004', 'submit', false)).toBe('reporter')
    expect(reviewActorFor(admin, '00004', 'reopen', false)).toBe('supervisor')
  })
})

describe('useReviewStore', () => {
  it('submits as the reporter of the unit and refuses another unit', async () => {
    await signIn(db, session('reporter', ['00004']))
    const review = useReviewStore()

    expect(await review.act('00004', '2025-08', 'submit')).toEqual({ ok: true })
    expect((await getEntry(db, '00004', '2025-08'))?.review?.state).toBe('submitted')
    expect(await review.act('00004', '2025-08', 'submit')).toEqual({
      ok: false,
      reason: 'wrongState',
    })
    await signIn(db, session('reporter', ['00007']))
    expect(await review.act('00004', '2025-08', 'submit')).toEqual({
      ok: false,
      reason: 'notAllowed',
    })
  })

  it('lets a viewer decide only on units under its scope', async () => {
    await signIn(db, session('reporter', ['00004']))
    await useReviewStore().act('00004', '2025-08', 'submit')

    await signIn(db, session('viewer', ['02']))
    expect(await useReviewStore().act('00004', '2025-08', 'accept')).toEqual({
      ok: false,
      reason: 'notAllowed',
    })
    await signIn(db, session('viewer', ['01']))
    expect(await useReviewStore().act('00004', '2025-08', 'return')).toEqual({
      ok: false,
      reason: 'commentRequired',
    })
    expect(await useReviewStore().act('00004', '2025-08', 'accept')).toEqual({ ok: true })
    expect((await getEntry(db, '00004', '2025-08'))?.review?.state).toBe('accepted')
  })

  it('refuses when nobody is signed in', async () => {
    expect(await useReviewStore().act('00004', '2025-08', 'submit')).toEqual({
      ok: false,
      reason: 'signedOut',
    })
  })
})
