/**
 * A network between simulated phones and the server whose every delay is a task of a fast-check
 * scheduler: a request on its way, an answer on its way back, a duplicate or a late copy. fast-check
 * picks which hop happens next, so requests and answers of different phones arrive in any order,
 * copies overtake later requests, and a failing run replays from its seed.
 *
 * `Stage` keeps that replayable: only one actor (a phone's user, a sync pass, a stray copy) runs
 * between two hops, and the next hop is released only once every actor is blocked again. Without
 * it, real async work (IndexedDB, SQLite, Fastify) would race the scheduler.
 */
import type { Scheduler } from 'fast-check'
import type { FetchLike } from '../../../src/app/sync/transport.ts'

/** What the network does to one request. Delays and reordering happen to every request. */
export type Fault =
  /** Reaches the server; the answer comes back. */
  | 'none'
  /** Lost on the way: the server never sees it, the phone gets a network error. */
  | 'dropRequest'
  /** The server commits, the answer is lost: the phone gets a network error. */
  | 'dropResponse'
  /** The server receives it twice; the copy may arrive at any later time. */
  | 'duplicate'
  /** Stuck in the network: the phone gives up (timeout) and the request arrives later anyway. */
  | 'late'
  /** The server commits, then restarts before it replies: the phone gets a network error. */
  | 'restart'

export interface WireRequest {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body: string | undefined
}

export interface WireResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** The server end of the network. */
export interface Endpoint {
  handle(request: WireRequest): Promise<WireResponse>
  /** Stops and starts the server on the same database; requests in between wait for it. */
  restart(): Promise<void>
}

/** Runs actors one at a time between scheduler hops; see the module comment. */
export class Stage {
  private running = 0
  private idleWaiters: (() => void)[] = []
  /** Errors of actors started with `spawn`, which nobody awaits. */
  readonly strayErrors: unknown[] = []

  constructor(private readonly scheduler: Scheduler) {}

  /** Runs `body` as an actor: it counts as running except while it waits in `hop`. */
  async act<T>(body: () => Promise<T>): Promise<T> {
    this.running++
    try {
      return await body()
    } finally {
      this.leave()
    }
  }

  /** Starts an actor nobody waits for; its error, if any, is kept in `strayErrors`. */
  spawn(body: () => Promise<void>): void {
    this.act(body).catch((error: unknown) => this.strayErrors.push(error))
  }

  /** Called by a running actor: blocks it until fast-check releases this hop. */
  async hop(label: string): Promise<void> {
    this.leave()
    await this.scheduler.schedule(Promise.resolve(), label, undefined, async (release) => {
      // Counted before the release so that `idle` cannot resolve before the actor resumes.
      this.running++
      await release()
      await this.idle()
    })
  }

  /** Releases hops in the order fast-check picks until no actor is left. */
  async run(): Promise<void> {
    await this.idle()
    while (this.scheduler.count() > 0) await this.scheduler.waitNext(1)
  }

  private idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private leave(): void {
    this.running--
    if (this.running > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const wake of waiters) wake()
  }
}

/** What went over the network, for the property's statistics and failure reports. */
export interface NetworkLog {
  requests: number
  faults: Record<Fault, number>
  /** Requests the server handled, copies included. */
  delivered: number
}

export class SimulatedNetwork {
  /** Once healed, requests go straight to the server: no hops, no faults. */
  healed = false
  readonly log: NetworkLog = {
    requests: 0,
    delivered: 0,
    faults: { none: 0, dropRequest: 0, dropResponse: 0, duplicate: 0, late: 0, restart: 0 },
  }
  private next = 0

  constructor(
    private readonly stage: Stage,
    private readonly server: Endpoint,
    /** Faults for successive requests, cycled; fast-check generates them. */
    private readonly faults: readonly Fault[],
  ) {}

  /** The `fetch` of one phone; `name` labels its hops in fast-check's report. */
  fetchFor(name: string): FetchLike {
    return async (url, init) => {
      const request = toWireRequest(url, init)
      if (this.healed) return toResponse(await this.deliver(request))
      const fault = this.faults[this.next++ % this.faults.length] ?? 'none'
      this.log.requests++
      this.log.faults[fault]++
      const label = `${name} ${request.method} ${request.path.replace(/\?.*/, '')}`
      const hop = (what: string) => this.stage.hop(`${label}: ${what}`)
      switch (fault) {
        case 'dropRequest':
          await hop('request lost')
          throw new TypeError('fetch failed')
        case 'late':
          this.stage.spawn(async () => {
            await hop('late copy arrives')
            await this.deliver(request)
          })
          await hop('phone times out')
          throw new TypeError('fetch failed')
        case 'duplicate':
          this.stage.spawn(async () => {
            await hop('duplicate arrives')
            await this.deliver(request)
          })
          break
        case 'none':
        case 'dropResponse':
        case 'restart':
          break
      }
      await hop('request')
      const response = await this.deliver(request)
      if (fault === 'restart') {
        await this.server.restart()
        throw new TypeError('fetch failed')
      }
      await hop(fault === 'dropResponse' ? 'answer lost' : 'answer')
      if (fault === 'dropResponse') throw new TypeError('fetch failed')
      return toResponse(response)
    }
  }

  private deliver(request: WireRequest): Promise<WireResponse> {
    this.log.delivered++
    return this.server.handle(request)
  }
}

/** The parts of a fetch call the server sees. */
export function toWireRequest(url: string, init: RequestInit): WireRequest {
  const parsed = new URL(url, 'http://sohoa.test')
  return {
    method: init.method === 'POST' ? 'POST' : 'GET',
    path: `${parsed.pathname}${parsed.search}`,
    headers: Object.fromEntries(new Headers(init.headers).entries()),
    body: typeof init.body === 'string' ? init.body : undefined,
  }
}

/** A fetch Response for a server answer; 204 and 304 carry no body. */
export function toResponse(wire: WireResponse): Response {
  const empty = wire.status === 204 || wire.status === 304
  return new Response(empty ? null : wire.body, { status: wire.status, headers: wire.headers })
}
