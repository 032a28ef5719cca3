/**
 * The app's only network access: typed calls to the SoHoa API, each with a timeout, every failure
 * turned into one of the errors in errors.ts. Nothing here stores anything or retries; the engine
 * decides what a failure means. Responses are compressed by the server (gzip or br) and fetch
 * decompresses them.
 */
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROBLEM_TYPES,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '../../domain/sync/constants.ts'
import type {
  HistoryEvent,
  LoginRequest,
  LoginResponse,
  Problem,
  PullResponse,
  PushRequest,
  PushResponse,
  SessionUser,
} from '../../domain/sync/protocol.ts'
import type { Target } from '../../domain/targets.ts'
import type { UnitLink } from '../../domain/unitLinks.ts'
import type { Unit } from '../../domain/units.ts'
import {
  decodeHistory,
  decodeLoginResponse,
  decodeProblem,
  decodePullResponse,
  decodePushResponse,
  decodeSessionUser,
  decodeTargets,
  decodeUnitLinks,
  decodeUnits,
} from './decode.ts'
import {
  ClientTooOldError,
  OfflineError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
  UnauthorizedError,
} from './errors.ts'

/** Long enough for a 1,000-change page over 2G, short enough that a dead link is noticed. */
export const DEFAULT_TIMEOUT_MS = 45_000

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

export interface TransportOptions {
  /** Prefix of every API path; '' (the default) means the page's own origin. */
  baseUrl?: string
  fetch?: FetchLike
  /** When it says offline, requests fail at once without touching the network. */
  navigator?: { onLine: boolean }
  timeoutMs?: number
}

/**
 * The unit list, or `notModified` when the ETag sent still matches. `links` (the reorganization
 * links the user may see) is absent when the server sends none (a server before issue 5).
 */
export type UnitsResult =
  | { notModified: true }
  | { notModified: false; units: Unit[]; etag: string | null; links?: UnitLink[] }

/** The SoHoa API. Every method throws only the errors of errors.ts. */
export interface Transport {
  login(request: LoginRequest): Promise<LoginResponse>
  logout(token: string): Promise<void>
  me(token: string): Promise<SessionUser>
  push(token: string, request: PushRequest): Promise<PushResponse>
  pull(token: string, cursor: string, limit?: number): Promise<PullResponse>
  units(token: string, etag: string | null): Promise<UnitsResult>
  /** Every target the user may read (GET /api/sync/targets). */
  targets(token: string): Promise<Target[]>
  /** The history of one unit's month, oldest first (GET /api/history/:unitCode/:month). */
  history(token: string, unitCode: string, month: string): Promise<HistoryEvent[]>
  /** Where EventSource listens for pokes; it cannot send headers, so the token rides in the query. */
  eventsUrl(token: string): string
}

