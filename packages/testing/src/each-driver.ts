import { afterAll, beforeAll, describe } from 'vitest';

import { chooseBackend, nonEmpty, type TestBackendName } from './backend.js';
import { PgVectorTestError } from './errors.js';
import { testDrivers } from './gates.js';
import { servePgliteWithCopy, type PgliteCopyServer } from './pglite-copy-server.js';
import { startTestDatabase } from './start-test-database.js';
import { runAll } from './support.js';
import type { DriverName, PgVectorDrizzleDatabase, PgVectorTestConnection, PgVectorTestDatabase, StartOptions } from './types.js';
import { openUrlClient } from './url-driver.js';

/**
 * What each driver's run of a {@link describeEachDriver} body gets. Read `db`, `database` and `url` inside tests
 * and hooks: before the loop's `beforeAll` has run they throw `NOT_STARTED`.
 *
 * @example
 * ```ts
 * describeEachDriver('counts', (ctx) => {
 *   it('counts', async () => expect(await ctx.db.$count(items)).toBe(0));
 * });
 * ```
 */
export interface DriverTestContext<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** The driver of this run. */
  readonly driver: DriverName;
  /** The backend every driver of the loop reaches (known at collection time). */
  readonly backend: TestBackendName;
  /** A Drizzle db of this driver on the shared test database (`max` connections for the URL drivers). */
  readonly db: PgVectorDrizzleDatabase<TSchema>;
  /** The shared test database: `query()`, `reset()`, `url`, its own primary `db`. */
  readonly database: PgVectorTestDatabase<TSchema>;
  /** The URL this driver connects to (served PGlite or the server); `undefined` for the `pglite` driver. */
  readonly url: string | undefined;
  /** Another client of this driver on the same database, closed after this driver's tests. */
  connect(options?: { max?: number }): Promise<PgVectorTestConnection<TSchema>>;
}

/**
 * Options for {@link describeEachDriver}: those of `startTestDatabase` plus the loop's own.
 *
 * @example
 * ```ts
 * const options: EachDriverOptions = { drivers: ['pglite', 'node-postgres'], copy: true };
 * ```
 */
export interface EachDriverOptions<TSchema extends Record<string, unknown> = Record<string, never>> extends StartOptions<TSchema> {
  /** Run only these drivers (of those the backend offers, see `testDrivers`). Default: all of them. */
  drivers?: readonly DriverName[];
  /** Connections of each URL driver's client. Default `1`: the next statement after a transaction is on the same session. */
  max?: number;
  /**
   * pglite backend: serve PGlite with `COPY … FROM STDIN` working (`servePgliteWithCopy`) instead of pglite-socket.
   * That server has one session: keep `max` at 1 and use one connection at a time. Default `false`.
   */
  copy?: boolean;
  /** Use this already started database (e.g. `withTestDatabase().get`) instead of starting one; it is not closed here. */
  database?: () => PgVectorTestDatabase<TSchema>;
}

function notStarted(what: string): never {
  throw new PgVectorTestError(
    'NOT_STARTED',
    `describeEachDriver(): ctx.${what} is not available yet (or any more). Read it inside a test or hook, not in the describe body.`,
  );
}

/**
 * The same tests over every driver, like kysely's dialect loop: one test database (started in `beforeAll`, closed in
 * `afterAll`), and for each driver of its backend (see `testDrivers`, narrowed by `PGVECTOR_TEST_DRIVERS`) a
 * `describe(driver)` whose tests get that driver's Drizzle db in `ctx.db`: `drizzle-orm/pglite` on the PGlite
 * instance, `drizzle-orm/node-postgres` and `drizzle-orm/postgres-js` over PGlite served on a loopback socket, or over
 * `DATABASE_URL` on the `url` backend (a container's URL on `testcontainers`). The drivers run one after the other on
 * the same database: a test that writes should start from a known state (truncate or drop first).
 *
 * @throws {@link PgVectorTestError} at collection time `INVALID_TEST_BACKEND` / `INVALID_DRIVER` for a bad
 *   environment; in `beforeAll` what `startTestDatabase` and `connect()` throw, and `INVALID_OPTION` when a given
 *   `database` runs on another backend than the environment names.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { expect, it } from 'vitest';
 * import { rowsOf } from '@drizzle-pgvector/testing';
 * import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
 *
 * describeEachDriver('vector distance', (ctx) => {
 *   it('is the same through every driver', async () => {
 *     const result = await ctx.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as d`);
 *     expect(Number(rowsOf<{ d: unknown }>(result)[0]!.d)).toBe(1);
 *   });
 * });
 * ```
 */
