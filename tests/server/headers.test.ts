/**
 * Security headers on every kind of response, over real HTTP: the static shell and its assets
 * (compressed or not, 200 or 304), API JSON, problems of every origin (handlers, Fastify's body
 * and URL checks, the rate limiter, Node's HTTP parser), the 404s and the event stream. HSTS only
 * when the request came over TLS, as a trusted proxy reports it, and never over plain HTTP.
 */
import { connect } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import {
  API_CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from '../../src/server/securityHeaders.ts'
import { login, makeStore, seedAccounts, type TestStore } from './helpers.ts'

const INDEX = '<!doctype html><title>SoHoa</title><div id="app"></div>'

/** Sends raw bytes and resolves with what the server answered before closing. */
function rawRequest(port: number, text: string, keepOpenMs = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(answer))
    socket.write(text)
    if (keepOpenMs === 0) socket.end()
  })
}

function headersOf(raw: string): { status: number; headers: Record<string, string> } {
  const [head = ''] = raw.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf(':')
      return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]
    }),
  )
  return { status: Number(statusLine.split(' ')[1]), headers }
}

let dir: string
let testStore: TestStore
const apps: FastifyInstance[] = []

async function serve(options: { trustProxy?: boolean; requestTimeoutMs?: number } = {}) {
  const app = await buildApp({
    store: testStore.store,
    staticDir: dir,
    loginRateLimit: { max: 2, timeWindow: 60_000 },
    ...options,
  })
  apps.push(app)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { base, port, token: await login(app, 'viewer') }
}

/** A file next to the static root, which no URL may reach. */
const SECRET = 'not for the web'

beforeAll(async () => {
  const outer = await mkdtemp(join(tmpdir(), 'sohoa-headers-'))
  await writeFile(join(outer, 'secret.txt'), SECRET)
  dir = join(outer, 'dist')
  await mkdir(dir)
  await mkdir(join(dir, 'assets'))
  await writeFile(join(dir, 'index.html'), INDEX)
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), `export const x = '${'x'.repeat(4000)}'`)
  testStore = await makeStore('sqlite')
  await seedAccounts(testStore.store)
})
afterAll(async () => {
  for (const app of apps) await app.close()
  await testStore.dispose()
  await rm(join(dir, '..'), { recursive: true, force: true })
})

/** Fetches a path of the server under test with the request's own headers added. */
type Get = (path: string, init?: RequestInit) => Promise<Response>
type Kind = [name: string, send: (get: Get, token: string) => Promise<Response>, status: number]

const html = { headers: { accept: 'text/html' } }
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

const KINDS: Kind[] = [
  ['the shell', (get) => get('/', html), 200],
  ['a deep link', (get) => get('/entry/99019/2025-09', html), 200],
  [
    'a compressed asset',
    (get) => get('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'br' } }),
    200,
  ],
  ['a missing asset', (get) => get('/assets/nope.js'), 404],
  ['API JSON', (get) => get('/api/health'), 200],
  ['a HEAD request', (get) => get('/api/health', { method: 'HEAD' }), 200],
  ['an unknown API path', (get) => get('/api/nope'), 404],
  ['a refusal of a handler', (get) => get('/api/auth/me'), 401],
  [
    'a schema refusal',
    (get, token) => get('/api/admin/audit?limit=x', { headers: bearer(token) }),
    400,
  ],
  [
    'a body over the limit',
    (get) =>
      get('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `"${'x'.repeat(1_100_000)}"`,
      }),
    413,
  ],
  [
    'a URL that is not UTF-8',
    (get, token) => get('/api/history/%ED%A0%80/2025-09', { headers: bearer(token) }),
    400,
  ],
  // Too long for the route's parameter: the shell's catch-all answers it (the fuzz suite, without
  // the shell, sees the router's own 414).
  [
    'a path parameter too long',
    (get, token) => get(`/api/history/${'9'.repeat(200)}/2025-09`, { headers: bearer(token) }),
    404,
  ],
  [
    'a 304 on the unit list',
    async (get, token) => {
      const first = await get('/api/units', { headers: bearer(token) })
      const etag = first.headers.get('etag') ?? ''
      return get('/api/units', { headers: { ...bearer(token), 'if-none-match': etag } })
    },
    304,
  ],
  // Node sends no body for HEAD, and so never the stream's headers: it once hung forever.
  [
    'a HEAD of the event stream',
    (get, token) => get(`/api/events?token=${token}`, { method: 'HEAD' }),
    200,
  ],
  [
    'the event stream',
    async (get, token) => {
      const controller = new AbortController()
      const response = await get(`/api/events?token=${token}`, { signal: controller.signal })
      controller.abort()
      return response
    },
    200,
  ],
]

