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
 */
export function watchDatabaseLoss(
  onLoss: (loss: DatabaseLoss) => void,
  database: SohoaDb = db,
): void {
  let loss: DatabaseLoss = 'deleted'
  let lost = false
  database.on('versionchange', (event) => {
    if (event.newVersion !== null && event.newVersion > 0) loss = 'upgraded'
  })
  database.on('close', () => {
    if (lost) return
    lost = true
    // After the close under way: it re-enables auto-open once its listeners return. And Dexie's
    // own versionchange handler closes first; ours, which names an upgrade, runs after it.
    queueMicrotask(() => {
      database.close({ disableAutoOpen: true })
      onLoss(loss)
    })
  })
}
