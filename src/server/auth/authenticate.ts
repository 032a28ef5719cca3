/**
 * Resolves the signed-in user of a request from its bearer token. Each refusal has its own problem
 * type because the app reacts differently: `unauthorized` (no or unknown token) and `session-expired`
 * (sign in again, keep the unsent changes) are 401s; a deactivated account or a missing role is 403.
 */
import type { FastifyRequest } from 'fastify'
import type { Role } from '../../domain/sync/protocol.ts'
import type { SessionRecord, Store, UserRecord } from '../store/store.ts'
import { HttpProblem } from '../routes/problems.ts'
import { bearerToken, hashToken, looksLikeToken } from './tokens.ts'

/** The signed-in user of one request. */
export interface AuthContext {
  user: UserRecord
  session: SessionRecord
  /** The stored form of the request's token, so logout can delete exactly this session. */
  tokenHash: string
}

export interface RequireOptions {
  /** Roles allowed; any role when omitted. */
  roles?: readonly Role[]
  /** A token from the query string, for EventSource, which cannot set headers. */
  queryToken?: string | undefined
}

export interface Authenticator {
  /** The request's user, or throws the 401/403 problem to answer with. */
  require(request: FastifyRequest, options?: RequireOptions): Promise<AuthContext>
  /**
   * The same check again for a session found earlier, for a long-lived event stream: the session
   * may have ended, or the account been deactivated or changed, since the stream opened.
   */
  recheck(tokenHash: string): Promise<AuthContext>
}

const SIGN_IN = 'Vui lòng đăng nhập.'

/** Resolves bearer tokens against the store's sessions, with `now` deciding expiry. */
export function createAuthenticator(store: Store, now: () => Date): Authenticator {
  async function resolve(tokenHash: string, roles?: readonly Role[]): Promise<AuthContext> {
    const session = await store.findSession(tokenHash)
    if (!session) throw new HttpProblem(401, 'unauthorized', SIGN_IN)
    if (Date.parse(session.expiresAt) <= now().getTime()) {
      throw new HttpProblem(
        401,
        'sessionExpired',
        'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại; số liệu chưa gửi vẫn được giữ trên máy.',
      )
    }
    const user = await store.findUserById(session.userId)
    if (!user) throw new HttpProblem(401, 'unauthorized', SIGN_IN)
    if (!user.active) throw new HttpProblem(403, 'forbidden', 'Tài khoản này đã bị khoá.')
    if (roles && !roles.includes(user.role)) {
      throw new HttpProblem(
        403,
        'forbidden',
        'Tài khoản này không có quyền thực hiện thao tác này.',
      )
    }
    return { user, session, tokenHash }
  }

  return {
    async require(request, options = {}) {
      const token = bearerToken(request.headers.authorization) ?? options.queryToken ?? null
      if (token === null) throw new HttpProblem(401, 'unauthorized', SIGN_IN)
      if (!looksLikeToken(token)) throw new HttpProblem(401, 'unauthorized', SIGN_IN)
      return resolve(hashToken(token), options.roles)
    },
    recheck: (tokenHash) => resolve(tokenHash),
  }
}
