/**
 * Everything the Store does, written once over `Sql`; SqliteStore and PostgresStore only provide
 * connections, transactions, migrations' locking and cross-instance notices.
 */
import { randomUUID } from 'node:crypto'
import type { HistoryEvent, Op, PullResponse, PushResponse } from '../../domain/sync/protocol.ts'
import type { Target } from '../../domain/targets.ts'
import type { Unit } from '../../domain/units.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { AuditEvent, ImportResult } from '../../domain/sync/protocol.ts'
import { monthHistory } from './history.ts'
import { pullChanges } from './pull.ts'
import { pushOps } from './push.ts'
import {
  appendAudit,
  importUnitsTx,
  listAudit,
  listLinks,
  type NewAuditEvent,
  type UnitImportInput,
} from './unitImport.ts'
import { TARGET_COLUMNS, int, text, toTarget, toUnit, toUser } from './rows.ts'
import { inList, one, type Sql, type SqlValue } from './sql.ts'
import {
  UsernameTakenError,
  type ChangeNotice,
  type NewUser,
  type PushContext,
  type ReadScope,
  type SessionRecord,
  type Store,
  type UserRecord,
} from './store.ts'

const USER_COLUMNS =
  'id, username, display_name, role, unit_codes, password_hash, active, created_at'
const UNIT_COLUMNS = 'code, valid_from, valid_to, name, name_en, kind, type, level, parent_code'
/** Units per INSERT: 9 parameters each stays far below both databases' parameter limits. */
const UNIT_CHUNK = 500
/** Login failures older than this are deleted; lockout windows are much shorter. */
const FAILURE_RETENTION_MS = 24 * 60 * 60 * 1000

type UserPatch = Parameters<Store['updateUser']>[1]

export abstract class SqlStore implements Store {
  abstract readonly kind: 'sqlite' | 'postgres'
  private readonly listeners = new Set<(notice: ChangeNotice) => void>()

  /**
   * Runs `fn` in one write transaction: commit when it resolves, roll back when it throws. Exposed
   * (not part of Store) so tests can hold a transaction open against the real code paths.
   */
  abstract transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>
  abstract migrate(): Promise<void>
  abstract close(): Promise<void>
  /** A connection that sees committed data only. */
  protected abstract readonly reader: Sql
  /** Inside the writing transaction: make the notice reach other instances once it commits. */
  protected abstract announce(tx: Sql, notice: ChangeNotice): Promise<void>

  async push(context: PushContext, ops: readonly Op[]): Promise<PushResponse> {
    const outcome = await this.transaction(async (tx) => {
      const pushed = await pushOps(tx, context, ops)
      if (pushed.changedUnits.length > 0)
        await this.announce(tx, { unitCodes: pushed.changedUnits })
      return pushed
    })
    if (outcome.changedUnits.length > 0) this.emit({ unitCodes: outcome.changedUnits })
    return outcome.response
  }

  pull(scope: ReadScope, cursor: bigint, limit: number): Promise<PullResponse> {
    return pullChanges(this.reader, scope, cursor, limit)
  }

  history(unitCode: string, month: string): Promise<HistoryEvent[]> {
    return monthHistory(this.reader, unitCode, month)
  }

  async listTargets(scope: ReadScope): Promise<Target[]> {
    const inScope = scope.all ? '' : ` OR ${inList(this.reader.dialect, 'unit_code')}`
    const params: SqlValue[] = scope.all ? [] : [[...scope.unitCodes]]
    const rows = await this.reader.all(
      `SELECT ${TARGET_COLUMNS} FROM targets
       ${scope.all ? '' : `WHERE unit_code IS NULL${inScope}`} ORDER BY key`,
      params,
    )
    return rows.map(toTarget)
  }

