/**
 * @internal Work that must leave nothing behind — an `EXPLAIN` under `SET LOCAL` planner switches, indexes built
 * on a temporary copy of a table to read back their catalog rows — runs through {@link rolledBack}: in a
 * transaction (a savepoint when `db` already is one) that is always rolled back, whatever `fn` did.
 */

/** Something that opens a transaction: a Drizzle database or transaction, or a {@link Driver}. */
export interface TransactionOpener {
  transaction<R>(fn: (tx: any) => Promise<R>): Promise<R>;
}

/** The marker thrown to make the transaction roll back; never seen by callers. */
const ROLLBACK = new Error('drizzle-pgvector: roll back');

/**
 * Run `fn` in a transaction of `db` (a savepoint inside one) and roll it back; `fn`'s result is returned.
 * An error `fn` throws rolls back too and is rethrown unchanged.
 *
 * ```sql
 * BEGIN;  -- or SAVEPOINT
 * …      -- fn's statements
 * ROLLBACK;  -- or ROLLBACK TO SAVEPOINT
 * ```
 */
export async function rolledBack<T, Tx>(db: TransactionOpener, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  try {
    await db.transaction(async (tx: Tx) => {
      result = { value: await fn(tx) };
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
  if (result === undefined) throw new Error('drizzle-pgvector: a rolled-back transaction ended without running its work');
  return result.value;
}
