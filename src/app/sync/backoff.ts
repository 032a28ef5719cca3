/**
 * Retry delays: exponential with full jitter (a random delay between zero and the exponential cap),
 * so that after an outage the communes of a province do not all retry in the same second.
 */

export interface BackoffPolicy {
  baseMs: number
  capMs: number
}

/** 2 s doubling up to 5 minutes: quick after a blip, gentle on a server that is down. */
export const SYNC_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000 }

/** The longest delay before retry number `attempt` (1 for the first retry). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = SYNC_BACKOFF): number {
  const exponent = Math.max(0, attempt - 1)
  // Capped before exponentiation grows past what a number holds exactly.
  return exponent >= 30 ? policy.capMs : Math.min(policy.capMs, policy.baseMs * 2 ** exponent)
}

/** The delay before retry number `attempt`; `random` returns a number in [0, 1). */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = SYNC_BACKOFF,
): number {
  return Math.round(random() * backoffCeiling(attempt, policy))
}
