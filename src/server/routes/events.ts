/**
 * `GET /api/events`: a Server-Sent-Events stream that pokes the app to pull when entries it may read
 * change. EventSource cannot set headers, so the token may also come as `?token=` (redacted from
 * logs). The stream bypasses Fastify's reply (hijack): compression and buffering would hold pokes
 * back.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Authenticator } from '../auth/authenticate.ts'
import { readScopeOf } from '../auth/scope.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { PokeHub } from '../events/pokeHub.ts'
import { CONTENT_SECURITY_POLICY } from '../securityHeaders.ts'

export interface EventRouteOptions {
  auth: Authenticator
  units: UnitCache
  hub: PokeHub
  /** Comment lines keep proxies and phones from closing an idle stream; 25 s is under common 30 s+ idle timeouts. */
  heartbeatMs: number
}

const EventQuerySchema = Type.Object(
  { token: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
)

/** Reconnect delay the browser's EventSource uses after a drop. */
const RETRY_MS = 5000

/** GET /api/events: one SSE stream per open app. */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRouteOptions> = async (app, options) => {
  const { auth, units, hub, heartbeatMs } = options

  app.get('/api/events', { schema: { querystring: EventQuerySchema } }, async (request, reply) => {
    const { user } = await auth.require(request, { queryToken: request.query.token })
    const scope = readScopeOf(user, await units.tree())

    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to; a buffered poke arrives too late.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    })
    raw.write(`retry: ${RETRY_MS}\n: connected\n\n`)

    let closed = false
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs)
    const remove = hub.add({
      scope,
      poke(unitCodes) {
        if (!closed) raw.write(`event: poke\ndata: ${JSON.stringify({ unitCodes })}\n\n`)
      },
      close() {
        cleanup()
        raw.end()
      },
    })
    function cleanup(): void {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      remove()
    }
    request.raw.on('close', cleanup)
    raw.on('error', cleanup)
    return reply
  })
}
