import type { Driver, DriverConnection, RowMapper } from './driver.js';
import { sessionQuery, type AnyPgDatabase, type SessionLike } from '../compat/index.js';
import { queryError, withServerCode } from './errors.js';
import { rowsOf } from './rows.js';

/**
 * Any other Drizzle PostgreSQL driver (Neon, Vercel, AWS Data API, Xata …), through Drizzle's own session: one
 * statement per call, Drizzle's transactions, no second connection. Also the building blocks the per-driver
 * files share.
 */

/** @internal Run SQL text with positional parameters through Drizzle's session; rows as arrays. */
export function drizzleQuery<T>(session: SessionLike, text: string, params: readonly unknown[], map: RowMapper<T>): Promise<T> {
  // Drizzle's wrapper keeps the driver's error as `cause`: put the server's SQLSTATE on it as `code`, as every
  // other path does (e.g. 57P01 when the backend was terminated).
  return (sessionQuery(session, { sql: text, params: params as unknown[] }, 'arrays', map as (rows: unknown[][]) => unknown) as Promise<T>).catch((error: unknown) => {
    throw withServerCode(error);
  });
}

/**
 * @internal Run parameterless statements through Drizzle's session. `multiStatement`: the driver sends a
 * parameterless query with the simple-query protocol, which allows several `;`-separated statements in one round
 * trip (node-postgres, postgres.js); otherwise one call per statement.
 */
export async function drizzleExec(session: SessionLike, statements: readonly string[], multiStatement: boolean): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1 || multiStatement) {
    await sessionQuery(session, { sql: statements.join('; '), params: [] }, 'raw', undefined, true);
    return;
  }
  for (const statement of statements) {
    await sessionQuery(session, { sql: statement, params: [] }, 'raw', undefined, true);
  }
}

/**
 * @internal A query run straight on the driver client (`run`), seen by Drizzle's logger and with errors wrapped
 * as Drizzle wraps them; rows as arrays, mapped by `map`.
 */
export async function directQuery<T>(session: SessionLike, text: string, params: readonly unknown[], map: RowMapper<T>, run: () => PromiseLike<unknown[]>): Promise<T> {
  session.logger?.logQuery(text, params as unknown[]);
  let rows: unknown[];
  try {
    rows = await run();
  } catch (error) {
    throw queryError(text, params, error);
  }
  return map(rows as unknown[][]);
}

/** @internal Tell Drizzle's logger about a transaction run straight on the driver client. */
export function logTransaction(session: SessionLike, statements: readonly string[], text: string, params: readonly unknown[]): void {
  const logger = session.logger;
  if (!logger) return;
  logger.logQuery('begin', []);
  for (const statement of statements) logger.logQuery(statement, []);
  logger.logQuery(text, params as unknown[]);
  logger.logQuery('commit', []);
}

/** @internal The driver for databases whose session drizzle-pgvector has no direct path for. */
export function drizzleDriver(db: AnyPgDatabase, session: SessionLike): Driver {
  const connection: DriverConnection = {
    async query(text, params = []) {
      return rowsOf(await sessionQuery(session, { sql: text, params: params as unknown[] }, 'raw'));
    },
    withNotices: (fn) => fn(),
  };
  return {
    kind: 'drizzle',
    concurrent: false,
    query: (text, params, map) => drizzleQuery(session, text, params, map),
    exec: (statements) => drizzleExec(session, statements, false),
    queryInTransaction: undefined,
    transaction: <T>(fn: (tx: unknown) => Promise<T>) => db.transaction(fn as never) as Promise<T>,
    // Drizzle's other drivers have no connection to hold (HTTP drivers have none at all): statements run one by one.
    connection: (fn) => fn(connection),
  };
}
