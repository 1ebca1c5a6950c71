/**
 * @internal The rows of a `db.execute()` (or un-mapped prepared query) result, whatever the driver:
 * node-postgres and PGlite return `{ rows }`, postgres.js returns the rows array itself.
 *
 * @throws TypeError for a result with no rows array (a driver this layer does not know): an empty list there
 * would hide a wrong answer.
 */
export function rowsOf<T extends Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (typeof result === 'object' && result !== null) {
    const rows = (result as { rows?: unknown }).rows;
    if (Array.isArray(rows)) return rows as T[];
  }
  throw new TypeError(`drizzle-pgvector: cannot read rows from a ${result === null ? 'null' : typeof result} query result`);
}

/** @internal A boolean column, whatever the driver: `true`, or PostgreSQL's text form `'t'` (a driver that does not parse booleans). */
export function booleanOf(value: unknown): boolean {
  return value === true || value === 't';
}
