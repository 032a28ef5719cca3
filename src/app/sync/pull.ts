/**
 * Bringing the server's changes and unit list down. Pages are pulled from the user's stored cursor
 * and each is written with the cursor after it, so an interrupted first pull of a whole province
 * resumes where it stopped instead of starting over.
 */
import { MAX_PULL_LIMIT } from '../../domain/sync/constants.ts'
import type { EntryChange, SessionUser } from '../../domain/sync/protocol.ts'
import { getMeta, getUserMeta } from '../db/meta.ts'
import { applyPullPage } from '../db/pull.ts'
import type { SohoaDb } from '../db/schema.ts'
import { chooseUnitIfNone, hasUnits, storeServerUnits } from '../db/units.ts'
import { ServerError } from './errors.ts'
import type { SyncProgress } from './outbox.ts'
import type { Transport } from './transport.ts'

export interface PullOptions {
  db: SohoaDb
  transport: Transport
  token: string
  userId: string
  onProgress?: (progress: SyncProgress) => void
  /** Called with each page's changes once they are stored. */
  onChanges?: (changes: readonly EntryChange[]) => void
}

/** Pulls every page after the stored cursor; resolves to the number of changes received. */
export async function pullChanges(options: PullOptions): Promise<number> {
  const { db, transport, token, userId } = options
  let cursor = (await getUserMeta(db, 'cursor', userId)) ?? '0'
  let done = 0
  for (;;) {
    const page = await transport.pull(token, cursor, MAX_PULL_LIMIT)
    await applyPullPage(db, userId, page.changes, page.cursor)
    options.onChanges?.(page.changes)
    done += page.changes.length
    options.onProgress?.({ phase: 'pull', done, total: done + page.remaining })
    if (!page.more) return done
    // A page that says "more" without moving the cursor would be fetched forever.
    if (page.cursor === cursor) throw new ServerError(200, null, 'The pull cursor did not advance')
    cursor = page.cursor
  }
}

export interface UnitSyncOptions {
  db: SohoaDb
  transport: Transport
  token: string
  user: SessionUser
}

/**
 * Refreshes the unit list when it changed (ETag), then picks a reporter's first assigned unit if
 * this phone has none chosen, so a newly signed-in official lands on their own commune.
 */
export async function syncUnits(options: UnitSyncOptions): Promise<void> {
  const { db, transport, token, user } = options
  const etag = (await hasUnits(db)) ? ((await getMeta(db, 'unitsEtag')) ?? null) : null
  const result = await transport.units(token, etag)
  if (!result.notModified) {
    await storeServerUnits(db, result.units, result.etag, result.links)
  }
  const assigned = user.unitCodes[0]
  if (user.role === 'reporter' && assigned !== undefined) await chooseUnitIfNone(db, assigned)
}
