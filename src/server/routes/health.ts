import type { FastifyPluginAsync } from 'fastify'
import type { Store } from '../store/store.ts'
import { HttpProblem } from './problems.ts'

export interface HealthRouteOptions {
  version: string
  store: Store
  /** How long the store may take to answer before the instance counts as down. */
  timeoutMs?: number
}

/**
 * Readiness probe for load balancers and the app's "is the server there" check: 200 when the store
 * answers, 503 when it does not, so a balancer stops sending traffic to an instance cut off from
 * its database.
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, options) => {
  const { version, store, timeoutMs = 2000 } = options

  async function storeAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    try {
      // The smallest query every store has; a `ping` on Store would say it better.
      const probe = store.countUsers().then(
        () => true,
        () => false,
      )
      return await Promise.race([probe, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  app.get('/api/health', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    if (!(await storeAnswers())) {
      throw new HttpProblem(503, 'internal', `The ${store.kind} store does not answer.`, {
        title: 'Service Unavailable',
      })
    }
    return { status: 'ok', version, store: store.kind }
  })
}
