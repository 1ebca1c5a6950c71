import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { isContainerRuntimeAvailable, rowsOf, startTestDatabase } from '../../src/index.js';
import { expectTestError } from '../helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

// Where testcontainers finds no container runtime (this project's CI machine), an explicit request must fail
// fast with a clear TEST_BACKEND_UNAVAILABLE; where it finds one, the same test starts a real pgvector container.
describe('backend "testcontainers"', () => {
  it('starts pgvector in a container when a runtime answers, otherwise fails with TEST_BACKEND_UNAVAILABLE', async () => {
    if (!(await isContainerRuntimeAvailable({ timeoutMs: 15_000 }))) {
      const error = await expectTestError(startTestDatabase({ backend: 'testcontainers' }), 'TEST_BACKEND_UNAVAILABLE');
      expect(error.message).toContain('"testcontainers"');
      expect(error.message).toContain('container runtime');
      expect(error.message).toContain('"pgvector/pgvector:pg17"');
      expect(error.message).toContain('PGVECTOR_TEST_BACKEND=pglite');
      expect(error.message).toContain('DATABASE_URL');
      return;
    }
    const database = await startTestDatabase({ backend: 'testcontainers' });
    try {
      expect(database.backend).toBe('testcontainers');
      expect(database.driver).toBe('node-postgres');
      expect(database.url).toMatch(/^postgres(ql)?:\/\//);
      expect(await database.query(`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`)).toEqual([{ distance: 1 }]);
      const extra = await database.connect('postgres-js', { max: 1 });
      expect(rowsOf(await extra.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`))).toEqual([
        { distance: 1 },
      ]);
    } finally {
      await database.close();
    }
  });

  it('uses PGVECTOR_TEST_IMAGE when no image option is given', async () => {
    vi.stubEnv('PGVECTOR_TEST_IMAGE', 'pgvector/pgvector:pg16');
    if (!(await isContainerRuntimeAvailable({ timeoutMs: 15_000 }))) {
      const error = await expectTestError(startTestDatabase({ backend: 'testcontainers' }), 'TEST_BACKEND_UNAVAILABLE');
      expect(error.message).toContain('"pgvector/pgvector:pg16"');
      return;
    }
    const database = await startTestDatabase({ backend: 'testcontainers' });
    try {
      const [row] = await database.query<{ major: string }>(`select current_setting('server_version_num')::int / 10000 as major`);
      expect(Number(row?.major)).toBe(16);
    } finally {
      await database.close();
    }
  });

  it('auto picks testcontainers exactly when a container runtime answers, pglite otherwise', async () => {
    vi.stubEnv('PGVECTOR_TEST_BACKEND', 'auto');
    vi.stubEnv('DATABASE_URL', '');
    const runtime = await isContainerRuntimeAvailable();
    const database = await startTestDatabase({ createExtension: true });
    try {
      expect(database.backend).toBe(runtime ? 'testcontainers' : 'pglite');
      expect(await database.query(`select '[3,4]'::vector <-> '[0,0]' as distance`)).toEqual([{ distance: 5 }]);
    } finally {
      await database.close();
    }
  });
});
