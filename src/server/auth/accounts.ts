/**
 * Account management shared by the admin API and the CLI: the rules for usernames, roles and unit
 * assignments live here once, and both translate `AccountError` into their own way of saying no.
 */
import type { Role, SessionUser } from '../../domain/sync/protocol.ts'
import { isReportingUnit } from '../../domain/units.ts'
import { UsernameTakenError, type Store, type UserRecord } from '../store/store.ts'
import { normalizeUsername } from './login.ts'
import { hashPassword, passwordProblem } from './password.ts'
import type { UnitTree } from './scope.ts'

/** Lower-case letters, digits, dot, dash, underscore; 3 to 50 characters. */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,49}$'
const USERNAME = new RegExp(USERNAME_PATTERN)

/** A refused account operation: `invalid` input, a taken username, or no such user. */
export class AccountError extends Error {
  constructor(
    readonly kind: 'invalid' | 'exists' | 'notFound',
    message: string,
  ) {
    super(message)
  }
}

export interface NewAccount {
  username: string
  displayName?: string | undefined
  role: Role
  unitCodes: readonly string[]
  password: string
}

export interface AccountPatch {
  displayName?: string | undefined
  role?: Role | undefined
  unitCodes?: readonly string[] | undefined
  active?: boolean | undefined
}

/** What the app learns about the signed-in user. */
export function toSessionUser(user: UserRecord): SessionUser {
  const { id, username, displayName, role, unitCodes } = user
  return { id, username, displayName, role, unitCodes: [...unitCodes] }
}

/** What an admin sees of an account: everything but the password hash. */
export function toAdminUser(
  user: UserRecord,
): SessionUser & { active: boolean; createdAt: string } {
  return { ...toSessionUser(user), active: user.active, createdAt: user.createdAt }
}

/**
 * The unit list a role may hold, deduplicated: admins hold none (they see everything), viewers hold
 * the roots of the subtrees they read, reporters the communes and offices they write.
 */
export function checkAssignment(
  role: Role,
  unitCodes: readonly string[],
  tree: UnitTree,
): string[] {
  const codes = [...new Set(unitCodes)]
  if (role === 'admin') return []
  if (codes.length === 0) {
    throw new AccountError('invalid', `A ${role} needs at least one unit.`)
  }
  for (const code of codes) {
    const versions = tree.byCode.get(code)
    if (!versions) throw new AccountError('invalid', `Unknown unit ${code}.`)
    if (role === 'reporter' && !versions.some(isReportingUnit)) {
      throw new AccountError(
        'invalid',
        `${code} is not a commune or office: province and district figures are sums, never typed.`,
      )
    }
  }
  return codes
}

/** Validates and creates an account; the username is stored in lower case. */
export async function createAccount(
  store: Store,
  tree: UnitTree,
  input: NewAccount,
): Promise<UserRecord> {
  const username = normalizeUsername(input.username)
  if (!USERNAME.test(username)) {
    throw new AccountError(
      'invalid',
      'A username has 3 to 50 lower-case letters, digits, dots, dashes or underscores.',
    )
  }
  const policy = passwordProblem(input.password)
  if (policy) throw new AccountError('invalid', policy)
  const unitCodes = checkAssignment(input.role, input.unitCodes, tree)
  const taken = new AccountError('exists', `The username ${username} is taken.`)
  // Checked first to skip hashing; the store's unique index settles a race with another instance.
  if (await store.findUserByUsername(username)) throw taken
  try {
    return await store.createUser({
      username,
      displayName: input.displayName?.trim() || username,
      role: input.role,
      unitCodes,
      passwordHash: await hashPassword(input.password),
    })
  } catch (error) {
    throw error instanceof UsernameTakenError ? taken : error
  }
}

/**
 * Changes an account. `actorId` is the admin making the change: an admin cannot deactivate or demote
 * itself, so a deployment can never lose its last way in by accident. Deactivating ends every session.
 */
export async function updateAccount(
  store: Store,
  tree: UnitTree,
  id: string,
  patch: AccountPatch,
  actorId: string,
): Promise<UserRecord> {
  const current = await store.findUserById(id)
  if (!current) throw new AccountError('notFound', 'No such user.')
  const role = patch.role ?? current.role
  if (id === actorId && (role !== 'admin' || patch.active === false)) {
    throw new AccountError('invalid', 'An admin cannot deactivate or demote its own account.')
  }
  const unitCodes = checkAssignment(role, patch.unitCodes ?? current.unitCodes, tree)
  const displayName = patch.displayName?.trim()
  const updated = await store.updateUser(id, {
    role,
    unitCodes,
    ...(displayName ? { displayName } : {}),
    ...(patch.active === undefined ? {} : { active: patch.active }),
  })
  if (!updated) throw new AccountError('notFound', 'No such user.')
  if (patch.active === false) await store.deleteSessionsOf(id)
  return updated
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(
  store: Store,
  id: string,
  password: string,
): Promise<UserRecord> {
  const policy = passwordProblem(password)
  if (policy) throw new AccountError('invalid', policy)
  const updated = await store.updateUser(id, { passwordHash: await hashPassword(password) })
  if (!updated) throw new AccountError('notFound', 'No such user.')
  await store.deleteSessionsOf(id)
  return updated
}
