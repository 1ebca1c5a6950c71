import { sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asHalfvec, binaryQuantize, hnswIndex, ivfflatIndex, nearest, nearestSql, subvector, tuneSearch, vector, type CurvePoint, type TuneSearchResult } from '../../src/index.js';
import { clustered, load } from './data.js';

/**
 * tuneSearch with rerank on 3,000 clustered 64-d unit vectors (60 overlapping clusters): three quantized indexes
 * on one column — binary quantization (HNSW, hamming), half precision (HNSW, cosine) and the first 16 dimensions
 * (IVFFlat, cosine, 30 lists) — and no index on the full column. Recall is of the re-ranked result against the
 * exact cosine neighbours on the full column.
 */
const ROWS = 3_000;
const DIMS = 64;

const docs = pgTable(
  't_rerank',
  {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [
    hnswIndex('t_rerank_bq').on(binaryQuantize(t.embedding), 'hamming').with({ m: 8, efConstruction: 32 }),
    hnswIndex('t_rerank_half').on(asHalfvec(t.embedding), 'cosine').with({ m: 8, efConstruction: 32 }),
    ivfflatIndex('t_rerank_sub').on(subvector(t.embedding, 1, 16), 'cosine').with({ lists: 30 }),
  ],
);

const data = clustered({ dims: DIMS, clusters: 60, spread: 0.6, seed: 11 });
const rows = data.points(ROWS);
let database: PgVectorTestDatabase;

/** The exact k nearest ids by cosine distance, in JavaScript: ground truth that shares no code with the library. */
function exactCosine(query: readonly number[], k: number, exclude?: number): number[] {
  const qn = Math.hypot(...query);
  return rows
    .map((v, id) => ({ id, d: 1 - v.reduce((s, x, i) => s + x * query[i]!, 0) / (Math.hypot(...v) * qn) }))
    .filter((r) => r.id !== exclude)
    .sort((a, b) => a.d - b.d)
    .slice(0, k)
    .map((r) => r.id);
}

function table(result: TuneSearchResult): string {
  const lines = [
    `${database.backend}: rerank via ${result.rerank?.via.label} ("${result.index}", ${result.method}), k = ${result.k}, target ${result.targetRecall} → candidates ${result.value}, settings ${JSON.stringify(result.settings)}, met ${result.met}, validation ${result.validationRecall.toFixed(3)}`,
    '| candidates | settings | tuning recall | lower bound | mean ms | p95 ms |',
  ];
  for (const p of result.curve) {
    lines.push(`| ${p.candidates} | ${JSON.stringify(p.settings)} | ${p.recall.toFixed(3)} | ${p.lowerBound.toFixed(3)} | ${p.meanMs.toFixed(2)} | ${p.p95Ms.toFixed(2)} |`);
  }
  lines.push(`validations: ${result.validations.map((v) => `${v.value} → ${v.recall.toFixed(3)}`).join(', ')}`);
  return lines.join('\n');
}

/** Curve points measured with the same settings, ascending by candidates. */
function bySettings(curve: readonly CurvePoint[]): CurvePoint[][] {
  const groups = new Map<string, CurvePoint[]>();
  for (const p of curve) {
    const key = JSON.stringify(p.settings);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.value - b.value));
}

/**
 * What every re-ranked result must satisfy. More candidates never lower recall: with the via index's settings
 * fixed, the candidates of a smaller count are a prefix of a larger one's (one deterministic index scan, cut by
 * LIMIT), and the exact top k of a superset keeps every true neighbour the subset's top k had — so within one
 * settings group the tuning recall is non-decreasing exactly. Across groups (a larger ef_search) the scan itself
 * changes; there it may only wobble by sampling noise.
 */
