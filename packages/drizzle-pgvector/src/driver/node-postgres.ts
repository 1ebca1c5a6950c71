import type { Driver, DriverConnection, RowMapper } from './driver.js';
import { isTransaction, sessionOnClient, type AnyPgDatabase, type SessionLike } from '../compat/index.js';
import { breaksConnection, queryError, withServerCode } from './errors.js';
import { directQuery, drizzleExec, drizzleQuery, logTransaction } from './drizzle.js';

/**
 * node-postgres (`drizzle-orm/node-postgres`, on a `pg.Pool` or a `pg.Client`).
 *
 * Every connection this file checks out of a pool has an `'error'` listener for as long as it is out: when the
 * server ends the connection (failover, `pg_terminate_backend`, an idle-session timeout, a PgBouncer restart)
 * node-postgres emits `'error'` on the client, and without a listener that event would crash the process. A
 * connection that failed that way is released with `release(error)`, so the pool discards it.
 */

interface PgClientLike {
  query(config: string | { text: string; values?: unknown[]; rowMode?: 'array' }): Promise<{ rows: unknown[] }>;
  on(event: 'error' | 'notice', listener: (value: never) => void): unknown;
  removeListener(event: 'error' | 'notice', listener: (value: never) => void): unknown;
  release?(error?: Error | boolean): void;
}
interface PgPoolLike {
  connect(): Promise<PgClientLike>;
  totalCount?: number;
}

/** @internal True for a `pg.Pool` (or a look-alike), false for a single client. */
export function isPgPool(client: unknown): client is PgPoolLike {
  const c = client as Partial<PgPoolLike> & { constructor?: { name?: string } };
  return typeof c.connect === 'function' && (typeof c.totalCount === 'number' || (c.constructor?.name ?? '').includes('Pool'));
}

/** A connection checked out of a pool (or the single client), watched for `'error'` until it is given back. */
interface Checkout {
  readonly client: PgClientLike;
  /** The error the client emitted while checked out, if any. */
  failure(): Error | undefined;
  /** Give the connection back: discarded when `error` is given or the client emitted one. */
  release(error?: unknown): void;
}

async function checkout(client: unknown): Promise<Checkout> {
  const pooled = isPgPool(client);
  const connection = pooled ? await client.connect() : (client as PgClientLike);
  let failure: Error | undefined;
  const onError = (error: Error): void => {
    failure ??= error;
  };
  connection.on('error', onError as (value: never) => void);
  return {
    client: connection,
    failure: () => failure,
    release(error) {
      const broken = failure ?? (error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
      // A broken client keeps the listener: node-postgres may still emit the socket's end after release.
      if (broken === undefined) connection.removeListener('error', onError as (value: never) => void);
      if (pooled) connection.release?.(broken ?? undefined);
    },
  };
}

/**
 * A single `pg.Client` runs one transaction at a time for everybody using it: two concurrent transactions on it
 * interleave their statements into one server transaction, and each sees the other's `SET LOCAL`s. Ours are
 * serialized per client (a pool needs none of this: every transaction gets a connection of its own).
 */
const CLIENT_QUEUES = new WeakMap<object, Promise<unknown>>();

function serialized<T>(client: unknown, pooled: boolean, run: () => Promise<T>): Promise<T> {
  if (pooled) return run();
  const previous = CLIENT_QUEUES.get(client as object) ?? Promise.resolve();
  const next = previous.then(run, run);
  CLIENT_QUEUES.set(
    client as object,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

function connectionOf(client: PgClientLike): DriverConnection {
  return {
    async query(text, params = []) {
      return (await client.query({ text, values: params as unknown[] })).rows as Record<string, unknown>[];
    },
    async withNotices(fn, onNotice) {
      const listener = (notice: { message?: string }): void => onNotice(String(notice.message ?? ''));
      client.on('notice', listener as (value: never) => void);
      try {
        return await fn();
      } finally {
        client.removeListener('notice', listener as (value: never) => void);
      }
    },
  };
}

/** @internal The node-postgres driver for a database (or transaction) whose session is a `NodePgSession`. */
export function nodePostgresDriver(db: AnyPgDatabase, session: SessionLike): Driver | undefined {
  const client = session.client;
  if (client === undefined || client === null || typeof (client as { query?: unknown }).query !== 'function') {
    return undefined; // e.g. drizzle.mock(): no client; Drizzle's own session path still works
  }
  const inTransaction = isTransaction(db);
  const pooled = isPgPool(client);
  const direct = client as PgClientLike;
  async function ownTransaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
    const c = await checkout(client);
    const txSession = sessionOnClient(session, c.client);
    let failed = false;
    let original: unknown;
    try {
      const result = await txSession.transaction(async (tx) => {
        try {
          return await fn(tx);
        } catch (error) {
          failed = true;
          original = error;
          throw error;
        }
      });
      c.release();
      return result;
    } catch (error) {
      // Drizzle rolls back after `fn` throws; when that ROLLBACK failed too (the connection is gone), Drizzle
      // rethrows the ROLLBACK's error: report `fn`'s (the server's reason), and discard the connection.
      const rollbackFailed = failed && error !== original;
      const broken = c.failure() ?? (rollbackFailed || !failed ? (breaksConnection(error) || rollbackFailed ? error : undefined) : undefined);
      c.release(broken);
      throw withServerCode(failed ? original : error);
    }
  }

  return {
    kind: 'node-postgres',
    concurrent: pooled,
    async query<T>(text: string, params: readonly unknown[], map: RowMapper<T>, plain = false): Promise<T> {
      if (!plain) return drizzleQuery(session, text, params, map);
      return directQuery(session, text, params, map, async () => (await direct.query({ text, values: params as unknown[], rowMode: 'array' })).rows);
    },
    exec: (statements) => drizzleExec(session, statements, true),
    queryInTransaction: inTransaction
      ? undefined
      : <T>(statements: readonly string[], text: string, params: readonly unknown[], map: RowMapper<T>): Promise<T> =>
          serialized(client, pooled, async () => {
            logTransaction(session, statements, text, params);
            const c = await checkout(client);
            let step = text;
            try {
              // BEGIN and the SET LOCALs as one simple query: three round trips in all.
              step = ['BEGIN', ...statements].join('; ');
              await c.client.query(step);
              step = text;
              const result = await c.client.query({ text, values: params as unknown[], rowMode: 'array' });
              step = 'COMMIT';
              await c.client.query(step);
              c.release();
              return map(result.rows as unknown[][]);
            } catch (error) {
              let broken: unknown = c.failure() ?? (breaksConnection(error) ? error : undefined);
              if (broken === undefined) {
                try {
                  await c.client.query('ROLLBACK');
                } catch (rollbackError) {
                  broken = rollbackError;
                }
              }
              c.release(broken);
              throw queryError(step, step === text ? params : [], error);
            }
          }),
    transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> {
      if (inTransaction) return db.transaction(fn as never) as Promise<T>;
      return serialized(client, pooled, () => ownTransaction(fn));
    },
    async connection<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
      const c = await checkout(client);
      try {
        const result = await fn(connectionOf(c.client));
        c.release();
        return result;
      } catch (error) {
        // Whatever `fn` left on the connection (a session-level SET before a failed build) must not reach the
        // pool's next user: a connection whose work failed is discarded.
        c.release(c.failure() ?? error);
        throw error;
      }
    },
  };
}
