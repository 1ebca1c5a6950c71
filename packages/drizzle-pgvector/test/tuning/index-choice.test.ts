import { eq } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { hnswIndex, ivfflatIndex, measureRecall, tuneSearch, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { clustered, load } from './data.js';

/**
 * Two vector indexes with one metric on one column (HNSW and IVFFlat, as in the semantic-search demo): the planner
 * picks between them by estimated cost, so measureRecall / tuneSearch take the index to measure by name. 5,000
 * clustered 32-d rows, a small HNSW graph (m 6, ef_construction 20) and IVFFlat with 50 lists, both l2.
 */
const DIMS = 32;
const LISTS = 50;
const both = pgTable(
  'x_both',
  {
    id: integer('id').primaryKey(),
    tag: integer('tag').notNull(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [hnswIndex('x_both_hnsw').on(t.embedding, 'l2').with({ m: 6, efConstruction: 20 }), ivfflatIndex('x_both_ivf').on(t.embedding, 'l2').with({ lists: LISTS })],
);

const data = clustered({ dims: DIMS, clusters: 50, spread: 1, seed: 13 });
let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  await load(
    database,
    both,
    'x_both',
    data.points(5000).map((embedding, id) => ({ id, tag: id % 10, embedding })),
  );
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists x_both').catch(() => undefined);
  await database?.close();
});

describe('two vector indexes on one column', () => {
  it('tuneSearch without index refuses, naming both and how to pick one', async () => {
    const error = await expectCodeAsync(() => tuneSearch(database.db, both.embedding, { targetRecall: 0.9, k: 10 }), 'NO_TUNABLE_INDEX');
    expect(error.message).toContain("Pass index: 'x_both_hnsw' or 'x_both_ivf'");
  });

  it('measureRecall with index measures that index whatever setting is measured (the other method is steered off, EXPLAIN checks)', async () => {
    const queries = data.points(30);
    const hnsw = await measureRecall(database.db, both.embedding, { queries, k: 10, index: 'x_both_hnsw', settings: { efSearch: 40 } });
    expect(hnsw.usedIndexes).toEqual(['x_both_hnsw']);
    expect(hnsw.settings).toEqual({ efSearch: 40, probes: LISTS });
    expect(hnsw.notes[0]).toContain('"x_both_ivf"');
    const ivf = await measureRecall(database.db, both.embedding, { queries, k: 10, index: 'x_both_ivf', settings: { probes: 3 } });
    expect(ivf.usedIndexes).toEqual(['x_both_ivf']);
    expect(ivf.settings).toEqual({ efSearch: 1000, probes: 3 });
    console.log(`x_both (5k): HNSW efSearch 40 → ${hnsw.recall.toFixed(3)} ± ${hnsw.standardError.toFixed(3)}; IVFFlat probes 3 → ${ivf.recall.toFixed(3)} ± ${ivf.standardError.toFixed(3)}`);
    expect(hnsw.lowerBound).toBeCloseTo(hnsw.recall - 1.645 * hnsw.standardError, 10);
  });

  it('when the planner still picks the other index: INDEX_NOT_USED, saying which it used and what to do', async () => {
    // Your own settings win over the steering: probes 1 makes IVFFlat the cheapest plan again.
    const error = await expectCodeAsync(
      () => measureRecall(database.db, both.embedding, { queries: data.points(5), k: 10, index: 'x_both_hnsw', settings: { efSearch: 1000, probes: 1 } }),
      'INDEX_NOT_USED',
    );
    expect(error.message).toContain('asked to measure "x_both_hnsw"');
    expect(error.message).toContain('the planner scanned "x_both_ivf" instead');
    expect(error.message).toContain('Drop the index you do not use');
    expect(error.details).toMatchObject({ index: 'x_both_hnsw', usedIndexes: ['x_both_ivf'] });
  });

  it('tuneSearch with index tunes that index; its settings keep the planner on it', async () => {
    const hnsw = await tuneSearch(database.db, both.embedding, { targetRecall: 0.9, k: 10, sampleSize: 100, index: 'x_both_hnsw' });
    expect(hnsw).toMatchObject({ method: 'hnsw', index: 'x_both_hnsw', setting: 'efSearch', met: true, usedIndexes: ['x_both_hnsw'] });
    expect(hnsw.settings).toEqual({ efSearch: hnsw.value, probes: LISTS });
    expect(hnsw.notes).toHaveLength(1);
    const ivf = await tuneSearch(database.db, both.embedding, { targetRecall: 0.9, k: 10, sampleSize: 100, index: 'x_both_ivf' });
    expect(ivf).toMatchObject({ method: 'ivfflat', index: 'x_both_ivf', setting: 'probes', met: true, usedIndexes: ['x_both_ivf'] });
    expect(ivf.settings).toEqual({ efSearch: 1000, probes: ivf.value });
    console.log(`x_both (5k) at 0.9: efSearch ${hnsw.value} (bound ${hnsw.lowerBound.toFixed(3)}), probes ${ivf.value} (bound ${ivf.lowerBound.toFixed(3)})`);
    const fresh = await measureRecall(database.db, both.embedding, { queries: data.points(100), k: 10, index: 'x_both_ivf', settings: ivf.settings });
    expect(fresh.usedIndexes).toEqual(['x_both_ivf']);
    expect(fresh.recall).toBeGreaterThanOrEqual(0.9 - 0.02);
  }, 120_000);

  it('tuneSearch with where tunes the filtered workload: exact answers with the same filter', async () => {
    const where = eq(both.tag, 3);
    const tuned = await tuneSearch(database.db, both.embedding, { targetRecall: 0.9, k: 10, sampleSize: 100, index: 'x_both_ivf', where });
    const unfiltered = await tuneSearch(database.db, both.embedding, { targetRecall: 0.9, k: 10, sampleSize: 100, index: 'x_both_ivf' });
    console.log(`x_both (5k), IVFFlat at 0.9: probes ${tuned.value} with tag = 3 (validation ${tuned.validationRecall.toFixed(3)}), ${unfiltered.value} without`);
    expect(tuned).toMatchObject({ met: true, usedIndexes: ['x_both_ivf'] });
    const fresh = await measureRecall(database.db, both.embedding, { queries: data.points(100), k: 10, index: 'x_both_ivf', settings: tuned.settings, where });
    for (const q of fresh.perQuery) {
      expect(q.exact).toHaveLength(10);
      expect([...q.exact, ...q.found].every((id) => Number(id) % 10 === 3)).toBe(true);
    }
    expect(fresh.recall).toBeGreaterThanOrEqual(0.9 - 0.02);
  }, 120_000);
});
