/**
 * Signing in: password check, per-username lockout and session creation. The lockout counts failures
 * in the store, so it holds across server instances (the per-IP rate limit is per instance). Unknown
 * usernames and wrong passwords take the same time and get the same answer.
 */
import type { LoginRequest } from '../../domain/sync/protocol.ts'
import type { Store, UserRecord } from '../store/store.ts'
import { verifyDummyPassword, verifyPassword } from './password.ts'
import { hashToken, newToken } from './tokens.ts'

export interface LoginPolicy {
  /** How long a session lasts: long, because officials work offline for weeks. */
  sessionDays: number
  /** Failed attempts per username within `lockoutWindowMs` before further attempts are refused. */
  maxFailures: number
  lockoutWindowMs: number
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  sessionDays: 30,
  maxFailures: 5,
  lockoutWindowMs: 15 * 60 * 1000,
}

export type LoginOutcome =
  | { ok: true; token: string; expiresAt: Date; user: UserRecord }
  | { ok: false; reason: 'invalid' | 'inactive' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number }

/** Usernames are compared in lower case, so "XaAnPhu" on a phone keyboard still signs in. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase()
}

/** Checks the lockout and the password, then opens a session; never throws for bad credentials. */
export async function login(
  store: Store,
  request: LoginRequest,
  now: Date,
  policy: LoginPolicy = DEFAULT_LOGIN_POLICY,
): Promise<LoginOutcome> {
  const username = normalizeUsername(request.username)
  const since = new Date(now.getTime() - policy.lockoutWindowMs)
  // Checked before the password, so a locked account cannot be guessed at even with the right one.
  if ((await store.countLoginFailures(username, since)) >= policy.maxFailures) {
    return {
      ok: false,
      reason: 'locked',
      retryAfterSeconds: Math.ceil(policy.lockoutWindowMs / 1000),
    }
  }
  const user = await store.findUserByUsername(username)
  const valid = user
    ? await verifyPassword(request.password, user.passwordHash)
    : await verifyDummyPassword(request.password)
  if (!user || !valid) {
    await store.recordLoginFailure(username, now)
    return { ok: false, reason: 'invalid' }
  }
  if (!user.active) return { ok: false, reason: 'inactive' }
  await store.clearLoginFailures(username)
  const token = newToken()
  const expiresAt = new Date(now.getTime() + policy.sessionDays * 24 * 60 * 60 * 1000)
  await store.createSession(hashToken(token), {
    userId: user.id,
    expiresAt: expiresAt.toISOString(),
  })
  return { ok: true, token, expiresAt, user }
}
