/**
 * Admin-only endpoints: importing official unit lists (POST /api/admin/units/import, body limit
 * IMPORT_BODY_LIMIT on this route only) and reading the audit log (GET /api/admin/audit).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AUDIT_DEFAULT_LIMIT,
  AuditQuerySchema,
  AuditResponseSchema,
  IMPORT_BODY_LIMIT,
  ImportRequestSchema,
  ImportResultSchema,
} from '../../domain/sync/protocol.ts'
import type { Authenticator } from '../auth/authenticate.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { Store } from '../store/store.ts'
import { readImportFile } from '../unitFiles.ts'
import { HttpProblem } from './problems.ts'

export interface AdminRouteOptions {
  store: Store
  auth: Authenticator
  units: UnitCache
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRouteOptions> = async (app, options) => {
  const { store, auth, units } = options
  const adminOnly = { roles: ['admin'] } as const

  app.post(
    '/api/admin/units/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { body: ImportRequestSchema, response: { 200: ImportResultSchema } },
    },
    async (request, reply) => {
      const { user } = await auth.require(request, adminOnly)
      const body = request.body
      const read = await readImportFile({
        format: body.format,
        fileName: body.fileName,
        content: Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8'),
        effectiveDate: body.effectiveDate,
      })
      if (!read.ok)
        throw new HttpProblem(400, 'badRequest', `Tệp ${body.fileName} có lỗi; chưa nhập gì.`, {
          errors: read.errors,
        })
      const result = await store.importUnits({
        format: body.format,
        fileName: body.fileName,
        effectiveDate: read.effectiveDate,
        parsed: read.parsed,
        dryRun: body.dryRun ?? false,
        actor: user.username,
      })
      if (!result.dryRun) units.invalidate()
      reply.header('cache-control', 'no-store')
      return result
    },
  )

  app.get(
    '/api/admin/audit',
    { schema: { querystring: AuditQuerySchema, response: { 200: AuditResponseSchema } } },
    async (request, reply) => {
      await auth.require(request, adminOnly)
      reply.header('cache-control', 'no-store')
      return { events: await store.listAudit(request.query.limit ?? AUDIT_DEFAULT_LIMIT) }
    },
  )
}
