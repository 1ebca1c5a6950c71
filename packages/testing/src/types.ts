import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type * as pgCore from 'drizzle-orm/pg-core';
import type { PgQueryResultHKT } from 'drizzle-orm/pg-core';

import type { TestBackendName } from './backend.js';

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
 * import type { PgVectorDrizzleDatabase } from '@drizzle-pgvector/testing';
 * import { items } from './schema.js';
 *
 * export async function countItems(db: PgVectorDrizzleDatabase): Promise<number> {
 *   return db.$count(items);
 * }
 * ```
 */
export type PgVectorDrizzleDatabase<TSchema extends Record<string, unknown> = Record<string, never>> = 'PgAsyncDatabase' extends keyof PgCore
  ? InstanceOf<typeof _pgAsyncDatabase1<PgQueryResultHKT, any>>
  : InstanceOf<typeof _pgDatabase045<PgQueryResultHKT, TSchema>>;

// drizzle-orm 0.45 calls the class PgDatabase<THKT, TSchema>, 1.0 PgAsyncDatabase<THKT, TRelations>: each is reached
// through the module's value exports (a missing one is a missing key, not an error), so these declarations
// type-check against either line (see drizzle-pgvector's src/compat/drizzle-types.ts).
type PgCore = typeof pgCore;
type InstanceOf<C> = C extends abstract new (...args: any) => infer I ? I : never;
type Absent = abstract new <_A = any, _B = any>(...args: any[]) => never;
declare const _pgDatabase045: PgCore extends { PgDatabase: infer C } ? C : Absent;
declare const _pgAsyncDatabase1: PgCore extends { PgAsyncDatabase: infer C } ? C : Absent;

/**
 * The Drizzle driver behind a {@link PgVectorDrizzleDatabase}.
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

/** @internal Every driver name, for validation. */
export const DRIVERS: readonly DriverName[] = ['pglite', 'node-postgres', 'postgres-js'];

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
   * `@electric-sql/pglite-socket`) so that {@link PgVectorTestDatabase.url} exists and the
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
 * An extra Drizzle client returned by {@link PgVectorTestDatabase.connect}.
 *
 * @example
 * ```ts
 * const extra = await database.connect('postgres-js', { max: 2 });
 * await extra.db.select().from(items);
 * await extra.close(); // optional: database.close() closes it too
 * ```
 */
export interface PgVectorTestConnection<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** The Drizzle client for this connection. */
  db: PgVectorDrizzleDatabase<TSchema>;
  /** The driver it uses. */
  driver: DriverName;
  /** Close the underlying pool/client. Idempotent. */
  close(): Promise<void>;
}

/**
 * A running pgvector test database. Always call {@link PgVectorTestDatabase.close | close()} when done
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
export interface PgVectorTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** The backend actually used (never `auto`). */
  readonly backend: TestBackendName;
  /**
   * A `postgres://` connection URL, where one exists: always for `url` / `testcontainers`;
   * for `pglite` only with `serve: true` (a loopback URL served by pglite-socket), else `undefined`.
   */
  readonly url: string | undefined;
  /** The primary Drizzle client: `drizzle-orm/pglite` for the pglite backend, `drizzle-orm/node-postgres` (over a `pg.Pool`) otherwise. */
  readonly db: PgVectorDrizzleDatabase<TSchema>;
  /** The driver behind {@link PgVectorTestDatabase.db | db}. */
  readonly driver: DriverName;
  /**
   * Connect an extra Drizzle client with another driver to the same database: `node-postgres`
   * (a `pg.Pool` of `max` connections), `postgres-js` (a postgres.js client of `max` connections) or
   * `pglite` (another Drizzle client on the same PGlite instance; pglite backend only).
   * `node-postgres` / `postgres-js` need {@link PgVectorTestDatabase.url | url}: on the pglite backend
   * start with `serve: true`. Default `max`: 4 on served PGlite (bounded by free socket slots), 10 elsewhere.
   * Connections still open are closed by {@link PgVectorTestDatabase.close | close()}.
   *
   * @throws {@link PgVectorTestError} `NO_CONNECTION_URL` (pglite not served), `DRIVER_UNAVAILABLE`
   *   (`pglite` on a server backend, or postgres.js not installed), `INVALID_DRIVER`, `CONNECTION_LIMIT`,
   *   `DATABASE_CLOSED`.
   */
  connect(driver: DriverName, options?: { max?: number }): Promise<PgVectorTestConnection<TSchema>>;
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

/** @internal What a backend starter hands to the handle: the primary client and how to release it. */
export interface Primary {
  backend: TestBackendName;
  url: string | undefined;
  driver: DriverName;
  db: PgVectorDrizzleDatabase<Record<string, unknown>>;
  query(text: string, params?: unknown[]): Promise<unknown[]>;
  /** PGlite instance (pglite backend) for the `pglite` driver. */
  pglite?: PGlite;
  /** Socket server (served pglite) for connection accounting. */
  server?: PGLiteSocketServer;
  maxConnections?: number;
  /** Release everything the primary owns, in order. */
  close(): Promise<void>;
}

/** @deprecated Renamed {@link PgVectorDrizzleDatabase} (the casing of `PgVectorError`); removed in the next minor release. */
export type PgvectorDrizzleDatabase<TSchema extends Record<string, unknown> = Record<string, never>> = PgVectorDrizzleDatabase<TSchema>;
/** @deprecated Renamed {@link PgVectorTestConnection} (the casing of `PgVectorError`); removed in the next minor release. */
export type PgvectorTestConnection<TSchema extends Record<string, unknown> = Record<string, never>> = PgVectorTestConnection<TSchema>;
/** @deprecated Renamed {@link PgVectorTestDatabase} (the casing of `PgVectorError`); removed in the next minor release. */
export type PgvectorTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>> = PgVectorTestDatabase<TSchema>;
