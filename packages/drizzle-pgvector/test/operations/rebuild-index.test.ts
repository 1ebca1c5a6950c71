/**
 * rebuildIndex on the current backend: REINDEX (and REINDEX CONCURRENTLY) of a vector index found in the catalog,
 * with the same settings, progress and error handling as buildIndex.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { buildIndex, estimateIndexBuildMemory, hnswIndex, ivfflatIndex, rebuildIndex, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { createFilled, indexState, lowMemoryDb, progressLog } from './fixtures.js';

const items = pgTable('op_re', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 16 }) }, (t) => [
  ivfflatIndex('op_re_ivf').on(t.embedding, 'l2').with({ lists: 50 }),
  hnswIndex('op_re_hnsw').on(t.embedding, 'cosine').with({ m: 8, efConstruction: 32 }),
]);

let database: PgVectorTestDatabase;
beforeAll(async () => {
  database = await startTestDatabase();
  await createFilled(database, items, 'op_re', 'embedding', 16, 4000);
  await buildIndex(database.db, items, 'op_re_ivf');
  await buildIndex(database.db, items, 'op_re_hnsw');
}, 300_000);
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS op_re');
  await database?.close();
});

async function oid(name: string): Promise<string> {
  return (await database.query<{ oid: string }>(`SELECT oid::text AS oid FROM pg_class WHERE relname = $1`, [name]))[0]!.oid;
}
async function filenode(name: string): Promise<string> {
  return (await database.query<{ f: string }>(`SELECT pg_relation_filenode($1::regclass)::text AS f`, [name]))[0]!.f;
}

describe('rebuildIndex', () => {
  it('REINDEX rewrites the index (new relfilenode), with progress start and end', async () => {
    const before = await filenode('op_re_ivf');
    const log = progressLog();
    const r = await rebuildIndex(database.db, 'op_re_ivf', { onProgress: log.onProgress });
    expect(r).toMatchObject({ name: 'op_re_ivf', sql: 'REINDEX INDEX "public"."op_re_ivf"', wasValid: true, maintenanceWorkMem: undefined });
    expect(await filenode('op_re_ivf')).not.toBe(before);
    expect(log.events[0]?.phase).toBe('start');
    expect(log.events.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    if (database.backend === 'pglite') expect(log.events.map((e) => e.phase)).toEqual(['start', 'done']);
    expect(r.progressEvents).toBe(log.events.length);
    // The table's rows are the total from the start; 'done' keeps (completes) the count.
    expect(log.events[0]).toMatchObject({ tuplesDone: 0, tuplesTotal: 4000 });
    expect(log.events.at(-1)).toMatchObject({ tuplesDone: 4000, tuplesTotal: 4000 });
  });

  it('REINDEX CONCURRENTLY builds a new index and swaps it in (new oid), leaving no _ccnew/_ccold behind', async () => {
    const before = await oid('op_re_hnsw');
    const r = await rebuildIndex(database.db, 'op_re_hnsw', { concurrently: true, maintenanceWorkMem: '32MB' });
    expect(r.sql).toBe('REINDEX INDEX CONCURRENTLY "public"."op_re_hnsw"');
    expect(r.maintenanceWorkMem).toBe('32MB');
    expect(await oid('op_re_hnsw')).not.toBe(before);
    expect((await indexState(database, 'op_re_hnsw'))?.valid).toBe(true);
    expect(await database.query(`SELECT relname FROM pg_class WHERE relname LIKE 'op_re_hnsw_cc%'`)).toEqual([]);
  });

  it("'auto' reads the index's method, opclass, dimensions and lists from the catalog", async () => {
    const low = await lowMemoryDb(database);
    try {
      const serverVersion = Number((await database.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0]!.v);
      const pages = Number((await database.query<{ p: string }>(`SELECT pg_relation_size('op_re') / 8192 AS p`))[0]!.p);
      const serverBits = database.backend === 'pglite' ? 32 : 64;
      const e = estimateIndexBuildMemory({ method: 'ivfflat', type: 'vector', dimensions: 16, rows: 4000, lists: 50, heapPages: pages, serverVersion, serverBits });
      // With the session's 1MB, REINDEX of lists=50 fails; 'auto' raises it for the rebuild only.
      const failed = await expectCodeAsync(() => rebuildIndex(low.db, 'op_re_ivf'), 'INDEX_BUILD_FAILED');
      expect(failed.message).toMatch(/memory required is \d+ MB, maintenance_work_mem is 1 MB/);
      const r = await rebuildIndex(low.db, 'op_re_ivf', { maintenanceWorkMem: 'auto' });
      expect(r.maintenanceWorkMem).toBe(e.maintenanceWorkMem);
      expect(r.estimate?.bytes).toBe(e.bytes);
      expect(new Set(await low.show('maintenance_work_mem'))).toEqual(new Set(['1MB']));
      const capped = await expectCodeAsync(() => rebuildIndex(low.db, 'op_re_ivf', { maintenanceWorkMem: 'auto', maxMaintenanceWorkMem: '1MB' }), 'INDEX_BUILD_MEMORY_EXCEEDED');
      expect(capped.details).toMatchObject({ method: 'ivfflat', rows: 4000, max: '1MB' });
    } finally {
      await low.close();
    }
  });

  it('repairs an INVALID index (wasValid: false)', async () => {
    await database.query('DROP INDEX op_re_ivf');
    await database.query(`SET maintenance_work_mem = '1MB'`);
    await expect(database.query('CREATE INDEX CONCURRENTLY op_re_ivf ON op_re USING ivfflat (embedding vector_l2_ops) WITH (lists = 50)')).rejects.toThrow(/memory required/);
    await database.query('RESET maintenance_work_mem');
    expect((await indexState(database, 'op_re_ivf'))?.valid).toBe(false);
    const r = await rebuildIndex(database.db, 'op_re_ivf', { maintenanceWorkMem: 'auto' });
    expect(r.wasValid).toBe(false);
    expect((await indexState(database, 'op_re_ivf'))?.valid).toBe(true);
  });

  it('an unknown name is UNKNOWN_INDEX listing the vector indexes there; nothing is changed', async () => {
    const e = await expectCodeAsync(() => rebuildIndex(database.db, 'op_re_nope'), 'UNKNOWN_INDEX');
    expect(e.message).toMatch(/there is no HNSW\/IVFFlat index named "op_re_nope" on the search_path\. Vector indexes there: .*"op_re_hnsw".*"op_re_ivf"/);
    expect(e.details).toMatchObject({ name: 'op_re_nope', schema: null });
    expect((e.details as { known: string[] }).known).toEqual(expect.arrayContaining(['op_re_hnsw', 'op_re_ivf']));
    // A btree index is not a vector index.
    await database.query('CREATE INDEX IF NOT EXISTS op_re_id ON op_re (id)');
    await expectCodeAsync(() => rebuildIndex(database.db, 'op_re_id'), 'UNKNOWN_INDEX');
    await expectCodeAsync(() => rebuildIndex(database.db, 'op_re_ivf', { schema: 'nope' }), 'UNKNOWN_INDEX');
  });

  it('a misspelled option on the real database runs nothing: the index keeps its relfilenode', async () => {
    const before = await database.query<{ f: string }>(`SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'op_re_hnsw'`);
    await expectCodeAsync(() => rebuildIndex(database.db, 'op_re_hnsw', { concurrenty: true } as never), 'INVALID_OPERATION_OPTION');
    expect(await database.query(`SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'op_re_hnsw'`)).toEqual(before);
  });

  it('bad options are rejected before any SQL', async () => {
    const queries: string[] = [];
    const mock = drizzle.mock({ logger: { logQuery: (q: string) => void queries.push(q) } });
    await expectCodeAsync(() => rebuildIndex(mock, ''), 'UNKNOWN_INDEX');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', { maintenanceWorkMem: 'much' as never }), 'INVALID_MEMORY_SIZE');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', { parallelWorkers: -2 }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', { signal: AbortSignal.abort() }), 'INDEX_BUILD_CANCELLED');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', { concurrently: 1 as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', { schema: 3 as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => rebuildIndex(mock, 'i', null as never), 'INVALID_OPERATION_OPTION');
    // A misspelled key: before, { concurrenty: true } ran a blocking REINDEX and the others were ignored.
    for (const [typo, meant] of [['concurrenty', 'concurrently'], ['maintenanceWorkMemory', 'maintenanceWorkMem'], ['onProgres', 'onProgress'], ['shema', 'schema']] as const) {
      const e = await expectCodeAsync(() => rebuildIndex(mock, 'i', { [typo]: true } as never), 'INVALID_OPERATION_OPTION');
      expect(e.message).toContain(`rebuildIndex: unknown option '${typo}'. Did you mean '${meant}'?`);
    }
    expect(queries).toEqual([]);
  });
});
