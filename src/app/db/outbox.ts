/**
 * Reading the outbox. Each op belongs to the user who made it (or to nobody yet, when nobody was
 * signed in): a phone shared by two officials keeps two queues in one table, and a push only ever
 * reads the signed-in user's. pushResults.ts applies the server's answers.
 */
import type { OutboxOp, QueuedOp, SohoaDb } from './schema.ts'

/**
 * How many changes are waiting for `userId`: that user's ops plus the unclaimed ones, which will be
 * theirs when they sign in. With no user, only the unclaimed ones.
 */
export async function pendingCount(db: SohoaDb, userId: string | null): Promise<number> {
  return db.transaction('r', db.outbox, async () => {
    const own = userId === null ? 0 : await ownCount(db, userId)
    return own + (await unclaimedCount(db))
  })
}

/** How many ops were made while nobody was signed in and belong to nobody yet. */
export async function unclaimedCount(db: SohoaDb): Promise<number> {
  // Null is not indexable; the outbox holds a few hundred ops at most, so a scan is cheap.
  return db.outbox.filter((op) => op.userId === null).count()
}

/** How many ops of `userId` itself are waiting (without the unclaimed ones). */
export async function ownCount(db: SohoaDb, userId: string): Promise<number> {
  return db.outbox.where('userId').equals(userId).count()
}

/** The oldest waiting ops of `userId`, in the order this device made them. */
export async function pendingOps(db: SohoaDb, userId: string, limit?: number): Promise<QueuedOp[]> {
  const query = db.outbox.where('userId').equals(userId)
  const ops = await (limit === undefined ? query : query.limit(limit)).toArray()
  return ops.filter(isQueued)
}

/** Every waiting op, whoever owns it, oldest first: for diagnosis and backups. */
export async function allPendingOps(db: SohoaDb): Promise<QueuedOp[]> {
  return (await db.outbox.toArray()).filter(isQueued)
}

export function isQueued(op: OutboxOp): op is QueuedOp {
  return op.seq !== undefined
}
