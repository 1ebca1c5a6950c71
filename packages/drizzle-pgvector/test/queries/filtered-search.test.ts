import { eq, inArray, lt, type SQL } from 'drizzle-orm';
import { integer, pgTable, index } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { clusteredVectors } from '@drizzle-pgvector/testing/data';
import { FILTERED_SEARCH } from '../../src/catalog/index.js';
import { hnswIndex, ivfflatIndex, nearest, nearestSql, vector, type NearestOptions } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { cosine, ddl, explain } from './fixtures.js';

/**
 * The cases of issue 15's table, on every backend: 30,000 × 64-d clustered unit vectors (60 clusters), cosine,
 * HNSW with pgvector's defaults and IVFFlat with 30 lists, a btree on each filter column, held-out queries from the
 * same distribution, NO settings passed — recall@10 against the exact filtered answer (computed here, in float4).
 * The clusters are as tight as the issue's data, where pgvector's defaults give ≈ 0.99 unfiltered: HNSW builds are not
 * deterministic, and on looser clusters (spread 0.05) the unfiltered baseline itself swings 0.93–0.99 between builds.
 */
const ROWS = 30_000;
const DIMS = 64;
const CLUSTERS = 60;
const QUERIES = 40;

function columns() {
  return {
    id: integer('id').primaryKey(),
    cluster: integer('cluster').notNull(),
    /** 0.1 % / 1 % / 10 % / 50 % of the rows per value, spread over every cluster. */
    c1000: integer('c1000').notNull(),
    c100: integer('c100').notNull(),
    c10: integer('c10').notNull(),
    c2: integer('c2').notNull(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  };
}
const btrees = (t: ReturnType<typeof columns> & Record<string, never>, name: string) =>
  (['cluster', 'c1000', 'c100', 'c10', 'c2'] as const).map((c) => index(`${name}_${c}`).on((t as never)[c]));

const hnswItems = pgTable('fs_hnsw', columns(), (t) => [hnswIndex('fs_hnsw_embedding').on(t.embedding, 'cosine'), ...btrees(t as never, 'fs_hnsw')]);
const ivfItems = pgTable('fs_ivf', columns(), (t) => [
  ivfflatIndex('fs_ivf_embedding').on(t.embedding, 'cosine').with({ lists: 30 }),
  ...btrees(t as never, 'fs_ivf'),
]);
type Items = typeof hnswItems | typeof ivfItems;

const data = clusteredVectors({ rows: ROWS + QUERIES, dimensions: DIMS, clusters: CLUSTERS, seed: 11, spread: 0.04 });
const stored = data.vectors.slice(0, ROWS).map((v) => v.map((x) => Math.fround(Number(x.toFixed(6)))));
const queries = data.vectors.slice(ROWS);
const hash = (i: number): number => Math.imul(i + 1, 2654435761) >>> 0;
const rowsMeta = Array.from({ length: ROWS }, (_, i) => ({ cluster: data.clusterOf[i]!, c1000: hash(i) % 1000, c100: hash(i) % 100, c10: hash(i) % 10, c2: hash(i) % 2 }));
/** The cluster whose centre is farthest from query `q` (its rows lie away from the query). */
/** Per query, the clusters ordered from the farthest centre to the nearest: their rows lie away from the query. */
const farOrder = queries.map((query) =>
  Array.from({ length: CLUSTERS }, (_, c) => c).sort((a, b) => cosine(data.centroids[b]!, query) - cosine(data.centroids[a]!, query)),
);
const farCluster = (q: number): number => farOrder[q]![0]!;
const farSets = [6, 18].map((n) => farOrder.map((order) => new Set(order.slice(0, n))));

type Meta = (typeof rowsMeta)[number];
interface Case {
  name: string;
  where: (t: Items, q: number) => SQL | undefined;
  keep: (m: Meta, q: number) => boolean;
}
const CASES: Case[] = [
  { name: 'no filter', where: () => undefined, keep: () => true },
  { name: 'category 0.1 %', where: (t) => eq(t.c1000, 7), keep: (m) => m.c1000 === 7 },
  { name: 'category 1 %', where: (t) => eq(t.c100, 7), keep: (m) => m.c100 === 7 },
  { name: 'category 10 %', where: (t) => eq(t.c10, 7), keep: (m) => m.c10 === 7 },
  { name: 'category 50 %', where: (t) => eq(t.c2, 1), keep: (m) => m.c2 === 1 },
  { name: 'one cluster far from the query (1.7 %)', where: (t, q) => eq(t.cluster, farCluster(q)), keep: (m, q) => m.cluster === farCluster(q) },
  { name: 'two far clusters (3.4 %)', where: (t, q) => inArray(t.cluster, [farCluster(q), (farCluster(q) + 1) % CLUSTERS]), keep: (m, q) => m.cluster === farCluster(q) || m.cluster === (farCluster(q) + 1) % CLUSTERS },
  { name: 'range 20 %', where: (t) => lt(t.c10, 2), keep: (m) => m.c10 < 2 },
  // Large filters whose rows lie away from the query: an index scan finds k rows of them, but the wrong ones.
  { name: 'six far clusters (10 %)', where: (t, q) => inArray(t.cluster, [...farSets[0]![q]!]), keep: (m, q) => farSets[0]![q]!.has(m.cluster) },
  { name: 'eighteen far clusters (30 %)', where: (t, q) => inArray(t.cluster, [...farSets[1]![q]!]), keep: (m, q) => farSets[1]![q]!.has(m.cluster) },
];

function exactIds(q: number, keep: (m: Meta) => boolean, k: number): number[] {
  const scored: [number, number][] = [];
  for (let i = 0; i < ROWS; i++) if (keep(rowsMeta[i]!)) scored.push([cosine(stored[i]!, queries[q]!), i + 1]);
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return scored.slice(0, k).map((s) => s[1]);
}

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  for (const table of [hnswItems, ivfItems]) {
    const { tables, indexes } = await ddl(table);
    const name = table === hnswItems ? 'fs_hnsw' : 'fs_ivf';
    await database.query(`drop table if exists ${name}`);
    for (const s of tables) await database.query(s);
    if (table === hnswItems) {
      for (let start = 0; start < ROWS; start += 1000) {
        const values: string[] = [];
        for (let i = start; i < start + 1000; i++) {
          const m = rowsMeta[i]!;
          values.push(`(${i + 1}, ${m.cluster}, ${m.c1000}, ${m.c100}, ${m.c10}, ${m.c2}, '[${stored[i]!.join(',')}]')`);
        }
        await database.query(`insert into fs_hnsw (id, cluster, c1000, c100, c10, c2, embedding) values ${values.join(', ')}`);
      }
    } else {
      await database.query('insert into fs_ivf select * from fs_hnsw');
    }
    for (const s of indexes) await database.query(s);
    await database.query(`analyze ${name}`);
  }
}, 600_000);

