/**
 * Hybrid search benchmark: `hybridSearch()` (one statement: nearest's vector search and a full-text search, fused
 * by reciprocal rank) vs its two branches written by hand and run one after the other through the same driver —
 * what an application does without it (two round trips, then fusion in JavaScript).
 *
 *   pnpm bench --only hybrid-search              # PGlite in-process
 *   DATABASE_URL=… pnpm bench --only hybrid-search --out bench-results/server
 *
 * Data: BENCH_HYBRID_ROWS (20000) documents × 128-d clustered unit vectors, each with 12 words from its cluster's
 * vocabulary of 40 (and 3 from a common one), a stored generated `tsvector` column (searchDocument) with a GIN index,
 * HNSW (cosine) on the embedding. Queries: a vector near a cluster centre + two words of that cluster. The three
 * variants run interleaved (rotating which goes first) after a warm-up. Target: hybrid ≤ 1.1× (vector + text).
 */
import { sql, type SQL } from 'drizzle-orm';
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { hnswIndex, hybridSearch, nearestSql, searchDocument, tsvector, vector } from 'drizzle-pgvector';
import { clusteredVectors, seededRandom } from '@drizzle-pgvector/testing/data';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';
import { openBenchDatabase } from './bench-database.js';
import { drizzleTemplate } from './sql-template.js';
import type { BenchmarkReport } from './report.js';
import { environment, median, ms, quantile } from './stats.js';

const ROWS = Number(process.env.BENCH_HYBRID_ROWS ?? 20_000);
const QUERIES = Number(process.env.BENCH_HYBRID_QUERIES ?? 300);
const WARMUP = 50;
const DIMS = 128;
const CLUSTERS = 50;
const K = 10;
const CANDIDATES = 40;

const docs = pgTable(
  'bench_hybrid',
  {
    id: integer('id').primaryKey(),
    body: text('body').notNull(),
    search: tsvector('search').generatedAlwaysAs((): SQL => searchDocument({ config: 'simple', columns: [docs.body] })),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [hnswIndex('bench_hybrid_embedding').on(t.embedding, 'cosine'), index('bench_hybrid_search').using('gin', t.search)],
);

const word = (cluster: number, i: number): string => `w${cluster}x${i}`;

export async function runHybridSearchBenchmark(): Promise<BenchmarkReport> {
  const bench = await openBenchDatabase(process.env['DATABASE_URL']);
  const { db } = bench;
  const random = seededRandom(5);
  const data = clusteredVectors({ rows: ROWS + QUERIES, dimensions: DIMS, clusters: CLUSTERS, seed: 9, spread: 0.08 });
  await db.execute(sql`drop table if exists bench_hybrid`);
  await db.execute(sql`create table bench_hybrid (id integer primary key, body text not null, embedding vector(${sql.raw(String(DIMS))}) not null,
    search tsvector generated always as (${searchDocument({ config: 'simple', columns: [docs.body] })}) stored)`);
  for (let start = 0; start < ROWS; start += 1000) {
    const values: SQL[] = [];
    for (let i = start; i < Math.min(ROWS, start + 1000); i++) {
      const c = data.clusterOf[i]!;
      const words = Array.from({ length: 12 }, () => word(c, Math.floor(random() * 40))).concat(Array.from({ length: 3 }, () => `common${Math.floor(random() * 30)}`));
      values.push(sql`(${i + 1}, ${words.join(' ')}, ${`[${data.vectors[i]!.map((x) => x.toFixed(6)).join(',')}]`}::vector)`);
    }
    await db.execute(sql`insert into bench_hybrid (id, body, embedding) values ${sql.join(values, sql`, `)}`);
  }
  await db.execute(sql`create index bench_hybrid_embedding on bench_hybrid using hnsw (embedding vector_cosine_ops)`);
  await db.execute(sql`create index bench_hybrid_search on bench_hybrid using gin (search)`);
  await db.execute(sql`analyze bench_hybrid`);
  const queries = Array.from({ length: QUERIES }, (_, q) => {
    const c = data.clusterOf[ROWS + q]!;
    return { vector: data.vectors[ROWS + q]!, words: `${word(c, Math.floor(random() * 40))} ${word(c, Math.floor(random() * 40))}` };
  });
  // The vector branch by hand: nearest's own SQL (unfiltered: no settings), planned before timing.
  const vectorPlans = await Promise.all(queries.map((q) => nearestSql(db, docs.embedding, q.vector, { k: CANDIDATES, select: { id: docs.id } })));
  const vectorQuery = drizzleTemplate(vectorPlans[0]!.sql);
  const variants = {
    hybrid: async (q: (typeof queries)[number]) =>
      hybridSearch(db, { vector: { target: docs.embedding, query: q.vector }, text: { target: docs.search, query: q.words, config: 'simple' }, k: K, candidates: CANDIDATES, select: { id: docs.id } }),
    vector: async (q: (typeof queries)[number]) => db.execute(vectorQuery(vectorPlans[queries.indexOf(q)]!.params)),
    text: async (q: (typeof queries)[number]) =>
      db.execute(
        sql`select id, ts_rank_cd(search, websearch_to_tsquery('simple', ${q.words})) from bench_hybrid where search @@ websearch_to_tsquery('simple', ${q.words}) order by 2 desc, 1 limit ${CANDIDATES}`,
      ),
  };
  const names = Object.keys(variants) as (keyof typeof variants)[];
  const times: Record<string, number[]> = { hybrid: [], vector: [], text: [], sum: [] };
  for (let i = 0; i < WARMUP + QUERIES; i++) {
    const q = queries[i % QUERIES]!;
    const order = names.map((_, j) => names[(i + j) % names.length]!);
    const t: Record<string, number> = {};
    for (const name of order) {
      const t0 = performance.now();
      await variants[name](q);
      t[name] = performance.now() - t0;
    }
    if (i < WARMUP) continue;
    for (const name of names) times[name]!.push(t[name]!);
    times['sum']!.push(t['vector']! + t['text']!);
  }
  await db.execute(sql`drop table bench_hybrid`);
  await bench.close();
  const rowsOut = ['hybrid', 'vector', 'text', 'sum'].map((name) => {
    const v = times[name]!;
    return [name === 'sum' ? 'vector + text (two round trips)' : name === 'hybrid' ? 'hybridSearch (one statement)' : `${name} branch alone, by hand`, ms(median(v)), ms(quantile(v, 0.95))];
  });
  const ratio = median(times['hybrid']!) / median(times['sum']!);
  const markdown = [
    '## Hybrid search: one statement vs the two branches',
    '',
    `${bench.label}; ${ROWS} documents × ${DIMS}-d, HNSW cosine + GIN; k ${K}, ${CANDIDATES} candidates per branch; ${QUERIES} queries interleaved after ${WARMUP} warm-up rounds.`,
    '',
    table(['variant', 'median', 'p95'], rowsOut),
    '',
    `**hybridSearch ÷ (vector + text) = ${ratio.toFixed(2)}×** (median of the per-query sum; target ≤ 1.1×).`,
    '',
    await environment(),
  ].join('\n');
  return { name: 'hybrid-search', markdown, data: { rows: ROWS, dims: DIMS, queries: QUERIES, k: K, candidates: CANDIDATES, times, ratio } };
}
