import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';

import { PgVectorTestError, rowsOf } from '../src/index.js';
import { withTestDatabase } from '../src/vitest.js';

// pglite-specific: explicit backend so it runs whatever PGVECTOR_TEST_BACKEND says.
const database = withTestDatabase({ backend: 'pglite' });

let earlyError: unknown;
try {
  database.get();
} catch (error) {
  earlyError = error;
}

describe('withTestDatabase', () => {
  it('get() before beforeAll throws NOT_STARTED', () => {
    expect(earlyError).toBeInstanceOf(PgVectorTestError);
    expect((earlyError as PgVectorTestError).code).toBe('NOT_STARTED');
  });

  it('get() inside a test returns the started database', async () => {
    const { db, backend } = database.get();
    expect(backend).toBe('pglite');
    expect(rowsOf(await db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`))).toEqual([{ distance: 1 }]);
  });

  let inner: ReturnType<typeof withTestDatabase> | undefined;
  describe('scoped to a describe block', () => {
    inner = withTestDatabase({ backend: 'pglite', serve: true });

    it('starts a separate database with its own options', async () => {
      const started = inner!.get();
      expect(started.url).toMatch(/^postgres:\/\//);
      expect(started).not.toBe(database.get());
      await started.query('create table only_inner (id int)');
      expect(await database.get().query(`select to_regclass('public.only_inner') as t`)).toEqual([{ t: null }]);
    });
  });

  it('get() after afterAll closed it throws NOT_STARTED', () => {
    let caught: unknown;
    try {
      inner!.get();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PgVectorTestError);
    expect((caught as PgVectorTestError).code).toBe('NOT_STARTED');
    expect((caught as Error).message).toContain('already closed');
  });
});
