/**
 * Serves the built PWA. Caching follows what the service worker needs: the files that announce a
 * new version (index.html, sw.js, the manifest) are always revalidated, so an update is seen on the
 * next check; content-hashed files never change and are cached for a year.
 */
import { relative } from 'node:path'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fastifyStatic from '@fastify/static'
import { notFoundProblem, sendProblem } from './problems.ts'

/** Revalidate every time (a cheap 304 when unchanged). */
export const NO_CACHE = 'no-cache'
/** Content-hashed files: a new version has a new name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

/** Vite's /assets/ and Workbox's runtime file carry a content hash in their names. */
const HASHED = /^assets\/|^workbox-[\w-]+\.js$/

/** Cache-Control for a path relative to the static root. Unhashed files revalidate (cheap 304s). */
export function cacheControlFor(relativePath: string): string {
  return HASHED.test(relativePath.replaceAll('\\', '/')) ? IMMUTABLE : NO_CACHE
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html')
}

/** Static files of the built PWA, plus the SPA fallback for client-side routes. */
export const shellRoutes: FastifyPluginAsync<{ staticDir: string }> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.staticDir,
    // We set Cache-Control ourselves; send's default `max-age=0` would fight it.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', cacheControlFor(relative(options.staticDir, path)))
    },
  })

  // Deep links such as /entry/X/2025-03 are client routes: answer with the app shell. API paths and
  // asset requests (which do not accept HTML) get a real 404 problem so mistakes stay visible.
  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      request.url !== '/api' &&
      wantsHtml(request)
    if (isPage) return reply.sendFile('index.html')
    return sendProblem(reply, notFoundProblem(request))
  })
}
