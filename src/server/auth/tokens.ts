/**
 * Opaque bearer tokens. A token is 32 random bytes (base64url, 43 characters); the database keeps
 * only its SHA-256, so a leaked backup of the database cannot be replayed as sessions.
 */
import { createHash, randomBytes } from 'node:crypto'

const TOKEN_BYTES = 32
/** 32 bytes in base64url without padding. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/

/** A new random token, handed to the client once and never stored. */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url')
}

/** The value stored and looked up for `token`. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Whether `value` could be one of our tokens; anything else is refused without a database lookup. */
export function looksLikeToken(value: string): boolean {
  return TOKEN_FORMAT.test(value)
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? null
}
