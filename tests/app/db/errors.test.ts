import 'fake-indexeddb/auto'
import { Dexie } from 'dexie'
import { describe, expect, it } from 'vitest'
import { isQuotaError } from '../../../src/app/db/errors.ts'

describe('isQuotaError', () => {
  it('recognises a quota failure however it is wrapped', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError')

    expect(isQuotaError(quota)).toBe(true)
    expect(isQuotaError(new Dexie.QuotaExceededError('full'))).toBe(true)
    expect(isQuotaError(new Dexie.AbortError('aborted', quota))).toBe(true)
    expect(isQuotaError(new Dexie.BulkError('bulk', { 0: quota }))).toBe(true)
    expect(isQuotaError({ name: 'NS_ERROR_DOM_QUOTA_REACHED' })).toBe(true)
  })

  it('does not mistake other failures for a full disk', () => {
    expect(isQuotaError(new Dexie.ConstraintError('duplicate'))).toBe(false)
    expect(isQuotaError(new Error('boom'))).toBe(false)
    expect(isQuotaError('QuotaExceededError')).toBe(false)
    expect(isQuotaError(null)).toBe(false)
    const cyclic: { name: string; inner?: unknown } = { name: 'AbortError' }
    cyclic.inner = cyclic
    expect(isQuotaError(cyclic)).toBe(false)
  })
})
