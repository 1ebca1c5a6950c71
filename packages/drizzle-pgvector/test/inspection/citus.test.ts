import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusUrl } from '@drizzle-pgvector/testing';
import { ivfflatIndex, vector, vectorIndexes } from '../../src/index.js';

/**
 * Against a real Citus cluster (CITUS_URL, the coordinator). On the coordinator a distributed table is an empty
 * shell: its reltuples and index sizes say nothing about the shards. Without CITUS_URL these are skipped.
 */
const url = citusUrl();

const items = pgTable('inspect_citus', { id: integer('id'), tenant: integer('tenant').notNull(), embedding: vector('embedding', { dimensions: 3 }) }, (t) => [
  ivfflatIndex('inspect_citus_ivf').on(t.embedding, 'l2').with({ lists: 5 }),
]);

describe.runIf(url !== undefined)('Citus: vectorIndexes on a distributed table', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query('drop table if exists inspect_citus');
    await pool.query('create table inspect_citus (id integer, tenant integer not null, embedding vector(3))');
    await pool.query(`select create_distributed_table('inspect_citus', 'tenant', shard_count := 4)`);
    await pool.query(`insert into inspect_citus select g, g % 8, array[sin(g), cos(g), g % 5]::vector from generate_series(1, 40000) g`);
    await pool.query('create index inspect_citus_ivf on inspect_citus using ivfflat (embedding vector_l2_ops) with (lists = 5)');
  });
  afterAll(async () => {
    await pool?.query('drop table if exists inspect_citus');
    await pool?.end();
  });

  it('counts the rows and sizes the index across the shards, and advises lists per shard', async () => {
    const db = drizzle({ client: pool });
    const { indexes, drift } = await vectorIndexes(db, { tables: [items] });
    expect(drift).toEqual([]);
    const [ivf] = indexes;
    console.log(JSON.stringify(ivf));
    expect(ivf).toMatchObject({ name: 'inspect_citus_ivf', rows: 40000, rowsSource: 'count', distribution: { shards: 4, rowsPerShard: 10000 } });
    // The coordinator's shell index is a few pages; the shards' indexes hold the 40,000 rows.
    const [shell] = (await pool.query<{ size: string }>(`select pg_relation_size('inspect_citus_ivf')::bigint as size`)).rows;
    expect(ivf!.sizeBytes).toBeGreaterThan(Number(shell!.size) * 4);
    // Each shard's index is built on its own 10,000 rows: lists 5 is within [10/2, 10·2] of the advice for 10,000 rows.
    expect(ivf!.ivfflat).toEqual({ lists: 5, advisedLists: 10, advisedProbes: 3, tooSmall: false });
    expect(ivf!.needsRebuild).toBe(false);
  });
});
