/**
 * GET /api/history/:unitCode/:month: who changed a month's figures, what conflicted and how it was
 * reviewed, oldest first. Whoever reads the unit's entries reads its history; a month with nothing
 * recorded (or a unit unknown to an admin) has an empty history.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HistoryResponseSchema, MonthSchema, UnitCodeSchema } from '../../domain/sync/protocol.ts'
import type { Authenticator } from '../auth/authenticate.ts'
import { readScopeOf, scopeCovers } from '../auth/scope.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { Store } from '../store/store.ts'
import { HttpProblem } from './problems.ts'

export interface HistoryRouteOptions {
  store: Store
  auth: Authenticator
  units: UnitCache
}

const HistoryParamsSchema = Type.Object(
  { unitCode: UnitCodeSchema, month: MonthSchema },
  { additionalProperties: false },
)

export const historyRoutes: FastifyPluginAsyncTypebox<HistoryRouteOptions> = async (
  app,
  options,
) => {
  const { store, auth, units } = options

  app.get(
    '/api/history/:unitCode/:month',
    { schema: { params: HistoryParamsSchema, response: { 200: HistoryResponseSchema } } },
    async (request, reply) => {
      const { user } = await auth.require(request)
      const { unitCode, month } = request.params
      if (!scopeCovers(readScopeOf(user, await units.tree()), [unitCode])) {
        throw new HttpProblem(403, 'forbidden', 'Bạn không có quyền xem lịch sử của đơn vị này.')
      }
      reply.header('cache-control', 'no-store')
      return { events: await store.history(unitCode, month) }
    },
  )
}