afterAll(async () => {
  await database?.query('drop table if exists fs_hnsw, fs_ivf').catch(() => undefined);
  await database?.close();
});

async function measure(table: Items, c: Case, extra: Partial<NearestOptions<undefined>> = {}) {
  let recall = 0;
  for (let q = 0; q < QUERIES; q++) {
    const truth = exactIds(q, (m) => c.keep(m, q), 10);
    const found = await nearest(db, table.embedding, queries[q]!, { k: 10, where: c.where(table, q), select: { id: table.id }, ...extra } as never);
    // Every row that exists comes back: min(k, matching rows).
    expect(found.length, `${c.name}, query ${q}`).toBe(truth.length);
    const ids = new Set(found.map((r) => (r as unknown as { id: number }).id));
    recall += truth.filter((id) => ids.has(id)).length / Math.max(1, truth.length);
  }
  return recall / QUERIES;
}

describe.each([
  ['HNSW', () => hnswItems],
  ['IVFFlat (lists 30)', () => ivfItems],
])('%s: recall@10 ≥ 0.95 (or the unfiltered search\'s) with default options at every selectivity', (_method, table) => {
  // The unfiltered row is pgvector's own graph at its default ef_search 40 (the search nearest leaves alone): HNSW
  // builds are not deterministic, and on one server build it read 0.942. A filter must not cost recall: each filtered
  // case reaches 0.95, or at least the unfiltered search's recall on the same graph when that is below 0.95.
  let baseline = 1;
  it.each(CASES)('$name', async (c) => {
    const recall = await measure(table(), c);
    console.log(`filtered search ${_method} / ${c.name}: recall@10 ${recall.toFixed(3)}`);
    if (c.name === 'no filter') {
      baseline = recall;
      expect(recall, 'the unfiltered index scan (pgvector defaults)').toBeGreaterThanOrEqual(0.9);
    } else {
      // IVFFlat, eighteen far clusters: with 30 lists over 60 clusters a list can hold a near cluster and a far one, so
      // one probe finds k rows of the filter without coming back short — the far check (far-check.ts) re-runs those
      // exactly (0.925–1.000 across k-means builds before it, 1.000 since).
      expect(recall, c.name).toBeGreaterThanOrEqual(Math.min(0.95, baseline - 0.01));
    }
  });
});

