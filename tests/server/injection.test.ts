/**
 * Hostile text (SQL and LIKE metacharacters, HTML, NUL, unpaired surrogates, right-to-left and
 * zero-width marks, formula prefixes, very long) in every text field of accounts, sign-in, pushes
 * and parameters, on both backends: refused cleanly (a 4xx problem, or a per-op refusal in a push),
 * or stored and returned exactly as sent, and no table changes beyond the ones the request is meant
 * to write. Unit lists and file names are in injectionImport.test.ts.
 */
import { randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EntryChange, HistoryEvent, Op, OpResult } from '../../src/domain/sync/protocol.ts'
import { isStorableText } from '../../src/domain/text.ts'
import { normalizeUsername } from '../../src/server/auth/login.ts'
import { BACKENDS, deviceOf, login, problemOf } from './helpers.ts'
import { expect4xx, openHostileApi, SLOW, type HostileApi } from './hostileApi.ts'
import { HOSTILE_STRINGS } from './schemaArbitrary.ts'

const STRINGS = HOSTILE_STRINGS

describe.each(BACKENDS)('hostile text in every field on %s', (backend) => {
  let api: HostileApi
  let t: HostileApi['t']
  let call: HostileApi['call']
  let only: HostileApi['only']
  let seq = 0

  beforeAll(async () => {
    api = await openHostileApi(backend)
    ;({ t, call, only } = api)
  })
  afterAll(async () => api?.dispose())

  async function push(op: Op): Promise<LightMyRequestResponse & { result?: OpResult }> {
    const response = await call('POST', '/api/sync/push', {
      deviceId: deviceOf(t.users.admin, 'install-hostile'),
      ops: [op],
    })
    return Object.assign(
      response,
      response.statusCode === 200 ? { result: response.json().results[0] } : {},
    )
  }

  it(
    'signs nobody in with a hostile username or password, and tells nothing',
    async () => {
      for (const text of STRINGS) {
        for (const body of [
          { username: text, password: 'correct horse battery' },
          { username: 'viewer', password: text },
        ]) {
          await only(['login_failures'], JSON.stringify(body).slice(0, 80), async () => {
            const response = await call('POST', '/api/auth/login', body)
            expect([400, 401], response.body).toContain(response.statusCode)
            problemOf(response)
          })
        }
      }
    },
    SLOW,
  )

  it(
    'stores display names exactly as sent, or refuses them',
    async () => {
      const target = t.users.otherReporter
      for (const [i, text] of STRINGS.entries()) {
        const refused = text.length > 100 || !isStorableText(text)
        await only(refused ? [] : ['users', 'audit_log', 'counters'], `name ${i}`, async () => {
          const patched = await call('PATCH', `/api/users/${target.id}`, { displayName: text })
          if (refused) return expect4xx(patched, `display name ${i}`)
          // Names are trimmed; a blank one leaves the name as it was.
          const shown = text.trim() || patched.json().displayName
          expect(patched.json().displayName).toBe(shown)
          const listed: { id: string; displayName: string }[] = (
            await call('GET', '/api/users')
          ).json().users
          expect(listed.find((user) => user.id === target.id)?.displayName).toBe(shown)
        })
      }
      // Creating an account takes the same path to the same column, refusals included.
      for (const text of ["<b>Xã</b> '; --", 'a\u0000b', 'x\udc00y']) {
        const created = await call('POST', '/api/users', {
          username: `n${randomUUID().slice(0, 8)}`,
          displayName: text,
          role: 'reporter',
          unitCodes: ['99025'],
          password: 'a long enough password',
        })
        if (isStorableText(text)) expect(created.json().displayName).toBe(text)
        else expect4xx(created, 'display name of a new account')
      }
    },
    SLOW,
  )

  it(
    'takes any password a person could type, stored only as its hash',
    async () => {
      for (const [i, text] of STRINGS.entries()) {
        const acceptable = [...text].length >= 10 && text.length <= 200 && text.trim() === text
        const response = await call('POST', `/api/users/${t.users.otherReporter.id}/password`, {
          password: text,
        })
        if (!acceptable) {
          expect4xx(response, `password ${i}`)
          continue
        }
        // Even text no column could hold is a usable password: only its hash is stored.
        expect(response.statusCode, response.body).toBe(204)
        await login(t.app, 'otherreporter', text)
      }
    },
    SLOW,
  )

  it(
    'takes only plain usernames, and stores those that look like keywords as they are',
    async () => {
      for (const text of STRINGS) {
        const response = await call('POST', '/api/users', {
          username: text,
          role: 'reporter',
          unitCodes: ['99025'],
          password: 'a long enough password',
        })
        if (response.statusCode === 201) {
          expect(response.json().username).toBe(normalizeUsername(text))
          await login(t.app, text, 'a long enough password')
        } else expect4xx(response, `username ${text.slice(0, 20)}`)
      }
    },
    SLOW,
  )

  it(
    'stores notes exactly as sent through push, pull and history, or refuses the op alone',
    async () => {
      let version: number | null = null
      for (const text of STRINGS) {
        seq += 1
        const op: Op = {
          id: randomUUID(),
          seq,
          kind: 'entry.put',
          unitCode: '99019',
          month: '2025-09',
          counts: { received: 100 + seq, digitized: 50 },
          note: text,
          baseVersion: version,
          createdAt: new Date().toISOString(),
        }
        const tooLong = text.length > 500
        const writes = tooLong ? [] : ['ops', 'devices', 'entries', 'entry_history', 'counters']
        await only(writes, text.slice(0, 30), async () => {
          const response = await push(op)
          if (tooLong) return expect4xx(response, 'a note over 500 characters')
          const { result } = response
          if (!isStorableText(text)) {
            expect(result).toMatchObject({
              status: 'rejected',
              reason: 'invalid',
              detail: 'note: unstorableText',
            })
            return
          }
          expect(result?.status).toBe('applied')
          version = result?.status === 'applied' ? result.version : version
          const pulled = (await call('GET', '/api/sync/pull?cursor=0&limit=1000')).json().changes
          const change = pulled.find(
            (c: EntryChange) => c.unitCode === '99019' && c.month === '2025-09',
          )
          expect(change?.note).toBe(text)
          const history: HistoryEvent[] = (await call('GET', '/api/history/99019/2025-09')).json()
            .events
          const edit = history.filter((event) => event.type === 'edit').at(-1)
          expect(edit?.type === 'edit' && edit.changes.find((c) => c.field === 'note')?.to).toBe(
            text,
          )
        })
      }
    },
    SLOW,
  )

  it(
    'stores review comments exactly as sent, or refuses the op alone',
    async () => {
      const review = (action: 'submit' | 'return', comment: string): Op => ({
        id: randomUUID(),
        seq: ++seq,
        kind: 'review',
        action,
        unitCode: '99019',
        month: '2025-09',
        comment,
        createdAt: new Date().toISOString(),
      })
      for (const text of STRINGS.filter((s) => s.length <= 500)) {
        // Submit with the text, then return with it, so the month is ready for the next round.
        for (const op of [review('submit', text), review('return', `Sửa: ${text}`)]) {
          if (op.kind !== 'review') continue
          const response = await push(op)
          if (!isStorableText(text)) {
            expect(response.result).toMatchObject({
              status: 'rejected',
              detail: 'comment: unstorableText',
            })
            continue
          }
          expect(response.result?.status, `${op.action} ${text.slice(0, 20)}`).toBe('applied')
          const history: HistoryEvent[] = (await call('GET', '/api/history/99019/2025-09')).json()
            .events
          expect(history.at(-1)).toMatchObject({
            type: 'review',
            action: op.action,
            comment: op.comment,
          })
        }
      }
    },
    SLOW,
  )

  it(
    'refuses hostile ids, device ids, cursors, limits, tokens and path parameters',
    async () => {
      const reporter = await login(t.app, 'reporter')
      for (const text of STRINGS) {
        const q = encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))
        await only([], `parameters ${text.slice(0, 20)}`, async () => {
          for (const url of [
            `/api/sync/pull?cursor=${q}`,
            `/api/sync/pull?cursor=0&limit=${q}`,
            `/api/admin/audit?limit=${q}`,
            `/api/history/${q}/2025-09`,
            `/api/history/99019/${q}`,
            `/api/events?token=${q}`,
          ]) {
            // The event stream takes the query token only without a header.
            const token = url.startsWith('/api/events')
              ? null
              : url.startsWith('/api/history/99019')
                ? reporter
                : api.admin
            expect4xx(await call('GET', url, undefined, token), url.slice(0, 80))
          }
          const patched = await call('PATCH', `/api/users/${q}`, { displayName: 'x' })
          expect4xx(patched, 'user id')
          for (const body of [
            {
              deviceId: text,
              ops: [
                {
                  id: randomUUID(),
                  seq: 1,
                  kind: 'review',
                  action: 'submit',
                  unitCode: '99019',
                  month: '2025-09',
                  comment: '',
                  createdAt: new Date().toISOString(),
                },
              ],
            },
            {
              deviceId: deviceOf(t.users.admin),
              ops: [
                {
                  id: text,
                  seq: 1,
                  kind: 'review',
                  action: 'submit',
                  unitCode: '99019',
                  month: '2025-09',
                  comment: '',
                  createdAt: new Date().toISOString(),
                },
              ],
            },
          ]) {
            expect4xx(await call('POST', '/api/sync/push', body), 'device or op id')
          }
        })
      }
    },
    SLOW,
  )
})
