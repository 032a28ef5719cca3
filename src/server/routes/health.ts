import type { FastifyPluginAsync } from 'fastify'

/** Liveness probe for load balancers and the app's "is the server there" check. */
export const healthRoutes: FastifyPluginAsync<{ version: string }> = async (app, options) => {
  app.get('/api/health', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { status: 'ok', version: options.version }
  })
}