function checkRerank(result: TuneSearchResult, via: { label: string }): void {
  expect(result.setting).toBe('candidates');
  expect(result.rerank).toEqual({ via: expect.objectContaining({ label: via.label }), candidates: result.value });
  expect(result.nearestOptions).toEqual({ k: result.k, metric: 'cosine', rerank: result.rerank, settings: result.settings });
  expect(result.usedIndexes).toEqual([result.index]);
  for (const p of result.curve) {
    expect(p.candidates).toBe(p.value);
    expect(p.lowerBound).toBeCloseTo(Math.max(0, p.recall - 1.645 * p.standardError), 10);
  }
  for (const group of bySettings(result.curve)) {
    for (let i = 1; i < group.length; i++) expect(group[i]!.recall).toBeGreaterThanOrEqual(group[i - 1]!.recall);
  }
  // across settings: a point with at least as many candidates and at least as much ef_search / probes as another
  const setting = (p: CurvePoint): number => p.settings?.efSearch ?? p.settings?.probes ?? 0;
  for (const a of result.curve) {
    for (const b of result.curve) {
      if (b.value >= a.value && setting(b) >= setting(a)) expect(b.recall).toBeGreaterThanOrEqual(a.recall - 0.03);
    }
  }
  if (result.met) {
    expect(result.lowerBound).toBeGreaterThanOrEqual(result.targetRecall);
    expect(result.validationRecall).toBeGreaterThanOrEqual(result.targetRecall);
    expect(result.validations.at(-1)!.value).toBe(result.value);
    // smaller candidate counts at the chosen settings missed the bound (or failed validation)
    for (const p of result.curve) {
      if (p.value < result.value && JSON.stringify(p.settings) === JSON.stringify({ ...p.settings, ...result.settings })) {
        const rejected = result.validations.some((v) => v.value === p.value && v.recall < result.targetRecall);
        if (!rejected && result.method === 'ivfflat') expect(p.lowerBound).toBeLessThan(result.targetRecall);
      }
    }
  }
}

beforeAll(async () => {
  database = await startTestDatabase();
  const started = performance.now();
  await load(
    database,
    docs,
    't_rerank',
    rows.map((embedding, id) => ({ id, embedding })),
  );
  console.log(`loaded and indexed ${ROWS} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (${database.backend})`);
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists t_rerank').catch(() => undefined);
  await database?.close();
});

