/** Ops the server refused, kept for their author to read until they dismiss them. */
import type { RejectedOp, SohoaDb } from './schema.ts'

/** The refusals of `userId`, oldest first. */
export async function listRejected(db: SohoaDb, userId: string): Promise<RejectedOp[]> {
  const rows = await db.rejected.where('userId').equals(userId).toArray()
  return rows.sort((a, b) => a.seq - b.seq)
}

/** Removes one refusal from the list; the entry itself is untouched. */
export async function dismissRejected(db: SohoaDb, id: string): Promise<void> {
  await db.rejected.delete(id)
}
