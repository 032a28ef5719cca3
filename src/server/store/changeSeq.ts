/**
 * The pull cursor's sequence, and why it cannot skip a change.
 *
 * Every committed change to an entry or its conflicts takes the next value of the `change_seq` row
 * of `counters`, incremented inside the writing transaction (`UPDATE ... RETURNING`). The row stays
 * locked until that transaction commits or rolls back, so the next writer gets its number only
 * after the previous one is committed and visible (PostgreSQL marks a transaction committed before
 * it releases its locks). Numbers therefore become visible in increasing order, and a pull of
 * `change_seq > cursor` can never pass over a change that commits later with a smaller number.
 *
 * A serial or identity column does not give this: numbers are handed out at insert time without
 * waiting, so a transaction that took 7 can commit after one that took 8 has been pulled, and a
 * client whose cursor is already 8 never sees 7. tests/server/store/postgres.test.ts shows both.
 *
 * Pushes take the lock first (`lockChanges`), before reading any entry: pushes are serialized
 * (across instances on PostgreSQL), so a merge always reads the latest committed entry and two
 * pushes of the same month can never both build on one version. SQLite's write transaction
 * (BEGIN IMMEDIATE, one writer) already gives the same order.
 */
import { bigint } from './rows.ts'
import { forUpdate, one, type Sql } from './sql.ts'

const COUNTER = 'change_seq'

/** Takes the change_seq row lock (PostgreSQL) until the transaction ends. */
export async function lockChanges(tx: Sql): Promise<void> {
  await tx.all(`SELECT value FROM counters WHERE name = ?${forUpdate(tx.dialect)}`, [COUNTER])
}

/** The next change_seq; call inside the writing transaction, once per changed entry. */
export async function nextChangeSeq(tx: Sql): Promise<bigint> {
  const row = await one(
    tx,
    'UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value',
    [COUNTER],
  )
  if (row === null) throw new Error('counters has no change_seq row: run the migrations first')
  return bigint(row, 'value')
}
