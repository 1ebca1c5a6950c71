import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusUrl } from '@drizzle-pgvector/testing';
import { hnswIndex, replaceIndex, vector } from '../../src/index.js';
import { migrate } from '../../src/migrations/index.js';
import { writeMigrations } from '../../../../test/helpers/migrations.js';

/**
 * replaceIndex and migrate()'s index swap on a distributed table of a real Citus cluster (CITUS_URL, the coordinator;
 * see test/settings/citus.test.ts): Citus propagates CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY and ALTER
 * INDEX … RENAME to every shard. Without CITUS_URL these are skipped.
 */
const url = citusUrl();

const items = pgTable(
  'op_citus_rp',
  { id: serial('id').notNull(), tenant: integer('tenant').notNull(), embedding: vector('embedding', { dimensions: 8 }) },
  (t) => [hnswIndex('op_citus_rp_hnsw').on(t.embedding, 'cosine').with({ m: 24 })],
);

describe.runIf(url !== undefined)('Citus: replacing an index on a distributed table', () => {
  let pool: pg.Pool;
  let db: ReturnType<typeof drizzle>;
  const folder = mkdtempSync(join(tmpdir(), 'citus-replace-'));
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 4 });
    db = drizzle({ client: pool });
    await pool.query('drop table if exists op_citus_rp');
    await pool.query('drop schema if exists drizzle cascade');
    await pool.query('create table op_citus_rp (id serial, tenant integer not null, embedding vector(8), primary key (tenant, id))');
    await pool.query(`select create_distributed_table('op_citus_rp', 'tenant')`);
    await pool.query(`insert into op_citus_rp (tenant, embedding) select i % 7, array(select ((i * 13 + d) % 17)::real from generate_series(1, 8) d)::vector from generate_series(1, 3000) i`);
    await pool.query('create index op_citus_rp_hnsw on op_citus_rp using hnsw (embedding vector_cosine_ops) with (m = 8)');
  });
  afterAll(async () => {
    await pool?.query('drop table if exists op_citus_rp');
    await pool?.query('drop schema if exists drizzle cascade');
    await pool?.end();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Definitions of the index on every shard placement (valid ones only), and the coordinator's. */
  async function state(): Promise<{ coordinator: string; placements: number; shards: string[] }> {
    const { rows: c } = await pool.query<{ def: string }>(
      `select pg_get_indexdef(c.oid) as def from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = 'op_citus_rp_hnsw' and i.indisvalid`,
    );
    const { rows } = await pool.query<{ result: string; success: boolean }>(
      `select success, result from run_command_on_placements('op_citus_rp', $$select string_agg(c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), ''), ';' order by c.relname) from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = '%s'::regclass and i.indisvalid and c.relname like 'op_citus_rp_hnsw%%'$$)`,
    );
    return { coordinator: c.map((r) => r.def).join(';'), placements: rows.length, shards: rows.map((r) => (r.success ? r.result.replace(/_\d+(?= )/, '') : `error: ${r.result}`)) };
  }

  it('replaceIndex: the new m on the coordinator and on every shard, under the old name; nothing INVALID', async () => {
    const r = await replaceIndex(db, items, 'op_citus_rp_hnsw', { maintenanceWorkMem: 'auto' });
    expect(r.status).toBe('replaced');
    const s = await state();
    console.log(`Citus: replaceIndex over ${s.placements} shard placements in ${r.elapsedMs} ms`);
    expect(s.coordinator).toMatch(/WITH \(m='?24'?\)$/);
    expect(s.placements).toBeGreaterThan(1);
    expect(s.shards).toEqual(s.shards.map(() => 'op_citus_rp_hnsw m=24'));
  });

  it("migrate(): drizzle-kit's DROP INDEX + CREATE INDEX runs as the swap on the distributed table", async () => {
    writeMigrations(folder, [
      { tag: '0000_m', statements: ['DROP INDEX "op_citus_rp_hnsw";', 'CREATE INDEX "op_citus_rp_hnsw" ON "op_citus_rp" USING hnsw ("embedding" vector_cosine_ops) WITH (m=12);'] },
    ]);
    const result = await migrate(db, { migrationsFolder: folder, ensureExtension: false });
    expect(result.applied[0]!.replacedIndexes.map((x) => x.status)).toEqual(['replaced']);
    const s = await state();
    expect(s.coordinator).toMatch(/WITH \(m='?12'?\)$/);
    expect(s.shards).toEqual(s.shards.map(() => 'op_citus_rp_hnsw m=12'));
  });
});
