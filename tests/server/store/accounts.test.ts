import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/server/store/migrations.ts'
import { int } from '../../../src/server/store/rows.ts'
import { UsernameTakenError } from '../../../src/server/store/store.ts'
import type { SqlStore } from '../../../src/server/store/sqlStore.ts'
import { backends, useDb } from './backends.ts'
import { addUser, makeUnit } from './builders.ts'

async function migrationCount(store: SqlStore): Promise<number> {
  const rows = await store.transaction((tx) =>
    tx.all('SELECT COUNT(*) AS n FROM schema_migrations'),
  )
  return rows[0] ? int(rows[0], 'n') : 0
}

describe.each(backends())('$name store: schema', (backend) => {
  it('migrates idempotently', async () => {
    const db = await backend.open()
    try {
      await db.store.migrate()
      await db.store.migrate()
      expect(await migrationCount(db.store)).toBe(MIGRATIONS.length)
      expect(await db.store.countUsers()).toBe(0)
    } finally {
      await db.drop()
    }
  })

  it('migrates once when several instances start at the same time', async () => {
    const db = await backend.open({ migrate: false })
    try {
      const others = await Promise.all([db.another(), db.another(), db.another()])
      await Promise.all([db.store, ...others].map((store) => store.migrate()))
      expect(await migrationCount(db.store)).toBe(MIGRATIONS.length)
      await addUser(others[0]!)
      expect(await db.store.countUsers()).toBe(1)
    } finally {
      await db.drop()
    }
  })
})

describe.each(backends())('$name store: accounts and units', (backend) => {
  const db = useDb(backend)

  it('creates, finds, lists and updates users', async () => {
    const { store } = db()
    const user = await addUser(store)
    expect(user).toMatchObject({ username: 'xa.tanan', role: 'reporter', active: true })
    expect(await store.findUserByUsername('xa.tanan')).toEqual(user)
    expect(await store.findUserById(user.id)).toEqual(user)
    expect(await store.findUserByUsername('nobody')).toBeNull()
    expect(await store.findUserById('nobody')).toBeNull()

    const admin = await addUser(store, { username: 'admin', role: 'admin', unitCodes: [] })
    expect((await store.listUsers()).map((u) => u.username)).toEqual(['admin', 'xa.tanan'])
    expect(await store.countUsers()).toBe(2)

    const updated = await store.updateUser(user.id, {
      displayName: 'Nguyễn Văn A',
      role: 'viewer',
      unitCodes: ['01', '02'],
      active: false,
    })
    expect(updated).toEqual({
      ...user,
      displayName: 'Nguyễn Văn A',
      role: 'viewer',
      unitCodes: ['01', '02'],
      active: false,
    })
    expect(await store.updateUser(admin.id, {})).toEqual(admin)
    expect(await store.updateUser('nobody', { active: false })).toBeNull()
  })

  it('refuses a second user with the same username', async () => {
    const { store } = db()
    await addUser(store)
    await expect(addUser(store)).rejects.toBeInstanceOf(UsernameTakenError)
    expect(await store.countUsers()).toBe(1)
  })

  it('stores, finds and deletes sessions', async () => {
    const { store } = db()
    const user = await addUser(store)
    const expiresAt = '2099-01-01T00:00:00.000Z'
    await store.createSession('hash-1', { userId: user.id, expiresAt })
    await store.createSession('hash-2', { userId: user.id, expiresAt })
    expect(await store.findSession('hash-1')).toEqual({ userId: user.id, expiresAt })
    await store.deleteSession('hash-1')
    expect(await store.findSession('hash-1')).toBeNull()
    expect(await store.findSession('hash-2')).not.toBeNull()
    await store.deleteSessionsOf(user.id)
    expect(await store.findSession('hash-2')).toBeNull()
  })

  it('returns an expired session as stored, so the caller can say it expired', async () => {
    const { store } = db()
    const user = await addUser(store)
    const expiresAt = '2001-01-01T00:00:00.000Z'
    await store.createSession('old', { userId: user.id, expiresAt })
    expect(await store.findSession('old')).toEqual({ userId: user.id, expiresAt })
  })

  it('counts login failures in a window and clears them', async () => {
    const { store } = db()
    const t = (minutes: number) => new Date(Date.UTC(2025, 3, 1, 8, minutes))
    await store.recordLoginFailure('xa.tanan', t(0))
    await store.recordLoginFailure('xa.tanan', t(10))
    await store.recordLoginFailure('xa.tanan', t(20))
    await store.recordLoginFailure('other', t(20))
    expect(await store.countLoginFailures('xa.tanan', t(5))).toBe(2)
    expect(await store.countLoginFailures('xa.tanan', t(0))).toBe(3)
    await store.clearLoginFailures('xa.tanan')
    expect(await store.countLoginFailures('xa.tanan', t(0))).toBe(0)
    expect(await store.countLoginFailures('other', t(0))).toBe(1)
  })

  it('upserts units by code and validity start, keeping every era', async () => {
    const { store } = db()
    const before = makeUnit({ validTo: '2025-07-01' })
    const after = makeUnit({ validFrom: '2025-07-01', parentCode: '01', nameEn: 'Tan An' })
    await store.putUnits([before, after])
    expect(await store.listUnits()).toEqual([before, after])
    const renamed = { ...after, name: 'Xã Tân An Mới' }
    await store.putUnits([renamed])
    expect(await store.listUnits()).toEqual([before, renamed])
  })

  it('imports thousands of units in one call', async () => {
    const { store } = db()
    const units = Array.from({ length: 3000 }, (_, i) =>
      makeUnit({ code: String(10000 + i).padStart(5, '0') }),
    )
    await store.putUnits(units)
    expect(await store.listUnits()).toHaveLength(3000)
  })
})
