import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusUrl } from '@drizzle-pgvector/testing';
import { hnswIndex, nearest, nearestSql, vector, withVectorSettings } from '../../src/index.js';

/**
 * Against a real Citus cluster (CITUS_URL, the coordinator; `../shared/tools/citus-cluster.sh` starts one whose
 * workers run with enable_seqscan = off, so a shard's small table is scanned through its HNSW index). Without
 * CITUS_URL these are skipped; the statements themselves are pinned in test/driver/driver.test.ts on every backend.
 */
const url = citusUrl();

const items = pgTable('citus_items', { id: serial('id').primaryKey(), tenant: integer('tenant').notNull(), embedding: vector('embedding', { dimensions: 4 }) }, (t) => [
  hnswIndex('citus_items_hnsw').on(t.embedding, 'l2'),
]);

describe.runIf(url !== undefined)('Citus: SET LOCAL reaches the shards', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
    await pool.query('drop table if exists citus_items');
    // No btree on tenant: the router query's shard scan then goes through the HNSW index (workers: enable_seqscan = off).
    await pool.query('create table citus_items (id serial, tenant integer not null, embedding vector(4))');
    await pool.query(`select create_distributed_table('citus_items', 'tenant')`);
    await pool.query('create index citus_items_hnsw on citus_items using hnsw (embedding vector_l2_ops)');
    await pool.query(`insert into citus_items (tenant, embedding) select 1, array[i, i % 7, i % 3, 1]::vector from generate_series(1, 200) i`);
  });
  afterAll(async () => {
    await pool?.query('drop table if exists citus_items');
    await pool?.end();
  });

  it("a router query on one shard is capped by ef_search = 3 only because the settings reached the shard", async () => {
    const db = drizzle({ client: pool });
    const query = sql`select id from citus_items where tenant = 1 order by embedding <-> '[5,5,5,1]' limit 10`;
    // Plain SET LOCAL without propagation: the shard never sees ef_search = 3 and returns all 10 rows.
    const unpropagated = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL hnsw.ef_search = 3`);
      return (await tx.execute(query)).rows.length;
    });
    expect(unpropagated).toBe(10);
    // withVectorSettings adds SET LOCAL citus.propagate_set_commands = 'local': the shard's scan stops at 3 rows.
    const propagated = await withVectorSettings(db, { efSearch: 3 }, async (tx) => (await tx.execute(query)).rows.length);
    expect(propagated).toBe(3);
    // And nothing is left on the pooled connections afterwards.
    const after = await db.transaction(async (tx) => (await tx.execute(query)).rows.length);
    expect(after).toBe(10);
  });

  it('nearest plans on Citus start with the propagation statement, and multi-shard searches return the exact top k', async () => {
    const db = drizzle({ client: pool });
    const plan = await nearestSql(db, items.embedding, [5, 5, 5, 1], { k: 5, settings: { efSearch: 100 } });
    expect(plan.statements).toEqual(["SET LOCAL citus.propagate_set_commands = 'local'", 'SET LOCAL hnsw.ef_search = 100']);
    const rows = await nearest(db, items.embedding, [5, 5, 5, 1], { k: 5, select: { id: items.id }, settings: { efSearch: 100 } });
    const exact = await pool.query(`select embedding <-> '[5,5,5,1]' as d from citus_items order by d limit 5`);
    // Distances, not ids: the data has ties (e.g. ids 2 and 6 are both at sqrt(27)).
    expect(rows.map((r) => r.distance)).toEqual(exact.rows.map((r) => expect.closeTo(Number(r.d), 6)));
  });
});
