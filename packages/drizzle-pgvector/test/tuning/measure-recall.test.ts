import { eq, sql, type SQL } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asHalfvec, binaryQuantize, hnswIndex, measureRecall, nearestSql, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { clustered, load } from './data.js';

/** 5,000 clustered 32-d rows with a small HNSW graph (recall depends on ef_search), and a 300-row table without a primary key. */
const DIMS = 32;
const items = pgTable(
  'r_items',
  {
    id: integer('id').primaryKey(),
    tag: integer('tag').notNull(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
    /** Same vectors, no index: searches on it are exact. */
    plain: vector('plain', { dimensions: DIMS }).notNull(),
  },
  (t) => [
    hnswIndex('r_items_hnsw').on(t.embedding, 'l2').with({ m: 6, efConstruction: 20 }),
    hnswIndex('r_items_half').on(asHalfvec(t.embedding, DIMS), 'cosine').with({ m: 6, efConstruction: 20 }),
    hnswIndex('r_items_bq').on(binaryQuantize(t.embedding, DIMS), 'hamming').with({ m: 6, efConstruction: 20 }),
  ],
);
const loose = pgTable('r_loose', { name: text('name').notNull(), embedding: vector('embedding', { dimensions: DIMS }).notNull() }, (t) => [
  hnswIndex('r_loose_hnsw').on(t.embedding, 'l2'),
]);

const data = clustered({ dims: DIMS, clusters: 50, spread: 1, seed: 11 });
let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  await load(
    database,
    items,
    'r_items',
    data.points(5000).map((embedding, id) => ({ id, tag: id % 10, embedding, plain: embedding })),
  );
  await load(
    database,
    loose,
    'r_loose',
    data.points(300).map((embedding, i) => ({ name: `n${i}`, embedding })),
  );
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists r_items').catch(() => undefined);
  await database?.query('drop table if exists r_loose').catch(() => undefined);
  await database?.close();
});

