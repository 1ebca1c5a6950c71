import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../src/config/load-schema.js';
import { CLI_ROOT, runCli, scratchProject } from './helpers/cli.js';

const NAMESPACE_SCHEMA = join(CLI_ROOT, 'test', 'fixtures', 'namespace-schema.ts');

describe('loadSchema', () => {
  it('reads the tables of a schema file that also exports a module namespace (export * as), skipping the namespace', async () => {
    const tables = await loadSchema([NAMESPACE_SCHEMA]);
    expect(tables.map((t) => [t.exportName, t.qualified])).toEqual([['items', 'cli_e2e.items']]);
  });

  it('the CLI (native ESM under tsx: real module namespaces) loads that schema and goes on to connect', async () => {
    const project = scratchProject({});
    try {
      const run = await runCli(['doctor', '--schema', NAMESPACE_SCHEMA, '--json'], { cwd: project.dir, env: { DATABASE_URL: '' } });
      // The schema loaded; what stops it is the missing database (before: drizzle-orm's is() TypeError on the namespace).
      expect(run.json, run.stderr).toMatchObject({ ok: false, error: { code: 'NO_DATABASE' } });
    } finally {
      project.remove();
    }
  });
});
