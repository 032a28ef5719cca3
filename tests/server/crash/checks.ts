/**
 * The crash test's verdict: what the phones were told against what the database holds. Each check
 * returns the problems it finds, in words, so a failure says which op of which phone went wrong.
 *
 * - Nothing acknowledged is lost: every op answered is stored, with the answer it was given.
 * - Nothing is applied twice: one ops row and at most one history row per op, at most one original
 *   (non-duplicate) answer, a change_seq number per write and no more.
 * - Nothing is half-written: every history row has its op and every applied op its history row;
 *   every entry and conflict is what replaying the ops through the merge rules gives.
 */
import { isDeepStrictEqual } from 'node:util'
import type { MergeConflict } from '../../../src/domain/sync/merge.ts'
import type { Op } from '../../../src/domain/sync/protocol.ts'
import { targetKey } from '../../../src/domain/targets.ts'
import type { PhoneLog } from './phone.ts'
import { replayMonth, type AppliedOp } from './replay.ts'
import type { ConflictRow, Tables } from './tables.ts'
import { refusedOnPurpose } from './workload.ts'

interface SentOp {
  op: Op
  log: PhoneLog
}

const sentOps = (logs: readonly PhoneLog[]): Map<string, SentOp> =>
  new Map(logs.flatMap((log) => log.phone.ops.map((op) => [op.id, { op, log }] as const)))

const name = ({ op, log }: SentOp): string => `${log.phone.account.user.username} seq ${op.seq}`

/** Every op stored once, as answered; every device's acknowledged seq where its stream ends. */
export function checkOps(tables: Tables, logs: readonly PhoneLog[]): string[] {
  const problems: string[] = []
  const sent = sentOps(logs)
  const stored = new Map(tables.ops.map((row) => [row.opId, row]))
  if (tables.ops.length !== sent.size)
    problems.push(`${tables.ops.length} ops rows for ${sent.size} ops sent`)
  for (const row of tables.ops)
    if (!sent.has(row.opId)) problems.push(`op ${row.opId} is stored but was never sent`)
  for (const [id, item] of sent) {
    const answers = item.log.answers.get(id) ?? []
    const row = stored.get(id)
    if (row === undefined) {
      problems.push(`${name(item)}: ${answers.length > 0 ? 'acknowledged but lost' : 'not stored'}`)
      continue
    }
    const { user } = item.log.phone.account
    if (
      row.deviceId !== item.log.phone.deviceId ||
      row.seq !== item.op.seq ||
      row.userId !== user.id
    )
      problems.push(`${name(item)}: stored as ${row.deviceId} seq ${row.seq}`)
    if ((row.result.status === 'rejected') !== refusedOnPurpose(item.op))
      problems.push(`${name(item)}: stored ${JSON.stringify(row.result)}`)
    if (answers.length === 0) problems.push(`${name(item)}: never acknowledged`)
    const originals = answers.filter((answer) => answer.status !== 'duplicate')
    if (row.result.status !== 'rejected' && originals.length > 1)
      problems.push(`${name(item)}: answered ${originals.length} times as applied`)
    for (const answer of answers) {
      const same =
        row.result.status === 'rejected' || answer.status !== 'duplicate'
          ? isDeepStrictEqual(answer, row.result)
          : row.result.version === answer.version
      if (!same)
        problems.push(
          `${name(item)}: answered ${JSON.stringify(answer)}, stored ${row.result.status}`,
        )
    }
  }
  for (const log of logs) {
    const lastSeq = Math.max(...log.phone.ops.map((op) => op.seq))
    const stream = log.phone.deviceId
    if (tables.devices.get(stream) !== lastSeq)
      problems.push(`${stream}: last_seq ${tables.devices.get(stream)}, its last op is ${lastSeq}`)
    if (Math.max(...log.ackSeqs) !== lastSeq)
      problems.push(
        `${stream}: highest ackSeq answered ${Math.max(...log.ackSeqs)}, not ${lastSeq}`,
      )
    if (log.ackSeqs.some((ack, i) => ack < (log.ackSeqs[i - 1] ?? 0)))
      problems.push(`${stream}: ackSeq went down: ${log.ackSeqs.join(' ')}`)
  }
  return problems
}

/**
 * Entries, their history, conflicts and the change counter against the ops: each applied entry op
 * is one history row at the version it was answered, and each month is what its ops replay to.
 */
