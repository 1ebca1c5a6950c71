import { describeError, PgVectorTestError } from './errors.js';
import { createPgPool } from './support.js';
import type { PgVectorDrizzleDatabase } from './types.js';
import { drizzleConfig } from './drizzle-config.js';

/** @internal A Drizzle client over a URL and how to close it. */
export interface UrlClient {
  db: PgVectorDrizzleDatabase<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * @internal Open `node-postgres` (a `pg.Pool`) or `postgres-js` (a postgres.js client) on `url`: the one place the
 * package builds URL clients (`connect()` and the driver loop). `pglite`: the URL serves PGlite, where postgres.js
 * must not look up types (below).
 */
export async function openUrlClient(
  driver: 'node-postgres' | 'postgres-js',
  url: string,
  options: { max?: number; schema?: Record<string, unknown>; pglite: boolean },
): Promise<UrlClient> {
  const { max, schema } = options;
  if (driver === 'node-postgres') {
    const [{ default: pg }, { drizzle }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
    const pool = createPgPool(pg.Pool, url, max);
    const db = drizzle(drizzleConfig(pool, schema) as never) as unknown as UrlClient['db'];
    return { db, close: () => pool.end() };
  }
  let postgres: (typeof import('postgres'))['default'];
  try {
    postgres = (await import('postgres')).default;
  } catch (error) {
    throw new PgVectorTestError(
      'DRIVER_UNAVAILABLE',
      `The "postgres-js" driver needs the postgres package, which could not be loaded (${describeError(error)}). ` +
        'Install it (npm i -D postgres) or use connect(\'node-postgres\').',
      { cause: error },
    );
  }
  const { drizzle } = await import('drizzle-orm/postgres-js');
  // A served PGlite (pglite-socket, ours or behind a url): postgres.js 4 looks up an unknown type such as
  // `vector` between a statement's Describe and its Bind, and on the one shared PGlite backend that lookup ends
  // the unnamed statement ("unnamed prepared statement does not exist"). Without the type lookup it works.
  const client = postgres(url, { ...(max === undefined ? {} : { max }), ...(options.pglite ? { fetch_types: false } : {}), onnotice: () => {} });
  const db = drizzle(drizzleConfig(client, schema) as never) as unknown as UrlClient['db'];
  return { db, close: () => client.end({ timeout: 5 }) };
}
