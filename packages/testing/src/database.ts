import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';

import { chooseBackend, nonEmpty, type TestBackendName } from './backend.js';
import { describeError, PgvectorTestError, redactUrl } from './errors.js';
import { RESET_SQL } from './reset.js';

/**
 * A Drizzle client that talks to the test database, whatever the driver. Every driver's database
 * (`drizzle-orm/pglite`, `drizzle-orm/node-postgres`, `drizzle-orm/postgres-js`) is assignable to it,
 * so code under test can take this one type.
 *
 * Note that `db.execute()` returns the driver's own result shape (`{ rows }` for pglite and
 * node-postgres, an array for postgres-js); {@link rowsOf} normalises it.
 *
 * @example
 * ```ts
 * import type { PgvectorDrizzleDatabase } from '@drizzle-pgvector/testing';
 * import { items } from './schema.js';
 *
 * export async function countItems(db: PgvectorDrizzleDatabase): Promise<number> {
 *   return db.$count(items);
 * }
 * ```
 */
export type PgvectorDrizzleDatabase<TSchema extends Record<string, unknown> = Record<string, never>> = PgDatabase<
  PgQueryResultHKT,
  TSchema
>;

/**
 * The Drizzle driver behind a {@link PgvectorDrizzleDatabase}.
 *
 * - `pglite` – `drizzle-orm/pglite` on the in-process PGlite instance (pglite backend only).
 * - `node-postgres` – `drizzle-orm/node-postgres` on a `pg.Pool`.
 * - `postgres-js` – `drizzle-orm/postgres-js` on a `postgres()` (postgres.js) client.
 *
 * @example
 * ```ts
 * import type { DriverName } from '@drizzle-pgvector/testing';
 *
 * const drivers: DriverName[] = ['node-postgres', 'postgres-js'];
 * ```
 */
export type DriverName = 'pglite' | 'node-postgres' | 'postgres-js';

const DRIVERS: readonly DriverName[] = ['pglite', 'node-postgres', 'postgres-js'];

/**
 * Options for {@link startTestDatabase}. Every field is optional.
 *
 * @example
 * ```ts
 * import { startTestDatabase, type StartOptions } from '@drizzle-pgvector/testing';
 * import * as schema from './schema.js';
 *
 * const options: StartOptions<typeof schema> = { backend: 'pglite', serve: true, schema };
 * const database = await startTestDatabase(options);
 * ```
 */
export interface StartOptions<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** Which backend to use. Default: `process.env.PGVECTOR_TEST_BACKEND ?? 'auto'` (see {@link resolveBackend}). */
  backend?: TestBackendName | 'auto';
  /** Server URL for the `url` backend (and makes `auto` choose `url`). Default: `process.env.DATABASE_URL`. */
  url?: string;
  /** Docker image for the `testcontainers` backend. Default: `process.env.PGVECTOR_TEST_IMAGE ?? 'pgvector/pgvector:pg17'`. */
  image?: string;
  /**
   * pglite backend only: also serve the PGlite instance on a loopback TCP port (via
   * `@electric-sql/pglite-socket`) so that {@link PgvectorTestDatabase.url} exists and the
   * `node-postgres` / `postgres-js` drivers can connect. Default `false`.
   */
  serve?: boolean;
  /** pglite backend with `serve: true`: how many socket connections the server accepts at once. Default `8`. */
  maxConnections?: number;
  /** Run `CREATE EXTENSION IF NOT EXISTS vector` on start (and again after `reset()`). Default `true`. */
  createExtension?: boolean;
  /** Drizzle schema (tables and relations) passed to `drizzle({ schema })`, enabling `db.query.*`. */
  schema?: TSchema;
}

/**
 * An extra Drizzle client returned by {@link PgvectorTestDatabase.connect}.
 *
 * @example
 * ```ts
 * const extra = await database.connect('postgres-js', { max: 2 });
 * await extra.db.select().from(items);
 * await extra.close(); // optional: database.close() closes it too
 * ```
 */
