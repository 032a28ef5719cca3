/** First admin, demo loading, configuration and URL redaction. */
import { afterEach, describe, expect, it } from 'vitest'
import { buildDemo } from '../../src/domain/demo.ts'
import { redactUrl } from '../../src/server/app.ts'
import { ConfigError, readConfig } from '../../src/server/config.ts'
import { verifyPassword } from '../../src/server/auth/password.ts'
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  FIRST_ADMIN_USERNAME,
  ensureFirstAdmin,
  loadDemo,
} from '../../src/server/seed.ts'
import { BACKENDS, makeStore, type TestStore } from './helpers.ts'

let opened: TestStore[] = []
afterEach(async () => {
  await Promise.all(opened.map((store) => store.dispose()))
  opened = []
})

async function freshStore(backend: (typeof BACKENDS)[number]) {
  const testStore = await makeStore(backend)
  opened.push(testStore)
  return testStore.store
}

describe.each(BACKENDS)('seeding on %s', (backend) => {
  it('creates the first admin once, with a generated password', async () => {
    const store = await freshStore(backend)
    const first = await ensureFirstAdmin(store, undefined)
    expect(first).toMatchObject({ username: FIRST_ADMIN_USERNAME, generated: true })
    expect(first?.password.length).toBeGreaterThanOrEqual(16)
    const admin = await store.findUserByUsername(FIRST_ADMIN_USERNAME)
    expect(admin?.role).toBe('admin')
    expect(await verifyPassword(first?.password ?? '', admin?.passwordHash ?? '')).toBe(true)
    expect(await ensureFirstAdmin(store, undefined)).toBeNull()
    expect(await store.countUsers()).toBe(1)
  })

  it('uses SOHOA_ADMIN_PASSWORD when given, and refuses a weak one', async () => {
    const store = await freshStore(backend)
    expect(await ensureFirstAdmin(store, 'the chosen password')).toMatchObject({ generated: false })
    await expect(ensureFirstAdmin(await freshStore(backend), 'short')).rejects.toThrow(/10/)
  })

  it('loads the demo province, its accounts and history, and loading again changes nothing', async () => {
    const store = await freshStore(backend)
    const now = new Date('2025-10-15T03:00:00Z')
    const first = await loadDemo(store, { endMonth: '2025-09', now })
    const demo = buildDemo({ endMonth: '2025-09' })
    expect(first).toMatchObject({ units: demo.units.length, entries: demo.entries.length })
    const pulled = await store.pull({ all: true }, 0n, 1000)
    expect(pulled.changes).toHaveLength(demo.entries.length)
    const sample = demo.entries[0]
    expect(
      pulled.changes.find(
        (change) => change.unitCode === sample?.unitCode && change.month === sample.month,
      )?.counts,
    ).toEqual(sample?.counts)
    for (const account of DEMO_ACCOUNTS) {
      const user = await store.findUserByUsername(account.username)
      expect(user).toMatchObject({ role: account.role, unitCodes: account.unitCodes })
      expect(await verifyPassword(DEMO_PASSWORD, user?.passwordHash ?? '')).toBe(true)
    }

    // Each month keeps when it was first reported; the demo's late ones stay late.
    const reported = new Map(demo.entries.map((e) => [`${e.unitCode}/${e.month}`, e.reportedAt]))
    expect(
      pulled.changes.every(
        (change) => change.reportedAt === reported.get(`${change.unitCode}/${change.month}`),
      ),
    ).toBe(true)
    expect(first.targets).toBe(demo.targets.length)
    const targets = await store.listTargets({ all: true })
    expect(targets.map((t) => [t.year, t.unitCode, t.level, t.basisPoints])).toEqual(
      demo.targets.map((t) => [t.year, t.unitCode, t.level, t.basisPoints]),
    )

    await loadDemo(store, { endMonth: '2025-09', now })
    expect(await store.listTargets({ all: true })).toEqual(targets)
    const again = await store.pull({ all: true }, BigInt(pulled.cursor), 1000)
    expect(again.changes).toEqual([])
    expect(await store.countUsers()).toBe(DEMO_ACCOUNTS.length + 1)
    // A demo database has its admin, so the first start creates none.
    expect(await ensureFirstAdmin(store, undefined)).toBeNull()
  })
})

describe('configuration', () => {
  it('has defaults for everything', () => {
    const config = readConfig({}, '/srv/sohoa')
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/sohoa/data',
      staticDir: '/srv/sohoa/dist',
      sessionDays: 30,
      demo: false,
      logLevel: 'info',
      trustProxy: false,
    })
    expect(config.databaseUrl).toBeUndefined()
    expect(config.adminPassword).toBeUndefined()
  })

  it('reads every variable', () => {
    const config = readConfig(
      {
        PORT: '3000',
        HOST: '127.0.0.1',
        DATA_DIR: '/var/lib/sohoa',
        DATABASE_URL: 'postgres://sohoa@db/sohoa',
        SOHOA_STATIC_DIR: 'public',
        SOHOA_SESSION_DAYS: '60',
        SOHOA_ADMIN_PASSWORD: 'the chosen password',
        SOHOA_DEMO: '1',
        LOG_LEVEL: 'warn',
        SOHOA_TRUST_PROXY: '10.0.0.0/8',
      },
      '/srv',
    )
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/var/lib/sohoa',
      databaseUrl: 'postgres://sohoa@db/sohoa',
      staticDir: '/srv/public',
      sessionDays: 60,
      adminPassword: 'the chosen password',
      demo: true,
      logLevel: 'warn',
      trustProxy: '10.0.0.0/8',
    })
  })

  it('trusts a number of proxy hops', () => {
    const { trustProxy } = readConfig({ SOHOA_TRUST_PROXY: '1' })
    if (typeof trustProxy !== 'function') throw new Error('expected a function')
    expect([trustProxy('10.0.0.1', 0), trustProxy('10.0.0.2', 1)]).toEqual([true, false])
  })

  it.each([
    { PORT: 'eighty' },
    { PORT: '70000' },
    { SOHOA_SESSION_DAYS: '0' },
    { DATABASE_URL: 'mysql://x' },
    { LOG_LEVEL: 'loud' },
  ])('refuses %o', (env) => {
    expect(() => readConfig(env)).toThrow(ConfigError)
  })
})

describe('URL redaction', () => {
  it.each([
    ['/api/events?token=abc', '/api/events?token=[redacted]'],
    ['/api/events?x=1&token=abc&y=2', '/api/events?x=1&token=[redacted]&y=2'],
    ['/api/events?TOKEN=abc', '/api/events?TOKEN=[redacted]'],
    ['/api/units', '/api/units'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })
})
