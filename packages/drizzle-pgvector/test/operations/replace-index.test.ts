/**
 * replaceIndex on the current backend (PGlite by default, a server with PGVECTOR_TEST_BACKEND=url): the changed
 * declaration is built CONCURRENTLY under a temporary name, checked, then swapped in; a failed build leaves the
 * old index untouched; unknown options are rejected before any SQL.
 */
import { sql } from 'drizzle-orm';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { asHalfvec, hnswIndex, ivfflatIndex, replaceIndex, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { onKitLine } from '../../../../test/helpers/drizzle-kit.js';
import { createFilled, indexState, progressLog } from './fixtures.js';

const columns = { id: serial('id').primaryKey(), lang: text('lang'), embedding: vector('embedding', { dimensions: 16 }) };
/** The table as it was first declared … */
const before = pgTable('rp_items', columns, (t) => [
  hnswIndex('rp_items_hnsw').on(t.embedding, 'cosine').with({ m: 8 }),
  ivfflatIndex('rp_items_ivf').on(t.embedding, 'l2').with({ lists: 10 }),
]);
/** … and after the declarations changed: new m, new lists plus a WHERE, a new index. */
const after = pgTable('rp_items', columns, (t) => [
  hnswIndex('rp_items_hnsw').on(t.embedding, 'cosine').with({ m: 12 }),
  ivfflatIndex('rp_items_ivf').on(t.embedding, 'l2').with({ lists: 20 }).where(sql`${t.lang} is null`),
  hnswIndex('rp_items_new').on(t.embedding, 'l2'),
]);
/** A declaration whose build fails on a row whose values do not fit halfvec (the test inserts one). */
const broken = pgTable('rp_items', columns, (t) => [hnswIndex('rp_items_hnsw').on(asHalfvec(t.embedding), 'cosine')]);

let database: PgVectorTestDatabase;

async function vectorIndexNames(): Promise<{ name: string; valid: boolean }[]> {
  const rows = await database.query<{ name: string; valid: boolean | string }>(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'rp_items'::regclass ORDER BY 1`,
  );
  return rows.map((r) => ({ name: r.name, valid: r.valid === true || r.valid === 't' }));
}

beforeAll(async () => {
  database = await startTestDatabase({ serve: true }); // served: the driver loop below reaches it over a socket too
  await createFilled(database, before, 'rp_items', 'embedding', 16, 2000);
  await database.query(`CREATE INDEX "rp_items_hnsw" ON "rp_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=8)`);
  await database.query(`CREATE INDEX "rp_items_ivf" ON "rp_items" USING ivfflat ("embedding" vector_l2_ops) WITH (lists=10)`);
}, 300_000);
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS rp_items');
  await database?.close();
});

