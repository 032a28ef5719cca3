/**
 * Builds the Fastify instance without listening, so tests can `inject` into it. It serves the
 * built PWA and the API; the sync API arrives in routes/ next to health.
 */
import { constants as zlib } from 'node:zlib'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyCompress from '@fastify/compress'
import pkg from '../../package.json' with { type: 'json' }
import { healthRoutes } from './routes/health.ts'
import { shellRoutes } from './routes/shell.ts'
import { securityHeaders } from './securityHeaders.ts'

/** What `buildApp` needs; everything else has a production default. */
export interface BuildAppOptions {
  /** The `vite build` output to serve. */
  staticDir: string
  /** Log to stdout at `logLevel` (default warn). Off in tests. */
  logger?: boolean
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** Reported by /api/health; defaults to package.json's version. */
  version?: string
}

/** The app with every route registered and nothing listening yet. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // At the default `warn`, per-request lines stay out of the log; errors still show.
    logger: options.logger ? { level: options.logLevel ?? 'warn' } : false,
  })
  app.addHook('onSend', securityHeaders)
  // Phones on 2G/3G: compress text. The service worker caches the result, so the CPU cost is paid
  // once per version per device; a middling brotli quality keeps it cheap on the server.
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 6 } },
  })
  await app.register(healthRoutes, { version: options.version ?? pkg.version })
  await app.register(shellRoutes, { staticDir: options.staticDir })
  return app
}
