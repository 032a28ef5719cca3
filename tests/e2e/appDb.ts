/**
 * Reads the app's IndexedDB from inside the page, behind the app's back, so a fault test can check
 * what is really stored (entries, their outbox ops, drafts, the pull cursor) and not only what the
 * screen says. Read-only: it opens its own connection at the current version and closes it.
 */
import type { Page } from 'playwright-core'

/** An entry row as the browser tests look at it. */
export interface StoredEntry {
  key: string
  state: string
  counts: Record<string, number>
}

/** An outbox op as the browser tests look at it. */
export interface StoredOp {
  id: string
  kind: string
  entryKey?: string
  counts?: Record<string, number>
  userId: string | null
}

/** A draft row as the browser tests look at it. */
export interface StoredDraft {
  key: string
  input: Record<string, string>
}

/** Everything the fault tests check, read in one transaction. */
export interface StoredState {
  /** False when the app's database does not exist (cleared storage). */
  exists: boolean
  entries: StoredEntry[]
  outbox: StoredOp[]
  drafts: StoredDraft[]
  /** meta rows by key (cursor:<userId>, installId, session...). */
  meta: Record<string, unknown>
}

/** Reads the app's stores; `entries` may be limited to keys starting with `entryPrefix`. */
export function readAppDb(page: Page, entryPrefix = ''): Promise<StoredState> {
  return page.evaluate(async (prefix) => {
    const empty = { exists: false, entries: [], outbox: [], drafts: [], meta: {} }
    if (!(await indexedDB.databases()).some((info) => info.name === 'sohoa')) return empty
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sohoa')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    try {
      const tx = db.transaction(['entries', 'outbox', 'drafts', 'meta'], 'readonly')
      const all = <T>(store: string, range?: IDBKeyRange) =>
        new Promise<T[]>((resolve, reject) => {
          const request = tx.objectStore(store).getAll(range)
          request.onsuccess = () => resolve(request.result as T[])
          request.onerror = () => reject(request.error)
        })
      const range = prefix === '' ? undefined : IDBKeyRange.bound(prefix, `${prefix}\uffff`)
      const [entries, outbox, drafts, meta] = await Promise.all([
        all<{ key: string; state: string; counts: Record<string, number> }>('entries', range),
        all<{
          id: string
          kind: string
          entryKey?: string
          counts?: Record<string, number>
          userId: string | null
        }>('outbox'),
        all<{ key: string; input: Record<string, string> }>('drafts'),
        all<{ key: string; value: unknown }>('meta'),
      ])
      return {
        exists: true,
        entries: entries.map(({ key, state, counts }) => ({ key, state, counts })),
        outbox: outbox.map(({ id, kind, entryKey, counts, userId }) => ({
          id,
          kind,
          entryKey,
          counts,
          userId,
        })),
        drafts: drafts.map(({ key, input }) => ({ key, input })),
        meta: Object.fromEntries(meta.map((row) => [row.key, row.value])),
      }
    } finally {
      db.close()
    }
  }, entryPrefix)
}

/** How many entries the app holds, without reading them. */
export function countAppEntries(page: Page): Promise<number> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((info) => info.name === 'sohoa')) return 0
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sohoa')
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    try {
      return await new Promise<number>((resolve, reject) => {
        const request = db.transaction('entries').objectStore('entries').count()
        request.onsuccess = () => resolve(request.result)
        request.onerror = () => reject(request.error)
      })
    } finally {
      db.close()
    }
  })
}

/**
 * Holds a write lock on the app's `entries` store from a second connection in the page, as a long
 * pull page would on a slow phone, so that a save waits. Resolves once the lock is held; it is kept
 * until `releaseEntries(page)` or until the page dies.
 */
export function holdEntries(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('sohoa')
        request.onerror = () => reject(request.error)
        request.onsuccess = () => {
          const db = request.result
          const store = db.transaction('entries', 'readwrite').objectStore('entries')
          const flag = window as Window & { releaseEntries?: boolean }
          flag.releaseEntries = false
          // A transaction commits when it has nothing left to do: keep asking until released.
          const spin = (): void => {
            if (flag.releaseEntries) return db.close()
            store.get('\uffff').onsuccess = spin
          }
          store.get('\uffff').onsuccess = () => {
            resolve()
            spin()
          }
        }
      }),
  )
}

/** Lets go of the lock taken by `holdEntries`. */
export async function releaseEntries(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as Window & { releaseEntries?: boolean }).releaseEntries = true
  })
}