// The swap holds one connection outside a transaction for CREATE / DROP INDEX CONCURRENTLY: through each driver.
describeEachDriver(
  'replaceIndex through each driver',
  (ctx) => {
    beforeAll(async () => {
      // Each driver starts from the first declaration (m = 8); the last run leaves m = 12 for the tests below.
      if (/WITH \(m='?8'?\)$/.test((await indexState(database, 'rp_items_hnsw'))?.def ?? '')) return;
      await database.query('DROP INDEX IF EXISTS "rp_items_hnsw"');
      await database.query(`CREATE INDEX "rp_items_hnsw" ON "rp_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=8)`);
    });

    it('builds the new m under a temporary name, drops the old one concurrently and renames the new one into place', async () => {
      const log = progressLog();
      const r = await replaceIndex(ctx.db, after, 'rp_items_hnsw', { maintenanceWorkMem: 'auto', onProgress: log.onProgress });
      expect(r).toMatchObject({ name: 'rp_items_hnsw', temporary: 'rp_items_hnsw_pgv_new', status: 'replaced' });
      expect(r.sql).toBe(onKitLine(['CREATE INDEX "rp_items_hnsw" ON "rp_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=12);'])[0]);
      expect(r.statements).toEqual([
        onKitLine(['CREATE INDEX CONCURRENTLY "rp_items_hnsw_pgv_new" ON "rp_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=12)'])[0],
        'DROP INDEX CONCURRENTLY IF EXISTS "public"."rp_items_hnsw"',
        'ALTER INDEX "public"."rp_items_hnsw_pgv_new" RENAME TO "rp_items_hnsw"',
      ]);
      expect(r.maintenanceWorkMem).toMatch(/^\d+(kB|MB|GB)$/);
      expect(r.estimate?.bytes).toBeGreaterThan(0);
      expect(log.events.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
      expect((await indexState(database, 'rp_items_hnsw'))?.def).toMatch(/USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?12'?\)$/);
      expect(await vectorIndexNames()).toEqual([
        { name: 'rp_items_hnsw', valid: true },
        { name: 'rp_items_ivf', valid: true },
        { name: 'rp_items_pkey', valid: true },
      ]);
    });
  },
  { database: () => database },
);

describe('replaceIndex', () => {
  it('new lists and a new WHERE on IVFFlat; an index that did not exist yet is created', async () => {
    const ivf = await replaceIndex(database.db, after, 'rp_items_ivf');
    expect(ivf.status).toBe('replaced');
    expect((await indexState(database, 'rp_items_ivf'))?.def).toMatch(/USING ivfflat \(embedding(?: vector_l2_ops)?\) WITH \(lists='?20'?\) WHERE \(lang IS NULL\)$/);
    const created = await replaceIndex(database.db, after, 'rp_items_new');
    expect(created.status).toBe('created');
    expect(created.statements).toHaveLength(2); // build, rename: nothing to drop
    expect((await vectorIndexNames()).map((i) => i.name)).toEqual(['rp_items_hnsw', 'rp_items_ivf', 'rp_items_new', 'rp_items_pkey']);
  });

  it('a failing build: INDEX_BUILD_FAILED, its INVALID leftover dropped, the old index untouched', async () => {
    const def = (await indexState(database, 'rp_items_hnsw'))?.def;
    await database.query(`INSERT INTO rp_items (lang, embedding) SELECT 'huge', array_fill(1e6::real, ARRAY[16])::vector`);
    const error = await expectCodeAsync(() => replaceIndex(database.db, broken, 'rp_items_hnsw'), 'INDEX_BUILD_FAILED');
    await database.query(`DELETE FROM rp_items WHERE lang = 'huge'`);
    expect(error.message).toContain('is untouched');
    expect(error.details).toMatchObject({ index: 'rp_items_hnsw', droppedInvalidIndex: 'public.rp_items_hnsw_pgv_new', sqlState: '22003' });
    expect((await indexState(database, 'rp_items_hnsw'))?.def).toBe(def);
    expect((await vectorIndexNames()).every((i) => i.valid)).toBe(true);
    expect(await indexState(database, 'rp_items_hnsw_pgv_new')).toBeUndefined();
  });

  it('a valid new index left by an interrupted swap (old one INVALID) is finished without a rebuild', async () => {
    await database.query(`CREATE INDEX "rp_items_new_pgv_new" ON "rp_items" USING hnsw ("embedding" vector_l2_ops)`);
    await database.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'rp_items_new'::regclass`);
    const r = await replaceIndex(database.db, after, 'rp_items_new');
    expect(r.status).toBe('finished');
    expect(r.statements).toEqual(['DROP INDEX CONCURRENTLY IF EXISTS "public"."rp_items_new"', 'ALTER INDEX "public"."rp_items_new_pgv_new" RENAME TO "rp_items_new"']);
    expect(await indexState(database, 'rp_items_new')).toMatchObject({ valid: true });
  });

  it.each([
    [{ maintenanceWorkmem: 'auto' }, /unknown option 'maintenanceWorkmem'\. Did you mean 'maintenanceWorkMem'\?/],
    [{ concurrently: true }, /unknown option 'concurrently'\. Options: maintenanceWorkMem/],
    [{ parallelWorkers: -1 }, /parallelWorkers must be an integer from 0/],
  ])('rejects %j before any SQL', async (options, message) => {
    const error = await expectCodeAsync(() => replaceIndex(database.db, after, 'rp_items_hnsw', options as never), 'INVALID_OPERATION_OPTION');
    expect(error.message).toMatch(message);
  });

  it('rejects an index the table does not declare, and a transaction', async () => {
    await expectCodeAsync(() => replaceIndex(database.db, after, 'rp_items_hnsv'), 'UNKNOWN_INDEX');
    const error = await expectCodeAsync(() => database.db.transaction((tx) => replaceIndex(tx as never, after, 'rp_items_hnsw')), 'TRANSACTION_NOT_ALLOWED');
    expect(error.message).toContain('cannot run inside a transaction');
  });
});
