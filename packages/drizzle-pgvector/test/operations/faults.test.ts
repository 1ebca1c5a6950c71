import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onServer, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';

/**
 * Issue 18 #3: faults during long operations — buildIndex, rebuildIndex, replaceIndex and copyRows with their
 * backend terminated midway (pg_terminate_backend from another connection), and hit by statement_timeout and
 * lock_timeout. The scenarios run in a child process (./fixtures/faults.ts), so a crash is an exit code here.
 *
 * Runs whenever the suite runs against a server (`DATABASE_URL`): PGlite has one backend for every connection and
 * none can be terminated, as in ../driver/connection-loss.test.ts.
 */
const script = fileURLToPath(new URL('./fixtures/faults.ts', import.meta.url));

type Outcome = { rejected: boolean; pgVectorError: boolean; code: string | null; sqlState: unknown; message: string; killed?: number };
type Index = { name: string; valid: boolean };

describe.runIf(onServer())('faults during long operations (server backends)', () => {
  let database: PgVectorTestDatabase;
  let r: Record<string, unknown>;
  beforeAll(async () => {
    database = await startTestDatabase();
    const child = spawnSync('npx', ['tsx', script, database.url!], { encoding: 'utf8', timeout: 600_000 });
    expect(child.stderr).not.toMatch(/Unhandled 'error' event/);
    expect(child.status, `the process must survive (stderr: ${child.stderr.slice(-3000)})`).toBe(0);
    r = JSON.parse(child.stdout.trim().split('\n').pop()!);
  }, 660_000);
  afterAll(() => database?.close());

  const lost = { rejected: true, pgVectorError: true, code: 'CONNECTION_LOST', sqlState: '57P01', killed: 1 };
  const names = (key: string) => (r[key] as Index[]).map((i) => `${i.name}${i.valid ? '' : ' (INVALID)'}`);

  it('buildIndex killed in its transaction: CONNECTION_LOST (57P01), no index, the pool recovers', () => {
    expect(r['build']).toMatchObject(lost);
    expect(names('buildIndexes')).toEqual(['flt_items_pkey']);
    expect(r['buildRecovers']).toBe(true);
  });

  it('buildIndex CONCURRENTLY killed: CONNECTION_LOST, its INVALID index dropped over a new connection', () => {
    expect(r['buildConcurrently']).toMatchObject(lost);
    expect((r['buildConcurrently'] as Outcome).message).toContain('was dropped');
    expect(names('buildConcurrentlyIndexes')).toEqual(['flt_items_pkey']);
    expect(r['buildConcurrentlyRecovers']).toBe(true);
  });

  it('rebuildIndex CONCURRENTLY killed: CONNECTION_LOST, no _ccnew left, the index still valid', () => {
    expect(r['rebuild']).toMatchObject(lost);
    expect(names('rebuildIndexes')).toEqual(['flt_items_hnsw', 'flt_items_pkey']);
    expect(r['rebuildRecovers']).toBe(true);
  });

  it('replaceIndex killed: CONNECTION_LOST, the old index untouched, no _pgv_new left', () => {
    expect(r['replace']).toMatchObject(lost);
    expect((r['replace'] as Outcome).message).toContain('is untouched');
    expect(names('replaceIndexes')).toEqual(['flt_items_hnsw', 'flt_items_pkey']);
    expect(r['replaceRecovers']).toBe(true);
  });

  it('copyRows killed while streaming: CONNECTION_LOST, no rows written', () => {
    expect(r['copy']).toMatchObject(lost);
    expect(r['copyRows']).toBe(0);
    expect(r['copyRecovers']).toBe(true);
  });

  it('statement_timeout: STATEMENT_TIMEOUT (57014) for a CONCURRENTLY build (its INVALID index dropped) and for copyRows (no rows)', () => {
    expect(r['statementTimeout']).toMatchObject({ rejected: true, pgVectorError: true, code: 'STATEMENT_TIMEOUT', sqlState: '57014' });
    expect((r['statementTimeout'] as Outcome).message).toContain('statement_timeout');
    expect(names('statementTimeoutIndexes')).toEqual(['flt_items_hnsw', 'flt_items_pkey']);
    expect(r['statementTimeoutCopy']).toMatchObject({ rejected: true, pgVectorError: true, code: 'STATEMENT_TIMEOUT', sqlState: '57014' });
    expect(r['statementTimeoutCopyRows']).toBe(0);
  });

  it('lock_timeout: LOCK_TIMEOUT (55P03) for buildIndex, replaceIndex and copyRows; nothing left, the pool recovers', () => {
    for (const key of ['lockTimeout', 'lockTimeoutReplace', 'lockTimeoutCopy']) {
      expect(r[key], key).toMatchObject({ rejected: true, pgVectorError: true, code: 'LOCK_TIMEOUT', sqlState: '55P03' });
    }
    expect(names('lockTimeoutIndexes')).toEqual(['flt_items_hnsw', 'flt_items_pkey']);
    expect(r['lockTimeoutCopyRows']).toBe(0);
    expect(r['lockRecovers']).toBe(true);
    expect(r['finally']).toBe('replaced');
  });
});
