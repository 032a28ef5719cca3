/**
 * The network edge of the admin screens: a fetch that answers like the server's admin API, so the
 * real admin store, transport and decoders run. Requests are recorded for the assertions.
 */
import { db } from '../../../src/app/db/connection.ts'
import { signIn } from '../../../src/app/db/session.ts'
import { isRecord } from '../../../src/app/db/shapes.ts'
import type { FetchLike } from '../../../src/app/sync/transport.ts'

export interface Recorded {
  method: string
  path: string
  body: unknown
}

export type Answer = { status: number; body?: unknown }

export function fakeServer(answer: (call: Recorded) => Answer | undefined): {
  fetch: FetchLike
  calls: Recorded[]
} {
  const calls: Recorded[] = []
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://localhost')
    const text = typeof init.body === 'string' ? init.body : undefined
    const call = {
      method: init.method ?? 'GET',
      path: url.pathname,
      body: text && JSON.parse(text),
    }
    calls.push(call)
    const reply = answer(call) ?? { status: 404, body: problem(404, 'Not found') }
    const type = reply.status >= 400 ? 'application/problem+json' : 'application/json'
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': type },
    })
  }
  return { fetch, calls }
}

export function problem(
  status: number,
  detail: string,
  errors?: { path: string; message: string }[],
) {
  return { type: '/problems/bad-request', title: 'Bad Request', status, detail, errors }
}

export async function signInAdmin(): Promise<void> {
  await signIn(db, {
    token: 'admin-token',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: 'u-admin', username: 'admin', displayName: 'Admin', role: 'admin', unitCodes: [] },
  })
}

/** The JSON object a call sent (empty when it sent none). */
export function bodyOf(call: Recorded): Record<string, unknown> {
  return isRecord(call.body) ? call.body : {}
}
