/**
 * The units a user may see: those it reads plus their ancestors, every era, and the links between
 * them across reorganizations. The list changes rarely
 * and a province's can be large, so it carries an ETag and a revalidating client gets a 304.
 */
import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Authenticator } from '../auth/authenticate.ts'
import { visibleUnits } from '../auth/scope.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { Store } from '../store/store.ts'

export interface UnitRouteOptions {
  store: Pick<Store, 'listLinks'>
  auth: Authenticator
  units: UnitCache
}

/** Whether an If-None-Match header names `etag` (or is `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*')
}

/** GET /api/units: the caller's visible units, with ETag revalidation. */
export const unitRoutes: FastifyPluginAsyncTypebox<UnitRouteOptions> = async (app, options) => {
  const { store, auth, units } = options

  app.get('/api/units', async (request, reply) => {
    const { user } = await auth.require(request)
    const list = visibleUnits(user, await units.tree()).sort(
      (a, b) => a.code.localeCompare(b.code) || a.validFrom.localeCompare(b.validFrom),
    )
    // The links whose new or old unit the user may see (src/domain/unitLinks.ts).
    const codes = new Set(list.map((unit) => unit.code))
    const links = (await store.listLinks()).filter(
      (link) => codes.has(link.newCode) || codes.has(link.oldCode),
    )
    // Serialized once: the same bytes are hashed for the ETag and sent.
    const body = JSON.stringify({ units: list, links })
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
    // The answer depends on who asks: never shared, always revalidated.
    reply
      .header('cache-control', 'private, no-cache')
      .header('vary', 'authorization')
      .header('etag', etag)
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send()
    return reply.type('application/json; charset=utf-8').send(body)
  })
}
