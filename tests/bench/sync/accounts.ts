/**
 * Accounts and sessions for thousands of officials, made straight in the store: one password hash
 * shared by all (scrypt per account would take minutes) and sessions created as a sign-in creates
 * them, so set-up needs neither the login route nor its per-IP rate limit.
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '../../../src/domain/sync/protocol.ts'
import { hashPassword } from '../../../src/server/auth/password.ts'
import { hashToken, newToken } from '../../../src/server/auth/tokens.ts'
import type { Store, UserRecord } from '../../../src/server/store/store.ts'
import { runPool } from './pool.ts'

export interface AccountSpec {
  username: string
  role: Role
  unitCodes: string[]
}

/** A user and the bearer token of a session opened for it. */
export interface SignedIn {
  user: UserRecord
  token: string
}

const SESSION_MS = 30 * 24 * 60 * 60 * 1000

/** Creates every account with an open session, `concurrency` at a time, in the order given. */
export async function signedInAccounts(
  store: Store,
  specs: readonly AccountSpec[],
  concurrency: number,
): Promise<SignedIn[]> {
  // Nobody signs in with it: the bench holds the tokens. A real hash keeps the rows realistic.
  const passwordHash = await hashPassword(randomBytes(12).toString('base64url'))
  const expiresAt = new Date(Date.now() + SESSION_MS).toISOString()
  const accounts: SignedIn[] = new Array(specs.length)
  await runPool(specs, concurrency, async (spec, i) => {
    const user = await store.createUser({ ...spec, displayName: spec.username, passwordHash })
    const token = newToken()
    await store.createSession(hashToken(token), { userId: user.id, expiresAt })
    accounts[i] = { user, token }
  })
  return accounts
}
