import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}
export class StaticServer {
  server: Server | undefined
  port = 0
  async start(dir: string): Promise<string> {
    await this.stop()
    const server = createServer(async (req, res) => {
      let path = new URL(req.url ?? '/', 'http://x').pathname
      if (path === '/') path = '/index.html'
      try {
        const body = await readFile(join(dir, path))
        res.writeHead(200, {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'cache-control': path.startsWith('/assets/')
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        })
        res.end(body)
      } catch {
        const body = await readFile(join(dir, 'index.html'))
        res
          .writeHead(path.includes('.') ? 404 : 200, { 'content-type': 'text/html' })
          .end(path.includes('.') ? '' : body)
      }
    })
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', () => r()))
    const a = server.address()
    if (typeof a === 'object' && a) this.port = a.port
    this.server = server
    return `http://127.0.0.1:${this.port}/`
  }
  async stop(): Promise<void> {
    const s = this.server
    this.server = undefined
    if (s) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  }
}