/** EXPLAIN of nearest's SQL with the plain planner defaults (no enable_seqscan = off). */
async function explainDefault(plan: { sql: string; params: readonly unknown[] }): Promise<string> {
  const parts = plan.sql.split(/\$(\d+)/);
  const chunks: SQL[] = [sql.raw('explain ')];
  parts.forEach((part, i) => chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${plan.params[Number(part) - 1]}`));
  return rowsOf<Record<string, unknown>>(await database.db.execute(sql.join(chunks)))
    .map((r) => String(Object.values(r)[0]))
    .join('\n');
}

describe('measureRecall', () => {
  it('measures the HNSW index: recall is clearly below 1 at a small efSearch and rises with it', async () => {
    const queries = data.points(50);
    const low = await measureRecall(database.db, items.embedding, { queries, k: 10, settings: { efSearch: 10 } });
    const high = await measureRecall(database.db, items.embedding, { queries, k: 10, settings: { efSearch: 200 } });
    console.log(`r_items (5k): efSearch 10 → ${low.recall.toFixed(3)} (${low.meanMs.toFixed(2)} ms), 200 → ${high.recall.toFixed(3)} (${high.meanMs.toFixed(2)} ms)`);
    expect(low.usedIndexes).toEqual(['r_items_hnsw']);
    expect(high.usedIndexes).toEqual(['r_items_hnsw']);
    expect(low.indexes).toEqual([{ name: 'r_items_hnsw', method: 'hnsw' }]);
    expect(low.metric).toBe('l2');
    expect(low.recall).toBeLessThan(0.95);
    expect(high.recall).toBeGreaterThan(low.recall);
    expect(high.recall).toBeGreaterThanOrEqual(0.9);
    expect(low.perQuery).toHaveLength(50);
    for (const q of low.perQuery) {
      expect(q.exact).toHaveLength(10);
      expect(q.found).toHaveLength(10);
      expect(q.sourceId).toBeUndefined();
      expect(q.recall).toBe(q.found.filter((id) => q.exact.includes(id)).length / 10);
    }
    expect(low.recall).toBeCloseTo(low.perQuery.reduce((s, q) => s + q.recall, 0) / 50, 10);
    expect(low.meanMs).toBeGreaterThan(0);
    expect(low.p95Ms).toBeGreaterThan(0);
  });

  it('samples rows as queries deterministically and leaves each query’s own row out of both lists', async () => {
    const a = await measureRecall(database.db, items.embedding, { sampleSize: 40, k: 5, settings: { efSearch: 100 } });
    const b = await measureRecall(database.db, items.embedding, { sampleSize: 40, k: 5, settings: { efSearch: 100 } });
    const c = await measureRecall(database.db, items.embedding, { sampleSize: 40, k: 5, settings: { efSearch: 100 }, seed: 2 });
    const ids = a.perQuery.map((q) => q.sourceId!);
    expect(new Set(ids).size).toBe(40);
    expect(b.perQuery.map((q) => q.sourceId)).toEqual(ids);
    expect(c.perQuery.map((q) => q.sourceId)).not.toEqual(ids);
    for (const q of a.perQuery) {
      expect(q.exact).toHaveLength(5);
      expect(q.exact).not.toContain(q.sourceId);
      expect(q.found).not.toContain(q.sourceId);
    }
    expect(a.recall).toBeGreaterThan(0.8);
  });

  it('keeps the index on a 300-row table, where the planner would otherwise scan the table', async () => {
    const query = data.points(1)[0]!;
    const plan = await nearestSql(database.db, loose.embedding, query, { k: 10, select: { name: loose.name } });
    expect(await explainDefault(plan)).toMatch(/Seq Scan on r_loose/);
    const report = await measureRecall(database.db, loose.embedding, { queries: data.points(20), k: 10 });
    expect(report.usedIndexes).toEqual(['r_loose_hnsw']);
  });

  it('without a primary key, explicit queries are compared by ctid; sampling is refused', async () => {
    const report = await measureRecall(database.db, loose.embedding, { queries: data.points(10), k: 5, settings: { efSearch: 100 } });
    expect(report.perQuery[0]!.exact[0]).toMatch(/^\(\d+,\d+\)$/);
    expect(report.recall).toBeGreaterThan(0.9);
    const error = await expectCodeAsync(() => measureRecall(database.db, loose.embedding, { sampleSize: 10, k: 5 }), 'PRIMARY_KEY_REQUIRED');
    expect(error.message).toContain('"r_loose"');
  });

  it('an unindexed target is searched exactly: recall 1, no index used', async () => {
    const report = await measureRecall(database.db, items.plain, { sampleSize: 20, k: 10, metric: 'l2' });
    expect(report.indexes).toEqual([]);
    expect(report.usedIndexes).toEqual([]);
    expect(report.recall).toBe(1);
  });

  it('applies the filter to both searches', async () => {
    const report = await measureRecall(database.db, items.embedding, { queries: data.points(20), k: 10, where: eq(items.tag, 3), settings: { efSearch: 100 } });
    expect(report.usedIndexes).toEqual(['r_items_hnsw']);
    for (const q of report.perQuery) {
      expect(q.exact).toHaveLength(10);
      expect([...q.exact, ...q.found].every((id) => Number(id) % 10 === 3)).toBe(true);
    }
    // A 10%-selective filter on this small graph (strict_order iterative scan) loses recall; measured, not hidden.
    console.log(`filtered (tag = 3) recall at efSearch 100: ${report.recall.toFixed(3)}`);
    expect(report.recall).toBeGreaterThan(0.3);
  });

  it('measures an expression target (asHalfvec) through its expression index, sampling the cast values', async () => {
    const report = await measureRecall(database.db, asHalfvec(items.embedding, DIMS), { sampleSize: 20, k: 5, settings: { efSearch: 100 } });
    expect(report.metric).toBe('cosine');
    expect(report.usedIndexes).toEqual(['r_items_half']);
    expect(report.recall).toBeGreaterThan(0.8);
  });

  it('a binaryQuantize target is sampled with the source vector and searched through its bit index', async () => {
    const report = await measureRecall(database.db, binaryQuantize(items.embedding, DIMS), { sampleSize: 20, k: 5, settings: { efSearch: 200 } });
    expect(report.metric).toBe('hamming');
    expect(report.usedIndexes).toEqual(['r_items_bq']);
    // Hamming distances tie a lot, and ids at a tied k-th distance may differ: recall is high but need not be 1.
    for (const q of report.perQuery) expect(q.exact).toHaveLength(5);
    expect(report.recall).toBeGreaterThan(0.3);
  });

  it('gives the same answer on every driver (PGlite, node-postgres, postgres.js)', async () => {
    const queries = data.points(20);
    const drivers = database.backend === 'pglite' ? (['pglite', 'node-postgres', 'postgres-js'] as const) : (['node-postgres', 'postgres-js'] as const);
    const reports = [];
    for (const driver of drivers) {
      const connection = await database.connect(driver, { max: 1 });
      try {
        reports.push(await measureRecall(connection.db, items.embedding, { queries, k: 10, settings: { efSearch: 40 } }));
        reports.push(await measureRecall(connection.db, items.embedding, { sampleSize: 10, k: 10, settings: { efSearch: 40 } }));
      } finally {
        await connection.close();
      }
    }
    for (let i = 2; i < reports.length; i++) {
      const [a, b] = [reports[i % 2]!, reports[i]!];
      expect(b.usedIndexes).toEqual(['r_items_hnsw']);
      expect(b.perQuery.map((q) => [q.sourceId, q.exact, q.found])).toEqual(a.perQuery.map((q) => [q.sourceId, q.exact, q.found]));
    }
  });

  it('inside a caller’s transaction, puts the planner switches back as they were', async () => {
    const seen = await database.db.transaction(async (tx) => {
      await tx.execute(sql.raw('SET LOCAL enable_bitmapscan = off'));
      await measureRecall(tx, items.embedding, { sampleSize: 10, k: 5 });
      const [row] = rowsOf<Record<string, string>>(
        await tx.execute(
          sql`select current_setting('enable_seqscan') as s, current_setting('enable_indexscan') as i, current_setting('enable_bitmapscan') as b`,
        ),
      );
      return row;
    });
    expect(seen).toEqual({ s: 'on', i: 'on', b: 'off' });
  });
});
