import { eq } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { hnswIndex, ivfflatIndex, nearest, nearestSql, vector, type NearestOptions } from '../../src/index.js';
import { versionAtLeast } from '../../src/internal.js';
import { ddl, explain, gaussian, prng, runPlan } from './fixtures.js';

/**
 * Recall and filtering on a 10,000-row, 64-dimensional clustered data set (50 overlapping Gaussian clusters,
 * seeded PRNG), indexed after loading: HNSW (L2) and IVFFlat (cosine, 100 lists). The clusters overlap enough
 * that untuned IVFFlat (1 probe) misses a fair share of the true neighbours, so tuning is visible in recall.
 */
const ROWS = 10_000;
const DIMS = 64;
const CLUSTERS = 50;
const LISTS = 100;

const points = pgTable(
  'q_points',
  {
    id: integer('id').primaryKey(),
    tag: integer('tag').notNull(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [hnswIndex('q_points_hnsw').on(t.embedding, 'l2'), ivfflatIndex('q_points_ivf').on(t.embedding, 'cosine').with({ lists: LISTS })],
);

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;
let iterative: boolean;
const random = prng(2024);
const centers = Array.from({ length: CLUSTERS }, () => Array.from({ length: DIMS }, () => gaussian(random)));
const SPREAD = 1.2;
const near = (c: number): number[] => centers[c]!.map((x) => Number((x + SPREAD * gaussian(random)).toFixed(4)));
const queries = Array.from({ length: 20 }, (_, i) => near((i * 7) % CLUSTERS));

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  const { tables, indexes } = await ddl(points);
  await database.query('drop table if exists q_points');
  for (const s of tables) await database.query(s);
  for (let start = 0; start < ROWS; start += 1000) {
    const values: string[] = [];
    for (let id = start; id < start + 1000; id++) {
      // tag is independent of the cluster: each value selects 2% of the rows, spread over all clusters.
      values.push(`(${id}, ${Math.floor(random() * 50)}, '[${near(id % CLUSTERS).join(',')}]')`);
    }
    await database.query(`insert into q_points (id, tag, embedding) values ${values.join(', ')}`);
  }
  for (const s of indexes) await database.query(s);
  await database.query('analyze q_points');
  const [row] = await database.query<{ extversion: string }>(`select extversion from pg_extension where extname = 'vector'`);
  iterative = versionAtLeast(row!.extversion, '0.8.0');
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists q_points').catch(() => undefined);
  await database?.close();
});

/** Average recall@k of nearest() against the exact answer (the same SQL with index scans disabled). */
async function recall(options: NearestOptions<{ id: typeof points.id }>, index: string): Promise<number> {
  let hits = 0;
  let total = 0;
  for (const query of queries) {
    const plan = await nearestSql(db, points.embedding, query, options);
    expect(await explain(db, plan)).toContain(`Index Scan using ${index}`);
    const found = await nearest(db, points.embedding, query, options);
    const exact = await runPlan(db, plan, { setup: ['set local enable_indexscan = off'] });
    const truth = new Set(exact.map((r) => Number(r[1])));
    expect(truth.size).toBe(options.k);
    hits += found.filter((r) => truth.has(r.id)).length;
    total += options.k;
  }
  return hits / total;
}

describe('recall@10 against exact search on 10k clustered vectors', () => {
  it('HNSW with efSearch 100 reaches ≥ 0.95', async () => {
    const r = await recall({ k: 10, metric: 'l2', select: { id: points.id }, settings: { efSearch: 100 } }, 'q_points_hnsw');
    expect(r).toBeGreaterThanOrEqual(0.95);
  });

  it(`IVFFlat with probes = sqrt(lists) = ${Math.sqrt(LISTS)} reaches ≥ 0.95, well above the untuned 1 probe`, async () => {
    const tuned = await recall({ k: 10, metric: 'cosine', select: { id: points.id }, settings: { probes: Math.sqrt(LISTS) } }, 'q_points_ivf');
    expect(tuned).toBeGreaterThanOrEqual(0.95);
    // Control: the settings really reach the scan (pgvector's default of 1 probe finds fewer true neighbours).
    const untuned = await recall({ k: 10, metric: 'cosine', select: { id: points.id } }, 'q_points_ivf');
    expect(untuned).toBeLessThan(tuned);
  });
});

describe('approximate searches never silently under-return', () => {
  const query = near(11);

  it("a 2%-selective filter on HNSW returns k rows through the HNSW index (strategy 'index', pgvector's default ef_search)", async () => {
    const options = { k: 10, metric: 'l2' as const, where: eq(points.tag, 7), select: { id: points.id, tag: points.tag }, strategy: 'index' as const, settings: { efSearch: 40 } };
    const plan = await nearestSql(db, points.embedding, query, options);
    expect(await explain(db, plan)).toContain('Index Scan using q_points_hnsw');
    const found = await nearest(db, points.embedding, query, options);
    expect(found).toHaveLength(10);
    expect(found.every((r) => r.tag === 7)).toBe(true);
    for (let i = 1; i < found.length; i++) expect(found[i]!.distance).toBeGreaterThanOrEqual(found[i - 1]!.distance);
    // Negative control: the same SQL without the automatic settings comes back short (HNSW stops at ef_search candidates).
    if (iterative) {
      expect(plan.statements).toContain("SET LOCAL hnsw.iterative_scan = 'strict_order'");
      expect((await runPlan(db, plan, { withoutSettings: true })).length).toBeLessThan(10);
    }
  });

  it("a 2%-selective filter on IVFFlat returns k rows, re-sorted (strategy 'index', one probe)", async () => {
    const options = { k: 10, metric: 'cosine' as const, where: eq(points.tag, 7), select: { id: points.id, tag: points.tag }, strategy: 'index' as const, settings: { probes: 1 } };
    const plan = await nearestSql(db, points.embedding, query, options);
    expect(await explain(db, plan)).toContain('Index Scan using q_points_ivf');
    const found = await nearest(db, points.embedding, query, options);
    expect(found.every((r) => r.tag === 7)).toBe(true);
    for (let i = 1; i < found.length; i++) expect(found[i]!.distance).toBeGreaterThanOrEqual(found[i - 1]!.distance);
    if (iterative) {
      expect(plan.resorted).toBe(true);
      expect(found).toHaveLength(10);
      expect((await runPlan(db, plan, { withoutSettings: true })).length).toBeLessThan(10);
    }
  });

  it('k = 100 on HNSW returns 100 rows (ef_search raised from its default 40)', async () => {
    const options = { k: 100, metric: 'l2' as const, select: { id: points.id } };
    const plan = await nearestSql(db, points.embedding, query, options);
    expect(plan.statements).toEqual(['SET LOCAL hnsw.ef_search = 100']);
    expect(await nearest(db, points.embedding, query, options)).toHaveLength(100);
    expect((await runPlan(db, plan, { withoutSettings: true })).length).toBeLessThanOrEqual(40);
  });
});
