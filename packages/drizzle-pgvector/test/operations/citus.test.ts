import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusUrl } from '@drizzle-pgvector/testing';
import { buildIndex, hnswIndex, ivfflatIndex, nearest, vector } from '../../src/index.js';

/**
 * buildIndex on a distributed table of a real Citus cluster (CITUS_URL, the coordinator; see
 * test/settings/citus.test.ts). Citus propagates CREATE INDEX to every shard; an index that already exists is found
 * in the coordinator's catalog first, so nothing is sent again (no reliance on IF NOT EXISTS). Without CITUS_URL
 * these are skipped.
 */
const url = citusUrl();

const items = pgTable(
  'op_citus',
  { id: serial('id').primaryKey(), tenant: integer('tenant').notNull(), embedding: vector('embedding', { dimensions: 4 }) },
  (t) => [hnswIndex('op_citus_hnsw').on(t.embedding, 'l2'), ivfflatIndex('op_citus_ivf').on(t.embedding, 'cosine').with({ lists: 4 }).concurrently()],
);

describe.runIf(url !== undefined)('Citus: buildIndex on a distributed table', () => {
  let pool: pg.Pool;
  const statements: string[] = [];
  let db: ReturnType<typeof drizzle>;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
    db = drizzle({ client: pool, logger: { logQuery: (q: string) => void statements.push(q) } });
    await pool.query('drop table if exists op_citus');
    await pool.query('create table op_citus (id serial, tenant integer not null, embedding vector(4), primary key (tenant, id))');
    await pool.query(`select create_distributed_table('op_citus', 'tenant')`);
    await pool.query(`insert into op_citus (tenant, embedding) select i % 5, array[i, i % 7, i % 3, 1]::vector from generate_series(1, 2000) i`);
  });
  afterAll(async () => {
    await pool?.query('drop table if exists op_citus');
    await pool?.end();
  });

  /** Valid indexes like `name` on every shard placement: one per placement when the build reached them all. */
  async function shardIndexes(name: string): Promise<{ placements: number; withIndex: number }> {
    const { rows } = await pool.query<{ result: string; success: boolean }>(
      `select success, result from run_command_on_placements('op_citus', $$select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = '%s'::regclass and c.relname like '${name}%%' and i.indisvalid$$)`,
    );
    return { placements: rows.length, withIndex: rows.filter((r) => r.success && r.result === '1').length };
  }

  it('builds the declared HNSW index on the coordinator and every shard; a second call finds it and sends no DDL', async () => {
    const r = await buildIndex(db, items, 'op_citus_hnsw', { maintenanceWorkMem: 'auto' });
    expect(r.status).toBe('built');
    const shards = await shardIndexes('op_citus_hnsw');
    expect(shards.placements).toBeGreaterThan(1);
    console.log(`Citus: op_citus_hnsw built in ${r.elapsedMs} ms on ${shards.placements} shard placements`);
    expect(shards.withIndex).toBe(shards.placements);

    statements.length = 0;
    const again = await buildIndex(db, items, 'op_citus_hnsw', { concurrently: true });
    expect(again.status).toBe('exists');
    expect(statements.some((s) => /CREATE INDEX|DROP INDEX/i.test(s))).toBe(false);
    expect((await shardIndexes('op_citus_hnsw')).withIndex).toBe(shards.placements);

    // Why the existence check matters: on Citus 13.2 the plain statement marks the existing coordinator index INVALID.
    await pool.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS op_citus_hnsw ON op_citus USING hnsw (embedding vector_l2_ops)');
    const { rows: invalidated } = await pool.query(`select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'op_citus_hnsw'`);
    expect(invalidated).toEqual([{ indisvalid: false }]);
    // buildIndex finds it INVALID, drops it and builds it again.
    const repaired = await buildIndex(db, items, 'op_citus_hnsw', { maintenanceWorkMem: 'auto' });
    expect(repaired).toMatchObject({ status: 'built', droppedInvalid: true });
    const { rows: valid } = await pool.query(`select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'op_citus_hnsw'`);
    expect(valid).toEqual([{ indisvalid: true }]);
    expect((await shardIndexes('op_citus_hnsw')).withIndex).toBe(shards.placements);

    const [first] = await nearest(db, items.embedding, [5, 5, 2, 1], { k: 1, metric: 'l2' });
    expect(first?.distance).toBeCloseTo(0, 6); // id 5 is [5, 5, 2, 1]
  });

  it('CONCURRENTLY (declared): built on every shard and valid; again: exists', async () => {
    const r = await buildIndex(db, items, 'op_citus_ivf', { maintenanceWorkMem: 'auto' });
    expect(r.sql).toMatch(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS "op_citus_ivf"/);
    expect(r.status).toBe('built');
    const shards = await shardIndexes('op_citus_ivf');
    expect(shards.withIndex).toBe(shards.placements);
    const { rows } = await pool.query(`select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'op_citus_ivf'`);
    expect(rows).toEqual([{ indisvalid: true }]);
    expect((await buildIndex(db, items, 'op_citus_ivf')).status).toBe('exists');
  });
});
