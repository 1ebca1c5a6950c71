/**
 * operationalChecks on the current backend (PGlite by default, a server with PGVECTOR_TEST_BACKEND=url): each check
 * fires on a database set up to trip it, with the SQL that fixes it, and stays quiet otherwise.
 */
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { operationalChecks, type OperationalFinding } from '../../src/index.js';
import { hnswVacuumFinding } from '../../src/inspection/operational-checks.js';

let database: PgVectorTestDatabase;

/** A database whose sessions start with `settings`: PGlite's one session gets SETs (undone by close); a server, a pool with `-c`. */
async function withSettings(settings: Record<string, string>): Promise<{ db: PgVectorDrizzleDatabase; close(): Promise<void> }> {
  if (database.backend === 'pglite') {
    for (const [k, v] of Object.entries(settings)) await database.query(`SET ${k} = '${v}'`);
    return { db: database.db, close: async () => void (await Promise.all(Object.keys(settings).map((k) => database.query(`RESET ${k}`)))) };
  }
  const options = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const pool = new pg.Pool({ connectionString: database.url, max: 2, options });
  return { db: drizzleNodePg({ client: pool }) as unknown as PgVectorDrizzleDatabase, close: () => pool.end() };
}

const ofKind = (findings: OperationalFinding[], kind: string) => findings.filter((f) => f.kind === kind && f.subject.startsWith('oc_'));

beforeAll(async () => {
  database = await startTestDatabase();
  await database.query('DROP TABLE IF EXISTS oc_items');
  await database.query('CREATE TABLE oc_items (id serial PRIMARY KEY, embedding vector(32))');
  await database.query(`INSERT INTO oc_items (embedding) SELECT array(SELECT random() FROM generate_series(1, 32) WHERE g > 0)::vector FROM generate_series(1, 5000) g`);
  await database.query('CREATE INDEX oc_items_hnsw ON oc_items USING hnsw (embedding vector_cosine_ops)');
  await database.query('CREATE INDEX oc_items_ivf ON oc_items USING ivfflat (embedding vector_l2_ops) WITH (lists = 20)');
  await database.query('ANALYZE oc_items');
}, 300_000);
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS oc_items');
  await database?.close();
});

describe('operationalChecks', () => {
  it('defaults on this database: nothing to report for its indexes', async () => {
    const findings = (await operationalChecks(database.db)).filter((f) => f.subject.startsWith('oc_') || f.kind === 'parallel-maintenance-off');
    expect(findings).toEqual([]);
  });

  it('ivfflat.probes = lists: the planner prefers a sequential scan; the finding names the highest probes that still uses the index', async () => {
    const session = await withSettings({ 'ivfflat.probes': '20' });
    try {
      const [f] = ofKind(await operationalChecks(session.db), 'ivfflat-probes-seqscan');
      expect(f).toMatchObject({ severity: 'warning', subject: 'oc_items_ivf' });
      expect(f!.message).toContain("the server's ivfflat.probes = 20");
      const lo = Number(/up to probes = (\d+)/.exec(f!.message)![1]);
      expect(lo).toBeGreaterThanOrEqual(1);
      expect(lo).toBeLessThan(20);
      expect(f!.sql).toEqual([expect.stringMatching(new RegExp(`^ALTER DATABASE "[^"]+" SET ivfflat.probes = ${lo};$`))]);
    } finally {
      await session.close();
    }
  });

  it('maintenance_work_mem too small for a rebuild, and parallel builds off on a table large enough for them', async () => {
    const session = await withSettings({ maintenance_work_mem: '1MB', max_parallel_maintenance_workers: '0', min_parallel_table_scan_size: '8kB' });
    try {
      const findings = await operationalChecks(session.db);
      const memory = findings.find((f) => f.kind === 'build-memory' && f.subject === 'oc_items_hnsw');
      expect(memory?.message).toMatch(/needs maintenance_work_mem ≈ \d+MB; the server's is 1MB/);
      expect(memory?.sql).toEqual([expect.stringMatching(/^SET maintenance_work_mem = '\d+MB';$/), 'REINDEX INDEX CONCURRENTLY "public"."oc_items_hnsw";', 'RESET maintenance_work_mem;']);
      const parallel = findings.find((f) => f.kind === 'parallel-maintenance-off');
      expect(parallel?.message).toContain('"public"."oc_items_hnsw"');
      expect(parallel?.sql).toEqual(['ALTER SYSTEM SET max_parallel_maintenance_workers = 2;', 'SELECT pg_catalog.pg_reload_conf();']);
    } finally {
      await session.close();
    }
  });

  it('pgvector before 0.8.3 / 0.8.4 with HNSW indexes: update, and rebuild them before 0.8.3', () => {
    const hnsw = [{ method: 'hnsw' as const, schema: 'public', name: 'items_hnsw' }];
    const old = hnswVacuumFinding('0.8.2', hnsw);
    expect(old).toMatchObject({ kind: 'hnsw-vacuum-fixes', severity: 'action', sql: ['ALTER EXTENSION vector UPDATE;', 'REINDEX INDEX CONCURRENTLY "public"."items_hnsw";'] });
    expect(old!.message).toContain('0.8.3: possible index corruption with HNSW vacuuming');
    expect(hnswVacuumFinding('0.8.3', hnsw)).toMatchObject({ sql: ['ALTER EXTENSION vector UPDATE;'] });
    expect(hnswVacuumFinding('0.8.3', hnsw)!.message).toContain('hnsw graph not repaired');
    expect(hnswVacuumFinding('0.8.4', hnsw)).toBeUndefined();
    expect(hnswVacuumFinding('0.8.2', [{ method: 'ivfflat', schema: 'public', name: 'items_ivf' }])).toBeUndefined();
  });
});
