/**
 * Every API route the app registers, fuzzed with fast-check on both backends (cases in
 * fuzzCases.ts): near-valid and hostile bodies, query strings, path parameters and headers, from
 * every role, nobody, and holders of forged, tampered, expired or odd tokens. Whatever comes in,
 * the answer is below 500, a refusal is problem+json and changed no table, and an accepted push
 * stored exactly the result it answered for each op. A route without a case fails the suite.
 */
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Op, OpResult, PushRequest } from '../../src/domain/sync/protocol.ts'
import { targetKey } from '../../src/domain/targets.ts'
import { hashToken, newToken } from '../../src/server/auth/tokens.ts'
import { changedTables, openDbReader, type DbReader } from './dbSnapshot.ts'
import { FUZZ_CASES } from './fuzzCases.ts'
import type { FuzzContext, FuzzRequest } from './fuzzRequests.ts'
import { BACKENDS, PASSWORD, login, makeApp, type TestApp } from './helpers.ts'

/** "METHOD /path" of every route Fastify registered, from its route tree. */
export function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line)
    if (!match) continue
    const depth = (match[1] ?? '').length / 4
    stack.length = depth
    stack.push(match[2] ?? '')
    for (const method of (match[3] ?? '').split(', ')) routes.push(`${method} ${stack.join('')}`)
  }
  return routes
}

function isPushRequest(value: unknown): value is PushRequest {
  return typeof value === 'object' && value !== null && 'ops' in value && Array.isArray(value.ops)
}

/** Each op's answer is what the store recorded for it, and an applied op left its trace. */
async function checkPush(reader: DbReader, request: FuzzRequest, results: OpResult[]) {
  const sent: unknown = JSON.parse(request.payload ?? 'null')
  if (!isPushRequest(sent)) throw new Error('an accepted push that is not one')
  expect(results).toHaveLength(sent.ops.length)
  const ops = new Map((await reader.rows('ops')).map((row) => [String(row.op_id), row]))
  const historyOps = new Set((await reader.rows('entry_history')).map((row) => String(row.op_id)))
  const reviewOps = new Set((await reader.rows('review_events')).map((row) => String(row.op_id)))
  const targets = new Set((await reader.rows('targets')).map((row) => String(row.key)))
  sent.ops.forEach((op: Op, i) => {
    const result = results[i]
    expect(result?.id).toBe(op.id)
    const stored: unknown = JSON.parse(String(ops.get(op.id)?.result ?? 'null'))
    if (result?.status === 'duplicate') {
      expect(stored).toMatchObject({ version: result.version })
      return
    }
    expect(stored, `op ${i}`).toEqual(result)
    const applied = result?.status === 'applied' || result?.status === 'conflict'
    if (op.kind === 'review') expect(reviewOps.has(op.id)).toBe(applied)
    if (op.kind === 'entry.put' && !applied) expect(historyOps.has(op.id)).toBe(false)
    if (op.kind === 'target.put' && applied) expect(targets.has(targetKey(op))).toBe(true)
  })
}

describe.each(BACKENDS)('fuzzing every route on %s', (backend) => {
  let t: TestApp
  let base: string
  let reader: DbReader
  let ctx: FuzzContext

  beforeAll(async () => {
    t = await makeApp(backend, { loginRateLimit: { max: 1_000_000, timeWindow: 60_000 } })
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    reader = await openDbReader(t.store)
    const session = async (userId: string, expiresAt: Date) => {
      const token = newToken()
      await t.store.createSession(hashToken(token), { userId, expiresAt: expiresAt.toISOString() })
      return token
    }
    const later = new Date(Date.now() + 86_400_000)
    const admin = await login(t.app, 'admin')
    // A session opened while the account was active; the account deactivated since.
    const deactivated = await session(t.users.deactivated.id, later)
    const disposable = await Promise.all(
      Array.from({ length: 200 }, () => session(t.users.admin.id, later)),
    )
    const targets = await Promise.all(
      ['fuzz.target1', 'fuzz.target2'].map((username) =>
        t.store.createUser({
          username,
          displayName: username,
          role: 'reporter',
          unitCodes: ['99025'],
          passwordHash: t.users.reporter.passwordHash,
        }),
      ),
    )
    const last = admin.at(-1) === 'A' ? 'B' : 'A'
    ctx = {
      users: t.users,
      tokens: {
        admin,
        reporter: await login(t.app, 'reporter'),
        viewer: await login(t.app, 'viewer', PASSWORD),
        tampered: `${admin.slice(0, 42)}${last}`,
        expired: await session(t.users.admin.id, new Date(Date.now() - 1000)),
        deactivated,
      },
      disposable: () => disposable.pop() ?? newToken(),
      targetIds: [...targets.map((user) => user.id), randomUUID(), 'x'],
    }
  })
  afterAll(async () => {
    await reader?.close()
    await t?.dispose()
  })

  it('has a fuzz case for every API route the app registers, and none for a route it lacks', () => {
    const registered = registeredRoutes(t.app)
    expect(registered.length).toBeGreaterThan(15)
    const api = registered.filter((route) => route.split(' ')[1]?.startsWith('/api'))
    // HEAD comes with every GET route and is sent by the GET cases.
    const needed = api.filter((route) => !route.startsWith('HEAD '))
    expect(needed.filter((route) => !(route in FUZZ_CASES))).toEqual([])
    expect(Object.keys(FUZZ_CASES).filter((route) => !needed.includes(route))).toEqual([])
  })

  interface Answer {
    statusCode: number
    headers: Record<string, unknown>
    body: string
  }

  /** The event stream never ends: its answer is read over HTTP, up to the headers. */
  async function send(request: FuzzRequest): Promise<Answer> {
    if (!request.url.startsWith('/api/events')) return t.app.inject(request)
    const controller = new AbortController()
    const response = await fetch(`${base}${request.url}`, {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    })
    const headers = Object.fromEntries(response.headers)
    const streaming = headers['content-type']?.startsWith('text/event-stream') ?? false
    const body = streaming ? '' : await response.text()
    controller.abort()
    return { statusCode: response.status, headers, body }
  }

  function expectProblem(answer: Answer, what: string): void {
    expect(String(answer.headers['content-type']), what).toMatch(/^application\/problem\+json/)
    expect(JSON.parse(answer.body), what).toMatchObject({ status: answer.statusCode })
  }

  it.each(Object.keys(FUZZ_CASES))(
    '%s',
    async (route) => {
      const kase = FUZZ_CASES[route]?.(ctx)
      if (!kase) throw new Error(`no case for ${route}`)
      await fc.assert(
        fc.asyncProperty(kase.request, async (request) => {
          const before = await reader.snapshot()
          const response = await send(request)
          const what = `${request.caller} ${request.method} ${request.url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`
          expect(response.statusCode, what).toBeLessThan(500)
          expect(response.headers['x-content-type-options'], what).toBe('nosniff')
          const changed = changedTables(before, await reader.snapshot())
          if (response.statusCode >= 400) {
            if (request.method !== 'HEAD') expectProblem(response, what)
            expect(
              changed.filter((table) => !kase.refusalWrites?.includes(table)),
              what,
            ).toEqual([])
            return
          }
          expect(
            changed.filter((table) => !kase.writes?.includes(table)),
            what,
          ).toEqual([])
          if (route === 'POST /api/sync/push')
            await checkPush(reader, request, JSON.parse(response.body).results)
        }),
        { numRuns: kase.numRuns ?? 50 },
      )
    },
    180_000,
  )
})
