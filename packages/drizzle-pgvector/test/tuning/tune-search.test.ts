import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { EF_SEARCH_CANDIDATES, hnswIndex, ivfflatIndex, measureRecall, tuneSearch, vector, type TuneSearchResult } from '../../src/index.js';
import { clustered, load } from './data.js';

/**
 * tuneSearch on a 20,000-row, 32-dimensional clustered data set (100 overlapping Gaussian clusters, normalised),
 * with a deliberately small HNSW graph (l2, m 6, ef_construction 20: quick to build, and recall visibly depends on
 * ef_search) and an IVFFlat index (cosine, 100 lists) — on unit vectors both metrics rank alike.
 */
const ROWS = 20_000;
const DIMS = 32;

const points = pgTable(
  't_points',
  {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [
    hnswIndex('t_points_hnsw').on(t.embedding, 'l2').with({ m: 6, efConstruction: 20 }),
    ivfflatIndex('t_points_ivf').on(t.embedding, 'cosine').with({ lists: 100 }),
  ],
);

const data = clustered({ dims: DIMS, clusters: 100, spread: 1, seed: 7 });
let database: PgVectorTestDatabase;

/** The closing-note table: the curve and the validation runs. */
function table(result: TuneSearchResult): string {
  const lines = [
    `${database.backend}: ${result.method} ${result.setting}, k = ${result.k}, target ${result.targetRecall}, ${result.tuningQueries} tuning / ${result.validationQueries} validation queries → ${result.value}, met ${result.met}, bound ${result.lowerBound.toFixed(3)}, validation ${result.validationRecall.toFixed(3)}`,
    `| ${result.setting} | tuning recall | lower bound | mean ms | p95 ms |`,
  ];
  for (const p of result.curve) lines.push(`| ${p.value} | ${p.recall.toFixed(3)} | ${p.lowerBound.toFixed(3)} | ${p.meanMs.toFixed(2)} | ${p.p95Ms.toFixed(2)} |`);
  lines.push(`validations: ${result.validations.map((v) => `${v.value} → ${v.recall.toFixed(3)}`).join(', ')}`);
  return lines.join('\n');
}

/**
 * What every result must satisfy: an ascending curve whose values below the choice have a lower bound under the
 * target or failed validation (the choice is the smallest measured value whose bound reaches it and the held-out
 * queries confirm); met ⇒ the bound and validation reached it.
 */
function checkResult(result: TuneSearchResult): void {
  const values = result.curve.map((p) => p.value);
  expect(values).toEqual([...new Set(values)].sort((a, b) => a - b));
  for (const p of result.curve) {
    expect(p.lowerBound).toBeCloseTo(Math.max(0, p.recall - 1.645 * p.standardError), 10);
    if (result.met && p.value < result.value) {
      // A smaller value is passed over because its bound misses the target, or because the held-out queries rejected it.
      const rejected = result.validations.some((v) => v.value === p.value && v.recall < result.targetRecall);
      if (!rejected) expect(p.lowerBound).toBeLessThan(result.targetRecall);
    }
  }
  if (result.met) {
    expect(result.lowerBound).toBeGreaterThanOrEqual(result.targetRecall);
    expect(result.validationRecall).toBeGreaterThanOrEqual(result.targetRecall);
    expect(result.validations.at(-1)!.value).toBe(result.value);
  }
  expect(result.confidence).toBe(0.95);
}

beforeAll(async () => {
  database = await startTestDatabase();
  const started = performance.now();
  await load(database, points, 't_points', data.points(ROWS).map((embedding, id) => ({ id, embedding })));
  console.log(`loaded and indexed ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (${database.backend})`);
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists t_points').catch(() => undefined);
  await database?.close();
});

describe('tuneSearch on 20k clustered vectors', () => {
  it('HNSW (sampled rows): the chosen efSearch reaches 0.95 on the held-out half, and smaller values do not on the tuning half', async () => {
    const result = await tuneSearch(database.db, points.embedding, { targetRecall: 0.95, k: 10, sampleSize: 200, metric: 'l2' });
    console.log(table(result));
    expect(result).toMatchObject({ method: 'hnsw', index: 't_points_hnsw', setting: 'efSearch', met: true, tuningQueries: 100, validationQueries: 100 });
    expect(result.settings).toEqual({ efSearch: result.value });
    expect(result.usedIndexes).toEqual(['t_points_hnsw']);
    // the sweep starts at k + 1 rows, and there recall is clearly below the target: tuning mattered.
    expect(result.curve[0]!.value).toBe(11);
    expect(result.curve[0]!.recall).toBeLessThan(0.9);
    // bisection: a value between two sweep candidates was measured
    expect(result.curve.some((p) => !EF_SEARCH_CANDIDATES.includes(p.value) && p.value !== 11)).toBe(true);
    expect(result.notes).toEqual([]);
    checkResult(result);
  }, 120_000);

  it('IVFFlat (explicit queries off the table): the chosen probes reaches 0.95 on held-out queries', async () => {
    const result = await tuneSearch(database.db, points.embedding, { targetRecall: 0.95, k: 10, queries: data.points(200), metric: 'cosine' });
    console.log(table(result));
    expect(result).toMatchObject({ method: 'ivfflat', index: 't_points_ivf', setting: 'probes', met: true });
    expect(result.curve[0]).toMatchObject({ value: 1 });
    expect(result.curve[0]!.recall).toBeLessThan(0.95);
    expect(result.usedIndexes).toEqual(['t_points_ivf']);
    checkResult(result);
    // A third, fresh set of queries at the chosen setting (100 queries: the bound leaves room for their sampling noise).
    const fresh = await measureRecall(database.db, points.embedding, { queries: data.points(100), k: 10, metric: 'cosine', settings: result.settings });
    console.log(`fresh queries at probes = ${result.value}: recall ${fresh.recall.toFixed(3)}, mean ${fresh.meanMs.toFixed(2)} ms`);
    expect(fresh.recall).toBeGreaterThanOrEqual(result.targetRecall - 0.01);
  }, 120_000);

  it('an unreachable target is reported as not met, with the best value found', async () => {
    const result = await tuneSearch(database.db, points.embedding, { targetRecall: 1, k: 10, sampleSize: 60, metric: 'l2', candidates: [11, 20], seed: 3 });
    console.log(table(result));
    expect(result.met).toBe(false);
    expect(result.curve.map((p) => p.value)).toEqual([11, 20]);
    const best = result.curve.reduce((a, b) => (b.recall > a.recall ? b : a));
    expect(result.value).toBe(best.value);
    expect(result.lowerBound).toBe(best.lowerBound);
    expect(result.validations).toEqual([{ value: best.value, recall: result.validationRecall, lowerBound: expect.any(Number) }]);
    expect(result.validationRecall).toBeLessThan(1);
    expect(result.why).toMatch(/^no efSearch in \[11, 20\] reached recall 1 on the tuning queries with 95 % confidence/);
  }, 120_000);
});
