import type { Entry } from '../../../src/domain/entries.ts'
import type { Conflict, EntryChange } from '../../../src/domain/sync/protocol.ts'
import type { Unit } from '../../../src/domain/units.ts'
import type { EntryInput, OpAuthor } from '../../../src/app/db/entries.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'

/** A fresh database under a unique name; pair with `dropDb` in afterEach. */
export function openTestDb(): SohoaDb {
  return new SohoaDb(uniqueDbName())
}

export function uniqueDbName(): string {
  return `sohoa-test-${crypto.randomUUID()}`
}

export async function dropDb(db: SohoaDb): Promise<void> {
  // delete() closes the connection first.
  await db.delete()
}

export function makeInput(overrides: Partial<EntryInput> = {}): EntryInput {
  return {
    unitCode: '00004',
    month: '2025-03',
    counts: { received: 120, digitized: 90, resolved: 100, eResults: 80, reused: 10, online: 60 },
    note: '',
    ...overrides,
  }
}

export function makeEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    unitCode: '00004',
    month: '2025-03',
    counts: { received: 120, digitized: 90 },
    note: '',
    updatedAt: '2025-04-02T03:00:00.000Z',
    ...overrides,
  }
}

export function makeUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    code: '00004',
    name: 'Phường Ba Đình',
    kind: 'commune',
    type: 'Phường',
    level: 'commune',
    parentCode: '01',
    validFrom: '2025-07-01',
    validTo: null,
    ...overrides,
  }
}

export const DEVICE = 'device-a'

/** A change made on this phone while nobody is signed in. */
export const AUTHOR: OpAuthor = { deviceId: DEVICE, userId: null }

/** A change made by a signed-in user. */
export function authorFor(userId: string): OpAuthor {
  return { deviceId: DEVICE, userId, username: `user-${userId}` }
}

/** A server conflict on `field` of the default entry. */
export function makeConflict(overrides: Partial<Conflict> = {}): Conflict {
  return {
    id: 'conflict-1',
    unitCode: '00004',
    month: '2025-03',
    field: 'received',
    value: 120,
    currentValue: 125,
    author: 'lan',
    authoredAt: '2025-04-02T03:00:00.000Z',
    winner: 'minh',
    createdAt: '2025-04-03T03:00:00.000Z',
    ...overrides,
  }
}

/** A pulled change of the default entry. */
export function makeChange(overrides: Partial<EntryChange> = {}): EntryChange {
  return {
    unitCode: '00004',
    month: '2025-03',
    counts: { received: 125, digitized: 90 },
    note: 'từ máy chủ',
    version: 2,
    updatedAt: '2025-04-03T03:00:00.000Z',
    updatedBy: 'minh',
    conflicts: [],
    ...overrides,
  }
}
