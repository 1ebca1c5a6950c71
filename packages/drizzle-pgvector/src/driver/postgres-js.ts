import type { Driver, DriverConnection, RowMapper } from './driver.js';
import { isTransaction, type AnyPgDatabase, type SessionLike } from '../compat/index.js';
import { directQuery, drizzleExec, drizzleQuery, logTransaction } from './drizzle.js';
import { queryError } from './errors.js';

/**
 * postgres.js (`drizzle-orm/postgres-js`). postgres.js owns its connections: a connection the server closes
 * rejects the queries on it and is replaced by the library, so nothing here can leak an `'error'` event; what
 * this file adds is the direct, pipelined transaction and reserved connections.
 */

type Pending = PromiseLike<unknown> & { values(): PromiseLike<unknown[][]> };
interface SqlLike {
  unsafe(text: string, params?: unknown[]): Pending;
  begin?<T>(fn: (tx: SqlLike) => Promise<T>): Promise<T>;
  reserve?(): Promise<SqlLike & { release(): void }>;
}

function connectionOf(sql: SqlLike): DriverConnection {
  return {
    async query(text, params = []) {
      return (await sql.unsafe(text, params as unknown[])) as Record<string, unknown>[];
    },
    // postgres.js takes `onnotice` once, when the connection is made: notices cannot be routed per call.
    withNotices: (fn) => fn(),
  };
}

/** @internal The postgres.js driver for a database (or transaction) whose session is a `PostgresJsSession`. */
export function postgresJsDriver(db: AnyPgDatabase, session: SessionLike): Driver | undefined {
  const sql = session.client as SqlLike | undefined;
  if (sql === undefined || sql === null || typeof sql.unsafe !== 'function') {
    return undefined; // e.g. drizzle.mock(): no client; Drizzle's own session path still works
  }
  const inTransaction = isTransaction(db);
  const canBegin = !inTransaction && typeof sql.begin === 'function';
  return {
    kind: 'postgres.js',
    concurrent: !inTransaction && typeof sql.reserve === 'function',
    async query<T>(text: string, params: readonly unknown[], map: RowMapper<T>, plain = false): Promise<T> {
      if (!plain) return drizzleQuery(session, text, params, map);
      return directQuery(session, text, params, map, async () => await sql.unsafe(text, params as unknown[]).values());
    },
    exec: (statements) => drizzleExec(session, statements, true),
    queryInTransaction: canBegin
      ? async <T>(statements: readonly string[], text: string, params: readonly unknown[], map: RowMapper<T>): Promise<T> => {
          logTransaction(session, statements, text, params);
          try {
            // BEGIN, then the SET LOCAL statements and the search pipelined in one round trip, COMMIT.
            const rows = await sql.begin!(async (tx) => {
              const [, result] = await Promise.all([tx.unsafe(statements.join('; ')), tx.unsafe(text, params as unknown[]).values()]);
              return result;
            });
            return map(rows);
          } catch (error) {
            throw queryError(text, params, error);
          }
        }
      : undefined,
    transaction: <T>(fn: (tx: unknown) => Promise<T>) => db.transaction(fn as never) as Promise<T>,
    async connection<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
      if (inTransaction || typeof sql.reserve !== 'function') return fn(connectionOf(sql));
      const reserved = await sql.reserve();
      let ok = false;
      try {
        const result = await fn(connectionOf(reserved));
        ok = true;
        return result;
      } finally {
        if (ok) {
          reserved.release();
        } else {
          // Session state `fn` may have left (a SET before a failed build) must not reach the next user: reset it.
          await reserved.unsafe('DISCARD ALL').then(
            () => reserved.release(),
            () => reserved.release(),
          );
        }
      }
    },
  };
}
