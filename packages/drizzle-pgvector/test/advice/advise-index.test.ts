/**
 * adviseIndex: chooseIndex, the parameters of each method that can index the choice, their build memory, and the
 * schema line — which is code: evaluated with the library's builders, its DDL is created on the test database.
 */
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { adviseIndex, asHalfvec, binaryQuantize, bit, chooseIndex, estimateIndexBuildMemory, hnswIndex, ivfflatIndex, recommendHnsw, vector } from '../../src/index.js';
import { indexDdl } from '../../src/operations/index-ddl.js';
import { expectCode } from '../helpers.js';

let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  await database.query('DROP TABLE IF EXISTS ai_items, ai_codes');
  await database.query('CREATE TABLE ai_items (id int PRIMARY KEY, embedding vector(1536))');
  await database.query('CREATE TABLE ai_codes (id int PRIMARY KEY, code bit(64))');
}, 300_000);
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS ai_items, ai_codes').catch(() => undefined);
  await database?.close();
});

/** The schema line as code, on `t`, with the library's builders. */
function evaluate(line: string, t: Record<string, unknown>) {
  const run = new Function('t', 'hnswIndex', 'ivfflatIndex', 'asHalfvec', 'binaryQuantize', `return ${line};`) as (...a: unknown[]) => { build(table: unknown): never };
  return run(t, hnswIndex, ivfflatIndex, asHalfvec, binaryQuantize);
}

describe('adviseIndex', () => {
  it("is chooseIndex's choice with recommendHnsw's parameters and the estimate for them; the schema line builds an index the database creates", async () => {
    const advice = adviseIndex({ rows: 1_000_000, dimensions: 1536, metric: 'l2', recallTarget: 0.95, k: 10, table: 'ai_items' });
    expect(advice.choice).toEqual(chooseIndex({ rows: 1_000_000, dimensions: 1536, metric: 'l2' }));
    const hnsw = recommendHnsw({ rows: 1_000_000, dimensions: 1536, recallTarget: 0.95, k: 10 });
    expect(advice.hnsw).toEqual(hnsw);
    expect(advice.memory.hnsw).toEqual(estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 1536, rows: 1_000_000, metric: 'l2', m: hnsw.m }));
    expect(advice.ivfflat?.lists).toBe(1000);
    expect(advice.indexMetric).toBe('l2');
    expect(advice.schemaLine).toBe(`hnswIndex('ai_items_embedding_hnsw').on(t.embedding, 'l2').with({ m: ${hnsw.m}, efConstruction: ${hnsw.efConstruction} })`);
    expect(advice.settings).toEqual({ efSearch: hnsw.efSearch });

    const table = pgTable('ai_items', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 1536 }) });
    await database.query(indexDdl(table, evaluate(advice.schemaLine!, table as never).build(table)));
    const [row] = await database.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'ai_items_embedding_hnsw'`);
    expect(row?.indexdef).toContain(`USING hnsw (embedding vector_l2_ops) WITH (m='${hnsw.m}', ef_construction='${hnsw.efConstruction}')`);
  });

  it('past the size budget: binary quantization, a Hamming index (also in the memory estimate), HNSW only', () => {
    const advice = adviseIndex({ rows: 1_000_000, dimensions: 1536, metric: 'cosine', indexSizeBudget: '1GB' });
    expect(advice.choice).toMatchObject({ target: 'binaryQuantize', indexedType: 'bit', rerank: true });
    expect(advice.indexMetric).toBe('hamming');
    expect(advice.memory.hnsw).toEqual(estimateIndexBuildMemory({ method: 'hnsw', type: 'bit', dimensions: 1536, rows: 1_000_000, metric: 'hamming', m: advice.hnsw!.m }));
    expect(advice.schemaLine).toBe("hnswIndex('items_embedding_hnsw').on(binaryQuantize(t.embedding, 1536), 'hamming').with({ m: 16, efConstruction: 64 })");
  });

  it("a bit column without a metric is indexed by Hamming distance (bits have no cosine); sparsevec gets no IVFFlat; nothing indexable, no line", async () => {
    const codes = adviseIndex({ rows: 50_000, dimensions: 64, type: 'bit', column: 'code', table: 'ai_codes' });
    expect(codes.indexMetric).toBe('hamming');
    const table = pgTable('ai_codes', { id: integer('id').primaryKey(), code: bit('code', { dimensions: 64 }) });
    await database.query(indexDdl(table, evaluate(codes.schemaLine!, table as never).build(table)));
    const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'ai_codes' AND indexdef LIKE '%bit_hamming_ops%'`);
    expect(row?.n).toBe(1);

    const sparse = adviseIndex({ rows: 50_000, dimensions: 30_000, type: 'sparsevec' });
    expect(sparse.ivfflat).toBeUndefined();
    expect(sparse.memory.ivfflat).toBeUndefined();
    expect(sparse.hnsw).toBeDefined();
    const none = adviseIndex({ rows: 10, dimensions: 70_000, type: 'bit' });
    expect(none.choice.method).toBeUndefined();
    expect([none.schemaLine, none.settings, none.hnsw, none.ivfflat]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('bad input is INVALID_ADVICE_INPUT / INVALID_MEMORY_SIZE', () => {
    expectCode(() => adviseIndex({ rows: -1, dimensions: 3 }), 'INVALID_ADVICE_INPUT');
    expectCode(() => adviseIndex({ rows: 10, dimensions: 3, recallTarget: 1.5 }), 'INVALID_ADVICE_INPUT');
    expectCode(() => adviseIndex({ rows: 10, dimensions: 3, memoryBudget: 'lots' }), 'INVALID_MEMORY_SIZE');
    expectCode(() => adviseIndex(null as never), 'INVALID_ADVICE_INPUT');
  });
});
