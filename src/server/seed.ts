/**
 * What a database gets before anyone can sign in: the first admin on an empty database, and, on
 * request (SOHOA_DEMO=1 or `cli.ts load-demo`), the demo province with its history and accounts.
 * Both are safe to run on every start: nothing that exists is changed.
 */
import { createHash } from 'node:crypto'
import { buildDemo, DEMO_PROVINCE_CODE, type DemoOptions } from '../domain/demo.ts'
import type { Op, Role } from '../domain/sync/protocol.ts'
import { targetKey } from '../domain/targets.ts'
import { createAccount } from './auth/accounts.ts'
import { generatePassword } from './auth/password.ts'
import { buildUnitTree, writeCheckFor, type UnitTree } from './auth/scope.ts'
import type { Store, UserRecord } from './store/store.ts'

export const FIRST_ADMIN_USERNAME = 'admin'

/**
 * The demo accounts' password. Public on purpose (README): demo data only, and only created when
 * the demo is asked for.
 */
export const DEMO_PASSWORD = 'sohoa-demo'

export interface DemoAccount {
  username: string
  displayName: string
  role: Role
  unitCodes: string[]
}

/** A viewer for the province and a reporter for each post-reform commune. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'tinh',
    displayName: 'Văn phòng UBND tỉnh Sơn Hoà (mẫu)',
    role: 'viewer',
    unitCodes: [DEMO_PROVINCE_CODE],
  },
  { username: 'xa99019', displayName: 'Xã An Lạc (mẫu)', role: 'reporter', unitCodes: ['99019'] },
  {
    username: 'xa99022',
    displayName: 'Phường Sơn Hoà (mẫu)',
    role: 'reporter',
    unitCodes: ['99022'],
  },
  { username: 'xa99025', displayName: 'Xã Bình An (mẫu)', role: 'reporter', unitCodes: ['99025'] },
]

export interface FirstAdmin {
  username: string
  password: string
  /** True when the password was generated and must be shown to the operator, once. */
  generated: boolean
}

/** Creates the first admin when the database has no user at all; null when there are users. */
export async function ensureFirstAdmin(
  store: Store,
  password: string | undefined,
): Promise<FirstAdmin | null> {
  if ((await store.countUsers()) > 0) return null
  const chosen = password ?? generatePassword()
  try {
    await createAccount(store, buildUnitTree([]), {
      username: FIRST_ADMIN_USERNAME,
      displayName: 'Quản trị',
      role: 'admin',
      unitCodes: [],
      password: chosen,
    })
  } catch (error) {
    // Another instance starting at the same moment created it first: that one prints the password.
    if (await store.findUserByUsername(FIRST_ADMIN_USERNAME)) return null
    throw error
  }
  return { username: FIRST_ADMIN_USERNAME, password: chosen, generated: password === undefined }
}

/** A stable UUID-shaped id, so loading the demo twice sends the same ops and changes nothing. */
function stableOpId(key: string): string {
  const hex = createHash('sha256').update(`sohoa-demo/${key}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

async function ensureAccount(
  store: Store,
  tree: UnitTree,
  account: DemoAccount,
  password: string,
): Promise<UserRecord> {
  const existing = await store.findUserByUsername(account.username)
  return existing ?? createAccount(store, tree, { ...account, password })
}

export interface DemoLoad {
  units: number
  entries: number
  targets: number
  accounts: string[]
}

/** Largest batch per store call, the same as a client's push. */
const BATCH = 200

/**
 * Loads the demo province: units, accounts (missing ones only, with DEMO_PASSWORD; the admin with
 * `adminPassword` when given), two years of entries as already-synced history and the demo targets,
 * pushed through the store as the demo admin so they take the same path, checks and change feed as
 * any push.
 */
export async function loadDemo(
  store: Store,
  options: { now?: Date; adminPassword?: string | undefined } & DemoOptions = {},
): Promise<DemoLoad> {
  const now = options.now ?? new Date()
  const demo = buildDemo(options.endMonth ? { endMonth: options.endMonth } : {})
  await store.putUnits(demo.units)
  const tree = buildUnitTree(await store.listUnits())

  const admin = await ensureAccount(
    store,
    tree,
    { username: FIRST_ADMIN_USERNAME, displayName: 'Quản trị', role: 'admin', unitCodes: [] },
    options.adminPassword ?? DEMO_PASSWORD,
  )
  for (const account of DEMO_ACCOUNTS) await ensureAccount(store, tree, account, DEMO_PASSWORD)

  // Authored when the unit first reported, which the store keeps as the entry's report time.
  const entryOps: Op[] = demo.entries.map((entry, i) => ({
    id: stableOpId(`${entry.unitCode}/${entry.month}`),
    seq: i + 1,
    kind: 'entry.put',
    unitCode: entry.unitCode,
    month: entry.month,
    counts: entry.counts,
    note: entry.note,
    baseVersion: null,
    createdAt: entry.reportedAt,
  }))
  const targetOps: Op[] = demo.targets.map((target, i) => ({
    id: stableOpId(`target/${targetKey(target)}`),
    seq: entryOps.length + i + 1,
    kind: 'target.put',
    indicator: target.indicator,
    year: target.year,
    unitCode: target.unitCode,
    level: target.level,
    basisPoints: target.basisPoints,
    maxPoints: target.maxPoints,
    createdAt: target.updatedAt,
  }))
  const ops = [...entryOps, ...targetOps]
  // One stream per demo window: a later load (next month) numbers its ops from 1 again, and the
  // months it shares with an earlier load come back as duplicates.
  const deviceId = `sohoa-demo:${demo.entries.at(-1)?.month ?? 'empty'}`
  const context = { user: admin, deviceId, now, check: writeCheckFor(admin, tree, now) }
  for (let start = 0; start < ops.length; start += BATCH) {
    await store.push(context, ops.slice(start, start + BATCH))
  }
  return {
    units: demo.units.length,
    entries: entryOps.length,
    targets: targetOps.length,
    accounts: [FIRST_ADMIN_USERNAME, ...DEMO_ACCOUNTS.map((account) => account.username)],
  }
}
