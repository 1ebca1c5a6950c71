/**
 * Get the rows out of a `db.execute()` result, whatever the driver: node-postgres and pglite return
 * `{ rows }`, postgres.js returns the rows array itself.
 *
 * @throws TypeError when the value is neither.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { rowsOf } from '@drizzle-pgvector/testing';
 *
 * const [row] = rowsOf<{ d: number }>(await database.db.execute(sql`select 1 as d`));
 * ```
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (typeof result === 'object' && result !== null) {
    const rows = (result as { rows?: unknown }).rows;
    if (Array.isArray(rows)) return rows as T[];
  }
  throw new TypeError(`rowsOf: expected a db.execute() result (an array or an object with rows), got ${typeof result}.`);
}
