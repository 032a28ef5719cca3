/**
 * Bench-only page, built separately from the app and served by the real server next to its API:
 * runs the app's own sync code (transport, pull, push, db) in Chromium for
 * tests/bench/sync/firstPull.ts, and the app's bulk write of as many entries to compare with.
 */
import { bulkPutEntries, saveEntry } from '../../../../src/app/db/entries.ts'
import { getInstallId } from '../../../../src/app/db/meta.ts'
import { SohoaDb } from '../../../../src/app/db/schema.ts'
import { getSession, signIn, type StoredSession } from '../../../../src/app/db/session.ts'
import { pushOutbox, type PushSummary } from '../../../../src/app/sync/outbox.ts'
import { pullChanges, syncUnits } from '../../../../src/app/sync/pull.ts'
import { createTransport, type Transport } from '../../../../src/app/sync/transport.ts'
import type { Month } from '../../../../src/domain/periods.ts'
import { benchCounts, makeEntries } from '../../entries.ts'

/** Wall time of one step, in ms, and what it left in IndexedDB. */
export interface Timed {
  ms: number
  /** Changes received (pull), entries written (bulk), ops acknowledged (push). */
  count: number
  /** Entries in the database afterwards. */
  stored: number
  /** Pull: time spent in transport.pull (request, server, download, JSON parse and decode). */
  transportMs?: number
}

export interface SohoaSyncBench {
  /** Signs in through the API and stores the session, as the login page does. */
  signIn(username: string, password: string): Promise<void>
  /** The complete first pull of the signed-in user's changes into IndexedDB. */
  pull(): Promise<Timed>
  /** The unit list, as the first sync fetches it after the pull. */
  units(): Promise<Timed>
  /** Saves one entry with all six counts for the signed-in reporter and pushes the outbox. */
  saveAndPush(unitCode: string, month: Month): Promise<Timed & { summary: PushSummary }>
  /** bulkPutEntries of `n` fresh entries in one transaction, the app's fastest write. */
  bulkPut(n: number): Promise<Timed>
}

declare global {
  interface Window {
    sohoaSyncBench?: SohoaSyncBench
  }
}

const db = new SohoaDb('sohoa-sync-bench')
const transport = createTransport()

async function session(): Promise<StoredSession> {
  const current = await getSession(db)
  if (current === null) throw new Error('Nobody is signed in')
  return current
}

async function timed(run: () => Promise<number>): Promise<Timed> {
  const start = performance.now()
  const count = await run()
  const ms = performance.now() - start
  return { ms, count, stored: await db.entries.count() }
}

window.sohoaSyncBench = {
  async signIn(username, password) {
    await signIn(db, await transport.login({ username, password }))
  },

  async pull() {
    const { token, user } = await session()
    let transportMs = 0
    const timedTransport: Transport = {
      ...transport,
      async pull(...args) {
        const start = performance.now()
        try {
          return await transport.pull(...args)
        } finally {
          transportMs += performance.now() - start
        }
      },
    }
    const result = await timed(() =>
      pullChanges({ db, transport: timedTransport, token, userId: user.id }),
    )
    return { ...result, transportMs }
  },

  async units() {
    const { token, user } = await session()
    return timed(async () => {
      await syncUnits({ db, transport, token, user })
      return db.units.count()
    })
  },

  async saveAndPush(unitCode, month) {
    const { token, user } = await session()
    const installId = await getInstallId(db)
    const author = { deviceId: installId, userId: user.id, username: user.username }
    await saveEntry(db, { unitCode, month, counts: benchCounts(0), note: '' }, author)
    let summary: PushSummary | undefined
    const result = await timed(async () => {
      summary = await pushOutbox({ db, transport, token, userId: user.id, installId })
      return summary.acknowledged
    })
    if (summary === undefined) throw new Error('No push summary')
    return { ...result, summary }
  },

  async bulkPut(n) {
    const entries = makeEntries(n)
    return timed(() => bulkPutEntries(db, entries, 'sent'))
  },
}
document.title = 'ready'
