import { describe, expect, it } from 'vitest';

import { isContainerRuntimeAvailable, resolveBackend, TEST_BACKENDS } from '../src/index.js';
import { cleanEnv, expectTestError } from './helpers.js';

describe('resolveBackend', () => {
  it('picks url when DATABASE_URL is set and no backend is forced', async () => {
    await expect(resolveBackend(cleanEnv({ DATABASE_URL: 'postgres://u@localhost:5432/db' }))).resolves.toBe('url');
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'auto', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('url');
  });

  it('honours PGVECTOR_TEST_BACKEND over DATABASE_URL, case-insensitively', async () => {
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'pglite' }))).resolves.toBe('pglite');
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: ' PGlite ', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('pglite');
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'url' }))).resolves.toBe('url');
    await expect(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'testcontainers' }))).resolves.toBe('testcontainers');
  });

  it('rejects an unknown name with INVALID_TEST_BACKEND naming the value and the choices', async () => {
    const error = await expectTestError(resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: 'docker' })), 'INVALID_TEST_BACKEND');
    expect(error.message).toContain('"docker"');
    expect(error.message).toContain('PGVECTOR_TEST_BACKEND');
    for (const name of TEST_BACKENDS) expect(error.message).toContain(name);
  });

  it('treats an empty PGVECTOR_TEST_BACKEND as auto', async () => {
    await expect(
      resolveBackend(cleanEnv({ PGVECTOR_TEST_BACKEND: '', DATABASE_URL: 'postgres://u@localhost/db' })),
    ).resolves.toBe('url');
  });

  it('auto without DATABASE_URL: testcontainers exactly when testcontainers finds a container runtime, else pglite', async () => {
    const env = cleanEnv();
    const runtime = await isContainerRuntimeAvailable();
    const backend = await resolveBackend(env);
    expect(['testcontainers', 'pglite']).toContain(backend);
    expect(backend).toBe(runtime ? 'testcontainers' : 'pglite');
  });
});
