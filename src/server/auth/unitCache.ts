/**
 * The unit tree, read from the store at most once per `ttlMs`. Every push and pull needs it and units
 * change only when an admin imports them, so re-reading thousands of rows per request would be waste;
 * a short TTL lets another instance's import (or the CLI's) show up without a restart.
 */
import { createHash } from 'node:crypto'
import type { Store } from '../store/store.ts'
import { buildUnitTree, type UnitTree } from './scope.ts'

export interface UnitCache {
  tree(): Promise<UnitTree>
  /** Forget the cached tree, after this instance changed units. */
  invalidate(): void
}

/** A content hash of the unit list, part of the /api/units ETag. */
export function unitsFingerprint(tree: UnitTree): string {
  return createHash('sha256').update(JSON.stringify(tree.units)).digest('base64url').slice(0, 16)
}

/** A unit tree cache over `store`, refreshed after `ttlMs`. */
export function createUnitCache(store: Store, ttlMs = 30_000, clock = Date.now): UnitCache {
  let cached: { tree: Promise<UnitTree>; at: number } | null = null
  return {
    tree() {
      const now = clock()
      if (!cached || now - cached.at > ttlMs) {
        const tree = Promise.all([store.listUnits(), store.listLinks()]).then(([units, links]) =>
          buildUnitTree(units, links),
        )
        // A failed read must not be cached: the next request tries again.
        tree.catch(() => {
          if (cached?.tree === tree) cached = null
        })
        cached = { tree, at: now }
      }
      return cached.tree
    },
    invalidate() {
      cached = null
    },
  }
}
