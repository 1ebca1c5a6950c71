/**
 * `@drizzle-pgvector/testing` — start a pgvector database for tests (embedded PGlite, an existing server
 * via `DATABASE_URL`, or a testcontainers container) and get a Drizzle client back.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { startTestDatabase } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase(); // PGVECTOR_TEST_BACKEND / DATABASE_URL / Docker / PGlite
 * await database.db.execute(sql`select '[1,2,3]'::vector`);
 * await database.close();
 * ```
 *
 * @packageDocumentation
 */
export { resolveBackend, TEST_BACKENDS, type TestBackendName } from './backend.js';
export {
  rowsOf,
  startTestDatabase,
  type DriverName,
  type PgvectorDrizzleDatabase,
  type PgvectorTestConnection,
  type PgvectorTestDatabase,
  type StartOptions,
} from './database.js';
export { isDockerAvailable } from './docker.js';
export { PgvectorTestError, type PgvectorTestErrorCode } from './errors.js';
