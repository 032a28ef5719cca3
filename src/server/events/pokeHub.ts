/**
 * Fans the store's change notices out to the open Server-Sent-Event streams of this instance. With
 * PostgreSQL the store's notices include commits made by other instances (LISTEN/NOTIFY), so a phone
 * connected here is poked about a push that went there. A poke only says "pull now"; correctness
 * never depends on it, so a lost poke costs at most one periodic sync of delay.
 */
import type { ChangeNotice, ReadScope, Store } from '../store/store.ts'

/** One open stream. */
export interface PokeClient {
  scope: ReadScope
  /** Sends a poke with the changed unit codes this client may read. */
  poke(unitCodes: string[]): void
  /** Ends the stream (server shutting down). */
  close(): void
}

export interface PokeHub {
  /** Registers a stream; returns the function that removes it. */
  add(client: PokeClient): () => void
  readonly size: number
  /** Ends every stream and stops listening to the store. */
  close(): void
}

/** The codes of `notice` that `scope` may read, so a poke never leaks other units' activity. */
export function visibleCodes(scope: ReadScope, notice: ChangeNotice): string[] {
  return scope.all ? notice.unitCodes : notice.unitCodes.filter((code) => scope.unitCodes.has(code))
}

/** A hub listening to `store` for the life of the app; `close()` on shutdown. */
export function createPokeHub(store: Store): PokeHub {
  const clients = new Set<PokeClient>()
  // Subscribed from the start rather than on the first stream: with PostgreSQL, LISTEN is set up
  // asynchronously, and a stream opened just before a push must not miss that push's notice.
  let unsubscribe: (() => void) | null = store.onChange((notice) => {
    for (const client of clients) {
      const codes = visibleCodes(client.scope, notice)
      if (codes.length > 0) client.poke(codes)
    }
  })

  return {
    add(client) {
      clients.add(client)
      return () => {
        clients.delete(client)
      }
    },
    get size() {
      return clients.size
    },
    close() {
      for (const client of [...clients]) client.close()
      clients.clear()
      unsubscribe?.()
      unsubscribe = null
    },
  }
}
