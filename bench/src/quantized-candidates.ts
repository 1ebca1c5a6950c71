/**
 * How many candidates a re-ranked search needs: recall@10 (against the exact full-precision answer) as a function
 * of `candidates`, for each `via` (binaryQuantize with Hamming HNSW, asHalfvec with cosine HNSW, subvector of the
 * first 1/4 and 1/2 of the dimensions with cosine HNSW) at 384, 768 and 1536 dimensions. The source of
 * `QUANTIZED_SEARCH` (packages/drizzle-pgvector/src/catalog/quantized-search.ts).
 *
 *   DATABASE_URL=postgres://… pnpm --filter drizzle-pgvector-bench bench:candidates --out bench-results/server
 *   (QC_ROWS 20000 on a server, 2000 on PGlite; QC_QUERIES 100, QC_DIMS 384,768,1536, QC_CANDIDATES 10,20,…,1000, QC_MEAN_COSINE 0.3, QC_K 10)
 *
 * Data: text-like synthetic vectors (src/text-like-data.ts; no real embeddings are reachable here), one table per
 * dimension count, loaded with copyRows, HNSW m 16 / ef_construction 64 on each expression (buildIndex). Per
 * `candidates` C, every held-out query runs the hand-written re-rank (src/quantized-plans.ts) with
 * `SET LOCAL hnsw.ef_search = max(40, C)` (C ≤ 1000, pgvector's ceiling). A via's sweep stops once recall@10 ≥ 0.995.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openBenchDatabase } from './bench-database.js';
import { quantizedCandidatesCharts, quantizedCandidatesMarkdown, type CandidatesData, type CurvePoint } from './quantized-candidates-report.js';
import { build, efSearchFor, exactSql, loadTable, qsTable, recallOf, rerankSql, run, usesIndex, vias } from './quantized-plans.js';
import type { BenchmarkReport } from './report.js';
import { environment, median, quantile } from './stats.js';
import { textLikeData, TEXT_LIKE_DEFAULTS } from './text-like-data.js';

const SEED = 7;
const CANDIDATES = [10, 20, 40, 60, 80, 100, 150, 200, 300, 400, 600, 800, 1000];
const STOP_AT = 0.995;

function envList(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (!raw) return [...fallback];
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: positive integers, got ${s}`);
    return n;
  });
}

export async function runQuantizedCandidates(progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BenchmarkReport> {
  const bench = await openBenchDatabase(process.env.DATABASE_URL || undefined);
  const rows = envList('QC_ROWS', [bench.kind === 'PGlite' ? 2000 : 20_000])[0]!;
  const queryCount = envList('QC_QUERIES', [100])[0]!;
  const dimsList = envList('QC_DIMS', [384, 768, 1536]);
  const K = envList('QC_K', [10])[0]!;
  const candidates = envList('QC_CANDIDATES', CANDIDATES).filter((c) => c >= K && c <= 1000);
  const meanCosine = Number(process.env.QC_MEAN_COSINE ?? TEXT_LIKE_DEFAULTS.meanCosine);
  const started = performance.now();
  const load = { start: loadavg()[0]!, samples: [] as number[] };
  const curves: CurvePoint[] = [];
  const builds: CandidatesData['builds'][number][] = [];
  const skipped: string[] = [];
  const name = 'bench_qc';
  try {
    for (const d of dimsList) {
      const data = textLikeData({ rows, dimensions: d, seed: SEED, meanCosine });
      const table = qsTable(name, d);
      progress(`Quantized candidates on ${bench.label}: ${rows.toLocaleString('en-US')} × ${d}, loading…`);
      const loadMs = await loadTable(bench, table, name, d, rows, data.rows);
      const v = vias(name, d);
      const list = [v.bq, v.half, v.sub4, v.sub2];
      for (const via of list) {
        const b = await build(bench, table, via.index);
        builds.push({ dims: d, via: via.label, buildMs: b.elapsedMs, indexBytes: b.indexBytes, maintenanceWorkMem: b.maintenanceWorkMem ?? '' });
        progress(`  ${d}-d ${via.label}: built in ${(b.elapsedMs / 1000).toFixed(1)} s, ${(b.indexBytes / 2 ** 20).toFixed(1)} MB (loaded in ${(loadMs / 1000).toFixed(1)} s)`);
      }
      const queries = data.queries(queryCount);
      const truth = [];
      for (const q of queries) truth.push(await run(bench, [], exactSql(name, d, K), q));
      for (const via of list) {
        const settings = (c: number) => [`set local hnsw.ef_search = ${efSearchFor(c)}`];
        if (!(await usesIndex(bench, settings(candidates[0]!), rerankSql(name, d, via, candidates[0]!, K), queries[0]!, via.index))) {
          // A small table (PGlite's default run): the planner sorts every row instead; such a curve would be the exact answer's.
          skipped.push(`${via.label} at ${d}-d`);
          progress(`  ${d}-d ${via.label}: the planner does not use ${via.index} (table too small?), skipped`);
          continue;
        }
        for (const c of candidates) {
          const times: number[] = [];
          let found = 0;
          for (let i = 0; i < queries.length; i++) {
            const t0 = performance.now();
            const result = await run(bench, settings(c), rerankSql(name, d, via, c, K), queries[i]!);
            times.push(performance.now() - t0);
            found += recallOf(result, truth[i]!);
          }
          const point: CurvePoint = { dims: d, via: via.label, kind: via.kind, candidates: c, efSearch: efSearchFor(c), recall: found / queries.length, medianMs: median(times), p95Ms: quantile(times, 0.95) };
          curves.push(point);
          load.samples.push(loadavg()[0]!);
          progress(`  ${d}-d ${via.label} C=${c}: recall@${K} ${point.recall.toFixed(3)}, ${point.medianMs.toFixed(2)} ms`);
          if (point.recall >= STOP_AT) break;
        }
      }
      await bench.db.execute(sql`drop table if exists ${sql.identifier(name)}`);
    }
    const result: CandidatesData = {
      backend: bench.label,
      environment: await environment(),
      date: new Date().toISOString(),
      dataSet: { generator: 'text-like (src/text-like-data.ts)', rows, queries: queryCount, seed: SEED, ...TEXT_LIKE_DEFAULTS, meanCosine, k: K, metric: 'cosine' },
      hnsw: 'm = 16, ef_construction = 64; ef_search = max(40, candidates)',
      loadAverage: { start: load.start, median: median(load.samples), max: Math.max(...load.samples) },
      builds,
      skipped,
      curves,
      totalMs: performance.now() - started,
    };
    return { name: K === 10 ? 'quantized-candidates' : `quantized-candidates-k${K}`, markdown: quantizedCandidatesMarkdown(result), data: result, charts: await quantizedCandidatesCharts(result) };
  } finally {
    if (bench.kind !== 'PGlite') await bench.db.execute(sql`drop table if exists ${sql.identifier(name)}`);
    await bench.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { resultsDir, writeReport } = await import('./report.js');
  const report = await runQuantizedCandidates();
  console.log(report.markdown);
  for (const path of await writeReport(resultsDir(process.argv.slice(2)), report)) process.stderr.write(`wrote ${path}\n`);
}
