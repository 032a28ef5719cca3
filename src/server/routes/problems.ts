/**
 * RFC 9457 problem details for every error the server sends. Handlers throw `HttpProblem`; the error
 * handler turns it, Fastify's own errors (validation, body too large, bad JSON, wrong content type)
 * and the rate limiter's refusals into `application/problem+json`. Anything unexpected becomes a
 * logged 500 whose body reveals nothing.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEM_TYPES, type Problem } from '../../domain/sync/protocol.ts'
import { UnstorableTextError } from '../store/store.ts'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8'

type ProblemKey = keyof typeof PROBLEM_TYPES

const TITLES: Record<ProblemKey, string> = {
  badRequest: 'Bad Request',
  unauthorized: 'Unauthorized',
  sessionExpired: 'Session Expired',
  forbidden: 'Forbidden',
  notFound: 'Not Found',
  tooManyRequests: 'Too Many Requests',
  clientTooOld: 'Client Too Old',
  payloadTooLarge: 'Payload Too Large',
  internal: 'Internal Server Error',
}

/** A problem to answer with; throw it from a handler or hook. */
export class HttpProblem extends Error {
  readonly status: number
  readonly body: Problem
  /** Extra response headers, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: number,
    key: ProblemKey,
    detail?: string,
    extra: { title?: string; errors?: Problem['errors']; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? TITLES[key])
    this.status = status
    this.headers = extra.headers ?? {}
    this.body = {
      type: PROBLEM_TYPES[key],
      title: extra.title ?? TITLES[key],
      status,
      ...(detail === undefined ? {} : { detail }),
      ...(extra.errors === undefined ? {} : { errors: extra.errors }),
    }
  }
}

export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  // Refused before its body was read (too large, wrong type, too slow): the rest of the body may
  // never come, and would hold the connection open for nothing.
  if (!reply.request.raw.complete) reply.header('connection', 'close')
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem.body)
}

/** A huge invalid push could list thousands of errors; the first few are enough to fix it. */
const MAX_LISTED_ERRORS = 20

function keyForStatus(status: number): ProblemKey {
  switch (status) {
    case 401:
      return 'unauthorized'
    case 403:
      return 'forbidden'
    case 404:
      return 'notFound'
    case 413:
      return 'payloadTooLarge'
    case 429:
      return 'tooManyRequests'
    default:
      return 'badRequest'
  }
}

/** Maps any error to the problem to send; exported for tests. */
export function problemFor(error: FastifyError | HttpProblem): HttpProblem {
  if (error instanceof HttpProblem) return error
  // Input the store refused before any write (a NUL, an unpaired surrogate): the caller's mistake.
  if (error instanceof UnstorableTextError) return new HttpProblem(400, 'badRequest', error.message)
  if (error.validation) {
    const errors = error.validation.slice(0, MAX_LISTED_ERRORS).map((issue) => ({
      path: `${error.validationContext ?? 'body'}${issue.instancePath}`,
      message: issue.message ?? 'is invalid',
    }))
    return new HttpProblem(400, 'badRequest', 'The request does not match the schema.', { errors })
  }
  const status = error.statusCode ?? 500
  if (status === 429) {
    // The rate limiter has already set Retry-After on the reply.
    return new HttpProblem(
      429,
      'tooManyRequests',
      'Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.',
    )
  }
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx messages ("Body cannot be empty…", "Unsupported Media Type…") are safe to show.
    return new HttpProblem(status, keyForStatus(status), error.message)
  }
  return new HttpProblem(
    500,
    'internal',
    'Máy chủ gặp lỗi. Số liệu chưa gửi vẫn được giữ trên máy.',
  )
}

/**
 * A request that outlived the app's handler timeout. Still receiving its body, it is a slow or
 * stalled client (408); otherwise the work itself took too long (503, worth a retry).
 */
function timeoutProblem(request: FastifyRequest): HttpProblem {
  if (request.raw.complete)
    return new HttpProblem(503, 'internal', 'Máy chủ đang bận. Vui lòng thử lại sau.', {
      title: 'Service Unavailable',
    })
  return new HttpProblem(408, 'badRequest', 'The request was not received in time.', {
    title: 'Request Timeout',
  })
}

/** The app's error handler: every error becomes problem+json; only 5xx are logged as errors. */
export function problemErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const problem =
    error.code === 'FST_ERR_HANDLER_TIMEOUT' ? timeoutProblem(request) : problemFor(error)
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ status: problem.status, type: problem.body.type }, 'request refused')
  return sendProblem(reply, problem)
}

/** Unknown routes: a 404 problem. */
export function notFoundProblem(request: FastifyRequest): HttpProblem {
  return new HttpProblem(
    404,
    'notFound',
    `No route for ${request.method} ${request.url.split('?')[0]}`,
  )
}
