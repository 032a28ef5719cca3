/**
 * The signed-in user on this phone. Signing in and claiming the changes made before anyone signed in
 * happen in one transaction, so no op can be saved in between and end up owned by nobody.
 */
import type { SessionUser } from '../../domain/sync/protocol.ts'
import { getMeta, setMeta, type StoredSession } from './meta.ts'
import type { SohoaDb } from './schema.ts'

export type { StoredSession } from './meta.ts'

/** What the server answered to a sign-in. */
export interface NewSession {
  token: string
  expiresAt: string
  user: SessionUser
}

/** The stored session (possibly expired), or null when nobody is signed in. */
export async function getSession(db: SohoaDb): Promise<StoredSession | null> {
  return (await getMeta(db, 'session')) ?? null
}

/**
 * Stores a fresh session and gives the ops nobody owns yet to its user. Resolves to how many ops
 * were claimed, so the app can tell the official whose name they will be sent under. Ops of other
 * users stay theirs: they are sent only when those users sign in again.
 */
export async function signIn(db: SohoaDb, session: NewSession): Promise<{ claimed: number }> {
  return db.transaction('rw', [db.meta, db.outbox], async () => {
    await setMeta(db, 'session', {
      token: session.token,
      expiresAt: session.expiresAt,
      // Spread: the caller's object may be reactive, which IndexedDB cannot clone.
      user: { ...session.user, unitCodes: [...session.user.unitCodes] },
      expired: false,
    })
    const claimed = await db.outbox
      .filter((op) => op.userId === null)
      .modify((op) => {
        op.userId = session.user.id
      })
    return { claimed }
  })
}

/**
 * Marks the session expired when the server refused `token`. A session stored since (a fresh
 * sign-in in another tab) is left alone. Nothing else changes: every unsent op stays queued.
 */
export async function markSessionExpired(db: SohoaDb, token: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const session = await getSession(db)
    if (session === null || session.token !== token || session.expired) return
    await setMeta(db, 'session', { ...session, expired: true })
  })
}

/** Forgets the session. The user's unsent ops stay queued and go out when they sign in again. */
export async function signOut(db: SohoaDb): Promise<void> {
  await setMeta(db, 'session', null)
}
