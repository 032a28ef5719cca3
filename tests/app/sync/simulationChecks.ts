/**
 * The promises of issue 3, checked after a simulated run has healed. Each check returns the
 * problems it found as sentences naming the op, device or entry, so a failing run says what broke.
 */
import { MERGE_FIELDS, type MergeField } from '../../../src/domain/sync/merge.ts'
import type { Journal } from './simulatedDevice.ts'
import {
  EMPTY,
  canonical,
  key,
  mayRead,
  mayWrite,
  valueOf,
  writerOf,
  type DeviceState,
  type ServerState,
} from './simulationState.ts'

/** 1. Every op is recorded exactly once (applied, conflict or rejected); versions once per op. */
export function checkExactlyOnce(
  journal: Journal,
  server: ServerState,
  devices: readonly DeviceState[],
): string[] {
  const problems: string[] = []
  const rows = new Map(server.ops.map((row) => [row.opId, row]))
  const created = new Set(journal.ops.map((op) => op.id))
  for (const op of journal.ops) {
    const row = rows.get(op.id)
    const where = `op ${op.seq} of ${op.device} (${key(op.unitCode, op.month)})`
    if (op.owner === null) {
      problems.push(`${where} was never claimed by a user`)
      continue
    }
    if (row === undefined) {
      problems.push(`${where} never reached the server`)
      continue
    }
    const installId = devices.find((device) => device.name === op.device)?.installId
    if (row.deviceId !== `${installId}:${op.owner.id}` || row.userId !== op.owner.id)
      problems.push(
        `${where} was recorded under stream ${row.deviceId}, not ${op.owner.username}'s`,
      )
    if (row.seq !== op.seq) problems.push(`${where} was recorded with seq ${row.seq}`)
    const refused = row.result.status === 'rejected'
    if (refused !== !mayWrite(op.owner, op.unitCode))
      problems.push(`${where} by ${op.owner.username}: ${JSON.stringify(row.result)}`)
  }
  for (const row of server.ops)
    if (!created.has(row.opId)) problems.push(`the server holds op ${row.opId} nobody created`)

  const versions = new Map<string, number>()
  for (const entry of server.history) {
    versions.set(entry.opId, (versions.get(entry.opId) ?? 0) + 1)
    const result = rows.get(entry.opId)?.result
    if (result === undefined || result.status === 'rejected' || result.status === 'duplicate')
      problems.push(
        `version ${entry.version} of ${key(entry.unitCode, entry.month)} has op result ${result?.status}`,
      )
    else if (result.version !== entry.version)
      problems.push(
        `op ${entry.opId} answered version ${result.version} but wrote ${entry.version}`,
      )
  }
  for (const [opId, count] of versions)
    if (count > 1) problems.push(`op ${opId} wrote ${count} versions`)

  for (const device of devices) {
    const refused = journal.ops
      .filter((op) => op.device === device.name && rows.get(op.id)?.result.status === 'rejected')
      .map((op) => op.id)
    if (JSON.stringify([...device.rejectedIds].sort()) !== JSON.stringify(refused.sort()))
      problems.push(
        `${device.name} lists refusals ${device.rejectedIds}, the server refused ${refused}`,
      )
  }
  return problems
}

/** 2. Each device stream's ops were applied in increasing seq order. */
export function checkOrder(server: ServerState): string[] {
  const problems: string[] = []
  const last = new Map<string, number>()
  for (const row of server.ops) {
    const previous = last.get(row.deviceId) ?? 0
    if (row.seq <= previous)
      problems.push(`stream ${row.deviceId}: seq ${row.seq} was applied after seq ${previous}`)
    last.set(row.deviceId, row.seq)
  }
  return problems
}

/**
 * 3. After the final sync every device holds the server's entries (values, version, open
 * conflicts) for every unit one of its users reads, and nothing is left half done: no queued op,
 * and an entry is `local` only when its last op was refused (it still shows what the official
 * typed, next to the refusal).
 */
export function checkConvergence(
  journal: Journal,
  server: ServerState,
  devices: readonly DeviceState[],
): string[] {
  const problems: string[] = []
  const onServer = new Map(server.entries.map((entry) => [key(entry.unitCode, entry.month), entry]))
  for (const device of devices) {
    if (device.outbox > 0) problems.push(`${device.name} still has ${device.outbox} unsent ops`)
    const readable = (unitCode: string) => device.users.some((user) => mayRead(user, unitCode))
    const local = new Map(device.entries.map((entry) => [entry.key, entry]))
    for (const entry of device.entries) {
      if (entry.state === 'sent') continue
      const last = journal.ops
        .filter((op) => op.device === device.name && key(op.unitCode, op.month) === entry.key)
        .at(-1)
      const refused = last !== undefined && device.rejectedIds.includes(last.id)
      if (!refused || canonical(last) !== canonical(entry))
        problems.push(
          `${device.name}: ${entry.key} is still local, and not as a refused op left it`,
        )
    }
    for (const [entryKey, entry] of onServer) {
      if (!readable(entry.unitCode)) continue
      const mine = local.get(entryKey)
      if (mine?.state === 'local') continue
      const expected = JSON.stringify([
        canonical(entry),
        entry.version,
        entry.conflicts.map((c) => c.id).sort(),
      ])
      const actual =
        mine === undefined
          ? 'nothing'
          : JSON.stringify([
              canonical(mine),
              mine.baseVersion,
              mine.conflicts.map((c) => c.id).sort(),
            ])
      if (actual !== expected)
        problems.push(`${device.name}: ${entryKey} is ${actual}, the server has ${expected}`)
    }
    for (const entry of device.entries)
      if (entry.state === 'sent' && readable(entry.unitCode) && !onServer.has(entry.key))
        problems.push(`${device.name}: ${entry.key} is sent but the server has no such entry`)
  }
  return problems
}

