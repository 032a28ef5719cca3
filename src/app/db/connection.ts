import Dexie from 'dexie'
import { DB_NAME, SohoaDb } from './schema.ts'

/** The app's one database connection. Tests open their own `SohoaDb` under a unique name. */
export const db = new SohoaDb(DB_NAME)

/** Why the database went away under the running app. */
export type DatabaseLoss = 'deleted' | 'upgraded'

/**
 * Calls `onLoss` once when the database is deleted under the app (the browser's "clear data",
 * another tab) or upgraded by a newer version of the app in another tab. Left alone, Dexie would
 * reopen it on the next write: a new, empty database where a save would land cut off from
 * everything the screen shows. So the connection is closed for good and the app asks to reload.
 *
 * Dexie reports other closes too: an open that failed (nothing was lost), and a connection the
 * browser dropped while the database stays (iOS does so in the background). Those are told apart by
 * asking whether the database still exists, with the connection held closed meanwhile; the next
 * read or write reopens one that does.
 */
export function watchDatabaseLoss(
  onLoss: (loss: DatabaseLoss) => void,
  database: SohoaDb = db,
): void {
  let loss: DatabaseLoss = 'deleted'
  /** Open now: set by every successful open, cleared by the first close after it. */
  let open = false
  database.on(
    'ready',
    () => {
      open = true
    },
    true,
  )
  database.on('versionchange', (event) => {
    if (event.newVersion !== null && event.newVersion > 0) loss = 'upgraded'
  })
  database.on('close', () => {
    // A failed open closes a database that was not open: the open's own error says what failed.
    if (!open) return
    open = false
    // After the close under way: it re-enables auto-open once its listeners return. And Dexie's
    // own versionchange handler closes first; ours, which names an upgrade, runs after it.
    queueMicrotask(() => {
      database.close({ disableAutoOpen: true })
      void stillThere(database.name, loss).then((there) => {
        // Still there: the next read or write opens it again, as Dexie itself would have done.
        if (there) database.close({ disableAutoOpen: false })
        else onLoss(loss)
      })
    })
  })
}

/** Whether a database closed under the app is still there to reopen; an upgrade never is ours. */
async function stillThere(name: string, loss: DatabaseLoss): Promise<boolean> {
  if (loss === 'upgraded') return false
  return Dexie.exists(name).catch(() => false)
}
