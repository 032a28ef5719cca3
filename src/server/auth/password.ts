/**
 * Password hashing with scrypt from node:crypto, so there is no native dependency to build on a
 * commune's server. The hash carries its own salt and cost parameters (`scrypt$N=..,r=..,p=..$salt$key`),
 * so the cost can be raised later without invalidating the passwords already stored.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** Shortest password accepted: long enough to resist guessing, short enough to type on a phone. */
export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 200

/** ~50 ms on a server core: slow for a guesser, unnoticeable for an official signing in. */
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32
const SALT_LENGTH = 16

interface ScryptCost {
  N: number
  r: number
  p: number
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node's default cap (32 MiB) is exactly that for N=2^15, r=8.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/** A new hash of `password` with a fresh random salt. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, cost)
  return `scrypt$N=${cost.N},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

const HASH_FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

/** Whether `password` matches `hash`; false (never a throw) for a malformed hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(hash)
  if (!match) return false
  const [, n, r, p, salt, key] = match
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  // A corrupted row must not make the server allocate gigabytes.
  if (cost.N > 2 ** 20 || cost.r > 32 || cost.p > 16) return false
  const expected = Buffer.from(key ?? '', 'base64')
  if (expected.length !== KEY_LENGTH) return false
  const actual = await derive(password, Buffer.from(salt ?? '', 'base64'), cost)
  return timingSafeEqual(actual, expected)
}

let dummyHash: Promise<string> | null = null

/**
 * Spends the time of a real verification when the username does not exist, so the response time
 * does not tell an attacker which usernames are real.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(12).toString('base64'))
  await verifyPassword(password, await dummyHash)
  return false
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `A password has at most ${MAX_PASSWORD_LENGTH} characters.`
  }
  if (password.trim() !== password) {
    return 'A password cannot start or end with a space.'
  }
  return null
}

/** A random password for a new account: 16 URL-safe characters, ~96 bits. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}
