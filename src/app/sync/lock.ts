/**
 * One tab syncs at a time. Web Locks hand a named lock to one tab of the origin; the others skip
 * their pass and see its writes through live queries. Where Web Locks are missing (old WebViews) or
 * refuse (opaque origins), the pass runs anyway: a doubled pass is harmless (ops are idempotent),
 * an official's changes stuck on the phone are not.
 */

/** The part of the Web Locks API used: a named lock taken only if free. */
export interface LockManagerLike {
  request(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: object | null) => Promise<void>,
  ): Promise<void>
}

export const LOCK_NAME = 'sohoa-sync'

/** Runs `task` holding the sync lock; resolves to `busy` when another tab holds it. */
export async function runExclusive(
  locks: LockManagerLike | undefined,
  task: () => Promise<void>,
): Promise<'ran' | 'busy'> {
  if (locks === undefined) {
    await task()
    return 'ran'
  }
  // An object, so that what the callback records is visible after the await.
  const seen: { outcome: 'ran' | 'busy' | 'refused' } = { outcome: 'refused' }
  try {
    await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
      seen.outcome = lock === null ? 'busy' : 'ran'
      if (lock !== null) await task()
    })
  } catch (error) {
    // The task's own failure propagates; only a refused request falls back to running unguarded.
    if (seen.outcome === 'ran') throw error
  }
  if (seen.outcome === 'refused') await task()
  return seen.outcome === 'busy' ? 'busy' : 'ran'
}
