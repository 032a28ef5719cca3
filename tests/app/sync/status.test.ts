import { describe, expect, it } from 'vitest'
import {
  ClientTooOldError,
  OfflineError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
  UnauthorizedError,
} from '../../../src/app/sync/errors.ts'
import { backoffCeiling, backoffDelay } from '../../../src/app/sync/backoff.ts'
import { judgeFailure } from '../../../src/app/sync/status.ts'

describe('judgeFailure', () => {
  it.each([
    [new OfflineError('network'), 'offline', 'network', true, 0],
    [new OfflineError('timeout'), 'offline', 'timeout', true, 0],
    [new RateLimitedError(30), 'error', 'rateLimited', true, 30_000],
    [new RateLimitedError(null), 'error', 'rateLimited', true, 0],
    [new ServerError(500, null), 'error', 'server', true, 0],
    [new ServerError(403, null), 'error', 'forbidden', true, 0],
    [new SessionExpiredError('x'), 'needsLogin', 'sessionExpired', false, 0],
    [new UnauthorizedError('x'), 'needsLogin', 'unauthorized', false, 0],
    [new ClientTooOldError('x'), 'needsUpdate', 'tooOld', false, 0],
    [new DOMException('full', 'QuotaExceededError'), 'error', 'storage', true, 0],
    [new Error('bug'), 'error', 'unknown', true, 0],
  ])('%s → %s / %s', (error, state, code, retry, minDelayMs) => {
    expect(judgeFailure(error)).toEqual({ state, error: code, retry, minDelayMs })
  })
})

describe('backoff', () => {
  it('doubles from 2 s up to 5 minutes, with full jitter below that ceiling', () => {
    expect([1, 2, 3, 4, 8, 9, 50].map((n) => backoffCeiling(n))).toEqual([
      2_000, 4_000, 8_000, 16_000, 256_000, 300_000, 300_000,
    ])
    expect(backoffDelay(3, () => 0)).toBe(0)
    expect(backoffDelay(3, () => 0.5)).toBe(4_000)
    expect(backoffDelay(100, () => 0.999)).toBeLessThan(300_000)
  })
})