function getter(base: string, extra: Record<string, string> = {}): Get {
  return (path, init = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { ...extra, ...Object.fromEntries(new Headers(init.headers)) },
    })
}

describe('over plain HTTP', () => {
  let server: { base: string; port: number; token: string }
  beforeAll(async () => {
    server = await serve()
  })

  it.each(KINDS)('%s carries the security headers, and no HSTS', async (_name, send, status) => {
    const response = await send(getter(server.base), server.token)
    expect(response.status).toBe(status)
    // Pages get the app's policy and the page-only headers; API answers a policy that loads nothing.
    const api = new URL(response.url).pathname.startsWith('/api/')
    expect(response.headers.get('content-security-policy')).toBe(
      api ? API_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY,
    )
    expect(response.headers.get('x-frame-options')).toBe(api ? null : 'DENY')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('strict-transport-security')).toBeNull()
    if (status >= 400)
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('answers the rate limiter’s refusals with the headers too', async () => {
    const attempt = () =>
      fetch(`${server.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: 'x' }),
      })
    let response = await attempt()
    while (response.status !== 429) response = await attempt()
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('content-security-policy')).toBe(API_CONTENT_SECURITY_POLICY)
  })

  it('ignores X-Forwarded-Proto from a client when no proxy is trusted', async () => {
    const response = await fetch(`${server.base}/api/health`, {
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(response.headers.get('strict-transport-security')).toBeNull()
  })

  it('answers headers over 16 KiB with a 431 problem carrying the headers', async () => {
    const raw = await rawRequest(
      server.port,
      `GET /api/health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    )
    const { status, headers } = headersOf(raw)
    expect(status).toBe(431)
    expect(headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(JSON.parse(raw.split('\r\n\r\n')[1] ?? '')).toMatchObject({ status: 431 })
  })

  it('answers garbage instead of HTTP with a 400 problem', async () => {
    const { status, headers } = headersOf(await rawRequest(server.port, 'HELLO\r\n\r\n'))
    expect(status).toBe(400)
    expect(headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('serves nothing from outside the built app, however the path is spelled', async () => {
    for (const path of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2F..%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/.%2e/secret.txt',
      '//secret.txt',
      '/assets/%00../../secret.txt',
    ]) {
      const response = await fetch(`${server.base}${path}`)
      const body = await response.text()
      expect(body, path).not.toContain(SECRET)
      expect(response.status === 200 ? body : INDEX, path).toBe(INDEX)
    }
  })

  it('keeps a strict policy: nothing inline, no eval, no plugins, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/)
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive)
    }
  })
})

describe('behind a trusted proxy that terminated TLS', () => {
  let server: { base: string; port: number; token: string }
  beforeAll(async () => {
    server = await serve({ trustProxy: true })
  })

  // A URL the router cannot decode is refused before Fastify knows about proxies; the browser
  // keeps the HSTS policy of earlier answers anyway.
  const routed = KINDS.filter(([name]) => name !== 'a URL that is not UTF-8')

  it.each(routed)('%s carries HSTS over TLS only', async (_name, send, status) => {
    const overTls = await send(getter(server.base, { 'x-forwarded-proto': 'https' }), server.token)
    expect(overTls.status).toBe(status)
    expect(overTls.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY)
    expect(overTls.headers.get('x-content-type-options')).toBe('nosniff')
    const plain = await send(getter(server.base, { 'x-forwarded-proto': 'http' }), server.token)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
  })
})
