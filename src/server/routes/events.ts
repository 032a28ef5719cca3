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
import { visibleCodes, type PokeClient, type PokeHub } from '../events/pokeHub.ts'
import { securityHeadersFor } from '../securityHeaders.ts'

export interface EventRouteOptions {
  auth: Authenticator
  units: UnitCache
  hub: PokeHub
  /** Comment lines keep proxies and phones from closing an idle stream; 25 s is under common 30 s+ idle timeouts. */
  heartbeatMs: number
  /**
   * How long a stream trusts its last session check before a poke or heartbeat checks again: a
   * signed-out or deactivated user's stream ends, and a changed role or unit list applies, within
   * this time. Bounded so a province viewer's busy stream is not a database query per poke.
   */
  recheckMs?: number
}

const DEFAULT_RECHECK_MS = 1000

export const EventQuerySchema = Type.Object(
  { token: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
)

/** Reconnect delay the browser's EventSource uses after a drop. */
const RETRY_MS = 5000

/** GET /api/events: one SSE stream per open app. */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRouteOptions> = async (app, options) => {
  const { auth, units, hub, heartbeatMs, recheckMs = DEFAULT_RECHECK_MS } = options

  app.get('/api/events', { schema: { querystring: EventQuerySchema } }, async (request, reply) => {
    const { user, tokenHash } = await auth.require(request, { queryToken: request.query.token })
    const scope = readScopeOf(user, await units.tree())

    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to; a buffered poke arrives too late.
      'x-accel-buffering': 'no',
      // The hijacked reply skips the onSend hook that adds these to every other response.
      ...securityHeadersFor(request.protocol, request.url),
    })
    // Node sends no body, and so never the headers, for HEAD: answer them and stop there.
    if (request.method === 'HEAD') {
      raw.end()
      return reply
    }
    raw.write(`retry: ${RETRY_MS}\n: connected\n\n`)

    let closed = false
    const client: PokeClient = {
      scope,
      poke(unitCodes) {
        void allowed().then((ok) => {
          // The hub filtered by the scope it knew; the recheck may have narrowed it since.
          const codes = visibleCodes(client.scope, { unitCodes })
          if (ok && !closed && codes.length > 0)
            raw.write(`event: poke\ndata: ${JSON.stringify({ unitCodes: codes })}\n\n`)
        })
      },
      close() {
        cleanup()
        raw.end()
      },
    }
    let checkedAt = Date.now()
    let verdict = Promise.resolve(true)
    /** Whether the session still stands, checked again once `recheckMs` has passed. */
    function allowed(): Promise<boolean> {
      if (Date.now() - checkedAt >= recheckMs) {
        checkedAt = Date.now()
        verdict = rescope().catch(() => {
          // Signed out, expired, deactivated, or the store unreachable: the app reconnects later.
          if (!closed) client.close()
          return false
        })
      }
      return verdict
    }
    async function rescope(): Promise<boolean> {
      const current = await auth.recheck(tokenHash)
      client.scope = readScopeOf(current.user, await units.tree())
      return true
    }
    const heartbeat = setInterval(() => {
      void allowed().then((ok) => {
        if (ok && !closed) raw.write(': heartbeat\n\n')
      })
    }, heartbeatMs)
    const remove = hub.add(client)
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
