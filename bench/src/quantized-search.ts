/**
 * Quantized search with exact re-rank: full-precision HNSW vs asHalfvec HNSW + re-rank vs binaryQuantize HNSW
 * (Hamming) + re-rank, side by side on one table.
 *
 *   pnpm --filter drizzle-pgvector-bench bench:quantized                     # PGlite, 2,000 × 1536
 *   DATABASE_URL=postgres://… pnpm bench --only quantized-search --out bench-results/server   # 100,000 × 1536
 *   (QS_ROWS, QS_DIMS 1536, QS_QUERIES 100, QS_ROUNDS 3, QS_TARGET 0.95; QS_KEEP_TABLE=1 keeps bench_qs on the server,
 *   QS_REUSE=<an earlier quantized-search.json> then searches that table again with that run's load and build figures)
 *
 * Data: text-like synthetic unit vectors (src/text-like-data.ts, seed 42), loaded with copyRows. Three HNSW
 * indexes (m 16, ef_construction 64) on the same column, built one after the other with buildIndex
 * (maintenance_work_mem from estimateIndexBuildMemory, serial): `embedding vector_cosine_ops`,
 * `(embedding::halfvec(d)) halfvec_cosine_ops`, `(binary_quantize(embedding)::bit(d)) bit_hamming_ops`. Per build:
 * time, pg_relation_size, the memory estimate. Then, with recall@10 against the exact answer (sequential scan) on
 * held-out queries: a sweep of ef_search (full precision) and candidates (the two re-ranks, hand-written SQL) up to
 * the first value reaching QS_TARGET; at those values every query runs each variant (full precision through
 * nearest(); each re-rank through nearest({ rerank }) and by hand, the same SQL) interleaved in a rotated order.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { asHalfvec, binaryQuantize, nearest, nearestSql } from 'drizzle-pgvector';
import { openBenchDatabase, type BenchDatabase } from './bench-database.js';
import { DEFAULT_EF_SEARCH, build, efSearchFor, exactSql, runPlan, indexSql, loadTable, qsTable, recallOf, rerankSql, run, usesIndex, vias, type QsTable, type Via } from './quantized-plans.js';
import { quantizedSearchCharts, quantizedSearchMarkdown, type MethodBuild, type QuantizedSearchData, type SweepPoint, type TimedVariant } from './quantized-search-report.js';
import type { BenchmarkReport } from './report.js';
import { environment, median, quantile } from './stats.js';
import { textLikeData } from './text-like-data.js';

const K = 10;
const SEED = 42;
const EF_SWEEP = [40, 60, 80, 100, 150, 200, 300, 400];
const CANDIDATE_SWEEP = [10, 20, 40, 60, 80, 100, 150, 200, 300, 400, 600, 800, 1000];

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

type Row = { id: number; distance: number };
const pick = ({ chosen, reached }: { chosen: number; reached: boolean }) => ({ chosen, reached });
type Search = (q: readonly number[]) => Promise<Row[]>;

/** Recall@k and latency of `search` over every query, once. */
async function pass(search: Search, queries: readonly number[][], truth: readonly Row[][]): Promise<{ recall: number; medianMs: number; p95Ms: number }> {
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    const rows = await search(queries[i]!);
    times.push(performance.now() - t0);
    found += recallOf(rows, truth[i]!);
  }
  return { recall: found / queries.length, medianMs: median(times), p95Ms: quantile(times, 0.95) };
}

/** Sweep `values` until recall reaches `target`; returns the points and the chosen value (the last if none did). */
async function sweep(
  label: string,
  setting: 'ef_search' | 'candidates',
  values: readonly number[],
  search: (value: number) => Search,
  queries: readonly number[][],
  truth: readonly Row[][],
  target: number,
  progress: (l: string) => void,
): Promise<{ points: SweepPoint[]; chosen: number; reached: boolean }> {
  const points: SweepPoint[] = [];
  for (const value of values) {
    const p = await pass(search(value), queries, truth);
    points.push({ method: label, setting, value, efSearch: setting === 'ef_search' ? value : efSearchFor(value), ...p });
    progress(`  ${label} ${setting} ${value}: recall@10 ${p.recall.toFixed(3)}, ${p.medianMs.toFixed(2)} ms`);
    if (p.recall >= target) return { points, chosen: value, reached: true };
  }
  return { points, chosen: values[values.length - 1]!, reached: false };
}

/** nearest() with `rerank: { via, candidates }` (the library's re-rank of the same search). */
function rerankThroughNearest(bench: BenchDatabase, t: QsTable, via: Via, candidates: number): Search {
  const target = via.kind === 'binaryQuantize' ? binaryQuantize(t.embedding) : asHalfvec(t.embedding);
  return async (q) => nearest(bench.db, t.embedding, [...q], { k: K, metric: 'cosine', select: { id: t.id }, rerank: { via: target, candidates } });
}

