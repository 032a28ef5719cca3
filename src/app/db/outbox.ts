/**
 * Reading and draining the outbox. Ops leave it only when the server has acknowledged them, and an
 * entry turns `sent` only once none of its ops is left, so a later edit is never marked as sent.
 */
import type { OutboxOp, QueuedOp, SohoaDb } from './schema.ts'

/** How many ops are waiting to be sent. */
export async function pendingCount(db: SohoaDb): Promise<number> {
  return db.outbox.count()
}

/** The oldest waiting ops, in the order this device made them. */
export async function pendingOps(db: SohoaDb, limit?: number): Promise<QueuedOp[]> {
  const ops = await (limit === undefined ? db.outbox : db.outbox.limit(limit)).toArray()
  return ops.filter(isQueued)
}

/**
 * Removes the acknowledged ops and marks each affected entry `sent` when no other op for it is
 * left, in one transaction. `versions` (entry key → server version) records the version the
 * server gave each entry, which later edits are then based on. Unknown seqs are ignored, so a
 * repeated acknowledgement is harmless. Resolves to the number of ops removed.
 */
export async function acknowledge(
  db: SohoaDb,
  seqs: readonly number[],
  now: Date = new Date(),
  versions: ReadonlyMap<string, number> = new Map(),
): Promise<number> {
  const at = now.toISOString()
  return db.transaction('rw', [db.outbox, db.entries], async () => {
    const ops = (await db.outbox.bulkGet([...seqs])).filter((op) => op !== undefined)
    await db.outbox.bulkDelete(ops.map((op) => op.seq).filter((seq) => seq !== undefined))
    for (const key of new Set(ops.map((op) => op.entryKey))) {
      const remaining = await db.outbox.where('entryKey').equals(key).count()
      const version = versions.get(key)
      await db.entries.update(key, (entry) => {
        if (version !== undefined) entry.baseVersion = version
        if (remaining === 0) {
          entry.state = 'sent'
          entry.sentAt = at
        }
      })
    }
    return ops.length
  })
}

function isQueued(op: OutboxOp): op is QueuedOp {
  return op.seq !== undefined
}
