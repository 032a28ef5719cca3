/**
 * Requests refused before any route or hook sees them, answered like every other refusal (a
 * problem+json with the security headers) instead of Node's or Fastify's bare JSON:
 * - by Node's HTTP parser: headers (the URL included) over 16 KiB, a request not received within
 *   the request timeout (a slow or stalled client), malformed HTTP; the connection is then closed;
 * - by Fastify's router: a URL that is not valid percent-encoded UTF-8, a path parameter too long.
 */
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemFor, sendProblem } from './routes/problems.ts'
import { SECURITY_HEADERS, securityHeadersFor } from './securityHeaders.ts'

/** What each parser error is answered with; anything else is a 400. */
const REFUSALS: Readonly<Record<string, { status: number; detail: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers or URL are too long.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time.' },
}

function codeOf(error: Error): string {
  const code: unknown = Reflect.get(error, 'code')
  return typeof code === 'string' ? code : ''
}

/** The raw HTTP/1.1 response for a parser error. */
function clientErrorResponse(error: Error): string {
  const { status, detail } = REFUSALS[codeOf(error)] ?? {
    status: 400,
    detail: 'The request is not valid HTTP.',
  }
  const title = STATUS_CODES[status] ?? 'Bad Request'
  const body = JSON.stringify(new HttpProblem(status, 'badRequest', detail, { title }).body)
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  }
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`)
  return `HTTP/1.1 ${status} ${title}\r\n${lines.join('')}\r\n${body}`
}

/** Fastify's `clientErrorHandler`. */
export function clientErrorHandler(error: Error, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (codeOf(error) === 'ECONNRESET' || socket.destroyed) return
  if (socket.writable) socket.write(clientErrorResponse(error))
  socket.destroy(error)
}

/**
 * Fastify's `frameworkErrors`: its hooks do not run for these, so the headers are set here. The
 * request is not yet proxy-aware, so HSTS follows only a direct TLS connection.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  return sendProblem(
    reply.headers(securityHeadersFor(request.protocol, request.url)),
    problemFor(error),
  )
}
