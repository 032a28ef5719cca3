/**
 * One sync pass for the signed-in user: push their queue, pull what changed, refresh the unit
 * list and the targets, then prefetch the history of a reporter's own months that changed. Push
 * comes first so that the pull already brings the server's merge of this phone's own changes.
 * Errors are thrown as they are; engine.ts decides what they mean and when to retry.
 */
import { getInstallId, hasRecoveryNotice, setUserMeta } from '../db/meta.ts'
import type { SohoaDb } from '../db/schema.ts'
import { storeServerTargets } from '../db/targets.ts'
import type { StoredSession } from '../db/session.ts'
import type { EntryChange } from '../../domain/sync/protocol.ts'
import { prefetchHistory } from './history.ts'
import { pushOutbox, type SyncProgress } from './outbox.ts'
import { pullChanges, syncUnits } from './pull.ts'
import type { Transport } from './transport.ts'

export interface SyncPassOptions {
  db: SohoaDb
  transport: Transport
  session: StoredSession
  now: () => Date
  onProgress: (progress: SyncProgress) => void
}

/** Runs one full pass; resolves to the time it completed, which is stored as the last sync. */
export async function syncPass(options: SyncPassOptions): Promise<string> {
  const { db, transport, session, now, onProgress } = options
  const { token, user } = session
  // Every role pushes: the server decides per op (a viewer's target settings apply, its entry
  // edits come back refused and show in the refused list).
  const installId = await getInstallId(db)
  await pushOutbox({ db, transport, token, userId: user.id, installId, now, onProgress })
  // A reporter's own months that changed: their history is fetched once the pass is done.
  const changed = new Set<string>()
  const onChanges = (changes: readonly EntryChange[]): void => {
    if (user.role !== 'reporter') return
    for (const change of changes) {
      if (user.unitCodes.includes(change.unitCode))
        changed.add(`${change.unitCode}/${change.month}`)
    }
  }
  await pullChanges({ db, transport, token, userId: user.id, onProgress, onChanges })
  // The first complete pull after a sign-in on an empty phone: record what it restored (a notice
  // that fails to update is tried again after the next pull, and never fails this one).
  if (await hasRecoveryNotice(db)) {
    await import('../db/recovery.ts')
      .then(({ completeRestore }) => completeRestore(db))
      .catch(() => undefined)
  }
  await syncUnits({ db, transport, token, user })
  // Last, so the list includes what this pass pushed; unsent local settings are kept.
  await storeServerTargets(db, await transport.targets(token))
  const at = now().toISOString()
  await setUserMeta(db, 'lastSyncAt', user.id, at)
  await prefetchHistory({ db, transport, token, now }, changed)
  return at
}
