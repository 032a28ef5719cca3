/**
 * Requests shaped to exhaust the server rather than to fool it, over real HTTP: bodies nested a
 * hundred thousand levels deep or with a hundred thousand keys, bodies just under and over the
 * limit, chunked bodies that never declare their size, and clients that send their request too
 * slowly or stop halfway. Each gets a clean 4xx problem (or its normal answer), never a 5xx, and
 * nothing is written.
 */
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changedTables, openDbReader, type DbReader } from './dbSnapshot.ts'
import { login, makeApp, syncHeaders, type TestApp } from './helpers.ts'

const BODY_ROUTES = [
  '/api/auth/login',
  '/api/auth/logout',
  '/api/sync/push',
  '/api/users',
  '/api/admin/units/import',
] as const

function nested(depth: number, open: string, close: string, leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`
}

const HOSTILE_BODIES: [string, string][] = [
  ['arrays nested 100,000 deep', nested(100_000, '[', ']')],
  ['objects nested 100,000 deep', nested(100_000, '{"a":', '}')],
  ['prototype keys nested 50,000 deep', nested(50_000, '{"__proto__":', '}', '{}')],
  [
    'an object with 100,000 keys',
    `{${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  ],
  ['an array of 200,000 empty objects', `[${Array(200_000).fill('{}').join(',')}]`],
  ['a string just under 1 MiB', JSON.stringify({ deviceId: 'x'.repeat(1024 * 1024 - 100) })],
  ['a number with 100,000 digits', `{"ops":[{"seq":${'9'.repeat(100_000)}}]}`],
]

/** Opens a socket, writes `text`, and resolves with what came back once the server closed it. */
function stall(port: number, text: string): Promise<{ answer: string; ms: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }))
    socket.write(text)
  })
}

describe('limits', () => {
  let t: TestApp
  let base: string
  let port: number
  let admin: string
  let reader: DbReader

  beforeAll(async () => {
    t = await makeApp('sqlite', {
      requestTimeoutMs: 1000,
      loginRateLimit: { max: 1_000_000, timeWindow: 60_000 },
    })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const address = t.app.server.address()
    port = typeof address === 'object' && address ? address.port : 0
    admin = await login(t.app, 'admin')
    reader = await openDbReader(t.store)
  })
  afterAll(async () => {
    await reader.close()
    await t.dispose()
  })

  it.each(HOSTILE_BODIES)(
    'answers %s with a 4xx problem and writes nothing',
    async (_name, body) => {
      const before = await reader.snapshot()
      for (const route of BODY_ROUTES) {
        // Signed in as an admin, but not for signing out: that would end the session.
        const auth = route === '/api/auth/logout' ? syncHeaders() : syncHeaders(admin)
        const response = await fetch(`${base}${route}`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body,
        })
        const text = await response.text()
        expect(response.status, `${route}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
        expect(response.status, route).toBeLessThan(500)
        expect(response.headers.get('content-type'), route).toMatch(/^application\/problem\+json/)
      }
      expect(changedTables(before, await reader.snapshot())).toEqual([])
    },
  )

  it('measures the limit after decompression: a gzip bomb gets a 413', async () => {
    // 64 MiB of JSON whitespace squeezes into about 64 KiB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    })
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('refuses a chunked body that grows past the limit with a 413', async () => {
    const chunk = `"${'x'.repeat(64 * 1024)}`
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(chunk)
        for (let i = 0; i < 20; i++) controller.enqueue(bytes)
        controller.close()
      },
    })
    // Node's fetch streams a request body only in half-duplex mode, which its types do not list.
    const init: RequestInit & { duplex: 'half' } = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    }
    const response = await fetch(`${base}/api/auth/login`, init)
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
  })

  it('cuts off a client that stops halfway through its body, with a 408 problem', async () => {
    const { answer, ms } = await stall(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"username":',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(answer).toMatch(/content-type: application\/problem\+json/i)
    expect(answer).toMatch(/x-content-type-options: nosniff/i)
    expect(ms).toBeLessThan(10_000)
  })

  it('cuts off a client that never finishes its headers (slowloris)', async () => {
    const { answer, ms } = await stall(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: 1')
    expect(answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(ms).toBeLessThan(10_000)
  })

  it('closes a connection refused before its body arrived, instead of waiting for the body', async () => {
    const { answer, ms } = await stall(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 10\r\n\r\n',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 415 /)
    expect(answer).toMatch(/connection: close/i)
    expect(ms).toBeLessThan(1000)
  })

  it('keeps serving everyone else while a client stalls', async () => {
    const stalled = stall(
      port,
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 10\r\n\r\n',
    )
    const response = await fetch(`${base}/api/health`)
    expect(response.status).toBe(200)
    expect((await stalled).answer).toMatch(/^HTTP\/1\.1 408 /)
  })
})
