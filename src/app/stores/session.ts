import { computed, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { getSession, signIn, signOut, type StoredSession } from '../db/session.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'
import { useSyncStore } from './sync.ts'
import type { Transport } from '../sync/transport.ts'
import type { SessionUser } from '../../domain/sync/protocol.ts'

export type LoginFailure = 'invalid' | 'inactive' | 'rateLimited' | 'offline' | 'tooOld' | 'unknown'

export type LoginResult =
  | { ok: true }
  | { ok: false; reason: LoginFailure; /** Seconds, when rate limited. */ retryAfter?: number }

/**
 * Who is signed in on this phone. The session lives in IndexedDB, so the app works offline for
 * weeks on the last sign-in, and every tab sees a sign-in or sign-out at once.
 */
export const useSessionStore = defineStore('session', () => {
  const { data: stored, loading } = useLiveQuery<StoredSession | null>(() => getSession(db), {
    initial: null,
  })
  const user = computed<SessionUser | null>(() => stored.value?.user ?? null)
  /** A token is stored, valid or not. */
  const hasToken = computed(() => stored.value !== null)
  /** The server refused the token: sign in again; unsent changes are kept for this user. */
  const expired = computed(() => stored.value?.expired ?? false)
  /** Signed in with a token the server has not refused. */
  const signedIn = computed(() => hasToken.value && !expired.value)
  /** How many changes made before anyone signed in were claimed by the last sign-in. */
  const claimed = shallowRef(0)
  const ready = computed(() => !loading.value)

  let transport: Transport | null = null
  // The transport carries the protocol module; loaded on first use, not with the first screen.
  async function api(): Promise<Transport> {
    transport ??= (await import('../sync/transport.ts')).createTransport()
    return transport
  }

  /** Reads the stored session now (the live query follows later changes). */
  async function load(): Promise<void> {
    stored.value = await getSession(db)
  }

  /** Signs in online. On success, changes nobody owned yet become this user's and sync starts. */
  async function login(username: string, password: string): Promise<LoginResult> {
    const errors = await import('../sync/errors.ts')
    try {
      const response = await (await api()).login({ username, password })
      const result = await signIn(db, response)
      // On an empty phone (new, or its data erased) the first pull restores; home will say so. A
      // notice is not worth failing a sign-in that succeeded.
      await import('../db/recovery.ts')
        .then(({ expectRestore }) => expectRestore(db))
        .catch(() => undefined)
      stored.value = await getSession(db)
      claimed.value = result.claimed
      void useSyncStore().sessionChanged()
      return { ok: true }
    } catch (error) {
      if (error instanceof errors.UnauthorizedError) return { ok: false, reason: 'invalid' }
      if (error instanceof errors.OfflineError) return { ok: false, reason: 'offline' }
      if (error instanceof errors.ClientTooOldError) return { ok: false, reason: 'tooOld' }
      if (error instanceof errors.RateLimitedError) {
        return { ok: false, reason: 'rateLimited', retryAfter: error.retryAfter ?? undefined }
      }
      if (error instanceof errors.ServerError && error.status === 403) {
        return { ok: false, reason: 'inactive' }
      }
      return { ok: false, reason: 'unknown' }
    }
  }

  /**
   * Signs out on this phone. The user's unsent changes stay queued under their name and go out
   * when they sign in again; nobody else's session ever sends them. The server is told when it can
   * be reached, so the token stops working there too.
   */
  async function logout(): Promise<void> {
    const previous = stored.value
    await signOut(db)
    stored.value = null
    claimed.value = 0
    void useSyncStore().sessionChanged()
    if (previous !== null && !previous.expired) {
      void api()
        .then((client) => client.logout(previous.token))
        .catch(() => undefined)
    }
  }

  return { user, hasToken, expired, signedIn, claimed, ready, load, login, logout }
})
