import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Content Security Policy for the PWA. Scripts and styles only from our origin: Vite emits no inline
 * script or style, and the styles Vue and chart.js set at run time go through the CSSOM
 * (`element.style`), which CSP does not govern, so `'unsafe-inline'` is needed for neither.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * What an API answer (JSON, problems, the event stream) needs: it is never rendered as a page, so
 * it may load nothing and be framed by nobody (OWASP's REST advice). The page policy and the
 * page-only headers would add ~400 bytes to every sync request, on 2G, for nothing.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"

/** Two years, subdomains included: what browsers' HSTS preload lists ask for. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains'

/** The headers every page, asset and other non-API response carries, whatever produced it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
}

/** The headers every API answer carries. */
const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

const withHsts = (headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> => ({
  ...headers,
  'strict-transport-security': STRICT_TRANSPORT_SECURITY,
})
const PAGE_OVER_TLS = withHsts(SECURITY_HEADERS)
const API_OVER_TLS = withHsts(API_SECURITY_HEADERS)

/** Whether `url` (a request's path and query) is the API's rather than the app's. */
const isApiUrl = (url: string): boolean => /^\/api(?:[/?#]|$)/.test(url)

/**
 * The security headers for a request to `url` that arrived over `protocol` (Fastify's
 * `request.protocol`, which follows X-Forwarded-Proto only from a trusted proxy). HSTS only over
 * TLS: sent over plain HTTP it is ignored by browsers at best, and on a LAN install without TLS it
 * must never pin anything.
 */
export function securityHeadersFor(
  protocol: string,
  url: string,
): Readonly<Record<string, string>> {
  const tls = protocol === 'https'
  if (isApiUrl(url)) return tls ? API_OVER_TLS : API_SECURITY_HEADERS
  return tls ? PAGE_OVER_TLS : SECURITY_HEADERS
}

/** onSend hook adding the security headers to every response, errors and 404s included. */
export async function securityHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  reply.headers(securityHeadersFor(request.protocol, request.url))
  return payload
}
