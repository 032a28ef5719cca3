/**
 * What the sync engine reports, and what a failed pass means for it: which state to show, whether
 * to retry on its own, and how long the server asked it to wait. Pure, so the table is testable.
 */
import { isQuotaError } from '../db/errors.ts'
import {
  ClientTooOldError,
  OfflineError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
  UnauthorizedError,
} from './errors.ts'
import type { SyncProgress } from './outbox.ts'

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error' | 'needsLogin' | 'needsUpdate'

/** Why the last pass failed; the UI maps each code to a sentence. */
export type SyncErrorCode =
  | 'network'
  | 'timeout'
  | 'server'
  | 'forbidden'
  | 'rateLimited'
  | 'sessionExpired'
  | 'unauthorized'
  | 'tooOld'
  | 'storage'
  | 'unknown'

export interface SyncStatus {
  state: SyncState
  /** When the signed-in user's last pass completed; null if never on this phone. */
  lastSyncAt: string | null
  /** Set while a pass pushes or pulls. */
  progress: SyncProgress | null
  error: SyncErrorCode | null
}

/** How the engine reacts to a failed pass. */
export interface FailureVerdict {
  state: Extract<SyncState, 'offline' | 'error' | 'needsLogin' | 'needsUpdate'>
  error: SyncErrorCode
  /** Retry on a backoff timer; false when only the official can unblock it (sign in, update). */
  retry: boolean
  /** The shortest wait before that retry, from the server's Retry-After. */
  minDelayMs: number
}

/** The verdict on `error`, thrown by a sync pass. */
export function judgeFailure(error: unknown): FailureVerdict {
  const retrying = (state: FailureVerdict['state'], code: SyncErrorCode, minDelayMs = 0) => ({
    state,
    error: code,
    retry: true,
    minDelayMs,
  })
  if (error instanceof SessionExpiredError) {
    return { state: 'needsLogin', error: 'sessionExpired', retry: false, minDelayMs: 0 }
  }
  if (error instanceof UnauthorizedError) {
    return { state: 'needsLogin', error: 'unauthorized', retry: false, minDelayMs: 0 }
  }
  if (error instanceof ClientTooOldError) {
    return { state: 'needsUpdate', error: 'tooOld', retry: false, minDelayMs: 0 }
  }
  if (error instanceof OfflineError) {
    return retrying('offline', error.reason === 'timeout' ? 'timeout' : 'network')
  }
  if (error instanceof RateLimitedError) {
    return retrying('error', 'rateLimited', (error.retryAfter ?? 0) * 1000)
  }
  if (error instanceof ServerError) {
    return retrying('error', error.status === 403 ? 'forbidden' : 'server')
  }
  return retrying('error', isQuotaError(error) ? 'storage' : 'unknown')
}
