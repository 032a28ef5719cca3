/** Sign in, sign out, and who am I. Passwords and lockouts are handled in auth/login.ts. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  LoginRequestSchema,
  LoginResponseSchema,
  SessionUserSchema,
} from '../../domain/sync/protocol.ts'
import { toSessionUser } from '../auth/accounts.ts'
import type { Authenticator } from '../auth/authenticate.ts'
import { login, type LoginOutcome, type LoginPolicy } from '../auth/login.ts'
import { bearerToken, hashToken, looksLikeToken } from '../auth/tokens.ts'
import type { Store } from '../store/store.ts'
import { HttpProblem } from './problems.ts'

export interface AuthRouteOptions {
  store: Store
  auth: Authenticator
  now: () => Date
  policy: LoginPolicy
  /** Login attempts per IP and instance; the per-username lockout holds across instances. */
  loginRateLimit: { max: number; timeWindow: number }
}

function refusal(outcome: Exclude<LoginOutcome, { ok: true }>): HttpProblem {
  switch (outcome.reason) {
    case 'invalid':
      // One message for an unknown user and a wrong password: nothing to learn about usernames.
      return new HttpProblem(401, 'unauthorized', 'Tên đăng nhập hoặc mật khẩu không đúng.')
    case 'inactive':
      return new HttpProblem(403, 'forbidden', 'Tài khoản này đã bị khoá.')
    case 'locked':
      return new HttpProblem(
        429,
        'tooManyRequests',
        'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.',
        { headers: { 'retry-after': String(outcome.retryAfterSeconds) } },
      )
  }
}

/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me. */
export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, options) => {
  const { store, auth, now, policy } = options

  app.post(
    '/api/auth/login',
    {
      schema: { body: LoginRequestSchema, response: { 200: LoginResponseSchema } },
      config: { rateLimit: options.loginRateLimit },
    },
    async (request, reply) => {
      const outcome = await login(store, request.body, now(), policy)
      if (!outcome.ok) throw refusal(outcome)
      reply.header('cache-control', 'no-store')
      return {
        token: outcome.token,
        expiresAt: outcome.expiresAt.toISOString(),
        user: toSessionUser(outcome.user),
      }
    },
  )

  // Works with an expired session too: signing out must always be possible.
  app.post('/api/auth/logout', async (request, reply) => {
    const token = bearerToken(request.headers.authorization)
    if (token === null) throw new HttpProblem(401, 'unauthorized', 'Vui lòng đăng nhập.')
    if (looksLikeToken(token)) await store.deleteSession(hashToken(token))
    return reply.code(204).send()
  })

  app.get(
    '/api/auth/me',
    { schema: { response: { 200: SessionUserSchema } } },
    async (request, reply) => {
      const { user } = await auth.require(request)
      reply.header('cache-control', 'no-store')
      return toSessionUser(user)
    },
  )
}
