/**
 * Target settings (chỉ tiêu). Like an entry, a saved target is written together with its outbox op
 * in one transaction; the server's list replaces the rest, but never a setting still on its way.
 */
import { targetKey, targetProblem, type Target } from '../../domain/targets.ts'
import type { OpAuthor } from './entries.ts'
import type { SohoaDb, TargetOutboxOp, TargetRecord } from './schema.ts'

/** What the targets screen confirms. */
export type TargetInput = Pick<
  Target,
  'indicator' | 'year' | 'unitCode' | 'level' | 'basisPoints' | 'maxPoints'
>

/** Thrown by `saveTarget` when the values break a rule; nothing has been written. */
export class TargetValidationError extends Error {
  override readonly name = 'TargetValidationError'
  /** The field that is wrong, as `targetProblem` names it: `basisPoints`, `maxPoints` or `year`. */
  readonly field: string

  constructor(field: string) {
    super(`Invalid target: ${field}`)
    this.field = field
  }
}

/** Every target on this phone, in key order. */
export async function listTargets(db: SohoaDb): Promise<TargetRecord[]> {
  return db.targets.toArray()
}

/**
 * Saves a target as `local` and queues its op for the server, owned by `author.userId`, in one
 * transaction. Throws `TargetValidationError` before writing anything if a value is out of range.
 */
export async function saveTarget(
  db: SohoaDb,
  input: TargetInput,
  author: OpAuthor,
  now: Date = new Date(),
): Promise<TargetRecord> {
  const problem = targetProblem(input)
  if (problem !== null) throw new TargetValidationError(problem)
  const at = now.toISOString()
  // Copied field by field: the screen may hand over a reactive object, which IndexedDB cannot clone.
  const record: TargetRecord = {
    key: targetKey(input),
    indicator: input.indicator,
    year: input.year,
    unitCode: input.unitCode,
    level: input.level,
    basisPoints: input.basisPoints,
    maxPoints: input.maxPoints,
    updatedAt: at,
    updatedBy: author.username ?? '',
    state: 'local',
  }
  const op: TargetOutboxOp = {
    id: crypto.randomUUID(),
    deviceId: author.deviceId,
    userId: author.userId,
    kind: 'target.put',
    targetKey: record.key,
    indicator: record.indicator,
    year: record.year,
    unitCode: record.unitCode,
    level: record.level,
    basisPoints: record.basisPoints,
    maxPoints: record.maxPoints,
    createdAt: at,
  }
  return db.transaction('rw', [db.targets, db.outbox], async () => {
    await db.targets.put(record)
    await db.outbox.add(op)
    return record
  })
}

/**
 * Stores the server's list of targets: every `sent` target is replaced by the list (a target the
 * server no longer lists, or no longer lets this user read, goes), while `local` ones, still on
 * their way, stay as they are until their push is answered.
 */
export async function storeServerTargets(db: SohoaDb, targets: readonly Target[]): Promise<void> {
  await db.transaction('rw', db.targets, async () => {
    const local = new Set(
      (await db.targets.toArray()).filter((t) => t.state === 'local').map((t) => t.key),
    )
    const incoming = new Map<string, TargetRecord>()
    for (const target of targets) {
      const key = targetKey(target)
      if (local.has(key)) continue
      incoming.set(key, { ...plainTarget(target), key, state: 'sent' })
    }
    const stale = (await db.targets.toCollection().primaryKeys()).filter(
      (key) => !local.has(key) && !incoming.has(key),
    )
    await db.targets.bulkDelete(stale)
    await db.targets.bulkPut([...incoming.values()])
  })
}

function plainTarget(target: Target): Target {
  return {
    indicator: target.indicator,
    year: target.year,
    unitCode: target.unitCode,
    level: target.level,
    basisPoints: target.basisPoints,
    maxPoints: target.maxPoints,
    updatedAt: target.updatedAt,
    updatedBy: target.updatedBy,
  }
}