export function checkEntries(tables: Tables, logs: readonly PhoneLog[]): string[] {
  const problems: string[] = []
  const sent = sentOps(logs)
  const results = new Map(tables.ops.map((row) => [row.opId, row.result]))
  const months = groupBy(tables.history, (row) => `${row.unitCode}/${row.month}`)
  const written = new Set<string>()
  for (const row of tables.history) {
    const item = sent.get(row.opId)
    const result = results.get(row.opId)
    if (written.has(row.opId)) problems.push(`op ${row.opId} has two history rows`)
    written.add(row.opId)
    if (item === undefined || result === undefined) {
      problems.push(`history ${row.unitCode}/${row.month} v${row.version}: op ${row.opId} unknown`)
      continue
    }
    if (result.status === 'rejected' || result.status === 'duplicate')
      problems.push(`${name(item)}: has history but was ${result.status}`)
    else if (result.version !== row.version || row.deviceId !== item.log.phone.deviceId)
      problems.push(`${name(item)}: answered v${result.version}, history v${row.version}`)
  }
  for (const item of sent.values())
    if (item.op.kind === 'entry.put' && written.has(item.op.id) === refusedOnPurpose(item.op))
      problems.push(
        `${name(item)}: ${written.has(item.op.id) ? 'refused but written' : 'no effect'}`,
      )

  const entries = new Map(
    tables.entries.map((entry) => [`${entry.unitCode}/${entry.month}`, entry]),
  )
  const conflicts = groupBy(tables.conflicts, (row) => `${row.unitCode}/${row.month}`)
  for (const key of entries.keys())
    if (!months.has(key)) problems.push(`entry ${key} has no history`)
  for (const [key, rows] of months) {
    rows.sort((a, b) => a.version - b.version)
    if (rows.some((row, i) => row.version !== i + 1))
      problems.push(`${key}: versions ${rows.map((row) => row.version).join(',')}`)
    const applied = rows.flatMap((row): AppliedOp[] => {
      const item = sent.get(row.opId)
      if (item?.op.kind !== 'entry.put') return []
      const { account, deviceId } = item.log.phone
      return [{ op: item.op, author: account.user.username, stream: deviceId }]
    })
    problems.push(...streamOrder(key, applied))
    const replayed = replayMonth(applied)
    rows.forEach((row, i) => {
      const values = replayed.versions[i]
      if (!isDeepStrictEqual(values, { counts: row.counts, note: row.note }))
        problems.push(
          `${key} v${row.version}: ${JSON.stringify(row.counts)}, replay ${JSON.stringify(values)}`,
        )
    })
    const entry = entries.get(key)
    const current = replayed.current
    if (entry === undefined || current === null) problems.push(`${key}: history but no entry`)
    else if (
      entry.version !== current.version ||
      !isDeepStrictEqual(
        [entry.counts, entry.note, entry.fieldMeta],
        [current.counts, current.note, current.fieldMeta],
      )
    )
      problems.push(
        `${key}: entry v${entry.version} ${JSON.stringify([entry.counts, entry.note])}, replay v${current.version} ${JSON.stringify([current.counts, current.note])}`,
      )
    const stored = (conflicts.get(key) ?? []).map(conflictKey).sort()
    const expected = replayed.conflicts.map(conflictKey).sort()
    if (!isDeepStrictEqual(stored, expected))
      problems.push(`${key}: ${stored.length} conflicts stored, replay gives ${expected.length}`)
  }

  // Every write takes exactly one change_seq number (this run resolves no conflicts on their own).
  if (tables.changeSeq !== BigInt(tables.history.length))
    problems.push(`change_seq counter at ${tables.changeSeq} after ${tables.history.length} writes`)
  const seqs = new Set(tables.entries.map((entry) => entry.changeSeq))
  if (seqs.size !== tables.entries.length) problems.push('two entries share a change_seq')
  for (const row of [...tables.entries, ...tables.conflicts])
    if (row.changeSeq < 1n || row.changeSeq > tables.changeSeq)
      problems.push(`${row.unitCode}/${row.month}: change_seq ${row.changeSeq} outside the counter`)
  if (tables.conflicts.some((row) => row.resolved)) problems.push('a conflict was resolved')
  return problems
}

/** A phone's ops on one month are applied in the order it made them. */
function streamOrder(key: string, applied: readonly AppliedOp[]): string[] {
  const lastSeq = new Map<string, number>()
  const problems: string[] = []
  for (const { op, stream } of applied) {
    if (op.seq <= (lastSeq.get(stream) ?? 0))
      problems.push(`${key}: ${stream} seq ${op.seq} applied after seq ${lastSeq.get(stream)}`)
    lastSeq.set(stream, op.seq)
  }
  return problems
}

const conflictKey = (c: MergeConflict | ConflictRow): string =>
  JSON.stringify([c.field, c.value, c.currentValue, c.author, c.authoredAt, c.winner])

/** Each target holds the value of the last op that set it (one phone, so its seq order). */
export function checkTargets(tables: Tables, logs: readonly PhoneLog[]): string[] {
  const latest = new Map<string, { basisPoints: number; maxPoints: number }>()
  for (const log of logs)
    for (const op of [...log.phone.ops].sort((a, b) => a.seq - b.seq))
      if (op.kind === 'target.put')
        latest.set(targetKey(op), { basisPoints: op.basisPoints, maxPoints: op.maxPoints })
  const stored = new Map(
    tables.targets.map((t) => [
      targetKey(t),
      { basisPoints: t.basisPoints, maxPoints: t.maxPoints },
    ]),
  )
  return isDeepStrictEqual(stored, latest)
    ? []
    : [`targets ${JSON.stringify([...stored])}, last set ${JSON.stringify([...latest])}`]
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

/**
 * The two numbers, counted the plainest way for the report: ops answered whose op row (or,
 * for an entry applied, whose history row) is missing, and ops written or answered as applied more
 * than once. The checks above find these and everything subtler; this only counts.
 */
export function lostAndTwice(
  tables: Tables,
  logs: readonly PhoneLog[],
): { acknowledgedLost: number; appliedTwice: number } {
  const stored = new Set(tables.ops.map((row) => row.opId))
  const writes = new Map<string, number>()
  for (const row of tables.history) writes.set(row.opId, (writes.get(row.opId) ?? 0) + 1)
  let acknowledgedLost = 0
  let appliedTwice = 0
  for (const { op, log } of sentOps(logs).values()) {
    const answers = log.answers.get(op.id) ?? []
    const applied = answers.filter((a) => a.status === 'applied' || a.status === 'conflict')
    const written = writes.get(op.id) ?? 0
    const unwritten = op.kind === 'entry.put' && applied.length > 0 && written === 0
    if (answers.length > 0 && (!stored.has(op.id) || unwritten)) acknowledgedLost += 1
    if (written > 1 || applied.length > 1) appliedTwice += 1
  }
  return { acknowledgedLost, appliedTwice }
}
