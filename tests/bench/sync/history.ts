/**
 * History for the first-pull benchmark, written through the store as a push of already-synced
 * entries (seed.ts does the same for the demo): the country's units, a viewer of every province,
 * one reporter, and every commune's months back from last month, six values each.
 */
import { addMonths, type Month } from '../../../src/domain/periods.ts'
import { MAX_PUSH_OPS, type EntryPutOp } from '../../../src/domain/sync/protocol.ts'
import { createAccount } from '../../../src/server/auth/accounts.ts'
import { generatePassword } from '../../../src/server/auth/password.ts'
import {
  buildUnitTree,
  currentMonthInVietnam,
  writeCheckFor,
} from '../../../src/server/auth/scope.ts'
import type { Store } from '../../../src/server/store/store.ts'
import { benchCounts } from '../entries.ts'
import type { Country } from './units.ts'

/** Who signs in to pull and to push, and what the push may write. */
export interface Seeded {
  entries: number
  password: string
  viewer: string
  reporter: { username: string; unitCode: string }
  pushMonth: Month
}

/**
 * Units, a viewer of every province, one reporter, and `entries` entries (six values each) over
 * the months before this one: every commune's month, month after month back in time.
 */
export async function seedHistory(
  store: Store,
  country: Country,
  entries: number,
): Promise<Seeded> {
  const now = new Date()
  await store.putUnits([...country.provinces, ...country.communes])
  const tree = buildUnitTree(await store.listUnits())
  const password = generatePassword()
  const account = (username: string, role: 'viewer' | 'admin' | 'reporter', unitCodes: string[]) =>
    createAccount(store, tree, { username, role, unitCodes, password })
  const viewer = await account(
    'bench-viewer',
    'viewer',
    country.provinces.map((p) => p.code),
  )
  const admin = await account('bench-admin', 'admin', [])
  const first = country.communes[0]
  if (first === undefined) throw new Error('No commune')
  const reporter = await account(`xa${first.code}`, 'reporter', [first.code])

  const thisMonth = currentMonthInVietnam(now)
  const ops: EntryPutOp[] = Array.from({ length: entries }, (_, i) => {
    const commune = country.communes[i % country.communes.length]
    if (commune === undefined) throw new Error('No commune')
    return {
      id: crypto.randomUUID(),
      seq: i + 1,
      kind: 'entry.put',
      unitCode: commune.code,
      month: addMonths(thisMonth, -1 - Math.floor(i / country.communes.length)),
      counts: benchCounts(i),
      note: '',
      baseVersion: null,
      createdAt: now.toISOString(),
    }
  })
  const context = {
    user: admin,
    deviceId: `bench-seed:${admin.id}`,
    now,
    check: writeCheckFor(admin, tree, now),
  }
  for (let start = 0; start < ops.length; start += MAX_PUSH_OPS) {
    const { results } = await store.push(context, ops.slice(start, start + MAX_PUSH_OPS))
    const refused = results.find((result) => result.status !== 'applied')
    if (refused) throw new Error(`Seeding the pull: ${JSON.stringify(refused)}`)
  }
  return {
    entries,
    password,
    viewer: viewer.username,
    reporter: { username: reporter.username, unitCode: first.code },
    pushMonth: thisMonth,
  }
}
