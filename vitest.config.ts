import { defineConfig } from 'vitest/config';

// On a shared server (DATABASE_URL / the url backend) every test file uses the same database: run files one
// at a time so one file's tables and reset() never meet another's. Embedded PGlite gives each file its own.
const sharedServer =
  process.env['PGVECTOR_TEST_BACKEND'] === 'url' ||
  (process.env['PGVECTOR_TEST_BACKEND'] !== 'pglite' && process.env['DATABASE_URL'] !== undefined);

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite (WASM) is memory-hungry and starts in ~3 s; separate processes keep files isolated.
    pool: 'forks',
    fileParallelism: !sharedServer,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