/**
 * 4. Nothing lost: every value of every accepted op is in a version of its entry or in a conflict.
 * And nothing overwritten silently: a version that replaces a field's value either replaces what
 * the op was based on (the author saw it) or keeps the replaced value as a conflict.
 */
export function checkNothingLost(journal: Journal, server: ServerState): string[] {
  const problems: string[] = []
  const streamOf = new Map(server.ops.map((row) => [row.opId, row.deviceId]))
  const results = new Map(server.ops.map((row) => [row.opId, row.result]))
  const keptValues = (entryKey: string, field: MergeField) => {
    const values = new Set<number | string | null>()
    for (const version of server.history)
      if (key(version.unitCode, version.month) === entryKey) values.add(valueOf(version, field))
    for (const conflict of server.conflicts) {
      if (key(conflict.unitCode, conflict.month) !== entryKey || conflict.field !== field) continue
      values.add(conflict.value)
      values.add(conflict.currentValue)
    }
    return values
  }
  for (const op of journal.ops) {
    if (results.get(op.id)?.status === 'rejected') continue
    for (const field of MERGE_FIELDS) {
      const value = valueOf(op, field)
      if (value === null || value === '') continue
      if (!keptValues(key(op.unitCode, op.month), field).has(value))
        problems.push(
          `${field} = ${value} of op ${op.seq} of ${op.device} (${key(op.unitCode, op.month)}) is nowhere`,
        )
    }
  }

  const versionOf = (unitCode: string, month: string, version: number | null) =>
    version === null
      ? EMPTY
      : server.history.find(
          (h) => h.unitCode === unitCode && h.month === month && h.version === version,
        )
  server.history.forEach((next, i) => {
    const before = server.history[i - 1]
    if (
      before === undefined ||
      key(before.unitCode, before.month) !== key(next.unitCode, next.month)
    )
      return
    const bases = [...(journal.sentBases.get(next.opId) ?? [])].map((base) =>
      versionOf(next.unitCode, next.month, base),
    )
    for (const field of MERGE_FIELDS) {
      const replaced = valueOf(before, field)
      if (replaced === valueOf(next, field)) continue
      if (bases.some((base) => base !== undefined && valueOf(base, field) === replaced)) continue
      // A device replacing a value it wrote itself: its later op was made on top of it.
      const writer = writerOf(server.history, key(next.unitCode, next.month), field, next.version)
      if (writer !== undefined && streamOf.get(writer.opId) === streamOf.get(next.opId)) continue
      const kept = server.conflicts.some(
        (c) =>
          key(c.unitCode, c.month) === key(next.unitCode, next.month) &&
          c.field === field &&
          c.value === replaced,
      )
      if (!kept)
        problems.push(
          `version ${next.version} of ${key(next.unitCode, next.month)} replaced ${field} = ${replaced} unseen and without a conflict`,
        )
    }
  })
  return problems
}

/**
 * The client's half of "nothing overwritten silently": an entry the device holds as `sent` at
 * version v, which its next edit will claim as base, must really derive from version v: hold its
 * values, or have been edited on this device since it held them (an own op that was based on v,
 * or that produced v). Claiming a version whose values it never had would let that edit
 * fast-forward over changes its user never saw.
 */
export function checkHonestBases(journal: Journal, server: ServerState): string[] {
  const problems: string[] = []
  for (const snapshot of journal.snapshots) {
    const { unitCode, month, baseVersion } = snapshot
    const version = server.history.find(
      (h) => h.unitCode === unitCode && h.month === month && h.version === baseVersion,
    )
    if (version !== undefined && canonical(version) === canonical(snapshot)) continue
    const editedSince = journal.ops
      .slice(0, snapshot.opsBefore)
      .some(
        (op) =>
          op.device === snapshot.device &&
          op.unitCode === unitCode &&
          op.month === month &&
          (journal.sentBases.get(op.id)?.has(baseVersion) === true ||
            (version !== undefined && canonical(op) === canonical(version))),
      )
    if (!editedSince)
      problems.push(
        `${snapshot.device} edited ${key(unitCode, month)} as version ${baseVersion} holding ${canonical(snapshot)}, which it never had (version ${baseVersion}: ${version === undefined ? 'missing' : canonical(version)})`,
      )
  }
  return problems
}

/**
 * A conflict sets two officials' values side by side. Two edits from one device stream are not
 * two sides: the later one was made on top of the earlier one, so it replaces it without asking
 * anyone to choose between an official's typo and its correction.
 */
export function checkNoSelfConflicts(server: ServerState): string[] {
  const problems: string[] = []
  const streamOf = new Map(server.ops.map((row) => [row.opId, row.deviceId]))
  for (const row of server.ops) {
    if (row.result.status !== 'conflict') continue
    for (const conflict of row.result.conflicts) {
      const field = MERGE_FIELDS.find((f) => f === conflict.field)
      const entryKey = key(conflict.unitCode, conflict.month)
      if (field === undefined) {
        problems.push(
          `op ${row.seq} of ${row.deviceId}: conflict on unknown field ${conflict.field}`,
        )
        continue
      }
      const writer = writerOf(server.history, entryKey, field, row.result.version)
      if (writer !== undefined && streamOf.get(writer.opId) === row.deviceId)
        problems.push(
          `op ${row.seq} of ${row.deviceId} conflicts with its own stream's ${field} = ${conflict.value} (${entryKey} version ${writer.version})`,
        )
    }
  }
  return problems
}
