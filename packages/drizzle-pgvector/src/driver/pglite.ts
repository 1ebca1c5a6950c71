import type { Driver, DriverConnection, RowMapper } from './driver.js';
import { isTransaction, type AnyPgDatabase, type SessionLike } from '../compat/index.js';
import { directQuery, drizzleExec, drizzleQuery, logTransaction } from './drizzle.js';
import { queryError } from './errors.js';

/**
 * PGlite (`drizzle-orm/pglite`): PostgreSQL in-process, one backend, one connection. Queries skip the
 * `parsers` option Drizzle passes (PGlite merges it into its full parser table on every call, about 50 µs);
 * transactions are PGlite's own exclusive ones; there is never a second connection.
 */

interface PgliteQueryOptions {
  rowMode?: 'array' | 'object';
  onNotice?: (notice: { message?: string }) => void;
}
interface PgliteLike {
  query(text: string, params?: unknown[], options?: PgliteQueryOptions): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<unknown>;
  transaction?<T>(fn: (tx: PgliteLike) => Promise<T>): Promise<T>;
}

function connectionOf(client: PgliteLike): DriverConnection {
  let onNotice: ((message: string) => void) | undefined;
  return {
    async query(text, params = []) {
      const options: PgliteQueryOptions = onNotice ? { onNotice: (n) => onNotice?.(String(n.message ?? '')) } : {};
      return (await client.query(text, params as unknown[], options)).rows as Record<string, unknown>[];
    },
    async withNotices(fn, listener) {
      const previous = onNotice;
      onNotice = listener;
      try {
        return await fn();
      } finally {
        onNotice = previous;
      }
    },
  };
}

/** @internal The PGlite driver for a database (or transaction) whose session is a `PgliteSession`. */
export function pgliteDriver(db: AnyPgDatabase, session: SessionLike): Driver | undefined {
  const client = session.client as PgliteLike | undefined;
  if (client === undefined || client === null || typeof client.query !== 'function') {
    return undefined; // e.g. drizzle.mock(): no client; Drizzle's own session path still works
  }
  const inTransaction = isTransaction(db);
  const canBegin = !inTransaction && typeof client.transaction === 'function';
  return {
    kind: 'pglite',
    concurrent: false,
    async query<T>(text: string, params: readonly unknown[], map: RowMapper<T>, plain = false): Promise<T> {
      if (!plain) return drizzleQuery(session, text, params, map);
      return directQuery(session, text, params, map, async () => (await client.query(text, params as unknown[], { rowMode: 'array' })).rows);
    },
    // PGlite's `query` runs one statement (extended protocol): one call per statement.
    exec: (statements) => drizzleExec(session, statements, false),
    queryInTransaction: canBegin
      ? async <T>(statements: readonly string[], text: string, params: readonly unknown[], map: RowMapper<T>): Promise<T> => {
          logTransaction(session, statements, text, params);
          try {
            const rows = await client.transaction!(async (tx) => {
              // All SET LOCAL statements in one `exec` (simple protocol).
              await tx.exec(statements.join('; '));
              return (await tx.query(text, params as unknown[], { rowMode: 'array' })).rows;
            });
            return map(rows as unknown[][]);
          } catch (error) {
            throw queryError(text, params, error);
          }
        }
      : undefined,
    transaction: <T>(fn: (tx: unknown) => Promise<T>) => db.transaction(fn as never) as Promise<T>,
    connection: (fn) => fn(connectionOf(client)),
  };
}
