import { liveQuery, type Observable } from 'dexie'

/** A stream of query results; composables subscribe to it without depending on Dexie. */
export type QueryObservable<T> = Observable<T>

/**
 * Runs `query` now and again whenever a table it read changes, in this tab or another.
 * The only entry point to Dexie's `liveQuery`, so the rest of the app stays free of Dexie.
 */
export function observeQuery<T>(query: () => T | Promise<T>): QueryObservable<T> {
  return liveQuery(query)
}