describe("nearestSql reports the strategy, and the plan follows it", () => {
  const plan = (table: Items, where: SQL | undefined, extra: Partial<NearestOptions<undefined>> = {}) =>
    nearestSql(db, table.embedding, queries[0]!, { k: 10, where, select: { id: table.id }, ...extra } as never);

  it('a selective filter is searched exactly, through the filter\'s btree, with no settings', async () => {
    const p = await plan(hnswItems, eq(hnswItems.c100, 7));
    expect(p.strategy).toBe('exact');
    expect(p.estimatedRows).toBeGreaterThan(100);
    expect(p.estimatedRows).toBeLessThan(1000);
    expect(p.tableRows).toBeGreaterThan(25_000);
    expect(p.reason).toMatch(/filter matches ≈ \d+ of \d+ rows \(≤ 2000\): exact search/);
    expect(p.statements).toEqual([]);
    expect(p.indexes).toEqual([]);
    const text = await explain(db, p);
    expect(text).not.toMatch(/fs_hnsw_embedding/);
    expect(text).toMatch(/fs_hnsw_c100/);
  });

  it('the vector index is still used for unfiltered and 50 % searches', async () => {
    for (const where of [undefined, eq(hnswItems.c2, 1)]) {
      const p = await plan(hnswItems, where);
      expect(p.strategy).toBe('index');
      expect(await explain(db, p)).toMatch(/Index Scan using fs_hnsw_embedding/);
    }
    const unfiltered = await plan(hnswItems, undefined);
    expect(unfiltered.reason).toBe('no filter: index scan');
    expect(unfiltered.estimatedRows).toBeUndefined();
    expect(unfiltered.statements).toEqual([]);
  });

  it('an unselective filter gets an index scan with a budget sized to its selectivity, and a fallback', async () => {
    const p = await plan(hnswItems, eq(hnswItems.c10, 7));
    expect(p.strategy).toBe('index');
    // ef_search ≈ k/f, at least 8·k, rounded up to a step: 100 or 150 for ≈ 10 % (FILTERED_SEARCH).
    const f = p.estimatedRows! / p.tableRows!;
    const wanted = Math.max(FILTERED_SEARCH.efMinPerK * 10, Math.ceil((FILTERED_SEARCH.efPerK * 10) / f));
    const ef = FILTERED_SEARCH.efSteps.find((s) => s >= wanted)!;
    expect([100, 150]).toContain(ef);
    expect(p.settings['hnsw.ef_search']).toBe(String(ef));
    expect(p.settings['hnsw.iterative_scan']).toBe('strict_order');
    expect(p.reason).toMatch(new RegExp(`10 %\\): index scan with hnsw.ef_search = ${ef}`));
    expect(p.fallback?.sql).toMatch(/order by \("fs_hnsw"."embedding" <=> \$1::vector\(64\)\) \+ 0 limit 10$/);
    const ivf = await plan(ivfItems, eq(ivfItems.c10, 7));
    expect(ivf.settings['ivfflat.iterative_scan']).toBe('relaxed_order');
    expect(Number(ivf.settings['ivfflat.probes'] ?? 1)).toBeGreaterThanOrEqual(1);
  });

  it('a filter whose index scan came back short is searched exactly next time (same values, while its estimate lives)', async () => {
    // The 18 clusters farthest from query 0 (30 %, ≈ 9,000 rows) and a cluster that does not exist, so these values are
    // this test's own: an index scan with its budget runs out among nearer clusters and comes back short.
    const where = inArray(hnswItems.cluster, [...farSets[1]![0]!, 999]);
    const before = await plan(hnswItems, where);
    expect(before.strategy).toBe('index');
    expect(before.fallback).toBeDefined();
    const rows = await nearest(db, hnswItems.embedding, queries[0]!, { k: 10, where, select: { id: hnswItems.id } });
    expect(rows.map((r) => r.id)).toEqual(exactIds(0, (m) => farSets[1]![0]!.has(m.cluster), 10));
    const after = await plan(hnswItems, where);
    expect(after.strategy).toBe('exact');
    expect(after.reason).toMatch(/an index scan with this filter came back short in the last 60 s .*: exact search over them/);
    // Other values of the same filter shape are not affected.
    expect((await plan(hnswItems, inArray(hnswItems.cluster, [...farSets[1]![0]!, 998]))).strategy).toBe('index');
  });

  it("strategy forces a plan: 'exact' keeps the vector index out, 'index' uses it even for a selective filter", async () => {
    const exact = await plan(hnswItems, eq(hnswItems.c2, 1), { strategy: 'exact' });
    expect(exact.strategy).toBe('exact');
    expect(exact.reason).toBe("strategy 'exact' was asked for");
    expect(await explain(db, exact)).not.toMatch(/fs_hnsw_embedding/);
    const index = await plan(hnswItems, eq(hnswItems.c10, 7), { strategy: 'index' });
    expect(index.strategy).toBe('index');
    expect(index.fallback).toBeUndefined();
    expect(await explain(db, index)).toMatch(/Index Scan using fs_hnsw_embedding/);
    // Rows of both strategies are the same set for an unselective filter at full budget.
    const a = await nearest(db, hnswItems.embedding, queries[1]!, { k: 10, where: eq(hnswItems.c2, 1), strategy: 'exact', select: { id: hnswItems.id } });
    expect(a.map((r) => r.id)).toEqual(exactIds(1, (m) => m.c2 === 1, 10));
  });

  it('explicit settings win: an index scan with them, the budget only fills what was left out', async () => {
    const p = await plan(hnswItems, eq(hnswItems.c100, 7), { settings: { efSearch: 60 } });
    expect(p.strategy).toBe('index');
    expect(p.reason).toMatch(/^explicit settings: index scan/);
    expect(p.settings['hnsw.ef_search']).toBe('60');
    expect(p.settings['hnsw.iterative_scan']).toBe('strict_order');
  });

  it('requireIndex and strategy are validated before any SQL', async () => {
    await rejects(() => plan(hnswItems, undefined, { strategy: 'fast' as never }), 'INVALID_QUERY_OPTION', /strategy must be one of 'auto', 'exact', 'index'/);
    await rejects(() => plan(hnswItems, undefined, { requireIndex: 'yes' as never }), 'INVALID_QUERY_OPTION', /requireIndex must be true or false/);
    await rejects(() => plan(hnswItems, undefined, { requireIndex: true, strategy: 'exact' }), 'INVALID_QUERY_OPTION', /contradict/);
    await rejects(() => plan(hnswItems, undefined, { strategy: 'exact', settings: { efSearch: 100 } }), 'INVALID_QUERY_OPTION', /settings have no effect with strategy: 'exact'/);
    await rejects(() => plan(hnswItems, undefined, { metric: 'l2', requireIndex: true } as never), 'NO_USABLE_INDEX', /no vector index declared on the table serves 'l2'/);
    await rejects(() => plan(hnswItems, undefined, { index: 'nope' }), 'UNKNOWN_INDEX', /index "nope" is not a vector index declared on this target\. Declared on .*: "fs_hnsw_embedding" \(hnsw/);
    await rejects(() => plan(hnswItems, undefined, { index: 'fs_hnsw_embedding', metric: 'l2' } as never), 'INVALID_QUERY_OPTION', /index "fs_hnsw_embedding" is an hnsw index for 'cosine', but metric 'l2' was passed/);
  });

  it('a search no index serves says so in notes', async () => {
    const p = await plan(hnswItems, undefined, { metric: 'l2' } as never);
    expect(p.strategy).toBe('exact');
    expect(p.indexes).toEqual([]);
    expect(p.notes.join(' ')).toMatch(/no vector index declared on the table serves 'l2'.*exact scan of every row.*requireIndex: true/);
  });
});

describe('estimates are cached per filter and parameters', () => {
  const small = pgTable('fs_cache', { id: integer('id').primaryKey(), tag: integer('tag').notNull(), embedding: vector('embedding', { dimensions: 3 }).notNull() }, (t) => [
    hnswIndex('fs_cache_embedding').on(t.embedding, 'l2'),
  ]);

  it('a repeated filter reuses its estimate (no new EXPLAIN), other parameters get their own', async () => {
    await database.query('drop table if exists fs_cache');
    const { tables, indexes } = await ddl(small);
    for (const s of [...tables, ...indexes]) await database.query(s);
    await database.query(`insert into fs_cache select i, i % 10, ('[' || i || ',1,2]')::vector from generate_series(1, 3000) i`);
    await database.query('analyze fs_cache');
    const estimate = async (tag: number) => (await nearestSql(db, small.embedding, [1, 2, 3], { k: 5, where: eq(small.tag, tag) })).estimatedRows!;
    const before = await estimate(1);
    expect(before).toBeGreaterThan(200);
    expect(before).toBeLessThan(400);
    await database.query('update fs_cache set tag = 1');
    await database.query('analyze fs_cache');
    expect(await estimate(1)).toBe(before); // cached: the planner would now say 3000
    expect(await estimate(2)).toBeLessThan(50); // a new parameter value: a fresh estimate
    await database.query('drop table fs_cache');
  });
});

async function rejects(fn: () => Promise<unknown>, code: Parameters<typeof expectCodeAsync>[1], message: RegExp): Promise<void> {
  const error = await expectCodeAsync(fn, code);
  expect(error.message).toMatch(message);
}
