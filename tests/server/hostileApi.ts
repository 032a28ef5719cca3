/**
 * What the hostile-text suites share: an app with the test accounts and no limits on failed
 * sign-ins, an admin session, a reader behind the store's back to prove what changed, and a
 * helper to call the API as anyone.
 */
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { changedTables, openDbReader, type DbReader } from './dbSnapshot.ts'
import { login, makeApp, problemOf, syncHeaders, type Backend, type TestApp } from './helpers.ts'

/** Every hostile string through a field: a test sends a few hundred requests. */
export const SLOW = 120_000

export function expect4xx(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, `${what}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400)
  expect(response.statusCode, what).toBeLessThan(500)
  problemOf(response)
}

export interface HostileApi {
  t: TestApp
  admin: string
  /** Calls the API as `token` (the admin by default; null: nobody), with a JSON body if given. */
  call(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    token?: string | null,
  ): Promise<LightMyRequestResponse>
  /** Runs `work`; fails if any table outside `allowed` changed. */
  only(allowed: readonly string[], what: string, work: () => Promise<void>): Promise<void>
  reader: DbReader
  dispose(): Promise<void>
}

export async function openHostileApi(backend: Backend): Promise<HostileApi> {
  const t = await makeApp(backend, {
    login: { maxFailures: 1_000_000 },
    loginRateLimit: { max: 1_000_000, timeWindow: 60_000 },
  })
  const admin = await login(t.app, 'admin')
  const reader = await openDbReader(t.store)
  return {
    t,
    admin,
    reader,
    call: (method, url, payload, token = admin) =>
      t.app.inject({
        method,
        url,
        headers: {
          ...syncHeaders(token ?? undefined),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) ?? '' }),
      }),
    async only(allowed, what, work) {
      const before = await reader.snapshot()
      await work()
      const changed = changedTables(before, await reader.snapshot())
      expect(
        changed.filter((table) => !allowed.includes(table)),
        what,
      ).toEqual([])
    },
    async dispose() {
      await reader.close()
      await t.dispose()
    },
  }
}
