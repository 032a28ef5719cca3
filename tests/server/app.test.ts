import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.ts'
import { IMMUTABLE, NO_CACHE } from '../../src/server/routes/shell.ts'
import { makeStore, problemOf, type TestStore } from './helpers.ts'

const INDEX = '<!doctype html><title>SoHoa</title><div id="app"></div>'
const HTML = 'text/html,application/xhtml+xml'

let dir: string
let app: FastifyInstance
let testStore: TestStore

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sohoa-server-'))
  await mkdir(join(dir, 'assets'))
  await writeFile(join(dir, 'index.html'), INDEX)
  await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  await writeFile(join(dir, 'registerSW.js'), '// register')
  await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"SoHoa","lang":"vi"}')
  await writeFile(join(dir, 'workbox-1a2b3c4d.js'), '// workbox')
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), `export const x = '${'x'.repeat(4000)}'`)
  testStore = await makeStore('sqlite')
  app = await buildApp({ store: testStore.store, staticDir: dir, version: '9.9.9' })
})

afterAll(async () => {
  await app.close()
  await testStore.dispose()
  await rm(dir, { recursive: true, force: true })
})

const get = (url: string, accept = '*/*') => app.inject({ method: 'GET', url, headers: { accept } })

describe('static shell', () => {
  it.each([
    ['/', NO_CACHE],
    ['/index.html', NO_CACHE],
    ['/sw.js', NO_CACHE],
    ['/registerSW.js', NO_CACHE],
    ['/manifest.webmanifest', NO_CACHE],
    ['/assets/index-AbC123.js', IMMUTABLE],
    ['/workbox-1a2b3c4d.js', IMMUTABLE],
  ])('%s has Cache-Control %s', async (url, expected) => {
    const response = await get(url)
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe(expected)
  })

  it('serves the manifest with its MIME type', async () => {
    const response = await get('/manifest.webmanifest')
    expect(response.headers['content-type']).toMatch(/^application\/manifest\+json/)
  })

  it('compresses text when the client accepts brotli', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123.js',
      headers: { 'accept-encoding': 'br, gzip' },
    })
    expect(response.headers['content-encoding']).toBe('br')
    expect(response.rawPayload.length).toBeLessThan(4000)
  })
})

describe('SPA fallback', () => {
  it('answers deep links that accept HTML with index.html, uncached', async () => {
    const response = await get('/entry/00001/2025-03', HTML)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    expect(response.headers['cache-control']).toBe(NO_CACHE)
    expect(response.body).toBe(INDEX)
  })

  it('404s unknown API paths even for browsers, as a problem', async () => {
    const response = await get('/api/nope', HTML)
    expect(response.statusCode).toBe(404)
    expect(problemOf(response).type).toBe('/problems/not-found')
  })

  it('404s missing files that are not pages', async () => {
    const response = await get('/assets/missing-123.js', '*/*')
    expect(response.statusCode).toBe(404)
  })

  it('does not answer POSTs with the shell', async () => {
    const response = await app.inject({ method: 'POST', url: '/units', headers: { accept: HTML } })
    expect(response.statusCode).toBe(404)
  })
})

describe('API and headers', () => {
  it('reports health with the version and the store', async () => {
    const response = await get('/api/health')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok', version: '9.9.9', store: 'sqlite' })
  })

  it('lets the page connect to the API and the event stream of its own origin', async () => {
    const csp = String((await get('/')).headers['content-security-policy'])
    expect(csp).toContain("connect-src 'self'")
  })

  it.each(['/', '/assets/index-AbC123.js', '/entry/99019/2025-09'])(
    '%s carries the page security headers',
    async (url) => {
      const response = await get(url)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['referrer-policy']).toBe('no-referrer')
      expect(response.headers['x-frame-options']).toBe('DENY')
      const csp = String(response.headers['content-security-policy'])
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("worker-src 'self'")
      expect(csp).not.toContain('unsafe-eval')
    },
  )

  it.each(['/api/health', '/api/nope', '/api'])(
    '%s carries the short API headers: loads nothing, framed by nobody',
    async (url) => {
      const response = await get(url)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['referrer-policy']).toBe('no-referrer')
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      )
      expect(response.headers['permissions-policy']).toBeUndefined()
    },
  )
})

describe('server errors', () => {
  it('answer a 500 problem that reveals nothing, and health says 503', async () => {
    const broken = await makeStore('sqlite')
    const local = await buildApp({ store: broken.store })
    try {
      await broken.store.close()
      const response = await local.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { authorization: `Bearer ${'a'.repeat(43)}` },
      })
      expect(response.statusCode).toBe(500)
      const problem = problemOf(response)
      expect(problem.type).toBe('/problems/internal')
      expect(response.body).not.toMatch(/sqlite|database|at .*\.ts/i)
      const health = await local.inject({ method: 'GET', url: '/api/health' })
      expect(health.statusCode).toBe(503)
    } finally {
      await local.close()
      await broken.dispose().catch(() => undefined)
    }
  })
})
