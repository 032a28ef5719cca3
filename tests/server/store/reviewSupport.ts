/** Shared setup of the review and history suites: two provinces, their communes and their users. */
import { randomUUID } from 'node:crypto'
import type { ReviewAction } from '../../../src/domain/review.ts'
import type { Op, OpResult, ReviewOp } from '../../../src/domain/sync/protocol.ts'
import { buildUnitTree, writeCheckFor } from '../../../src/server/auth/scope.ts'
import type { Store, UserRecord } from '../../../src/server/store/store.ts'
import { MONTH, UNIT, addUser, makeUnit } from './builders.ts'

export const OTHER_UNIT = '00002'

export const UNITS = [
  makeUnit({
    code: '001',
    name: 'Tỉnh Một',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
  }),
  makeUnit({ code: UNIT, parentCode: '001' }),
  makeUnit({
    code: '002',
    name: 'Tỉnh Hai',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
  }),
  makeUnit({ code: OTHER_UNIT, name: 'Xã Bình An', parentCode: '002' }),
]

const tree = buildUnitTree(UNITS)

export function reviewOp(
  action: ReviewAction,
  comment = '',
  overrides: Partial<ReviewOp> = {},
): ReviewOp {
  return {
    id: randomUUID(),
    seq: 1,
    kind: 'review',
    action,
    unitCode: UNIT,
    month: MONTH,
    comment,
    createdAt: '2025-04-01T01:00:00.000Z',
    ...overrides,
  }
}

export interface ReviewWorld {
  reporter: UserRecord
  /** Viewer of province 001, which holds UNIT. */
  supervisor: UserRecord
  /** Viewer of province 002: UNIT is outside its subtree. */
  outsider: UserRecord
  admin: UserRecord
  /** Pushes as `user` through the real write check, one minute after the previous push. */
  push(user: UserRecord, ...ops: Op[]): Promise<OpResult[]>
}

export async function reviewWorld(store: Store): Promise<ReviewWorld> {
  await store.putUnits(UNITS)
  const reporter = await addUser(store)
  const supervisor = await addUser(store, {
    username: 'tinh.mot',
    role: 'viewer',
    unitCodes: ['001'],
  })
  const outsider = await addUser(store, {
    username: 'tinh.hai',
    role: 'viewer',
    unitCodes: ['002'],
  })
  const admin = await addUser(store, { username: 'quantri', role: 'admin', unitCodes: [] })
  let clock = Date.parse('2025-04-01T02:00:00.000Z')
  const seqs = new Map<string, number>()
  return {
    reporter,
    supervisor,
    outsider,
    admin,
    async push(user, ...ops) {
      clock += 60_000
      const now = new Date(clock)
      const numbered = ops.map((op) => {
        const seq = (seqs.get(user.id) ?? 0) + 1
        seqs.set(user.id, seq)
        return { ...op, seq }
      })
      const response = await store.push(
        { user, deviceId: `device-${user.username}`, now, check: writeCheckFor(user, tree, now) },
        numbered,
      )
      return response.results
    },
  }
}

/** `applied`, `conflict`, `duplicate`, or the reason of a rejection. */
export function outcome(result: OpResult | undefined): string | undefined {
  return result?.status === 'rejected' ? result.reason : result?.status
}
