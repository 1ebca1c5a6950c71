/**
 * `@drizzle-pgvector/testing` — start a pgvector database for tests (embedded PGlite, an existing server
 * via `DATABASE_URL`, or a testcontainers container) and get a Drizzle client back.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { startTestDatabase } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase(); // PGVECTOR_TEST_BACKEND / DATABASE_URL / container runtime / PGlite
 * await database.db.execute(sql`select '[1,2,3]'::vector`);
 * await database.close();
 * ```
 *
 * @packageDocumentation
 */
export { resolveBackend, TEST_BACKENDS, type TestBackendName } from './backend.js';
export { isContainerRuntimeAvailable } from './container-runtime.js';
export { PgVectorTestError, type PgVectorTestErrorCode } from './errors.js';
export { citusUrl, onServer, testDrivers } from './gates.js';
export { rowsOf } from './rows-of.js';
export { servePgliteWithCopy, type PgliteCopyServer } from './pglite-copy-server.js';
export { startTestDatabase } from './start-test-database.js';
export type {
  DriverName,
  PgVectorDrizzleDatabase,
  PgVectorTestConnection,
  PgVectorTestDatabase,
  PgvectorDrizzleDatabase,
  PgvectorTestConnection,
  PgvectorTestDatabase,
  StartOptions,
} from './types.js';
