/**
 * What can go wrong talking to the server, as classes the engine can tell apart. Each names what the
 * app should do, not what HTTP said: retry later, ask to sign in, ask to update.
 */
import type { Problem } from '../../domain/sync/protocol.ts'

/** The server could not be reached (no network, request failed, or it took too long). Retry later. */
export class OfflineError extends Error {
  override readonly name = 'OfflineError'
  readonly reason: 'offline' | 'network' | 'timeout'

  constructor(reason: OfflineError['reason'], options?: ErrorOptions) {
    super(`Server unreachable: ${reason}`, options)
    this.reason = reason
  }
}

/** The session has expired. Sign in again; every unsent change is kept. */
export class SessionExpiredError extends Error {
  override readonly name = 'SessionExpiredError'
}

/** No valid session (unknown token, or wrong credentials at sign-in). */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError'
}

/** The server no longer speaks this app's protocol. Update the app; the outbox is kept. */
export class ClientTooOldError extends Error {
  override readonly name = 'ClientTooOldError'
}

/** Too many requests; `retryAfter` is in seconds, null when the server did not say. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError'
  readonly retryAfter: number | null

  constructor(retryAfter: number | null) {
    super(`Rate limited${retryAfter === null ? '' : `, retry after ${retryAfter} s`}`)
    this.retryAfter = retryAfter
  }
}

/**
 * Any other refusal or failure: `status` is the HTTP status, `problem` the server's problem details
 * when it sent them. A 2xx with a body that does not match the protocol also lands here.
 */
export class ServerError extends Error {
  override readonly name = 'ServerError'
  readonly status: number
  readonly problem: Problem | null

  constructor(status: number, problem: Problem | null, message?: string) {
    super(message ?? problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }
}

/** Every error the transport throws. */
export type TransportError =
  | OfflineError
  | SessionExpiredError
  | UnauthorizedError
  | ClientTooOldError
  | RateLimitedError
  | ServerError