describe('tuneSearch with rerank', () => {
  it('binary quantization (HNSW, hamming): candidates tuned with ef_search = max(40, candidates) reach 0.9 on held-out queries', async () => {
    const via = binaryQuantize(docs.embedding);
    const result = await tuneSearch(database.db, docs.embedding, { targetRecall: 0.9, k: 10, metric: 'cosine', sampleSize: 160, rerank: { via } });
    console.log(table(result));
    expect(result).toMatchObject({ method: 'hnsw', index: 't_rerank_bq', met: true, tuningQueries: 80, validationQueries: 80 });
    expect(result.settings).toEqual({ efSearch: Math.max(40, result.value) });
    // the result is plain JSON (the via target, which refers to its table, is written as its label)
    expect(JSON.parse(JSON.stringify(result)).nearestOptions.rerank).toEqual({ via: 'binaryQuantize("t_rerank"."embedding", 64)', candidates: result.value });
    // binary codes of 64 bits rank poorly on their own: k + 1 candidates miss, more are needed
    expect(result.curve[0]).toMatchObject({ value: 11, settings: { efSearch: 40 } });
    expect(result.curve[0]!.recall).toBeLessThan(0.9);
    expect(result.value).toBeGreaterThan(11);
    checkRerank(result, via);
    // the deterministic part of "more candidates never lower recall": 11, 20, 40 share ef_search 40
    expect(bySettings(result.curve).find((g) => g[0]!.settings?.efSearch === 40)!.length).toBeGreaterThanOrEqual(3);
    // nearestOptions goes straight to nearest: fresh queries, recall against the exact cosine answer computed in JavaScript
    const fresh = data.points(60);
    let hits = 0;
    for (const q of fresh) {
      const found = await nearest(database.db, docs.embedding, q, { ...result.nearestOptions, select: { id: docs.id } });
      expect(found).toHaveLength(10);
      const truth = new Set(exactCosine(q, 10));
      hits += found.filter((r) => truth.has(r.id)).length;
      // distance is the exact cosine distance on the full column, ascending
      expect(found.map((r) => r.distance)).toEqual([...found.map((r) => r.distance)].sort((a, b) => a - b));
    }
    const plan = await nearestSql(database.db, docs.embedding, fresh[0]!, result.nearestOptions);
    expect(plan.rerank).toMatchObject({ via: via.label, metric: 'hamming', candidates: result.value });
    console.log(`fresh queries at ${result.value} candidates: recall ${(hits / (fresh.length * 10)).toFixed(3)}`);
    expect(hits / (fresh.length * 10)).toBeGreaterThanOrEqual(result.targetRecall - 0.03);
  }, 180_000);

  it('half precision (HNSW, cosine, metric taken from the via index): few candidates suffice', async () => {
    const via = asHalfvec(docs.embedding);
    const result = await tuneSearch(database.db, docs.embedding, { targetRecall: 0.95, k: 10, sampleSize: 120, rerank: { via } });
    console.log(table(result));
    expect(result).toMatchObject({ method: 'hnsw', index: 't_rerank_half', metric: 'cosine', met: true });
    checkRerank(result, via);
    expect(result.value).toBeLessThanOrEqual(80);
  }, 180_000);

  it('a subvector (IVFFlat, cosine): probes from the scan at the largest count, then candidates; explicit queries off the table', async () => {
    const via = subvector(docs.embedding, 1, 16);
    const queries = data.points(120);
    const result = await tuneSearch(database.db, docs.embedding, { targetRecall: 0.9, k: 10, metric: 'cosine', queries, rerank: { via }, candidates: [10, 20, 40, 80, 160, 320] });
    console.log(table(result));
    expect(result).toMatchObject({ method: 'ivfflat', index: 't_rerank_sub', met: true });
    expect(result.settings).toEqual({ probes: expect.any(Number) });
    // the probes scan measured 320 candidates at 1, 2, 4, … probes up to the chosen one
    const scanned = result.curve.filter((p) => p.value === 320).map((p) => p.settings!.probes!);
    expect(scanned[0]).toBe(1);
    expect(scanned.at(-1)).toBe(result.settings.probes);
    checkRerank(result, via);
  }, 180_000);

  it('where: the filtered workload is tuned against its own exact answers, the filter applied in the scan', async () => {
    const via = binaryQuantize(docs.embedding);
    const where = sql`${docs.id} % 2 = 0`;
    const result = await tuneSearch(database.db, docs.embedding, { targetRecall: 0.85, k: 10, metric: 'cosine', sampleSize: 80, where, rerank: { via } });
    console.log(table(result));
    expect(result).toMatchObject({ index: 't_rerank_bq', met: true });
    checkRerank(result, via);
    const found = await nearest(database.db, docs.embedding, rows[1]!, { ...result.nearestOptions, where, select: { id: docs.id } });
    expect(found).toHaveLength(10);
    expect(found.every((r) => r.id % 2 === 0)).toBe(true);
  }, 180_000);

  it('ground truth is the exact search on the full column: re-ranking every row scores exactly 1', async () => {
    // 3000 candidates at probes = lists re-rank the whole table by exact cosine: if recall were measured against the
    // 16-d subvector's own neighbours, it would be far below 1.
    const via = subvector(docs.embedding, 1, 16);
    const result = await tuneSearch(database.db, docs.embedding, { targetRecall: 1, k: 10, metric: 'cosine', sampleSize: 40, rerank: { via }, candidates: [ROWS] });
    console.log(table(result));
    expect(result).toMatchObject({ met: true, value: ROWS, recall: 1, lowerBound: 1, validationRecall: 1 });
    // probes went up (1, 2, 4, …) until the tuning and the held-out queries both read exactly 1
    expect(result.curve[0]!.settings).toEqual({ probes: 1 });
    expect(result.curve[0]!.recall).toBeLessThan(1);
    expect(result.curve.at(-1)!.settings).toEqual(result.settings);
  }, 180_000);
});
