import { afterAll, beforeAll } from 'vitest';

import { PgVectorTestError } from './errors.js';
import { startTestDatabase } from './start-test-database.js';
import type { PgVectorTestDatabase, StartOptions } from './types.js';

export { describeEachDriver, type DriverTestContext, type EachDriverOptions } from './each-driver.js';

/**
 * Handle returned by {@link withTestDatabase}.
 *
 * @example
 * ```ts
 * const database = withTestDatabase({ backend: 'pglite' });
 * it('works', async () => {
 *   const { db } = database.get();
 * });
 * ```
 */
export interface TestDatabaseHandle<TSchema extends Record<string, unknown> = Record<string, never>> {
  /**
   * The running test database. Call it inside tests or hooks — it throws `NOT_STARTED` before `beforeAll`
   * has run (e.g. at module scope) and after `afterAll` closed it.
   */
  get(): PgVectorTestDatabase<TSchema>;
}

/**
 * Start a pgvector test database in `beforeAll` and close it in `afterAll` of the current vitest file or
 * `describe` block. Takes the same options as `startTestDatabase` (so `PGVECTOR_TEST_BACKEND`,
 * `DATABASE_URL` and `PGVECTOR_TEST_IMAGE` apply). Give vitest a generous `hookTimeout`: PGlite needs
 * a few seconds to start and testcontainers may pull an image.
 *
 * This lives in the `@drizzle-pgvector/testing/vitest` subpath so the main entry never imports vitest.
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { expect, it } from 'vitest';
 * import { rowsOf } from '@drizzle-pgvector/testing';
 * import { withTestDatabase } from '@drizzle-pgvector/testing/vitest';
 *
 * const database = withTestDatabase({ backend: 'pglite' });
 *
 * it('computes L2 distance', async () => {
 *   const result = await database.get().db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as d`);
 *   expect(rowsOf(result)[0]).toEqual({ d: 1 });
 * });
 * ```
 */
export function withTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: StartOptions<TSchema> = {},
): TestDatabaseHandle<TSchema> {
  let current: PgVectorTestDatabase<TSchema> | undefined;
  let finished = false;

  beforeAll(async () => {
    finished = false;
    current = await startTestDatabase(options);
  });

  afterAll(async () => {
    const database = current;
    current = undefined;
    finished = true;
    await database?.close();
  });

  return {
    get() {
      if (!current) {
        throw new PgVectorTestError(
          'NOT_STARTED',
          finished
            ? 'withTestDatabase(): the test database was already closed by afterAll; use get() only inside tests and hooks.'
            : 'withTestDatabase(): the test database is not started yet. Call get() inside a test or hook ' +
                '(beforeAll has not run at module/describe scope), and make sure withTestDatabase() is called at file or describe scope.',
        );
      }
      return current;
    },
  };
}
