import { describeError, PgVectorTestError, redactUrl } from '../errors.js';
import { CONNECT_TIMEOUT_MS, createPgPool, runAll } from '../support.js';
import type { PgVectorDrizzleDatabase, Primary, StartOptions } from '../types.js';
import { drizzleConfig } from '../drizzle-config.js';

/**
 * @internal Connect to a server URL with node-postgres, check it, create the extension, and build the primary
 * Drizzle db. Shared by the `url` and `testcontainers` backends.
 */
export async function startOnServer(
  backend: 'url' | 'testcontainers',
  url: string,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
  releaseServer: () => Promise<void>,
): Promise<Primary> {
  const { default: pg } = await import('pg');
  const shown = redactUrl(url);
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  probe.on('error', () => {});
  try {
    await probe.connect();
  } catch (error) {
    await probe.end().catch(() => {});
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not connect to ${shown} (backend ${JSON.stringify(backend)}): ${describeError(error)}. ` +
        (backend === 'url'
          ? 'Check DATABASE_URL / options.url and that the server is running, or set PGVECTOR_TEST_BACKEND=pglite.'
          : 'The container started but did not accept connections; set PGVECTOR_TEST_BACKEND=pglite to use embedded PGlite instead.'),
      { cause: error },
    );
  }
  try {
    if (createExtension) {
      try {
        await probe.query('CREATE EXTENSION IF NOT EXISTS vector');
      } catch (error) {
        throw new PgVectorTestError(
          'TEST_BACKEND_UNAVAILABLE',
          `Could not create the pgvector extension on ${shown}: ${describeError(error)}. ` +
            'Install pgvector on that server (or use the pgvector/pgvector image), connect as a role allowed to ' +
            'CREATE EXTENSION, pass createExtension: false if it already exists, or set PGVECTOR_TEST_BACKEND=pglite.',
          { cause: error },
        );
      }
    }
  } finally {
    await probe.end().catch(() => {});
  }

  const pool = createPgPool(pg.Pool, url, undefined);
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const db = drizzle(drizzleConfig(pool, options.schema) as never) as unknown as PgVectorDrizzleDatabase<
    Record<string, unknown>
  >;
  return {
    backend,
    url,
    driver: 'node-postgres',
    db,
    query: async (text, params) => {
      // Without params node-postgres uses the simple-query protocol, which returns one result per statement.
      const result: unknown = await pool.query(text, params);
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last as { rows?: unknown[] } | undefined)?.rows ?? [];
    },
    close: () => runAll([() => pool.end(), releaseServer]),
  };
}

/** @internal Start the `url` backend: an existing server with pgvector. */
export async function startUrl(
  url: string | undefined,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): Promise<Primary> {
  if (!url) {
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      'The "url" test backend needs a connection URL, but DATABASE_URL is not set and no url option was given. ' +
        'Set DATABASE_URL=postgres://user:pass@host:5432/db (a disposable database with pgvector), ' +
        'or set PGVECTOR_TEST_BACKEND=pglite.',
    );
  }
  return startOnServer('url', url, options, createExtension, async () => {});
}
