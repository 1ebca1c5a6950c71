import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onServer, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';

/**
 * Issue 11 #1: a server that ends the connection during a search used to crash the whole process (an unhandled
 * 'error' event on a checked-out node-postgres client). The scenario runs in a child process, so a crash is an
 * exit code here, not a lost test runner.
 *
 * The same scenarios on node-postgres and on postgres.js 4 (the pinned line). postgres.js 3.4.9 and 3.4.10 crash
 * the process themselves when a backend is terminated inside `sql.begin` or on a reserved connection
 * (`TypeError: Cannot read properties of null (reading 'write')` in connection.js `nextWrite`, reproduced without our
 * code); 4.1.1 and later reject with 57P01. The last test keeps 3.4.10 (`postgres-3`) to show that crash, so the
 * README's advice to use postgres.js 4 is checked.
 *
 * Runs whenever the suite runs against a server (`onServer()`: `DATABASE_URL` / `PGVECTOR_TEST_BACKEND=url`): PGlite has one backend for every connection,
 * so a connection cut in the middle of a transaction leaves that transaction open for everyone and a backend
 * cannot be terminated; there these tests are skipped.
 */
const script = fileURLToPath(new URL('./fixtures/connection-loss.ts', import.meta.url));

type Outcome = { rejected: boolean; code: string | null; message: string };

describe.runIf(onServer())('a connection lost in the middle of a search (server backends)', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(() => database?.close());

  function spawn(mode: 'proxy' | 'terminate', driver: string) {
    return spawnSync('npx', ['tsx', script, database.url!, mode, driver], { encoding: 'utf8', timeout: 120_000 });
  }
  function run(mode: 'proxy' | 'terminate', driver: string): Record<string, Outcome | number> {
    const child = spawn(mode, driver);
    expect(child.stderr).not.toMatch(/Unhandled 'error' event/);
    expect(child.status, `the process must survive (stderr: ${child.stderr.slice(-2000)})`).toBe(0);
    return JSON.parse(child.stdout.trim().split('\n').pop()!);
  }

  // Each driver's scenario runs in a child process of its own (a crash there is an exit code here).
  describeEachDriver(
    'each driver',
    (ctx) => {
      it('connection cut on the wire: every path rejects (process alive), nothing is written, the pool recovers', () => {
        const r = run('proxy', ctx.driver);
        for (const path of ['nearestDirect', 'nearestDrizzleTx', 'withSettings'] as const) {
          expect(r[path], path).toMatchObject({ rejected: true });
        }
        expect(r['recovered']).toBe(3);
        expect(r['written']).toBe(0);
      });

      it('pg_terminate_backend: every path rejects with the server error, SQLSTATE 57P01 on the rejection', () => {
        const r = run('terminate', ctx.driver);
        for (const path of ['nearestDirect', 'nearestDrizzleTx', 'withSettings'] as const) {
          expect(r[path], path).toMatchObject({ rejected: true, code: '57P01' });
        }
        expect(r['recovered']).toBe(3);
        expect(r['written']).toBe(0);
      });
    },
    { database: () => database, drivers: ['node-postgres', 'postgres-js'] }, // the drivers the child process knows
  );

  it('postgres.js 3.4.10 still crashes the process when the backend is terminated inside sql.begin (why we pin 4)', () => {
    const child = spawn('terminate', 'postgres-js-3');
    expect(child.status).not.toBe(0);
    expect(child.stderr).toMatch(/TypeError: Cannot read properties of null \(reading 'write'\)/);
    expect(child.stderr).toMatch(/postgres@3\.4\.10\/node_modules\/postgres\/src\/connection\.js/);
  });
});
