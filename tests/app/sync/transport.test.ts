import { describe, expect, it } from 'vitest'
import {
  ClientTooOldError,
  OfflineError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
  UnauthorizedError,
} from '../../../src/app/sync/errors.ts'
import {
  createTransport,
  retryAfterSeconds,
  type FetchLike,
} from '../../../src/app/sync/transport.ts'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROBLEM_TYPES,
  PROTOCOL_VERSION,
  SCHEMA_VERSION,
} from '../../../src/domain/sync/protocol.ts'

interface Sent {
  url: string
  init: RequestInit
}

/** A fetch that records the request and answers with `response`. */
function answering(response: () => Response): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    fetch: async (url, init) => {
      sent.push({ url, init })
      return response()
    },
  }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

const problem = (status: number, type: string, headers: Record<string, string> = {}): Response =>
  json({ type, title: 'x', status, detail: 'chi tiết' }, status, headers)

function headerOf(sent: Sent | undefined, name: string): string | null {
  return new Headers(sent?.init.headers).get(name)
}

const online = { onLine: true }
const PULL = { changes: [], cursor: '5', more: false, remaining: 0 }

describe('transport', () => {
  it('sends the versions and the token, and decodes the answer', async () => {
    const { fetch, sent } = answering(() => json(PULL))
    const transport = createTransport({ baseUrl: 'http://server', fetch, navigator: online })

    expect(await transport.pull('tok', '0', 1000)).toEqual(PULL)

    expect(sent[0]?.url).toBe('http://server/api/sync/pull?cursor=0&limit=1000')
    expect(headerOf(sent[0], 'authorization')).toBe('Bearer tok')
    expect(headerOf(sent[0], HEADER_PROTOCOL)).toBe(String(PROTOCOL_VERSION))
    expect(headerOf(sent[0], HEADER_SCHEMA)).toBe(String(SCHEMA_VERSION))
  })

  it.each([
    [problem(401, PROBLEM_TYPES.sessionExpired), SessionExpiredError],
    [problem(401, PROBLEM_TYPES.unauthorized), UnauthorizedError],
    [problem(426, PROBLEM_TYPES.clientTooOld), ClientTooOldError],
    [problem(500, PROBLEM_TYPES.internal), ServerError],
    [new Response('<html>proxy</html>', { status: 502 }), ServerError],
    [json({ changes: 'nope' }), ServerError],
  ])('turns %# into its error', async (response, type) => {
    const { fetch } = answering(() => response)
    const transport = createTransport({ fetch, navigator: online })

    await expect(transport.pull('tok', '0')).rejects.toBeInstanceOf(type)
  })

  it('keeps the status and problem of a server error', async () => {
    const { fetch } = answering(() => problem(403, PROBLEM_TYPES.forbidden))
    const error: unknown = await createTransport({ fetch, navigator: online })
      .pull('tok', '0')
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 403, problem: { type: PROBLEM_TYPES.forbidden } })
  })

  it('reads Retry-After when rate limited', async () => {
    const { fetch } = answering(() =>
      problem(429, PROBLEM_TYPES.tooManyRequests, { 'retry-after': '900' }),
    )
    const error: unknown = await createTransport({ fetch, navigator: online })
      .login({ username: 'lan', password: 'x' })
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error).toMatchObject({ retryAfter: 900 })
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:01:00 GMT', Date.UTC(2026, 0, 1))).toBe(60)
    expect(retryAfterSeconds(null)).toBeNull()
  })

  it('fails at once, without a request, when the browser is offline', async () => {
    const { fetch, sent } = answering(() => json(PULL))
    const error: unknown = await createTransport({ fetch, navigator: { onLine: false } })
      .pull('tok', '0')
      .catch((e: unknown) => e)

    expect(error).toMatchObject({ name: 'OfflineError', reason: 'offline' })
    expect(sent).toEqual([])
  })

  it('turns a failed fetch into OfflineError', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('fetch failed'))
    await expect(
      createTransport({ fetch, navigator: online }).pull('tok', '0'),
    ).rejects.toMatchObject({ name: 'OfflineError', reason: 'network' })
  })

  it('gives up on a request that takes too long', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        )
      })
    const error: unknown = await createTransport({ fetch, navigator: online, timeoutMs: 10 })
      .pull('tok', '0')
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(OfflineError)
    expect(error).toMatchObject({ reason: 'timeout' })
  })

  it('revalidates the unit list with its ETag', async () => {
    const { fetch, sent } = answering(() => new Response(null, { status: 304 }))
    const transport = createTransport({ fetch, navigator: online })

    expect(await transport.units('tok', '"abc"')).toEqual({ notModified: true })
    expect(headerOf(sent[0], 'if-none-match')).toBe('"abc"')
  })

  it('returns the unit list and its ETag', async () => {
    const unit = {
      code: '00004',
      name: 'Phường Ba Đình',
      kind: 'commune',
      type: 'Phường',
      level: 'commune',
      parentCode: '01',
      validFrom: '2025-07-01',
      validTo: null,
    }
    const { fetch } = answering(() => json({ units: [unit] }, 200, { etag: '"v2"' }))

    expect(await createTransport({ fetch, navigator: online }).units('tok', null)).toEqual({
      notModified: false,
      units: [unit],
      etag: '"v2"',
    })
  })

  it('returns the reorganization links sent with the list, and refuses a malformed one', async () => {
    const link = { newCode: '00004', oldCode: '00001', kind: 'partial', date: '2025-07-01' }
    const { fetch } = answering(() => json({ units: [], links: [link] }, 200))
    expect(await createTransport({ fetch, navigator: online }).units('tok', null)).toEqual({
      notModified: false,
      units: [],
      etag: null,
      links: [link],
    })

    const bad = answering(() => json({ units: [], links: [{ ...link, kind: 'some' }] }, 200))
    await expect(
      createTransport({ fetch: bad.fetch, navigator: online }).units('tok', null),
    ).rejects.toBeInstanceOf(ServerError)
  })

  it("fetches a month's history and refuses a malformed event", async () => {
    const events = [
      {
        type: 'edit',
        at: '2025-04-02T03:00:00.000Z',
        by: 'lan',
        deviceId: 'device-a',
        version: 1,
        changes: [{ field: 'received', from: null, to: 120 }],
      },
      {
        type: 'conflict',
        at: '2025-04-03T03:00:00.000Z',
        by: 'minh',
        field: 'received',
        value: 118,
        currentValue: 120,
        winner: 'lan',
      },
      { type: 'resolved', at: '2025-04-04T03:00:00.000Z', by: 'lan', field: 'received' },
      {
        type: 'review',
        at: '2025-04-05T03:00:00.000Z',
        by: 'huyen',
        action: 'return',
        comment: 'x',
      },
    ]
    const { fetch, sent } = answering(() => json({ events }))
    const transport = createTransport({ fetch, navigator: online })
    expect(await transport.history('tok', '00004', '2025-03')).toEqual(events)
    expect(sent[0]?.url).toBe('/api/history/00004/2025-03')

    const bad = answering(() => json({ events: [{ ...events[3], action: 'approve' }] }))
    await expect(
      createTransport({ fetch: bad.fetch, navigator: online }).history('tok', '00004', '2025-03'),
    ).rejects.toBeInstanceOf(ServerError)
  })

  it('fetches the targets the user may read', async () => {
    const target = {
      indicator: 'digitization',
      year: 2025,
      unitCode: '99',
      level: 'commune',
      basisPoints: 8000,
      maxPoints: 7.5,
      updatedAt: '2025-04-01T00:00:00.000Z',
      updatedBy: 'tinh',
    }
    const nationwide = { ...target, unitCode: null, level: 'district' }
    const { fetch, sent } = answering(() => json({ targets: [target, nationwide] }))

    const targets = await createTransport({ fetch, navigator: online }).targets('tok')

    expect(targets).toEqual([target, nationwide])
    expect(sent[0]?.url).toBe('/api/sync/targets')
    expect(headerOf(sent[0], HEADER_PROTOCOL)).toBe(String(PROTOCOL_VERSION))
  })

  it.each([
    ['an unknown indicator', { indicator: 'happiness' }],
    ['an unknown level', { level: 'village' }],
    ['a rate over 100%', { basisPoints: 10_001 }],
    ['no points', { maxPoints: 0 }],
    ['a numeric unit code', { unitCode: 99 }],
  ])('refuses a target list with %s', async (_name, bad) => {
    const target = {
      indicator: 'digitization',
      year: 2025,
      unitCode: '99',
      level: null,
      basisPoints: 8000,
      maxPoints: 10,
      updatedAt: '2025-04-01T00:00:00.000Z',
      updatedBy: 'tinh',
      ...bad,
    }
    const { fetch } = answering(() => json({ targets: [target] }))
    await expect(
      createTransport({ fetch, navigator: online }).targets('tok'),
    ).rejects.toBeInstanceOf(ServerError)
  })

  it('decodes the report time of a change, absent, null or a time, and nothing else', async () => {
    const change = {
      unitCode: '99019',
      month: '2025-09',
      counts: { received: 1, digitized: 1 },
      note: '',
      version: 1,
      updatedAt: '2025-10-01T00:00:00.000Z',
      updatedBy: 'lan',
      conflicts: [],
    }
    const page = (changes: unknown[]) => ({ ...PULL, changes })
    const pull = async (body: unknown) => {
      const { fetch } = answering(() => json(body))
      return createTransport({ fetch, navigator: online }).pull('tok', '0')
    }
    const reported = { ...change, reportedAt: '2025-10-02T00:00:00.000Z' }
    const unknown = { ...change, reportedAt: null }
    expect((await pull(page([change, unknown, reported]))).changes).toEqual([
      change,
      unknown,
      reported,
    ])
    await expect(pull(page([{ ...change, reportedAt: 5 }]))).rejects.toBeInstanceOf(ServerError)
  })

  it('posts the login and builds the events URL with the token', async () => {
    const answer = {
      token: 't',
      expiresAt: '2025-05-01T00:00:00.000Z',
      user: {
        id: 'u1',
        username: 'lan',
        displayName: 'Lan',
        role: 'reporter',
        unitCodes: ['00004'],
      },
    }
    const { fetch, sent } = answering(() => json(answer))
    const transport = createTransport({ baseUrl: 'http://s', fetch, navigator: online })

    expect(await transport.login({ username: 'lan', password: 'mật khẩu' })).toEqual(answer)
    expect(sent[0]?.init.method).toBe('POST')
    expect(sent[0]?.init.body).toBe(JSON.stringify({ username: 'lan', password: 'mật khẩu' }))
    expect(transport.eventsUrl('a+b')).toBe('http://s/api/events?token=a%2Bb')
  })
})