interface Call {
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/** One authorized JSON call to the SoHoa API, for the admin screens' requests (src/app/sync/admin.ts). */
export interface AuthorizedCall {
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  token: string
  body?: unknown
}

/**
 * Sends authorized JSON calls with the transport's headers, timeout and errors; `decode` gets the
 * parsed body (undefined for 204) and returns null when it does not match.
 */
export function createAuthorizedRequest(
  options: TransportOptions = {},
): <T>(call: AuthorizedCall, decode: (body: unknown) => T | null) => Promise<T> {
  return createSender(options).request
}

export function createTransport(options: TransportOptions = {}): Transport {
  const baseUrl = options.baseUrl ?? ''
  const { send, request } = createSender(options)

  return {
    login: (body) =>
      request({ method: 'POST', path: '/api/auth/login', body }, decodeLoginResponse),

    async logout(token) {
      const { response, body } = await send({ method: 'POST', path: '/api/auth/logout', token })
      if (!response.ok) throw refusal(response, body)
    },

    me: (token) => request({ method: 'GET', path: '/api/auth/me', token }, decodeSessionUser),

    push: (token, body) =>
      request({ method: 'POST', path: '/api/sync/push', token, body }, decodePushResponse),

    pull(token, cursor, limit) {
      const query = new URLSearchParams({ cursor })
      if (limit !== undefined) query.set('limit', String(limit))
      return request(
        { method: 'GET', path: `/api/sync/pull?${query.toString()}`, token },
        decodePullResponse,
      )
    },

    async units(token, etag) {
      const headers: Record<string, string> = etag === null ? {} : { 'if-none-match': etag }
      const { response, body } = await send({ method: 'GET', path: '/api/units', token, headers })
      if (response.status === 304) return { notModified: true }
      if (!response.ok) throw refusal(response, body)
      const units = decodeUnits(body)
      const links = decodeUnitLinks(body)
      if (units === null || links === null) {
        throw new ServerError(response.status, null, 'Unexpected unit list')
      }
      const result: UnitsResult = { notModified: false, units, etag: response.headers.get('etag') }
      if (links !== undefined) result.links = links
      return result
    },

    targets: (token) => request({ method: 'GET', path: '/api/sync/targets', token }, decodeTargets),

    history: (token, unitCode, month) =>
      request(
        {
          method: 'GET',
          path: `/api/history/${encodeURIComponent(unitCode)}/${encodeURIComponent(month)}`,
          token,
        },
        decodeHistory,
      ),

    eventsUrl: (token) => `${baseUrl}/api/events?${new URLSearchParams({ token }).toString()}`,
  }
}

/** The transport's plumbing: `send` for raw answers, `request` for decoded ones. */
function createSender(options: TransportOptions) {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const nav = options.navigator ?? globalThis.navigator
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // A function, not a value: the answer may change while a request is in flight.
  const offline = (): boolean => nav?.onLine === false

  /** Sends `call` and reads the body as JSON (undefined when there is none) within the timeout. */
  async function send(call: Call): Promise<{ response: Response; body: unknown }> {
    if (offline()) throw new OfflineError('offline')
    const headers: Record<string, string> = {
      accept: 'application/json',
      [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
      [HEADER_SCHEMA]: String(SCHEMA_VERSION),
      ...call.headers,
    }
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`
    if (call.body !== undefined) headers['content-type'] = 'application/json'
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const response = await doFetch(`${baseUrl}${call.path}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
        // Our own ETag handling for units; nothing else may come from the HTTP cache.
        cache: 'no-store',
        credentials: 'omit',
      })
      // The timeout covers the body too: a stalled download is as dead as a stalled request.
      const text = await response.text()
      return { response, body: parseJson(text) }
    } catch (error) {
      // Only the timer aborts, so an aborted signal means the time ran out.
      if (controller.signal.aborted) throw new OfflineError('timeout', { cause: error })
      throw new OfflineError(offline() ? 'offline' : 'network', { cause: error })
    } finally {
      clearTimeout(timer)
    }
  }

  /** Sends `call`, maps a refusal to its error, and decodes a success with `decode`. */
  async function request<T>(call: Call, decode: (body: unknown) => T | null): Promise<T> {
    const { response, body } = await send(call)
    if (!response.ok) throw refusal(response, body)
    const decoded = decode(body)
    if (decoded === null) {
      throw new ServerError(response.status, null, `Unexpected response to ${call.path}`)
    }
    return decoded
  }

  return { send, request }
}

/** The error a non-2xx answer stands for. */
function refusal(response: Response, body: unknown): Error {
  const problem: Problem | null = decodeProblem(body)
  const type = problem?.type
  if (response.status === 426 || type === PROBLEM_TYPES.clientTooOld) {
    return new ClientTooOldError(problem?.detail ?? 'Client too old')
  }
  if (response.status === 401) {
    return type === PROBLEM_TYPES.sessionExpired
      ? new SessionExpiredError(problem?.detail ?? 'Session expired')
      : new UnauthorizedError(problem?.detail ?? 'Unauthorized')
  }
  if (response.status === 429) {
    return new RateLimitedError(retryAfterSeconds(response.headers.get('retry-after')))
  }
  return new ServerError(response.status, problem)
}

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    // A proxy's HTML error page: the status still tells what happened.
    return undefined
  }
}