export function describeEachDriver<TSchema extends Record<string, unknown> = Record<string, never>>(
  name: string,
  body: (ctx: DriverTestContext<TSchema>) => void,
  options: EachDriverOptions<TSchema> = {},
): void {
  describe(name, async () => {
    const fromOptions = options.backend !== undefined;
    const backend = await chooseBackend(
      fromOptions ? String(options.backend) : (nonEmpty(process.env.PGVECTOR_TEST_BACKEND) ?? 'auto'),
      fromOptions ? 'options.backend' : 'PGVECTOR_TEST_BACKEND',
      nonEmpty(options.url) ?? nonEmpty(process.env.DATABASE_URL),
    );
    const drivers = testDrivers(backend).filter((driver) => options.drivers === undefined || options.drivers.includes(driver));
    const copy = options.copy === true && backend === 'pglite';
    let database: PgVectorTestDatabase<TSchema> | undefined;
    let copyServer: PgliteCopyServer | undefined;

    beforeAll(async () => {
      if (options.database) {
        database = options.database();
        if (database.backend !== backend) {
          throw new PgVectorTestError(
            'INVALID_OPTION',
            `describeEachDriver(${JSON.stringify(name)}): the given database runs on ${database.backend}, but the environment ` +
              `names ${backend}. Start it without a backend option, or pass the same backend to both.`,
          );
        }
      } else {
        database = await startTestDatabase<TSchema>({ ...options, backend, serve: options.serve ?? (backend === 'pglite' && !copy) });
      }
      if (copy) copyServer = await servePgliteWithCopy((database.db as unknown as { $client: unknown }).$client);
    });
    afterAll(async () => {
      const started = options.database ? undefined : database;
      database = undefined;
      await runAll([() => copyServer?.close(), () => started?.close()]);
    });

    const open = async (driver: DriverName, max: number | undefined): Promise<PgVectorTestConnection<TSchema>> => {
      const current = database ?? notStarted('database');
      if (!copyServer || driver === 'pglite') return current.connect(driver, max === undefined ? {} : { max });
      const client = await openUrlClient(driver, copyServer.url, { max: max ?? 1, schema: options.schema, pglite: true });
      return { db: client.db as unknown as PgVectorDrizzleDatabase<TSchema>, driver, close: client.close };
    };

    for (const driver of drivers) {
      describe(driver, () => {
        let db: PgVectorDrizzleDatabase<TSchema> | undefined;
        const opened: PgVectorTestConnection<TSchema>[] = [];
        beforeAll(async () => {
          const first = await open(driver, driver === 'pglite' ? undefined : (options.max ?? 1));
          opened.push(first);
          db = first.db;
        });
        afterAll(async () => {
          db = undefined;
          await runAll(opened.splice(0).map((connection) => () => connection.close()));
        });
        body({
          driver,
          backend,
          get db() {
            return db ?? notStarted('db');
          },
          get database() {
            return database ?? notStarted('database');
          },
          get url() {
            if (driver === 'pglite') return undefined;
            return copyServer?.url ?? (database ?? notStarted('url')).url;
          },
          async connect(connectOptions = {}) {
            const connection = await open(driver, connectOptions.max);
            opened.push(connection);
            return connection;
          },
        });
      });
    }
  });
}
