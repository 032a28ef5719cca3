/**
 * What the crash test's phones send, made up front from one seed so a failing run can be replayed:
 * communes of a test province, each written by two reporters' phones that edit the same months (so
 * the field merge decides and conflicts arise), a few ops the server must refuse and still
 * acknowledge, and an admin's phone setting targets.
 */
import type { Counts } from '../../../src/domain/indicators.ts'
import type { EntryPutOp, Op, TargetPutOp } from '../../../src/domain/sync/protocol.ts'
import type { Unit } from '../../../src/domain/units.ts'
import type { AccountSpec, SignedIn } from '../../bench/sync/accounts.ts'

export const PROVINCE = '98'
export const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']
/** Never in the present: refused as futureMonth whatever the date of the run. */
const FUTURE_MONTH = '2099-01'
/** Share of entry ops made invalid (digitized > received) or for a future month on purpose. */
const REFUSED_SHARE = 0.04

/** mulberry32: a small seeded generator, so the seed printed by a failing run reproduces it. */
export interface Random {
  next(): number
  /** An integer in [low, high]. */
  int(low: number, high: number): number
  chance(p: number): boolean
}

export function seeded(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    chance: (p) => next() < p,
  }
}

export const communeCode = (i: number): string => `${PROVINCE}${String(i + 1).padStart(3, '0')}`

/** The province and its communes, in force since 2020 and still. */
export function crashUnits(communes: number): Unit[] {
  const always = { validFrom: '2020-01-01', validTo: null }
  const province: Unit = {
    code: PROVINCE,
    name: 'Tỉnh Thử Nghiệm (kiểm thử)',
    kind: 'province',
    type: 'Tỉnh',
    level: 'province',
    parentCode: null,
    ...always,
  }
  return [
    province,
    ...Array.from({ length: communes }, (_, i): Unit => {
      const code = communeCode(i)
      return {
        code,
        name: `Xã ${code} (kiểm thử)`,
        kind: 'commune',
        type: 'Xã',
        level: 'commune',
        parentCode: PROVINCE,
        ...always,
      }
    }),
  ]
}

/** Two reporters per commune, then one admin (last). */
export function crashAccounts(communes: number): AccountSpec[] {
  const reporters = Array.from({ length: communes * 2 }, (_, i): AccountSpec => {
    const code = communeCode(Math.floor(i / 2))
    return { username: `xa${code}${i % 2 === 0 ? 'a' : 'b'}`, role: 'reporter', unitCodes: [code] }
  })
  return [...reporters, { username: 'quantri', role: 'admin', unitCodes: [] }]
}

/** One phone: its account, its stream id and its outbox, oldest first. */
export interface Phone {
  account: SignedIn
  deviceId: string
  ops: Op[]
}

/** A month's counts as an official could type them: valid, optional elements sometimes left out. */
function countsOf(random: Random): Counts {
  const received = random.int(50, 2000)
  const counts: Counts = { received, digitized: random.int(0, received) }
  if (random.chance(0.6)) {
    counts.resolved = random.int(0, received)
    if (random.chance(0.7)) counts.eResults = random.int(0, counts.resolved)
  }
  if (random.chance(0.5)) counts.online = random.int(0, received)
  if (random.chance(0.4)) counts.reused = random.int(0, received)
  return counts
}

/** Authored times in the past, increasing with seq, so the server keeps them as sent. */
const authoredAt = (phone: number, seq: number): string =>
  new Date(Date.UTC(2025, 6, 1) + phone * 3_600_000 + seq * 60_000).toISOString()

/** A reporter's outbox: `count` edits of its commune's months (baseVersion null: it never pulled). */
export function entryOutbox(random: Random, account: SignedIn, phone: number, count: number): Op[] {
  const unitCode = account.user.unitCodes[0]
  if (unitCode === undefined) throw new Error(`${account.user.username} has no unit`)
  return Array.from({ length: count }, (_, i): EntryPutOp => {
    const seq = i + 1
    const refusal = random.chance(REFUSED_SHARE)
      ? random.chance(0.5)
        ? 'invalid'
        : 'future'
      : null
    const counts = countsOf(random)
    if (refusal === 'invalid') counts.digitized = (counts.received ?? 0) + 1
    return {
      id: crypto.randomUUID(),
      seq,
      kind: 'entry.put',
      unitCode,
      month: refusal === 'future' ? FUTURE_MONTH : pick(random, MONTHS),
      counts,
      note: random.chance(0.2) ? `Ghi chú ${seq} của ${account.user.username}` : '',
      baseVersion: null,
      createdAt: authoredAt(phone, seq),
    }
  })
}

/** Whether the server must refuse the op (and still acknowledge it). */
export function refusedOnPurpose(op: Op): boolean {
  if (op.kind !== 'entry.put') return false
  return op.month === FUTURE_MONTH || (op.counts.digitized ?? 0) > (op.counts.received ?? 0)
}

const TARGET_KEYS = [
  { indicator: 'digitization', unitCode: PROVINCE, level: 'commune' },
  { indicator: 'online', unitCode: PROVINCE, level: 'commune' },
  { indicator: 'digitization', unitCode: communeCode(0), level: null },
] as const satisfies readonly Pick<TargetPutOp, 'indicator' | 'unitCode' | 'level'>[]

/** An admin's outbox: targets set and set again; the latest to arrive must win. */
export function targetOutbox(random: Random, phone: number, count: number): Op[] {
  return Array.from({ length: count }, (_, i): TargetPutOp => {
    const seq = i + 1
    return {
      id: crypto.randomUUID(),
      seq,
      kind: 'target.put',
      year: 2025,
      ...pick(random, TARGET_KEYS),
      basisPoints: random.int(5000, 10000),
      maxPoints: random.int(5, 20),
      createdAt: authoredAt(phone, seq),
    }
  })
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[random.int(0, items.length - 1)]
  if (item === undefined) throw new Error('pick from an empty list')
  return item
}
