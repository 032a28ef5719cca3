import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { AuditEvent, ImportRequest, ImportResult } from '../../domain/sync/protocol.ts'
import { db } from '../db/connection.ts'
import { getSession } from '../db/session.ts'
import type { AccountChanges, AdminApi, AdminUser, NewAccount } from '../sync/admin.ts'
import type { TransportOptions } from '../sync/transport.ts'

/** Which account field a refusal is about, so the form can show it next to that field. */
export type AdminField = 'username' | 'displayName' | 'password' | 'unitCodes' | null

/** Why an admin action failed, in terms the screens translate. */
export type AdminProblemCode =
  | 'offline'
  | 'signIn'
  | 'forbidden'
  | 'taken'
  | 'username'
  | 'password'
  | 'units'
  | 'unknownUnit'
  | 'notReporting'
  | 'self'
  | 'notFound'
  | 'tooLarge'
  | 'invalid'
  | 'server'

export interface AdminProblem {
  code: AdminProblemCode
  field: AdminField
  /** An import's bad rows, as the server named them (its messages are Vietnamese). */
  rows: { path: string; message: string }[]
}

export type AdminResult<T> = { ok: true; value: T } | { ok: false; problem: AdminProblem }

/** Reads the server's (English) refusal of an account change into a field and a code. */
function accountProblem(status: number, detail: string): Pick<AdminProblem, 'code' | 'field'> {
  const text = detail.toLowerCase()
  if (status === 409) return { code: 'taken', field: 'username' }
  if (status === 404) return { code: 'notFound', field: null }
  if (text.includes('its own account')) return { code: 'self', field: null }
  if (text.includes('unknown unit')) return { code: 'unknownUnit', field: 'unitCodes' }
  if (text.includes('not a commune or office')) return { code: 'notReporting', field: 'unitCodes' }
  if (text.includes('unit')) return { code: 'units', field: 'unitCodes' }
  if (text.includes('password')) return { code: 'password', field: 'password' }
  if (text.includes('username')) return { code: 'username', field: 'username' }
  if (text.includes('displayname')) return { code: 'invalid', field: 'displayName' }
  return { code: 'invalid', field: null }
}

async function toProblem(error: unknown): Promise<AdminProblem> {
  const errors = await import('../sync/errors.ts')
  const plain = (code: AdminProblemCode): AdminProblem => ({ code, field: null, rows: [] })
  if (error instanceof errors.OfflineError) return plain('offline')
  if (error instanceof errors.UnauthorizedError || error instanceof errors.SessionExpiredError) {
    return plain('signIn')
  }
  if (!(error instanceof errors.ServerError)) return plain('server')
  if (error.status === 403) return plain('forbidden')
  if (error.status === 413) return plain('tooLarge')
  const rows = error.problem?.errors ?? []
  if (error.status === 400 && rows.length > 0) return { code: 'invalid', field: null, rows }
  if (error.status >= 400 && error.status < 500) {
    return { ...accountProblem(error.status, error.problem?.detail ?? ''), rows }
  }
  return plain('server')
}

/**
 * The admin screens' state: the account list, the last import result and the audit log. Every
 * action needs the server; a failure comes back as an AdminProblem, never as a queued change.
 */
export const useAdminStore = defineStore('admin', () => {
  const users = shallowRef<AdminUser[]>([])
  const audit = shallowRef<AuditEvent[]>([])
  // True until the first list arrives, so the screen never says "0 accounts" before asking.
  const loading = shallowRef(true)
  const problem = shallowRef<AdminProblem | null>(null)
  /** Tests point this at a server; the app uses the page's own origin. */
  let options: TransportOptions = {}
  let api: AdminApi | null = null

  function configure(next: TransportOptions): void {
    options = next
    api = null
  }

  async function client(): Promise<AdminApi> {
    api ??= (await import('../sync/admin.ts')).createAdminApi(options)
    return api
  }

  /** Runs `work` with the stored token; any failure becomes an AdminProblem. */
  async function run<T>(
    work: (api: AdminApi, token: string) => Promise<T>,
  ): Promise<AdminResult<T>> {
    const session = await getSession(db)
    if (session === null || session.expired) {
      return { ok: false, problem: { code: 'signIn', field: null, rows: [] } }
    }
    try {
      return { ok: true, value: await work(await client(), session.token) }
    } catch (error) {
      return { ok: false, problem: await toProblem(error) }
    }
  }

  async function refreshUsers(): Promise<void> {
    loading.value = true
    const result = await run((client, token) => client.listUsers(token))
    loading.value = false
    problem.value = result.ok ? null : result.problem
    if (result.ok) users.value = result.value
  }

  function replace(user: AdminUser): void {
    const others = users.value.filter((existing) => existing.id !== user.id)
    users.value = [...others, user].sort((a, b) => a.username.localeCompare(b.username))
  }

  async function createUser(account: NewAccount): Promise<AdminResult<AdminUser>> {
    const result = await run((client, token) => client.createUser(token, account))
    if (result.ok) replace(result.value)
    return result
  }

  async function updateUser(id: string, changes: AccountChanges): Promise<AdminResult<AdminUser>> {
    const result = await run((client, token) => client.updateUser(token, id, changes))
    if (result.ok) replace(result.value)
    return result
  }

  function resetPassword(id: string, password: string): Promise<AdminResult<void>> {
    return run((client, token) => client.resetPassword(token, id, password))
  }

  function importUnits(request: ImportRequest): Promise<AdminResult<ImportResult>> {
    return run((client, token) => client.importUnits(token, request))
  }

  async function refreshAudit(): Promise<AdminResult<AuditEvent[]>> {
    const result = await run((client, token) => client.audit(token))
    if (result.ok) audit.value = result.value
    return result
  }

  return {
    users,
    audit,
    loading,
    problem,
    configure,
    refreshUsers,
    createUser,
    updateUser,
    resetPassword,
    importUnits,
    refreshAudit,
  }
})