export async function runQuantizedSearch(progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BenchmarkReport> {
  const bench = await openBenchDatabase(process.env.DATABASE_URL || undefined);
  const rows = envInt('QS_ROWS', bench.kind === 'PGlite' ? 2000 : 100_000);
  const d = envInt('QS_DIMS', 1536);
  if (d % 4 !== 0) throw new Error(`QS_DIMS must be divisible by 4, got ${d}`);
  const queryCount = envInt('QS_QUERIES', 100);
  const rounds = envInt('QS_ROUNDS', 3);
  const target = Number(process.env.QS_TARGET ?? 0.95);
  const name = 'bench_qs';
  const started = performance.now();
  const loadSamples: number[] = [loadavg()[0]!];
  try {
    const data = textLikeData({ rows, dimensions: d, seed: SEED });
    const t = qsTable(name, d);
    const v = vias(name, d);
    let loadMs: number;
    let builds: MethodBuild[] = [];
    let tableBytes: number;
    let buildsFrom: string | undefined;
    const reuse = process.env.QS_REUSE;
    if (reuse) {
      // An earlier run's table, kept with QS_KEEP_TABLE: its load and build figures, this run's searches.
      const previous = JSON.parse(await readFile(reuse, 'utf8')) as QuantizedSearchData;
      const [count] = await bench.rows<{ n: string }>(sql`select count(*) as n from ${sql.identifier(name)}`);
      const same = previous.dataSet.rows === rows && previous.dataSet.dimensions === d && previous.dataSet.seed === SEED && Number(count?.n) === rows;
      if (!same) throw new Error(`QS_REUSE: ${reuse} and table ${name} do not match ${rows} × ${d} (seed ${SEED})`);
      ({ loadMs, builds, tableBytes } = { loadMs: previous.loadMs, builds: [...previous.builds], tableBytes: previous.tableBytes });
      buildsFrom = previous.buildsFrom ?? previous.date;
      progress(`Quantized search on ${bench.label}: reusing ${name} and the builds of ${buildsFrom} (${reuse})`);
    } else {
      progress(`Quantized search on ${bench.label}: loading ${rows.toLocaleString('en-US')} × ${d} rows with copyRows…`);
      loadMs = await loadTable(bench, t, name, d, rows, data.rows);
      progress(`  loaded in ${(loadMs / 1000).toFixed(1)} s`);
      for (const via of [v.full, v.half, v.bq]) {
        progress(`  building ${via.index}…`);
        const b = await build(bench, t, via.index);
        loadSamples.push(loadavg()[0]!);
        builds.push({ method: via.label, index: via.index, sql: b.sql, buildMs: b.elapsedMs, indexBytes: b.indexBytes, maintenanceWorkMem: b.maintenanceWorkMem ?? '', estimateBytes: b.estimate?.bytes, estimateWhy: b.estimate?.why });
        progress(`  ${via.label}: ${(b.elapsedMs / 1000).toFixed(1)} s, ${(b.indexBytes / 2 ** 20).toFixed(1)} MB, maintenance_work_mem ${b.maintenanceWorkMem}`);
      }
      const [size] = await bench.rows<{ n: string }>(sql`select pg_table_size(${name}::regclass) as n`);
      tableBytes = Number(size?.n ?? 0);
    }

    const queries = data.queries(queryCount);
    progress(`  exact answers for ${queryCount} queries (sequential scan)…`);
    const truth: Row[][] = [];
    const exactTimes: number[] = [];
    for (const q of queries) {
      const t0 = performance.now();
      truth.push(await run(bench, [], exactSql(name, d, K), q));
      exactTimes.push(performance.now() - t0);
    }
    loadSamples.push(loadavg()[0]!);

    // pgvector's default ef_search needs no SET LOCAL, hence no transaction (as nearest() does it).
    const efSettings = (ef: number) => (ef === DEFAULT_EF_SEARCH ? [] : [`set local hnsw.ef_search = ${ef}`]);
    const full = (ef: number): Search => (q) => run(bench, efSettings(ef), indexSql(name, d, K), q);
    const notIndexed: string[] = [];
    const rerank = (via: Via) => (c: number): Search => (q) => run(bench, efSettings(efSearchFor(c)), rerankSql(name, d, via, c, K), q);
    for (const [via, text] of [[v.full, indexSql(name, d, K)], [v.half, rerankSql(name, d, v.half, K, K)], [v.bq, rerankSql(name, d, v.bq, K, K)]] as const) {
      if (!(await usesIndex(bench, efSettings(40), text, queries[0]!, via.index))) notIndexed.push(via.label);
    }
    if (notIndexed.length > 0) progress(`  the planner does not use the index for: ${notIndexed.join(', ')} (table too small?)`);
    const sweeps = {
      full: await sweep(v.full.label, 'ef_search', EF_SWEEP, full, queries, truth, target, progress),
      half: await sweep(v.half.label, 'candidates', CANDIDATE_SWEEP, rerank(v.half), queries, truth, target, progress),
      bq: await sweep(v.bq.label, 'candidates', CANDIDATE_SWEEP, rerank(v.bq), queries, truth, target, progress),
    };
    loadSamples.push(loadavg()[0]!);

    // Timed, interleaved: each variant at its chosen value.
    const efFull = sweeps.full.chosen;
    const nearestPlans: { method: string; statements: readonly string[]; sql: string }[] = [];
    const variants: { label: string; method: string; through: TimedVariant['through']; setting: string; search: Search }[] = [
      {
        label: `full precision, nearest() ef_search ${efFull}`,
        method: v.full.label,
        through: 'nearest()',
        setting: `ef_search ${efFull}`,
        search: async (q) => (await nearest(bench.db, t.embedding, [...q], { k: K, metric: 'cosine', select: { id: t.id }, settings: { efSearch: efFull } })) as unknown as Row[],
      },
    ];
    for (const [via, s] of [[v.half, sweeps.half], [v.bq, sweeps.bq]] as const) {
      const plan = await nearestSql(bench.db, t.embedding, queries[0]!, { k: K, metric: 'cosine', select: { id: t.id }, rerank: { via: via.kind === 'binaryQuantize' ? binaryQuantize(t.embedding) : asHalfvec(t.embedding), candidates: s.chosen } });
      nearestPlans.push({ method: via.label, statements: plan.statements, sql: plan.sql });
      variants.push({ label: `${via.label} + re-rank, nearest()`, method: via.label, through: 'nearest()', setting: `candidates ${s.chosen}`, search: rerankThroughNearest(bench, t, via, s.chosen) });
      variants.push({ label: `${via.label} + re-rank, nearestSql()'s SQL by hand`, method: via.label, through: 'same SQL by hand', setting: `candidates ${s.chosen}`, search: (q) => runPlan(bench, plan.statements, plan.sql, [JSON.stringify(q), ...plan.params.slice(1)]) });
      variants.push({ label: `${via.label} + re-rank, by hand`, method: via.label, through: 'by hand', setting: `candidates ${s.chosen}`, search: rerank(via)(s.chosen) });
    }
    progress(`  timing ${variants.length} variants × ${queryCount} queries × ${rounds} rounds, interleaved…`);
    for (let i = 0; i < Math.min(10, queries.length); i++) for (const x of variants) await x.search(queries[i]!);
    const times = variants.map(() => [] as number[]);
    const found = variants.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < queries.length; i++) {
        for (let j = 0; j < variants.length; j++) {
          const at = (i + j + r) % variants.length;
          const t0 = performance.now();
          const result = await variants[at]!.search(queries[i]!);
          times[at]!.push(performance.now() - t0);
          found[at]! += recallOf(result, truth[i]!);
        }
      }
      loadSamples.push(loadavg()[0]!);
    }
    const timed: TimedVariant[] = variants.map((x, j) => ({
      label: x.label,
      method: x.method,
      through: x.through,
      setting: x.setting,
      recall: found[j]! / (rounds * queries.length),
      medianMs: median(times[j]!),
      p95Ms: quantile(times[j]!, 0.95),
    }));
    const result: QuantizedSearchData = {
      backend: bench.label,
      environment: await environment(),
      date: new Date().toISOString(),
      dataSet: { generator: 'text-like (src/text-like-data.ts)', rows, dimensions: d, seed: SEED, meanCosine: data.options.meanCosine, queries: queryCount, metric: 'cosine', k: K },
      target,
      rounds,
      loadMs,
      tableBytes,
      buildsFrom,
      builds,
      exact: { medianMs: median(exactTimes), p95Ms: quantile(exactTimes, 0.95) },
      sweep: [...sweeps.full.points, ...sweeps.half.points, ...sweeps.bq.points],
      chosen: { full: pick(sweeps.full), half: pick(sweeps.half), bq: pick(sweeps.bq) },
      timed,
      nearestPlans,
      notIndexed,
      loadAverage: { median: median(loadSamples), max: Math.max(...loadSamples) },
      totalMs: performance.now() - started,
    };
    return { name: 'quantized-search', markdown: quantizedSearchMarkdown(result), data: result, charts: await quantizedSearchCharts(result) };
  } finally {
    if (bench.kind !== 'PGlite' && !process.env.QS_KEEP_TABLE) await bench.db.execute(sql`drop table if exists ${sql.identifier(name)}`);
    await bench.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { resultsDir, writeReport } = await import('./report.js');
  const report = await runQuantizedSearch();
  console.log(report.markdown);
  for (const path of await writeReport(resultsDir(process.argv.slice(2)), report)) process.stderr.write(`wrote ${path}\n`);
}
