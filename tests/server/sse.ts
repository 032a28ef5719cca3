/** A small Server-Sent-Events client for tests: node's http, since Node has no EventSource. */
import { get, type IncomingMessage } from 'node:http'

export interface SseEvent {
  event: string
  data: string
}

export interface SseClient {
  status: number
  contentType: string
  events: SseEvent[]
  comments: string[]
  /** The next event named `name` (or one already received and not yet taken). */
  next(name: string, timeoutMs?: number): Promise<SseEvent>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

/** Opens `url` and resolves once the response headers are in. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } })
    request.on('error', reject)
    request.on('response', (response: IncomingMessage) => {
      const events: SseEvent[] = []
      const comments: string[] = []
      const waiters: { name: string; resolve: (event: SseEvent) => void }[] = []
      let taken = 0
      let buffer = ''
      const ended = new Promise<void>((done) => {
        response.on('end', done)
        response.on('close', done)
      })
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        let boundary = buffer.indexOf('\n\n')
        while (boundary >= 0) {
          const block = buffer.slice(0, boundary)
          buffer = buffer.slice(boundary + 2)
          boundary = buffer.indexOf('\n\n')
          let event = 'message'
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('event:')) event = line.slice(6).trim()
            else if (line.startsWith('data:')) data.push(line.slice(5).trim())
          }
          if (data.length === 0) continue
          const parsed = { event, data: data.join('\n') }
          const waiter = waiters.findIndex((candidate) => candidate.name === event)
          if (waiter >= 0) {
            taken = events.length + 1
            waiters.splice(waiter, 1)[0]?.resolve(parsed)
          }
          events.push(parsed)
        }
      })
      resolve({
        status: response.statusCode ?? 0,
        contentType: String(response.headers['content-type']),
        events,
        comments,
        ended,
        next(name, timeoutMs = 5000) {
          const waiting = events.slice(taken).find((event) => event.event === name)
          if (waiting) {
            taken = events.indexOf(waiting) + 1
            return Promise.resolve(waiting)
          }
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(
              () => rejectEvent(new Error(`no "${name}" event within ${timeoutMs} ms`)),
              timeoutMs,
            )
            waiters.push({
              name,
              resolve: (event) => {
                clearTimeout(timer)
                resolveEvent(event)
              },
            })
          })
        },
        close() {
          request.destroy()
        },
      })
    })
  })
}