export interface PgvectorTestConnection<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** The Drizzle client for this connection. */
  db: PgvectorDrizzleDatabase<TSchema>;
  /** The driver it uses. */
  driver: DriverName;
  /** Close the underlying pool/client. Idempotent. */
  close(): Promise<void>;
}

/**
 * A running pgvector test database. Always call {@link PgvectorTestDatabase.close | close()} when done
 * (e.g. in `afterAll`), or use `withTestDatabase` from `@drizzle-pgvector/testing/vitest`.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { startTestDatabase } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase();
 * await database.db.execute(sql`create table items (id serial primary key, embedding vector(3))`);
 * const [row] = await database.query<{ d: number }>(`select '[1,2,3]'::vector <-> '[1,2,4]' as d`);
 * console.log(database.backend, database.driver, row?.d); // e.g. 'pglite' 'pglite' 1
 * await database.close();
 * ```
 */
export interface PgvectorTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** The backend actually used (never `auto`). */
  readonly backend: TestBackendName;
  /**
   * A `postgres://` connection URL, where one exists: always for `url` / `testcontainers`;
   * for `pglite` only with `serve: true` (a loopback URL served by pglite-socket), else `undefined`.
   */
  readonly url: string | undefined;
  /** The primary Drizzle client: `drizzle-orm/pglite` for the pglite backend, `drizzle-orm/node-postgres` (over a `pg.Pool`) otherwise. */
  readonly db: PgvectorDrizzleDatabase<TSchema>;
  /** The driver behind {@link PgvectorTestDatabase.db | db}. */
  readonly driver: DriverName;
  /**
   * Connect an extra Drizzle client with another driver to the same database: `node-postgres`
   * (a `pg.Pool` of `max` connections), `postgres-js` (a postgres.js client of `max` connections) or
   * `pglite` (another Drizzle client on the same PGlite instance; pglite backend only).
   * `node-postgres` / `postgres-js` need {@link PgvectorTestDatabase.url | url}: on the pglite backend
   * start with `serve: true`. Default `max`: 4 on served PGlite (bounded by free socket slots), 10 elsewhere.
   * Connections still open are closed by {@link PgvectorTestDatabase.close | close()}.
   *
   * @throws {@link PgvectorTestError} `NO_CONNECTION_URL` (pglite not served), `DRIVER_UNAVAILABLE`
   *   (`pglite` on a server backend, or postgres.js not installed), `INVALID_DRIVER`, `CONNECTION_LIMIT`,
   *   `DATABASE_CLOSED`.
   */
  connect(driver: DriverName, options?: { max?: number }): Promise<PgvectorTestConnection<TSchema>>;
  /**
   * Run raw SQL on the primary connection and return the rows. With `params`, `text` is one statement using
   * `$1`, `$2`… placeholders; without, it may hold several `;`-separated statements and the rows of the last
   * one are returned.
   *
   * @example
   * ```ts
   * const rows = await database.query<{ id: number }>('select id from items where id = $1', [1]);
   * ```
   */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Return to a blank schema-level state: drop every table, view, sequence, type and function in schema
   * `public` and the whole `drizzle` schema, keeping the `vector` extension (which is re-created if it was
   * dropped and `createExtension` is on). Meant for between test files. On the `url` backend this really
   * drops the objects of `DATABASE_URL`'s database — point it at a disposable database.
   */
  reset(): Promise<void>;
  /** Close extra connections, the primary client, the socket server, PGlite / the container. Idempotent. */
  close(): Promise<void>;
}

interface Primary {
  backend: TestBackendName;
  url: string | undefined;
  driver: DriverName;
  db: PgvectorDrizzleDatabase<Record<string, unknown>>;
  query(text: string, params?: unknown[]): Promise<unknown[]>;
  /** PGlite instance (pglite backend) for the `pglite` driver. */
  pglite?: PGlite;
  /** Socket server (served pglite) for connection accounting. */
  server?: PGLiteSocketServer;
  maxConnections?: number;
  /** Release everything the primary owns, in order. */
  close(): Promise<void>;
}

