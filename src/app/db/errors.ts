/**
 * Recognising storage failures the official can act on. A full disk reaches us wrapped: Dexie turns
 * the aborted transaction into an AbortError whose `inner` is the browser's QuotaExceededError, and
 * a bulk write reports it among its `failures`.
 */

const QUOTA_NAMES = new Set([
  'QuotaExceededError',
  // Older Firefox.
  'NS_ERROR_DOM_QUOTA_REACHED',
])

/** Nesting seen in practice is two levels; the bound only guards against cyclic causes. */
const MAX_DEPTH = 5

/** Whether `error`, or an error it wraps, means the browser refused to store more data. */
export function isQuotaError(error: unknown): boolean {
  return hasQuotaError(error, 0)
}

function hasQuotaError(error: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return false
  if ('name' in error && typeof error.name === 'string' && QUOTA_NAMES.has(error.name)) return true
  const wrapped: unknown[] = []
  if ('inner' in error) wrapped.push(error.inner)
  if ('cause' in error) wrapped.push(error.cause)
  if ('failures' in error && Array.isArray(error.failures)) wrapped.push(...error.failures)
  return wrapped.some((inner) => hasQuotaError(inner, depth + 1))
}
