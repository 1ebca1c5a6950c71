import { sql, type SQL } from 'drizzle-orm';
import { rowsOf } from './rows.js';

/**
 * The part of a Drizzle PostgreSQL database that drizzle-pgvector's database helpers use: `execute(sql)`.
 * Every Drizzle Postgres database and transaction has it (`drizzle-orm/node-postgres`, `drizzle-orm/postgres-js`,
 * `drizzle-orm/pglite`, `drizzle-orm/neon-serverless` …), so the helpers take any of them without depending on a
 * driver.
 *
 * @example
 * ```ts
 * import { drizzle } from 'drizzle-orm/node-postgres';
 * import type { SqlExecutor } from 'drizzle-pgvector';
 *
 * const db: SqlExecutor = drizzle(process.env.DATABASE_URL!);
 * ```
 */
export interface SqlExecutor {
  execute(query: SQL): PromiseLike<unknown>;
}

/**
 * A {@link SqlExecutor} that can also open a transaction: a Drizzle PostgreSQL database (not a transaction).
 *
 * @example
 * ```ts
 * import { drizzle } from 'drizzle-orm/pglite';
 * import type { TransactionalDatabase } from 'drizzle-pgvector';
 *
 * const db: TransactionalDatabase = drizzle({ client });
 * ```
 */
export interface TransactionalDatabase extends SqlExecutor {
  transaction<T>(run: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** @internal Run `query` with `db.execute` and return its rows, whatever the driver. */
export async function queryRows<T extends Record<string, unknown>>(db: SqlExecutor, query: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

/** @internal Runs one statement with bound parameters (`$1`, `$2` …) and returns row objects: a held connection's `query`, or {@link rowQuery} over `db.execute`. */
export type RowQuery = (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** @internal Statement text with `$n` placeholders and its values as one Drizzle `SQL` (the values stay bound parameters). */
export function statementOf(text: string, params: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`)));
}

/** @internal A {@link RowQuery} running on `db` (a Drizzle database or transaction) with `db.execute`. */
export function rowQuery(db: SqlExecutor): RowQuery {
  return (text, params) => queryRows<Record<string, unknown>>(db, statementOf(text, params));
}
