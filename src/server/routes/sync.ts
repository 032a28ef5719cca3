/**
 * Push and pull. The store applies ops exactly once and pages changes; these handlers add who may
 * do what (auth/scope.ts) and the version gate every /api/sync request passes first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  DEFAULT_PULL_LIMIT,
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  MIN_PROTOCOL_VERSION,
  PullQuerySchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  TargetsResponseSchema,
} from '../../domain/sync/protocol.ts'
import type { Authenticator } from '../auth/authenticate.ts'
import { deviceBelongsTo } from '../auth/devices.ts'
import { readScopeOf, targetReadScopeOf, writeCheckFor } from '../auth/scope.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { Store } from '../store/store.ts'
import { HttpProblem } from './problems.ts'

export interface SyncRouteOptions {
  store: Store
  auth: Authenticator
  units: UnitCache
  now: () => Date
}

function versionHeader(request: FastifyRequest, name: string): number | null {
  const value = request.headers[name]
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : null
}

/**
 * Refuses clients older than MIN_PROTOCOL_VERSION with 426 before anything else, so an old app is
 * told to update instead of failing on a schema it does not know; it keeps its outbox meanwhile.
 */
export async function versionGate(request: FastifyRequest): Promise<void> {
  const protocol = versionHeader(request, HEADER_PROTOCOL)
  const schema = versionHeader(request, HEADER_SCHEMA)
  if (protocol === null || schema === null || protocol < MIN_PROTOCOL_VERSION) {
    throw new HttpProblem(
      426,
      'clientTooOld',
      'Phiên bản SoHoa trên máy này đã cũ. Vui lòng cập nhật ứng dụng (tải lại trang) để gửi số liệu; các thay đổi chưa gửi vẫn được giữ.',
      { headers: { upgrade: `sohoa-protocol/${MIN_PROTOCOL_VERSION}` } },
    )
  }
}

/** POST /api/sync/push, GET /api/sync/pull and GET /api/sync/targets, behind the version gate. */
export const syncRoutes: FastifyPluginAsyncTypebox<SyncRouteOptions> = async (app, options) => {
  const { store, auth, units, now } = options
  app.addHook('onRequest', versionGate)

  app.post(
    '/api/sync/push',
    { schema: { body: PushRequestSchema, response: { 200: PushResponseSchema } } },
    async (request) => {
      // Every role may push; what each may write is decided per op (auth/scope.ts), so a viewer's
      // entry op is refused as `forbidden` while its target ops apply.
      const { user } = await auth.require(request)
      const { deviceId, ops } = request.body
      if (!deviceBelongsTo(deviceId, user.id)) {
        throw new HttpProblem(
          403,
          'forbidden',
          'This device stream belongs to another user: use deviceId = <installId>:<userId>.',
        )
      }
      const tree = await units.tree()
      const at = now()
      return store.push({ user, deviceId, now: at, check: writeCheckFor(user, tree, at) }, ops)
    },
  )

  app.get(
    '/api/sync/pull',
    { schema: { querystring: PullQuerySchema, response: { 200: PullResponseSchema } } },
    async (request, reply) => {
      const { user } = await auth.require(request)
      const tree = await units.tree()
      const { cursor, limit } = request.query
      reply.header('cache-control', 'no-store')
      return store.pull(readScopeOf(user, tree), BigInt(cursor), limit ?? DEFAULT_PULL_LIMIT)
    },
  )

  app.get(
    '/api/sync/targets',
    { schema: { response: { 200: TargetsResponseSchema } } },
    async (request, reply) => {
      const { user } = await auth.require(request)
      const tree = await units.tree()
      reply.header('cache-control', 'no-store')
      return { targets: await store.listTargets(targetReadScopeOf(user, tree)) }
    },
  )
}
