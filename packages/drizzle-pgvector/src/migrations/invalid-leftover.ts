import { driverOf, type AnyPgDatabase, type RowQuery, type TransactionalDatabase } from '../driver/index.js';
import { describeServerError, serverError } from '../errors/index.js';
import { dropInvalidIndex, parseIndexName } from '../operations/invalid-index.js';
import type { IndexState } from '../pg-catalog/index.js';
import { concurrentIndexName, type SqlStatement } from './statements.js';

/** @internal migrate()'s side of the INVALID-index handling shared with buildIndex (../operations/invalid-index.ts). */

/** The index a `CREATE [UNIQUE] INDEX CONCURRENTLY` step creates (schema as written, or the search_path). */
export function createdIndex(statement: SqlStatement): { schema: string | undefined; name: string } | undefined {
  const index = concurrentIndexName(statement);
  return index?.kind === 'create' ? parseIndexName(index.name) : undefined;
}

/** Row objects for catalog queries with bound parameters, on one connection of `db`. */
export function catalogQuery(db: TransactionalDatabase): RowQuery {
  return (text, params) => driverOf(db as unknown as AnyPgDatabase).connection((c) => c.query(text, params));
}

/** What happened to the INVALID index a failed CREATE INDEX CONCURRENTLY left. */
export type Leftover = { dropped: IndexState } | { failed: string } | undefined;

export async function dropLeftover(db: TransactionalDatabase, created: { schema: string | undefined; name: string }): Promise<Leftover> {
  try {
    const dropped = await dropInvalidIndex(catalogQuery(db), created.name, created.schema);
    return dropped ? { dropped } : undefined;
  } catch (error) {
    return { failed: describeServerError(serverError(error)) };
  }
}

