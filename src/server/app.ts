/**
 * Builds the Fastify instance without listening, so tests can `inject` into it or listen on a random
 * port. It serves the built PWA and the API: auth, sync, units, events (SSE) and user management.
 * Every error is an RFC 9457 problem (routes/problems.ts).
 */
import type { Writable } from 'node:stream'
import { constants as zlib } from 'node:zlib'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastifyCompress from '@fastify/compress'
import fastifyRateLimit from '@fastify/rate-limit'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import pkg from '../../package.json' with { type: 'json' }
import { createAuthenticator } from './auth/authenticate.ts'
import { clientErrorHandler, frameworkErrorHandler } from './clientErrors.ts'
import { DEFAULT_LOGIN_POLICY, type LoginPolicy } from './auth/login.ts'
import { createUnitCache } from './auth/unitCache.ts'
import { createPokeHub } from './events/pokeHub.ts'
import { authRoutes } from './routes/auth.ts'
import { eventRoutes } from './routes/events.ts'
import { healthRoutes } from './routes/health.ts'
import { historyRoutes } from './routes/history.ts'
import { notFoundProblem, problemErrorHandler, sendProblem } from './routes/problems.ts'
import { shellRoutes } from './routes/shell.ts'
import { syncRoutes } from './routes/sync.ts'
import { adminRoutes } from './routes/admin.ts'
import { unitRoutes } from './routes/units.ts'
import { userRoutes } from './routes/users.ts'
import { securityHeaders } from './securityHeaders.ts'
import type { Store } from './store/store.ts'

/** What `buildApp` needs; everything else has a production default. */
export interface BuildAppOptions {
  store: Store
  /** The `vite build` output to serve; without it the instance serves the API only. */
  staticDir?: string
  /** Log to stdout (or `logStream`) at `logLevel` (default warn). Off in tests. */
  logger?: boolean
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
  logStream?: Writable
  /** Reported by /api/health; defaults to package.json's version. */
  version?: string
  /** The clock, for tests of expiry and future months. */
  now?: () => Date
  /** Session lifetime and per-username lockout. */
  login?: Partial<LoginPolicy>
  /** Login attempts per IP per window (ms); default 10 per minute. */
  loginRateLimit?: { max: number; timeWindow: number }
  /** SSE heartbeat interval; default 25 s. */
  heartbeatMs?: number
  /** How long the unit tree is cached; default 30 s. */
  unitCacheMs?: number
  /** Largest request body; default 1 MiB (a full push of 200 ops is about 60 KiB). */
  bodyLimit?: number
  /** Behind a proxy, which hops to trust for the client IP the login rate limit counts by. */
  trustProxy?: FastifyServerOptions['trustProxy']
  /** How long a client may take to send a whole request; default REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
  /** How long an event stream trusts its last session check; default 1 s (routes/events.ts). */
  streamRecheckMs?: number
}

/**
 * A client sending its request slower than this is cut off with a 408, so stalled or trickling
 * connections cannot pile up (Fastify's default is no limit), and a request whose work takes longer
 * gets a 503. Two minutes carries a full push over 2G and a 20 MiB unit list over a slow office line.
 */
export const REQUEST_TIMEOUT_MS = 120_000

/** Removes the value of a `token` query parameter, so SSE tokens never reach the logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')
}

function loggerOptions(options: BuildAppOptions): FastifyServerOptions['logger'] {
  if (!options.logger) return false
  return {
    level: options.logLevel ?? 'warn',
    ...(options.logStream ? { stream: options.logStream } : {}),
    redact: { paths: ['req.headers.authorization', 'req.query.token'], censor: '[redacted]' },
    serializers: {
      req: (request) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  }
}

/** The app with every route registered and nothing listening yet. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { store } = options
  const now = options.now ?? (() => new Date())
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const app = Fastify({
    logger: loggerOptions(options),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Node times out the headers only; Fastify's handler timeout covers the body (and the work).
    requestTimeout,
    handlerTimeout: requestTimeout,
    // Node checks the timeout on this interval (30 s by default, longer than a short test timeout).
    http: { connectionsCheckingInterval: Math.min(30_000, Math.ceil(requestTimeout / 4)) },
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  })
  app.setValidatorCompiler(TypeBoxValidatorCompiler)
  app.setErrorHandler(problemErrorHandler)
  app.addHook('onSend', securityHeaders)
  // Phones on 2G/3G: compress text, API responses included (a first pull is mostly repeated keys).
  // The service worker caches the static files, so their CPU cost is paid once per version per
  // device; a middling brotli quality keeps it cheap on the server.
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 6 } },
  })
  // Only routes that ask for it (login) are limited; the store-backed lockout does the rest.
  await app.register(fastifyRateLimit, { global: false })

  const auth = createAuthenticator(store, now)
  const units = createUnitCache(store, options.unitCacheMs)
  const hub = createPokeHub(store)
  // Open SSE streams would keep `close()` waiting forever; end them first.
  app.addHook('preClose', async () => hub.close())

  const policy = { ...DEFAULT_LOGIN_POLICY, ...options.login }
  const loginRateLimit = options.loginRateLimit ?? { max: 10, timeWindow: 60_000 }
  await app.register(healthRoutes, { version: options.version ?? pkg.version, store })
  await app.register(authRoutes, { store, auth, now, policy, loginRateLimit })
  await app.register(syncRoutes, { store, auth, units, now })
  await app.register(unitRoutes, { store, auth, units })
  await app.register(eventRoutes, {
    auth,
    units,
    hub,
    heartbeatMs: options.heartbeatMs ?? 25_000,
    ...(options.streamRecheckMs === undefined ? {} : { recheckMs: options.streamRecheckMs }),
  })
  await app.register(userRoutes, { store, auth, units })
  await app.register(adminRoutes, { store, auth, units })
  await app.register(historyRoutes, { store, auth, units })
  if (options.staticDir) {
    await app.register(shellRoutes, { staticDir: options.staticDir })
  } else {
    app.setNotFoundHandler(async (request, reply) => sendProblem(reply, notFoundProblem(request)))
  }
  return app
}