const DEFAULT_IMAGE = 'pgvector/pgvector:pg17';
const DEFAULT_MAX_CONNECTIONS = 8;
const DEFAULT_SERVED_POOL = 4;
const CONNECT_TIMEOUT_MS = 15_000;

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}.`);
  }
}

/** Run cleanup steps in order, continue past failures, then throw the first failure. */
async function runAll(steps: Array<() => Promise<unknown> | unknown>): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several steps failed while closing the test database.');
}

function createPgPool(PoolClass: typeof Pool, url: string, max: number | undefined): Pool {
  const pool = new PoolClass({ connectionString: url, ...(max === undefined ? {} : { max }) });
  // An idle client whose server went away (container stopped, socket server closed) must not crash the test process.
  pool.on('error', () => {});
  return pool;
}

async function startPglite(options: StartOptions<Record<string, unknown>>, createExtension: boolean): Promise<Primary> {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  let pglite: PGlite;
  try {
    const [{ PGlite }, { vector }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
    ]);
    pglite = await PGlite.create({ extensions: { vector } });
  } catch (error) {
    throw new PgvectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not start the pglite backend: ${describeError(error)}. ` +
        'Check that @electric-sql/pglite and @electric-sql/pglite-pgvector are installed, or set DATABASE_URL / PGVECTOR_TEST_BACKEND=url.',
      { cause: error },
    );
  }

  let server: PGLiteSocketServer | undefined;
  try {
    if (createExtension) await pglite.exec('CREATE EXTENSION IF NOT EXISTS vector');
    let url: string | undefined;
    if (options.serve) {
      const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
      server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections });
      await server.start();
      url = `postgres://postgres@${server.getServerConn()}/postgres`;
    }
    const { drizzle } = await import('drizzle-orm/pglite');
    const db = drizzle({ client: pglite, schema: options.schema }) as unknown as PgvectorDrizzleDatabase<
      Record<string, unknown>
    >;
    const instance = pglite;
    const socketServer = server;
    return {
      backend: 'pglite',
      url,
      driver: 'pglite',
      db,
      pglite: instance,
      ...(socketServer ? { server: socketServer, maxConnections } : {}),
      query: async (text, params) => {
        if (params && params.length > 0) return (await instance.query(text, params)).rows;
        // Simple-query protocol: allows several statements; the last statement's rows are returned.
        const results = await instance.exec(text);
        return results[results.length - 1]?.rows ?? [];
      },
      close: () => runAll([() => socketServer?.stop(), () => instance.close()]),
    };
  } catch (error) {
    await runAll([() => server?.stop(), () => pglite.close()]).catch(() => {});
    throw new PgvectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not prepare the pglite backend: ${describeError(error)}.`,
      { cause: error },
    );
  }
}

/** Connect to a server URL with node-postgres, check it, create the extension, and build the primary Drizzle db. */
async function startOnServer(
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
    throw new PgvectorTestError(
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
        throw new PgvectorTestError(
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
  const db = drizzle({ client: pool, schema: options.schema }) as unknown as PgvectorDrizzleDatabase<
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

async function startUrl(
  url: string | undefined,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): Promise<Primary> {
  if (!url) {
    throw new PgvectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      'The "url" test backend needs a connection URL, but DATABASE_URL is not set and no url option was given. ' +
        'Set DATABASE_URL=postgres://user:pass@host:5432/db (a disposable database with pgvector), ' +
        'or set PGVECTOR_TEST_BACKEND=pglite.',
    );
  }
  return startOnServer('url', url, options, createExtension, async () => {});
}

async function startTestcontainers(
  image: string,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): Promise<Primary> {
  let module: typeof import('@testcontainers/postgresql');
  try {
    module = await import('@testcontainers/postgresql');
  } catch (error) {
    throw new PgvectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `The "testcontainers" test backend needs the optional package @testcontainers/postgresql, which could not be loaded ` +
        `(${describeError(error)}). Install it (npm i -D @testcontainers/postgresql), or set PGVECTOR_TEST_BACKEND=pglite, ` +
        'or PGVECTOR_TEST_BACKEND=url with DATABASE_URL.',
      { cause: error },
    );
  }
  let container: Awaited<ReturnType<InstanceType<typeof module.PostgreSqlContainer>['start']>>;
  try {
    container = await new module.PostgreSqlContainer(image).start();
  } catch (error) {
    throw new PgvectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not start a testcontainers PostgreSQL container from image ${JSON.stringify(image)}: ${describeError(error)}. ` +
        'testcontainers needs a running Docker engine (or DOCKER_HOST pointing at one) and an image with pgvector ' +
        '(PGVECTOR_TEST_IMAGE). Without Docker, set PGVECTOR_TEST_BACKEND=pglite (embedded PGlite), or ' +
        'PGVECTOR_TEST_BACKEND=url with DATABASE_URL=postgres://… (an existing server with pgvector).',
      { cause: error },
    );
  }
  const started = container;
  const stop = async (): Promise<void> => {
    await started.stop();
  };
  try {
    return await startOnServer('testcontainers', started.getConnectionUri(), options, createExtension, stop);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

/** Resolve when the socket server has at most `limit` live handlers (closing is asynchronous there), or after 1 s. */
async function waitForSocketHandlers(server: PGLiteSocketServer, limit: number): Promise<void> {
  const deadline = Date.now() + 1000;
  while (server.getStats().activeConnections > limit && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Start a pgvector database for tests and return a Drizzle client for it plus a connection URL where one exists.
 *
 * Backend choice: `options.backend`, else `PGVECTOR_TEST_BACKEND`, else `auto` — which is `url` when a URL is
 * known (`options.url` / `DATABASE_URL`), `testcontainers` when a Docker engine answers, `pglite` otherwise.
 *
 * - `pglite`: an in-process PGlite (PostgreSQL + pgvector, WASM; ~3 s to start). `db` uses `drizzle-orm/pglite`.
 *   With `serve: true` it is also served on `127.0.0.1:<random port>` so `url` and URL-based drivers work.
 *   PGlite is a single backend process: connections over the socket share one session (see README).
 * - `url`: an existing server; `db` uses `drizzle-orm/node-postgres` over a `pg.Pool`.
 * - `testcontainers`: a fresh `pgvector/pgvector:pg17` (or `image` / `PGVECTOR_TEST_IMAGE`) container; like `url` after that.
 *
 * Unless `createExtension: false`, `CREATE EXTENSION IF NOT EXISTS vector` runs before this resolves.
 *
 * @throws {@link PgvectorTestError} `INVALID_TEST_BACKEND` for an unknown backend name, `TEST_BACKEND_UNAVAILABLE`
 *   when the chosen backend cannot start (no Docker, no URL, server unreachable, no pgvector on the server).
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { startTestDatabase } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase({ backend: 'pglite', serve: true });
 * const result = await database.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
 * const other = await database.connect('postgres-js'); // same data, other driver, via database.url
 * await database.close();
 * ```
 */
export async function startTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: StartOptions<TSchema> = {},
): Promise<PgvectorTestDatabase<TSchema>> {
  const env = process.env;
  checkPositiveInteger('maxConnections', options.maxConnections);
  const createExtension = options.createExtension ?? true;
  const url = nonEmpty(options.url) ?? nonEmpty(env.DATABASE_URL);
  const fromOptions = options.backend !== undefined;
  const backend = await chooseBackend(
    fromOptions ? String(options.backend) : (nonEmpty(env.PGVECTOR_TEST_BACKEND) ?? 'auto'),
    fromOptions ? 'options.backend' : 'PGVECTOR_TEST_BACKEND',
    url,
    env,
  );
  const untyped = options as StartOptions<Record<string, unknown>>;

  let primary: Primary;
  switch (backend) {
    case 'pglite':
      primary = await startPglite(untyped, createExtension);
      break;
    case 'url':
      primary = await startUrl(url, untyped, createExtension);
      break;
    case 'testcontainers':
      primary = await startTestcontainers(
        nonEmpty(options.image) ?? nonEmpty(env.PGVECTOR_TEST_IMAGE) ?? DEFAULT_IMAGE,
        untyped,
        createExtension,
      );
      break;
  }
  return createHandle<TSchema>(primary, untyped, createExtension);
}

function createHandle<TSchema extends Record<string, unknown>>(
  primary: Primary,
  options: StartOptions<Record<string, unknown>>,
  createExtension: boolean,
): PgvectorTestDatabase<TSchema> {
  type Db = PgvectorDrizzleDatabase<TSchema>;
  const extras = new Set<() => Promise<void>>();
  let reservedSockets = 0;
  let closing: Promise<void> | undefined;

  const assertOpen = (what: string): void => {
    if (closing) {
      throw new PgvectorTestError(
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
      throw new PgvectorTestError(
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

  const connect = async (driver: DriverName, connectOptions: { max?: number } = {}): Promise<PgvectorTestConnection<TSchema>> => {
    assertOpen(`connect(${JSON.stringify(driver)})`);
    if (!(DRIVERS as readonly unknown[]).includes(driver)) {
      throw new PgvectorTestError(
        'INVALID_DRIVER',
        `Unknown driver ${JSON.stringify(driver)}. Use one of: ${DRIVERS.join(', ')}.`,
      );
    }
    checkPositiveInteger('max', connectOptions.max);

    if (driver === 'pglite') {
      if (!primary.pglite) {
        throw new PgvectorTestError(
          'DRIVER_UNAVAILABLE',
          `The "pglite" driver only works with the pglite backend, but this test database uses backend ` +
            `${JSON.stringify(primary.backend)}. Use connect('node-postgres') or connect('postgres-js').`,
        );
      }
      const { drizzle } = await import('drizzle-orm/pglite');
      const db = drizzle({ client: primary.pglite, schema: options.schema }) as unknown as Db;
      // Shares the primary PGlite instance, which close() of the test database shuts down.
      return { db, driver, close: track(async () => {}, 0) };
    }

    const url = primary.url;
    if (!url) {
      throw new PgvectorTestError(
        'NO_CONNECTION_URL',
        `connect(${JSON.stringify(driver)}) needs a connection URL, but this pglite test database is not served. ` +
          `Start it with startTestDatabase({ backend: 'pglite', serve: true }), or use connect('pglite').`,
      );
    }
    const sockets = primary.server ? reserveSockets(driver, connectOptions.max) : 0;
    const max = primary.server ? sockets : connectOptions.max;
    try {
      if (driver === 'node-postgres') {
        const [{ default: pg }, { drizzle }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
        const pool = createPgPool(pg.Pool, url, max);
        const db = drizzle({ client: pool, schema: options.schema }) as unknown as Db;
        return { db, driver, close: track(() => pool.end(), sockets) };
      }
      let postgres: typeof import('postgres');
      try {
        postgres = (await import('postgres')).default;
      } catch (error) {
        throw new PgvectorTestError(
          'DRIVER_UNAVAILABLE',
          `The "postgres-js" driver needs the postgres package, which could not be loaded (${describeError(error)}). ` +
            'Install it (npm i -D postgres) or use connect(\'node-postgres\').',
          { cause: error },
        );
      }
      const { drizzle } = await import('drizzle-orm/postgres-js');
      const client = postgres(url, { ...(max === undefined ? {} : { max }), onnotice: () => {} });
      const db = drizzle({ client, schema: options.schema }) as unknown as Db;
      return { db, driver, close: track(() => client.end({ timeout: 5 }), sockets) };
    } catch (error) {
      reservedSockets -= sockets;
      if (error instanceof PgvectorTestError) throw error;
      if (isModuleNotFound(error)) {
        throw new PgvectorTestError(
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

/**
 * Get the rows out of a `db.execute()` result, whatever the driver: node-postgres and pglite return
 * `{ rows }`, postgres.js returns the rows array itself.
 *
 * @throws TypeError when the value is neither.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { rowsOf } from '@drizzle-pgvector/testing';
 *
 * const [row] = rowsOf<{ d: number }>(await database.db.execute(sql`select 1 as d`));
 * ```
 */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  if (typeof result === 'object' && result !== null) {
    const rows = (result as { rows?: unknown }).rows;
    if (Array.isArray(rows)) return rows as T[];
  }
  throw new TypeError(`rowsOf: expected a db.execute() result (an array or an object with rows), got ${typeof result}.`);
}
