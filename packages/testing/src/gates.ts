import { nonEmpty, parseBackendName, type TestBackendName } from './backend.js';
import { PgVectorTestError } from './errors.js';
import { DRIVERS, type DriverName } from './types.js';

/**
 * Whether the tests run against a PostgreSQL server rather than embedded PGlite, decided from the environment
 * alone (so it can gate a `describe` at collection time): `PGVECTOR_TEST_BACKEND` is `url` or `testcontainers`,
 * or it is unset / `auto` and `DATABASE_URL` is set. Use it for what only a server has: several backends
 * (a second connection watching progress, `pg_terminate_backend`), a socket that applies back-pressure.
 * `auto` without a URL counts as PGlite here even where a container runtime would be found.
 *
 * @param env - where to read the variables; defaults to `process.env`.
 * @throws {@link PgVectorTestError} `INVALID_TEST_BACKEND` for an unknown `PGVECTOR_TEST_BACKEND`.
 *
 * @example
 * ```ts
 * import { describe } from 'vitest';
 * import { onServer } from '@drizzle-pgvector/testing';
 *
 * describe.runIf(onServer())('progress over a second connection (server backends)', () => {
 *   // …
 * });
 * ```
 */
export function onServer(env: NodeJS.ProcessEnv = process.env): boolean {
  const name = parseBackendName(nonEmpty(env.PGVECTOR_TEST_BACKEND) ?? 'auto', 'PGVECTOR_TEST_BACKEND');
  return name === 'url' || name === 'testcontainers' || (name === 'auto' && nonEmpty(env.DATABASE_URL) !== undefined);
}

/**
 * The coordinator URL of a Citus cluster for the Citus tests (`CITUS_URL`), or `undefined` when there is none;
 * gate Citus suites on it. Unlike `DATABASE_URL` it is never a default: those tests create distributed tables.
 *
 * @param env - where to read `CITUS_URL`; defaults to `process.env`.
 *
 * @example
 * ```ts
 * import { describe } from 'vitest';
 * import { citusUrl } from '@drizzle-pgvector/testing';
 *
 * const url = citusUrl();
 * describe.runIf(url !== undefined)('on a Citus coordinator', () => {
 *   // … new pg.Pool({ connectionString: url })
 * });
 * ```
 */
export function citusUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return nonEmpty(env.CITUS_URL);
}

/**
 * The drivers a driver loop runs on this backend: `pglite`, `node-postgres` and `postgres-js` on the pglite backend
 * (the last two over a loopback socket), `node-postgres` and `postgres-js` on a server. `PGVECTOR_TEST_DRIVERS`
 * (comma-separated, like kysely's `DIALECTS`) narrows the list, e.g. `PGVECTOR_TEST_DRIVERS=postgres-js`.
 *
 * @param backend - the backend the tests run on.
 * @param env - where to read `PGVECTOR_TEST_DRIVERS`; defaults to `process.env`.
 * @throws {@link PgVectorTestError} `INVALID_DRIVER` for an unknown name in `PGVECTOR_TEST_DRIVERS`.
 *
 * @example
 * ```ts
 * import { testDrivers } from '@drizzle-pgvector/testing';
 *
 * testDrivers('pglite'); // ['pglite', 'node-postgres', 'postgres-js']
 * testDrivers('url', { PGVECTOR_TEST_DRIVERS: 'postgres-js' }); // ['postgres-js']
 * ```
 */
export function testDrivers(backend: TestBackendName, env: NodeJS.ProcessEnv = process.env): DriverName[] {
  const available = DRIVERS.filter((driver) => driver !== 'pglite' || backend === 'pglite');
  const wanted = nonEmpty(env.PGVECTOR_TEST_DRIVERS);
  if (wanted === undefined) return available;
  const names = wanted.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(DRIVERS as readonly string[]).includes(name)) {
      throw new PgVectorTestError(
        'INVALID_DRIVER',
        `Unknown driver ${JSON.stringify(name)} in PGVECTOR_TEST_DRIVERS. Use a comma-separated list of: ${DRIVERS.join(', ')}.`,
      );
    }
  }
  return available.filter((driver) => names.includes(driver));
}