  onChange(listener: (notice: ChangeNotice) => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Calls the listeners; only after the change is committed. */
  protected emit(notice: ChangeNotice): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(notice)
      } catch {
        // A failing listener (a closed SSE stream) must not fail the push that already committed.
      }
    }
  }

  async countUsers(): Promise<number> {
    const row = await one(this.reader, 'SELECT COUNT(*) AS n FROM users')
    return row === null ? 0 : int(row, 'n')
  }

  createUser(user: NewUser): Promise<UserRecord> {
    const record: UserRecord = {
      id: randomUUID(),
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      unitCodes: [...user.unitCodes],
      passwordHash: user.passwordHash,
      active: user.active ?? true,
      createdAt: new Date().toISOString(),
    }
    return this.transaction(async (tx) => {
      const taken = await one(tx, 'SELECT id FROM users WHERE username = ?', [user.username])
      if (taken !== null) throw new UsernameTakenError(user.username)
      await tx.run(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
        record.id,
        record.username,
        record.displayName,
        record.role,
        JSON.stringify(record.unitCodes),
        record.passwordHash,
        record.active ? 1 : 0,
        record.createdAt,
      ])
      return record
    })
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = await one(this.reader, `SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, [
      username,
    ])
    return row === null ? null : toUser(row)
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = await one(this.reader, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id])
    return row === null ? null : toUser(row)
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.reader.all(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`)
    return rows.map(toUser)
  }

  updateUser(id: string, patch: UserPatch): Promise<UserRecord | null> {
    const sets: string[] = []
    const params: SqlValue[] = []
    const set = (column: string, value: SqlValue) => {
      sets.push(`${column} = ?`)
      params.push(value)
    }
    if (patch.displayName !== undefined) set('display_name', patch.displayName)
    if (patch.role !== undefined) set('role', patch.role)
    if (patch.unitCodes !== undefined) set('unit_codes', JSON.stringify(patch.unitCodes))
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash)
    if (patch.active !== undefined) set('active', patch.active ? 1 : 0)
    return this.transaction(async (tx) => {
      if (sets.length > 0)
        await tx.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, [...params, id])
      const row = await one(tx, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`, [id])
      return row === null ? null : toUser(row)
    })
  }

  async createSession(tokenHash: string, session: SessionRecord): Promise<void> {
    const now = new Date().toISOString()
    await this.transaction(async (tx) => {
      // Sessions are never listed, so expired ones are cleared as the same user signs in again.
      await tx.run('DELETE FROM sessions WHERE user_id = ? AND expires_at < ?', [
        session.userId,
        now,
      ])
      await tx.run(
        'INSERT INTO sessions (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)',
        [tokenHash, session.userId, session.expiresAt, now],
      )
    })
  }

  /** The session as stored, expired or not: the caller tells "expired" from "unknown". */
  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = await one(
      this.reader,
      'SELECT user_id, expires_at FROM sessions WHERE token_hash = ?',
      [tokenHash],
    )
    return row === null
      ? null
      : { userId: text(row, 'user_id'), expiresAt: text(row, 'expires_at') }
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.transaction((tx) => tx.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash]))
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.transaction((tx) => tx.run('DELETE FROM sessions WHERE user_id = ?', [userId]))
  }

  async recordLoginFailure(username: string, at: Date): Promise<void> {
    const expired = new Date(at.getTime() - FAILURE_RETENTION_MS).toISOString()
    await this.transaction(async (tx) => {
      await tx.run('DELETE FROM login_failures WHERE username = ? AND at < ?', [username, expired])
      await tx.run('INSERT INTO login_failures (username, at) VALUES (?, ?)', [
        username,
        at.toISOString(),
      ])
    })
  }

  async countLoginFailures(username: string, since: Date): Promise<number> {
    const row = await one(
      this.reader,
      'SELECT COUNT(*) AS n FROM login_failures WHERE username = ? AND at >= ?',
      [username, since.toISOString()],
    )
    return row === null ? 0 : int(row, 'n')
  }

  async clearLoginFailures(username: string): Promise<void> {
    await this.transaction((tx) =>
      tx.run('DELETE FROM login_failures WHERE username = ?', [username]),
    )
  }

  async putUnits(units: readonly Unit[]): Promise<void> {
    if (units.length === 0) return
    await this.transaction(async (tx) => {
      for (let start = 0; start < units.length; start += UNIT_CHUNK) {
        const chunk = units.slice(start, start + UNIT_CHUNK)
        await tx.run(
          `INSERT INTO units (${UNIT_COLUMNS}) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
           ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
             name = excluded.name, name_en = excluded.name_en, kind = excluded.kind,
             type = excluded.type, level = excluded.level, parent_code = excluded.parent_code`,
          chunk.flatMap((u) => [
            u.code,
            u.validFrom,
            u.validTo,
            u.name,
            u.nameEn ?? null,
            u.kind,
            u.type,
            u.level,
            u.parentCode,
          ]),
        )
      }
    })
  }

  importUnits(input: UnitImportInput): Promise<ImportResult> {
    return this.transaction((tx) => importUnitsTx(tx, input, new Date()))
  }

  listLinks(): Promise<UnitLink[]> {
    return listLinks(this.reader)
  }

  async audit(event: NewAuditEvent): Promise<void> {
    await this.transaction((tx) => appendAudit(tx, new Date(), event))
  }

  listAudit(limit: number): Promise<AuditEvent[]> {
    return listAudit(this.reader, limit)
  }

  async listUnits(): Promise<Unit[]> {
    const rows = await this.reader.all(
      `SELECT ${UNIT_COLUMNS} FROM units ORDER BY code, valid_from`,
    )
    return rows.map(toUnit)
  }
}
