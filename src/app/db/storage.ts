/**
 * Asking the browser not to evict our data. Without persistent storage a browser may clear
 * IndexedDB when the phone runs low on space, taking unsent entries with it.
 */

/** The parts of `StorageManager` used here; tests pass a stand-in. */
export type StorageLike = Partial<Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>>

export type PersistenceResult = 'granted' | 'denied' | 'unsupported'

// Read lazily: Node and old WebViews have no navigator.storage.
const defaultStorage = (): StorageLike | undefined => globalThis.navigator?.storage

/** Asks for persistent storage (once granted, asking again is a no-op). A refusal never throws. */
export async function requestPersistence(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<PersistenceResult> {
  if (storage?.persist === undefined) return 'unsupported'
  try {
    if ((await storage.persisted?.()) === true) return 'granted'
    return (await storage.persist()) ? 'granted' : 'denied'
  } catch {
    return 'denied'
  }
}

/** Whether the browser already keeps our data persistently, or `unsupported` if it cannot say. */
export async function isPersisted(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<boolean | 'unsupported'> {
  if (storage?.persisted === undefined) return 'unsupported'
  try {
    return await storage.persisted()
  } catch {
    return 'unsupported'
  }
}

/** Bytes used and available to this origin, or null when the browser does not say. */
export async function estimateUsage(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<{ usage: number; quota: number } | null> {
  if (storage?.estimate === undefined) return null
  try {
    const { usage, quota } = await storage.estimate()
    return usage === undefined || quota === undefined ? null : { usage, quota }
  } catch {
    return null
  }
}
