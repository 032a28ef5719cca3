/**
 * The admin screens' calls to the server: accounts (/api/users), the unit-list import and the audit
 * log. They go through the transport's authorized request, so they share its headers, timeout and
 * errors; nothing here is queued offline — an admin action needs the server there and then.
 */
import type {
  AuditEvent,
  ImportFormat,
  ImportRequest,
  ImportResult,
  Role,
  SessionUser,
} from '../../domain/sync/protocol.ts'
import { isRecord } from '../db/shapes.ts'
import { createAuthorizedRequest, type TransportOptions } from './transport.ts'

/**
 * An account as GET /api/users lists it. Structurally the server's AdminUserSchema
 * (src/server/routes/users.ts): the session user plus `active` and `createdAt`.
 */
export interface AdminUser extends SessionUser {
  active: boolean
  createdAt: string
}

export interface NewAccount {
  username: string
  displayName?: string
  role: Role
  unitCodes: string[]
  password: string
}

export interface AccountChanges {
  displayName?: string
  role?: Role
  unitCodes?: string[]
  active?: boolean
}

export interface AdminApi {
  listUsers(token: string): Promise<AdminUser[]>
  createUser(token: string, account: NewAccount): Promise<AdminUser>
  updateUser(token: string, id: string, changes: AccountChanges): Promise<AdminUser>
  resetPassword(token: string, id: string, password: string): Promise<void>
  importUnits(token: string, request: ImportRequest): Promise<ImportResult>
  audit(token: string, limit?: number): Promise<AuditEvent[]>
}

const ROLES: readonly Role[] = ['reporter', 'viewer', 'admin']
const FORMATS: readonly ImportFormat[] = ['stats', 'units-old', 'units-new', 'merges']

const isString = (value: unknown): value is string => typeof value === 'string'
const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && typeof value === 'number' && value >= 0
const isRole = (value: unknown): value is Role => ROLES.some((role) => role === value)
const isFormat = (value: unknown): value is ImportFormat =>
  FORMATS.some((format) => format === value)

function decodeUser(value: unknown): AdminUser | null {
  if (!isRecord(value)) return null
  const { id, username, displayName, role, unitCodes, active, createdAt } = value
  if (!isString(id) || !isString(username) || !isString(displayName) || !isRole(role)) return null
  if (!Array.isArray(unitCodes) || !unitCodes.every(isString)) return null
  if (typeof active !== 'boolean' || !isString(createdAt)) return null
  return { id, username, displayName, role, unitCodes: [...unitCodes], active, createdAt }
}

function decodeUsers(value: unknown): AdminUser[] | null {
  if (!isRecord(value) || !Array.isArray(value.users)) return null
  const users = value.users.map(decodeUser)
  return users.every((user): user is AdminUser => user !== null) ? users : null
}

function decodeLevels(value: unknown): ImportResult['active']['before'] | null {
  if (!isRecord(value)) return null
  const { province, district, commune } = value
  return isCount(province) && isCount(district) && isCount(commune)
    ? { province, district, commune }
    : null
}

function decodeImportResult(value: unknown): ImportResult | null {
  if (!isRecord(value) || !isFormat(value.format) || !isString(value.effectiveDate)) return null
  const { units, links, active } = value
  if (!isRecord(units) || !isRecord(links) || !isRecord(active)) return null
  if (!isCount(units.added) || !isCount(units.closed) || !isCount(units.unchanged)) return null
  if (!isCount(links.added) || !isCount(links.unchanged)) return null
  const before = decodeLevels(active.before)
  const after = decodeLevels(active.after)
  if (before === null || after === null) return null
  return {
    format: value.format,
    effectiveDate: value.effectiveDate,
    dryRun: value.dryRun === true,
    units: { added: units.added, closed: units.closed, unchanged: units.unchanged },
    links: { added: links.added, unchanged: links.unchanged },
    active: { before, after },
  }
}

function decodeAudit(value: unknown): AuditEvent[] | null {
  if (!isRecord(value) || !Array.isArray(value.events)) return null
  const events: AuditEvent[] = []
  for (const item of value.events) {
    if (!isRecord(item)) return null
    const { id, at, actor, action, target, detail } = item
    if (!isString(id) || !isString(at) || !isString(actor) || !isString(action)) return null
    if (!isString(target) || !isString(detail)) return null
    events.push({ id, at, actor, action, target, detail })
  }
  return events
}

export function createAdminApi(options: TransportOptions = {}): AdminApi {
  const request = createAuthorizedRequest(options)
  const path = (id: string): string => `/api/users/${encodeURIComponent(id)}`
  return {
    listUsers: (token) => request({ method: 'GET', path: '/api/users', token }, decodeUsers),
    createUser: (token, body) =>
      request({ method: 'POST', path: '/api/users', token, body }, decodeUser),
    updateUser: (token, id, body) =>
      request({ method: 'PATCH', path: path(id), token, body }, decodeUser),
    async resetPassword(token, id, password) {
      await request(
        { method: 'POST', path: `${path(id)}/password`, token, body: { password } },
        () => true,
      )
    },
    importUnits: (token, body) =>
      request({ method: 'POST', path: '/api/admin/units/import', token, body }, decodeImportResult),
    audit: (token, limit = 100) =>
      request(
        {
          method: 'GET',
          path: `/api/admin/audit?${new URLSearchParams({ limit: String(limit) })}`,
          token,
        },
        decodeAudit,
      ),
  }
}
