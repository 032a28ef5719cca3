import { describe, expect, it } from 'vitest'
import {
  estimateUsage,
  isPersisted,
  requestPersistence,
  type StorageLike,
} from '../../../src/app/db/storage.ts'

function fakeStorage(persisted: boolean, grants: boolean): StorageLike {
  return {
    persisted: async () => persisted,
    persist: async () => grants,
    estimate: async () => ({ usage: 1_000, quota: 50_000 }),
  }
}

describe('storage', () => {
  it('reports whether persistence was granted', async () => {
    expect(await requestPersistence(fakeStorage(false, true))).toBe('granted')
    expect(await requestPersistence(fakeStorage(false, false))).toBe('denied')
    expect(await requestPersistence(fakeStorage(true, false))).toBe('granted')
    expect(await requestPersistence({})).toBe('unsupported')
    expect(await requestPersistence(undefined)).toBe('unsupported')
    const failing: StorageLike = { persist: () => Promise.reject(new Error('blocked')) }
    expect(await requestPersistence(failing)).toBe('denied')
  })

  it('reads the persisted flag and usage, or says it cannot', async () => {
    expect(await isPersisted(fakeStorage(true, true))).toBe(true)
    expect(await isPersisted(undefined)).toBe('unsupported')
    expect(await estimateUsage(fakeStorage(true, true))).toEqual({ usage: 1_000, quota: 50_000 })
    expect(await estimateUsage({ estimate: async () => ({}) })).toBeNull()
    expect(await estimateUsage(undefined)).toBeNull()
  })
})
