import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { describeError, PgVectorTestError } from './errors.js';
import { openUrlClient } from './url-driver.js';
import { RESET_SQL } from './reset.js';
import { checkPositiveInteger, DEFAULT_MAX_CONNECTIONS, DEFAULT_SERVED_POOL, isModuleNotFound, runAll } from './support.js';
import {
  DRIVERS,
  type DriverName,
  type PgVectorDrizzleDatabase,
  type PgVectorTestConnection,
  type PgVectorTestDatabase,
  type Primary,
  type StartOptions,
} from './types.js';
import { drizzleConfig } from './drizzle-config.js';

/** Resolve when the socket server has at most `limit` live handlers (closing is asynchronous there), or after 1 s. */
async function waitForSocketHandlers(server: PGLiteSocketServer, limit: number): Promise<void> {
  const deadline = Date.now() + 1000;
  while (server.getStats().activeConnections > limit && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * @internal Wrap a started backend in the public {@link PgVectorTestDatabase} handle: extra connections (with
 * socket-slot accounting on a served PGlite), `query()`, `reset()` and an idempotent `close()`.
 */
export function createHandle<TSchema extends Record<string, unknown>>(
  primary: Primary,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): PgVectorTestDatabase<TSchema> {
  type Db = PgVectorDrizzleDatabase<TSchema>;
  const extras = new Set<() => Promise<void>>();
  let reservedSockets = 0;
  let closing: Promise<void> | undefined;

  const assertOpen = (what: string): void => {
    if (closing) {
      throw new PgVectorTestError(
        'DATABASE_CLOSED',
        `Cannot ${what}: this ${primary.backend} test database was already closed. Start a new one with startTestDatabase().`,
      );
    }
  };

  /** Reserve socket slots on a served PGlite; returns the pool size to use. */
  const reserveSockets = (driver: DriverName, requested: number | undefined): number => {
    const limit = primary.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const free = limit - reservedSockets;
    const max = requested ?? Math.min(DEFAULT_SERVED_POOL, free);
    if (free < 1 || max > free) {
      throw new PgVectorTestError(
        'CONNECTION_LIMIT',
        `connect(${JSON.stringify(driver)}) needs ${Math.max(max, 1)} socket connection(s) but the served PGlite has only ` +
          `${Math.max(free, 0)} of maxConnections ${limit} free. Pass a smaller { max }, close other connections, ` +
          `or start with a larger maxConnections.`,
      );
    }
    reservedSockets += max;
    return max;
  };

  const track = (closeUnderlying: () => Promise<void>, sockets: number): (() => Promise<void>) => {
    let done: Promise<void> | undefined;
    const close = (): Promise<void> => {
      done ??= (async () => {
        extras.delete(close);
        try {
          await closeUnderlying();
        } finally {
          reservedSockets -= sockets;
          if (primary.server && sockets > 0) await waitForSocketHandlers(primary.server, reservedSockets);
        }
      })();
      return done;
    };
    extras.add(close);
    return close;
  };

  const connect = async (driver: DriverName, connectOptions: { max?: number } = {}): Promise<PgVectorTestConnection<TSchema>> => {
    assertOpen(`connect(${JSON.stringify(driver)})`);
    if (!(DRIVERS as readonly unknown[]).includes(driver)) {
      throw new PgVectorTestError(
        'INVALID_DRIVER',
        `Unknown driver ${JSON.stringify(driver)}. Use one of: ${DRIVERS.join(', ')}.`,
      );
    }
    checkPositiveInteger('max', connectOptions.max);

    if (driver === 'pglite') {
      if (!primary.pglite) {
        throw new PgVectorTestError(
          'DRIVER_UNAVAILABLE',
          `The "pglite" driver only works with the pglite backend, but this test database uses backend ` +
            `${JSON.stringify(primary.backend)}. Use connect('node-postgres') or connect('postgres-js').`,
        );
      }
      const { drizzle } = await import('drizzle-orm/pglite');
      const db = drizzle(drizzleConfig(primary.pglite, options.schema) as never) as unknown as Db;
      // Shares the primary PGlite instance, which close() of the test database shuts down.
      return { db, driver, close: track(async () => {}, 0) };
    }

    const url = primary.url;
    if (!url) {
      throw new PgVectorTestError(
        'NO_CONNECTION_URL',
        `connect(${JSON.stringify(driver)}) needs a connection URL, but this pglite test database is not served. ` +
          `Start it with startTestDatabase({ backend: 'pglite', serve: true }), or use connect('pglite').`,
      );
    }
    const sockets = primary.server ? reserveSockets(driver, connectOptions.max) : 0;
    const max = primary.server ? sockets : connectOptions.max;
    try {
      const pglite =
        primary.server !== undefined ||
        (driver === 'postgres-js' && /PGlite/.test(String(((await primary.query('select version() as v'))[0] as { v?: unknown } | undefined)?.v)));
      const client = await openUrlClient(driver, url, { ...(max === undefined ? {} : { max }), schema: options.schema, pglite });
      return { db: client.db as unknown as Db, driver, close: track(client.close, sockets) };
    } catch (error) {
      reservedSockets -= sockets;
      if (error instanceof PgVectorTestError) throw error;
      if (isModuleNotFound(error)) {
        throw new PgVectorTestError(
          'DRIVER_UNAVAILABLE',
          `Could not load the ${JSON.stringify(driver)} driver: ${describeError(error)}.`,
          { cause: error },
        );
      }
      throw error;
    }
  };

  const query = async <T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> => {
    assertOpen('query()');
    return (await primary.query(text, params)) as T[];
  };

  const reset = async (): Promise<void> => {
    assertOpen('reset()');
    await primary.query(RESET_SQL);
    if (createExtension) await primary.query('CREATE EXTENSION IF NOT EXISTS vector');
  };

  const close = (): Promise<void> => {
    closing ??= runAll([...[...extras].map((closeExtra) => closeExtra), () => primary.close()]);
    return closing;
  };

  return {
    backend: primary.backend,
    url: primary.url,
    db: primary.db as unknown as Db,
    driver: primary.driver,
    connect,
    query,
    reset,
    close,
  };
}
