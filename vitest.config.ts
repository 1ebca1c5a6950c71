import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

// On a shared server (DATABASE_URL / the url backend) every test file uses the same database: run files one
// at a time so one file's tables and reset() never meet another's. Embedded PGlite gives each file its own.
const sharedServer =
  process.env['PGVECTOR_TEST_BACKEND'] === 'url' ||
  (process.env['PGVECTOR_TEST_BACKEND'] !== 'pglite' && process.env['DATABASE_URL'] !== undefined);

/**
 * The workspace packages' `exports` point at `dist/` (what a published tarball has). Tests run on the sources
 * without a build: every export's `@drizzle-pgvector/source` condition becomes an exact-match alias here, and
 * child processes (drizzle-kit, tsx) get the same condition through NODE_OPTIONS.
 */
const SOURCE_CONDITION = '@drizzle-pgvector/source';
const root = dirname(fileURLToPath(import.meta.url));

function sourceAliases(packageDir: string): { find: RegExp; replacement: string }[] {
  const manifest = JSON.parse(readFileSync(join(root, packageDir, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | Record<string, string>>;
  };
  return Object.entries(manifest.exports).flatMap(([subpath, target]) => {
    const source = typeof target === 'object' ? target[SOURCE_CONDITION] : undefined;
    if (!source) return [];
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return [{ find: new RegExp(`^${escaped}$`), replacement: join(root, packageDir, source) }];
  });
}

const nodeOptions = [process.env['NODE_OPTIONS'], `--conditions=${SOURCE_CONDITION}`].filter(Boolean).join(' ');

export default defineConfig({
  resolve: {
    alias: [...sourceAliases('packages/drizzle-pgvector'), ...sourceAliases('packages/testing')],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite (WASM) is memory-hungry and starts in ~3 s; separate processes keep files isolated.
    pool: 'forks',
    fileParallelism: !sharedServer,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_OPTIONS: nodeOptions },
  },
});
