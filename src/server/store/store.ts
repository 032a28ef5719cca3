/**
 * The server's persistence, behind one interface with two implementations: SQLite (the embedded
 * default, one file under DATA_DIR) and PostgreSQL (DATABASE_URL, several stateless instances). The
 * same test suite runs against both. Routes never see SQL.
 */
import type { Target } from '../../domain/targets.ts'
import type { Unit } from '../../domain/units.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { AuditEvent, ImportResult } from '../../domain/sync/protocol.ts'
import type { NewAuditEvent, UnitImportInput } from './unitImport.ts'
import type {
  HistoryEvent,
  Op,
  PullResponse,
  PushResponse,
  RejectReason,
  Role,
} from '../../domain/sync/protocol.ts'

export interface UserRecord {
  id: string
  username: string
  displayName: string
  role: Role
  /** Reporter: units it writes. Viewer: roots of the subtrees it reads. Admin: empty. */
  unitCodes: string[]
  /** scrypt hash in PHC-like form, see src/server/auth/password.ts. */
  passwordHash: string
  active: boolean
  createdAt: string
}

/** createUser was given a username that already exists. */
export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`Username already exists: ${username}`)
    this.name = 'UsernameTakenError'
  }
}

/**
 * A statement was given text neither database stores as sent (src/domain/text.ts). Thrown before
 * anything is sent, so the transaction rolls back whole; the API answers it as a 400.
 */
export class UnstorableTextError extends Error {
  constructor() {
    super('Văn bản có ký tự không lưu được (U+0000 hoặc nửa cặp UTF-16 lẻ).')
    this.name = 'UnstorableTextError'
  }
}

export type NewUser = Omit<UserRecord, 'id' | 'createdAt' | 'active'> & { active?: boolean }

export interface SessionRecord {
  userId: string
  expiresAt: string
}

/** What a user may read: every unit (admin) or an explicit set of unit codes (all eras). */
export type ReadScope = { all: true } | { all: false; unitCodes: ReadonlySet<string> }

/** Decides, inside the push transaction, whether this user may write this op; null = allowed. */
export type WriteCheck = (op: Op) => RejectReason | null

export interface PushContext {
  user: UserRecord
  deviceId: string
  now: Date
  /** Checked per op after idempotency (a duplicate returns its stored result unchecked). */
  check: WriteCheck
}

/** Sent to listeners after a commit that changed entries, in this instance or (PostgreSQL) another. */
export interface ChangeNotice {
  unitCodes: string[]
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  /** Creates or upgrades the schema; safe to run on every start and from several instances at once. */
  migrate(): Promise<void>
  close(): Promise<void>

  countUsers(): Promise<number>
  createUser(user: NewUser): Promise<UserRecord>
  findUserByUsername(username: string): Promise<UserRecord | null>
  findUserById(id: string): Promise<UserRecord | null>
  listUsers(): Promise<UserRecord[]>
  updateUser(
    id: string,
    patch: Partial<
      Pick<UserRecord, 'displayName' | 'role' | 'unitCodes' | 'passwordHash' | 'active'>
    >,
  ): Promise<UserRecord | null>

  createSession(tokenHash: string, session: SessionRecord): Promise<void>
  findSession(tokenHash: string): Promise<SessionRecord | null>
  deleteSession(tokenHash: string): Promise<void>
  deleteSessionsOf(userId: string): Promise<void>

  /** Failed logins per username, for a lockout that holds across instances. */
  recordLoginFailure(username: string, at: Date): Promise<void>
  countLoginFailures(username: string, since: Date): Promise<number>
  clearLoginFailures(username: string): Promise<void>

  putUnits(units: readonly Unit[]): Promise<void>
  listUnits(): Promise<Unit[]>
  /** An official list or mapping "as of" its date, all or nothing (src/server/store/unitImport.ts). */
  importUnits(input: UnitImportInput): Promise<ImportResult>
  listLinks(): Promise<UnitLink[]>

  /** Records an admin action; listAudit returns the newest first. */
  audit(event: NewAuditEvent): Promise<void>
  listAudit(limit: number): Promise<AuditEvent[]>

  /**
   * Applies a device's ops exactly once, in the order given, in one transaction: a known op id
   * returns its stored result (`duplicate`), a refused op is recorded as `rejected` and acknowledged.
   */
  push(context: PushContext, ops: readonly Op[]): Promise<PushResponse>

  /** Entry changes after `cursor` that `scope` may read, in commit order, at most `limit`. */
  pull(scope: ReadScope, cursor: bigint, limit: number): Promise<PullResponse>

  /** One unit's month: edits, conflicts, resolutions and review transitions, oldest first. */
  history(unitCode: string, month: string): Promise<HistoryEvent[]>

  /** The nationwide targets and those set on units in `scope` (every target when `scope.all`). */
  listTargets(scope: ReadScope): Promise<Target[]>

  /** Listens for committed changes; returns the unsubscribe function. */
  onChange(listener: (notice: ChangeNotice) => void): () => void
}
