import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { resolveBackend, rowsOf, startTestDatabase, type PgVectorTestDatabase } from '../src/index.js';
import { expectTestError } from './helpers.js';

// Uses whatever backend the environment selects (PGVECTOR_TEST_BACKEND / DATABASE_URL / container runtime / PGlite),
// so running the suite with PGVECTOR_TEST_BACKEND=url DATABASE_URL=… exercises a real server here.
// It never calls reset(): DATABASE_URL may be shared with other test files running in parallel.
describe('startTestDatabase() with the environment-selected backend', () => {
  let database: PgVectorTestDatabase;
  const table = `env_backend_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    database = await startTestDatabase();
  });

  afterAll(async () => {
    if (database) {
      await database.query(`drop table if exists "${table}"`);
      await database.close();
    }
  });

  it('uses the backend resolveBackend() picks for this environment', async () => {
    expect(database.backend).toBe(await resolveBackend());
    expect(database.driver).toBe(database.backend === 'pglite' ? 'pglite' : 'node-postgres');
    if (database.backend === 'pglite') expect(database.url).toBeUndefined();
    else expect(database.url).toMatch(/^postgres(ql)?:\/\//);
  });

  it('has pgvector and computes L2 distance', async () => {
    const result = await database.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
    expect(rowsOf(result)).toEqual([{ distance: 1 }]);
  });

  it('round-trips vectors and orders by distance', async () => {
    await database.query(`create table "${table}" (id int primary key, embedding vector(2))`);
    await database.query(`insert into "${table}" values (1, '[0,0]'), (2, '[5,5]'), (3, '[1,1]')`);
    const rows = await database.query<{ id: number; embedding: string }>(
      `select id, embedding::text as embedding from "${table}" order by embedding <-> $1::vector`,
      ['[0.9,0.9]'],
    );
    expect(rows).toEqual([
      { id: 3, embedding: '[1,1]' },
      { id: 1, embedding: '[0,0]' },
      { id: 2, embedding: '[5,5]' },
    ]);
  });
});

describe('startTestDatabase() option and backend-name validation', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('an unknown options.backend → INVALID_TEST_BACKEND', async () => {
    const error = await expectTestError(
      startTestDatabase({ backend: 'sqlite' as unknown as 'pglite' }),
      'INVALID_TEST_BACKEND',
    );
    expect(error.message).toContain('"sqlite"');
    expect(error.message).toContain('options.backend');
  });

  it('an unknown PGVECTOR_TEST_BACKEND → INVALID_TEST_BACKEND', async () => {
    vi.stubEnv('PGVECTOR_TEST_BACKEND', 'mongo');
    const error = await expectTestError(startTestDatabase(), 'INVALID_TEST_BACKEND');
    expect(error.message).toContain('"mongo"');
    expect(error.message).toContain('PGVECTOR_TEST_BACKEND');
  });

  it('rejects a non-positive maxConnections', async () => {
    await expect(startTestDatabase({ backend: 'pglite', serve: true, maxConnections: 0 })).rejects.toThrow(RangeError);
  });
});
