import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';

/**
 * Issue 11 #1: a server that ends the connection during a search used to crash the whole process (an unhandled
 * 'error' event on a checked-out node-postgres client). The scenario runs in a child process, so a crash is an
 * exit code here, not a lost test runner.
 *
 * Runs whenever the suite runs against a server (`DATABASE_URL`): PGlite has one backend for every connection,
 * so a connection cut in the middle of a transaction leaves that transaction open for everyone and a backend
 * cannot be terminated; there these tests are skipped.
 */
const onServer =
  process.env['PGVECTOR_TEST_BACKEND'] === 'url' || (process.env['PGVECTOR_TEST_BACKEND'] !== 'pglite' && process.env['DATABASE_URL'] !== undefined);
const script = fileURLToPath(new URL('./fixtures/connection-loss.ts', import.meta.url));

type Outcome = { rejected: boolean; code: string | null; message: string };

describe.runIf(onServer)('a connection lost in the middle of a search (server backends)', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(() => database?.close());

  function run(mode: 'proxy' | 'terminate'): Record<string, Outcome | number> {
    const child = spawnSync('npx', ['tsx', script, database.url!, mode], { encoding: 'utf8', timeout: 90_000 });
    expect(child.stderr).not.toMatch(/Unhandled 'error' event/);
    expect(child.status, `the process must survive (stderr: ${child.stderr.slice(-2000)})`).toBe(0);
    return JSON.parse(child.stdout.trim().split('\n').pop()!);
  }

  it('connection cut on the wire: every path rejects (process alive), nothing is written, the pool recovers', () => {
    const r = run('proxy');
    for (const path of ['nearestDirect', 'nearestDrizzleTx', 'withSettings'] as const) {
      expect(r[path], path).toMatchObject({ rejected: true });
    }
    expect(r['recovered']).toBe(3);
    expect(r['written']).toBe(0);
  });

  it('pg_terminate_backend: every path rejects with the server error, SQLSTATE 57P01 on the rejection', () => {
    const r = run('terminate');
    for (const path of ['nearestDirect', 'nearestDrizzleTx', 'withSettings'] as const) {
      expect(r[path], path).toMatchObject({ rejected: true, code: '57P01' });
    }
    expect(r['recovered']).toBe(3);
    expect(r['written']).toBe(0);
  });
});
