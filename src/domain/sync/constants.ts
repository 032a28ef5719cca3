/**
 * The protocol's plain values: versions, header names, limits and problem types. Kept apart from
 * protocol.ts's TypeBox schemas so the phone can import them without downloading TypeBox; the
 * schemas and the server take them from here too (protocol.ts re-exports them).
 *
 * Versioning: every request carries PROTOCOL_VERSION and SCHEMA_VERSION (headers below). A server
 * answers a client older than MIN_PROTOCOL_VERSION with 426 and a problem+json of type
 * `client-too-old`; the client keeps its outbox and asks the user to update.
 */

/**
 * 2: `target.put` ops, GET /api/sync/targets and `reportedAt` on changes. Version 1 clients send
 * only entry ops and ignore the new field, so they keep working.
 * 3: `review` ops and `review` on changes, `links` on GET /api/units, history and admin endpoints.
 * Older clients never send review ops and ignore the new fields.
 */
export const PROTOCOL_VERSION = 3
export const MIN_PROTOCOL_VERSION = 1
/** Version of the data model carried in ops and changes (entry fields). */
export const SCHEMA_VERSION = 1

export const HEADER_PROTOCOL = 'x-sohoa-protocol'
export const HEADER_SCHEMA = 'x-sohoa-schema'

/** Largest batch a push may carry, and the largest page a pull returns. */
export const MAX_PUSH_OPS = 200
export const MAX_PULL_LIMIT = 1000
export const DEFAULT_PULL_LIMIT = 500

/** The `type` of every problem+json the API answers (RFC 9457). */
export const PROBLEM_TYPES = {
  badRequest: '/problems/bad-request',
  unauthorized: '/problems/unauthorized',
  sessionExpired: '/problems/session-expired',
  forbidden: '/problems/forbidden',
  notFound: '/problems/not-found',
  tooManyRequests: '/problems/too-many-requests',
  clientTooOld: '/problems/client-too-old',
  payloadTooLarge: '/problems/payload-too-large',
  internal: '/problems/internal',
} as const
