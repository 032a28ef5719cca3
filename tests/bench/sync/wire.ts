/**
 * Bytes on the wire, seen from both ends. The server's sockets count every byte of HTTP/1.1 that
 * crossed them (headers included, compressed bodies as sent); Chromium's DevTools protocol tells
 * what each request was: its URL, its response headers and the size of its body before and after
 * decompression.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { CDPSession } from 'playwright-core'

/** Bytes the server read (requests) and wrote (responses) since it started. */
export interface SocketBytes {
  read: number
  written: number
}

/** Counts the bytes of every connection `server` accepts, closed ones included. */
export function countSocketBytes(server: Server): () => SocketBytes {
  const open = new Set<Socket>()
  const closed: SocketBytes = { read: 0, written: 0 }
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => {
      closed.read += socket.bytesRead
      closed.written += socket.bytesWritten
      open.delete(socket)
    })
  })
  return () => {
    const total = { ...closed }
    for (const socket of open) {
      total.read += socket.bytesRead
      total.written += socket.bytesWritten
    }
    return total
  }
}

export function bytesSince(before: SocketBytes, after: SocketBytes): SocketBytes {
  return { read: after.read - before.read, written: after.written - before.written }
}

/** One finished request as Chromium saw it. */
export interface SeenRequest {
  url: string
  method: string
  /** The request line and headers as Chromium sent them, and the body, in bytes. */
  requestHeaderBytes: number
  requestBodyBytes: number
  /** Response headers as received (HTTP/1.1 text), in bytes. */
  responseHeaderBytes: number
  /** Everything received for it: headers and the (compressed) body. */
  encodedBytes: number
  /** The body after decompression. */
  decodedBytes: number
  contentEncoding: string | null
}

type Headers = Record<string, string>

/**
 * Records the requests of the page behind `cdp` whose path starts with `prefix`; `take()` returns
 * those finished since the last call, once none is still loading. Chromium may send a request's
 * "extra info" events before or after its main ones, so each is kept by request id until the end.
 */
export async function recordRequests(
  cdp: CDPSession,
  prefix: string,
): Promise<{ take(): Promise<SeenRequest[]> }> {
  const started = new Map<string, { url: string; method: string; bodyBytes: number }>()
  const requestHeaders = new Map<string, Headers>()
  const responseHeaders = new Map<string, { text: string; headers: Headers }>()
  const decoded = new Map<string, number>()
  const finished = new Map<string, number>()
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
    if (!new URL(request.url).pathname.startsWith(prefix)) return
    const bodyBytes = Buffer.byteLength(request.postData ?? '')
    started.set(requestId, { url: request.url, method: request.method, bodyBytes })
  })
  cdp.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => {
    requestHeaders.set(requestId, headers)
  })
  cdp.on('Network.responseReceivedExtraInfo', ({ requestId, headersText, headers }) => {
    responseHeaders.set(requestId, { text: headersText ?? '', headers })
  })
  cdp.on('Network.dataReceived', ({ requestId, dataLength }) => {
    decoded.set(requestId, (decoded.get(requestId) ?? 0) + dataLength)
  })
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    finished.set(requestId, encodedDataLength)
  })
  await cdp.send('Network.enable')

  const seen = (id: string): SeenRequest | null => {
    const request = started.get(id)
    const encodedBytes = finished.get(id)
    if (request === undefined || encodedBytes === undefined) return null
    const { pathname, search } = new URL(request.url)
    const lines = [
      `${request.method} ${pathname}${search} HTTP/1.1`,
      ...Object.entries(requestHeaders.get(id) ?? {}).map(([name, value]) => `${name}: ${value}`),
    ]
    const response = responseHeaders.get(id)
    return {
      url: request.url,
      method: request.method,
      requestHeaderBytes: Buffer.byteLength(`${lines.join('\r\n')}\r\n\r\n`),
      requestBodyBytes: request.bodyBytes,
      responseHeaderBytes: Buffer.byteLength(response?.text ?? ''),
      encodedBytes,
      decodedBytes: decoded.get(id) ?? 0,
      contentEncoding: response?.headers['content-encoding'] ?? null,
    }
  }

  return {
    async take() {
      // The page may hold a body before its events reach us: a round trip on this session brings
      // the events sent before it, then every request seen must finish.
      await cdp.send('Runtime.evaluate', { expression: '0' })
      const deadline = Date.now() + 5_000
      while ([...started.keys()].some((id) => !finished.has(id))) {
        if (Date.now() > deadline) throw new Error('A request never finished loading')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const taken = [...started.keys()].map(seen).filter((request) => request !== null)
      for (const map of [started, requestHeaders, responseHeaders, decoded, finished]) map.clear()
      return taken
    },
  }
}

/** What one step's requests cost on the wire. */
export interface WireFigure {
  requests: number
  /** Requests as the server read them, and responses as it wrote them (compressed bodies). */
  sentBytes: number
  receivedBytes: number
  /** As Chromium reports them: request line and headers, request bodies, response headers. */
  requestHeaderBytes: number
  requestBodyBytes: number
  responseHeaderBytes: number
  /** Everything Chromium received (encodedDataLength), to compare with `receivedBytes`. */
  chromiumReceivedBytes: number
  /** Response bodies after decompression. */
  jsonBytes: number
  contentEncoding: string | null
}

/** The figure of one step from the requests Chromium saw and the bytes the server counted. */
export function wireFigure(requests: SeenRequest[], bytes: SocketBytes): WireFigure {
  const sum = (field: Exclude<keyof SeenRequest, 'url' | 'method' | 'contentEncoding'>) =>
    requests.reduce((total, request) => total + request[field], 0)
  return {
    requests: requests.length,
    sentBytes: bytes.read,
    receivedBytes: bytes.written,
    requestHeaderBytes: sum('requestHeaderBytes'),
    requestBodyBytes: sum('requestBodyBytes'),
    responseHeaderBytes: sum('responseHeaderBytes'),
    chromiumReceivedBytes: sum('encodedBytes'),
    jsonBytes: sum('decodedBytes'),
    contentEncoding: requests[0]?.contentEncoding ?? null,
  }
}
