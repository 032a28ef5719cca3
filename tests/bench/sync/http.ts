/**
 * A lean HTTP/1.1 client for the load tests: keep-alive sockets per server, no decompression, the
 * latency of each request from the call to the last byte of its body.
 */
import { Agent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http'
import { performance } from 'node:perf_hooks'

/** One server instance and the sockets kept open to it. */
export interface Target {
  port: number
  agent: Agent
}

export function target(port: number, sockets: number): Target {
  return { port, agent: new Agent({ keepAlive: true, maxSockets: sockets }) }
}

export interface Answer {
  status: number
  body: string
  ms: number
}

/** Sends one request and reads the whole answer. */
export function send(
  to: Target,
  method: 'GET' | 'POST',
  path: string,
  headers: OutgoingHttpHeaders,
  body?: Buffer,
): Promise<Answer> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: to.port, method, path, headers, agent: to.agent },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - start,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}
