/** Test builders for the storage suite: override only what a test is about. */
import { randomUUID } from 'node:crypto'
import type { Counts } from '../../../src/domain/indicators.ts'
import type { EntryPutOp } from '../../../src/domain/sync/protocol.ts'
import type { Unit } from '../../../src/domain/units.ts'
import type {
  NewUser,
  PushContext,
  ReadScope,
  Store,
  UserRecord,
} from '../../../src/server/store/store.ts'

export const UNIT = '00001'
export const MONTH = '2025-03'
export const ALL: ReadScope = { all: true }

export function makeCounts(overrides: Counts = {}): Counts {
  return { received: 200, digitized: 150, resolved: 190, online: 90, ...overrides }
}

export function makeOp(overrides: Partial<EntryPutOp> = {}): EntryPutOp {
  return {
    id: randomUUID(),
    seq: 1,
    kind: 'entry.put',
    unitCode: UNIT,
    month: MONTH,
    counts: makeCounts(),
    note: '',
    baseVersion: null,
    createdAt: '2025-03-31T08:00:00.000Z',
    ...overrides,
  }
}

export function makeNewUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    username: 'xa.tanan',
    displayName: 'Cán bộ xã Tân An',
    role: 'reporter',
    unitCodes: [UNIT],
    passwordHash: 'scrypt$test',
    ...overrides,
  }
}

export function addUser(store: Store, overrides: Partial<NewUser> = {}): Promise<UserRecord> {
  return store.createUser(makeNewUser(overrides))
}

export function makeContext(user: UserRecord, overrides: Partial<PushContext> = {}): PushContext {
  return {
    user,
    deviceId: 'phone-0001',
    now: new Date('2025-04-01T02:00:00.000Z'),
    check: () => null,
    ...overrides,
  }
}

export function makeUnit(overrides: Partial<Unit> = {}): Unit {
  return {
    code: UNIT,
    name: 'Xã Tân An',
    kind: 'commune',
    type: 'Xã',
    level: 'commune',
    parentCode: '001',
    validFrom: '2020-01-01',
    validTo: null,
    ...overrides,
  }
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
