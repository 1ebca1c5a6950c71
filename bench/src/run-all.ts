/**
 * `pnpm bench`: every benchmark in turn. Each writes `bench-results/<name>.json` (its numbers), `<name>.md` (its
 * section) and its SVG charts; `bench-results/summary.md` has every section in order, and goes to stdout too.
 * Progress goes to stderr.
 *
 *   pnpm bench                                   # all, PGlite (and DATABASE_URL where a benchmark supports it)
 *   pnpm bench --only index-comparison --rows 100000 --dims 1536
 *   pnpm bench --list
 *   DATABASE_URL=… pnpm bench --only codec,ingestion,index-comparison --out bench-results/server
 *
 * These are benchmarks, not tests: nothing here passes or fails on timing. Run them on a quiet machine; other
 * processes on the same cores show up directly in the p95 column.
 *
 * Adding a benchmark: export `async function runX(): Promise<BenchmarkReport>` from `src/<name>.ts` and add an
 * entry to `BENCHMARKS` below. `--out DIR` writes somewhere else than bench-results/ (e.g. a server run beside the
 * PGlite one).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCodecBenchmark } from './codec.js';
import { runFilteredSearch } from './filtered-search.js';
import { parseIndexComparisonArgs, runIndexComparison } from './index-comparison.js';
import { runHybridSearchBenchmark } from './hybrid-search.js';
import { runIngestionBenchmark } from './ingestion.js';
import { runQuantizedCandidates } from './quantized-candidates.js';
import { runQuantizedSearch } from './quantized-search.js';
import { runQueryBenchmark } from './query-overhead.js';
import { resultsDir, sectionWithCharts, writeReport, type Benchmark, type BenchmarkReport } from './report.js';

const args = process.argv.slice(2).filter((a) => a !== '--');

const BENCHMARKS: Benchmark[] = [
  { name: 'query-overhead', description: 'nearest() vs the same SQL by hand through the same driver', run: runQueryBenchmark },
  { name: 'codec', description: 'vector text codec vs Drizzle built-in vs pgvector-node vs JSON (no database)', run: runCodecBenchmark },
  { name: 'ingestion', description: 'copyRows vs chunked insert().values() vs a hand-written binary COPY (rows/s)', run: runIngestionBenchmark },
  { name: 'hybrid-search', description: 'hybridSearch() (one statement) vs its vector and text branches run one after the other', run: runHybridSearchBenchmark },
  {
    name: 'index-comparison',
    description: 'sequential scan vs IVFFlat vs HNSW: build, size, memory, latency, recall, probes/ef_search sweep (--rows --dims --queries --seed)',
    run: () => runIndexComparison(parseIndexComparisonArgs(args)),
  },
  {
    name: 'filtered-search',
    description: "nearest()'s filtered-search plan vs exact and index scans by hand: selectivity × filter kind × HNSW/IVFFlat (FILTERED_* variables)",
    run: () => runFilteredSearch(),
  },
  {
    name: 'quantized-search',
    description: 'full-precision HNSW vs asHalfvec / binaryQuantize HNSW + exact re-rank: build, size, memory, recall, latency (QS_* variables)',
    run: () => runQuantizedSearch(),
  },
  {
    name: 'quantized-candidates',
    description: 're-rank recall@10 vs candidates per via at 384/768/1536-d: the source of QUANTIZED_SEARCH (QC_* variables)',
    run: () => runQuantizedCandidates(),
  },
];

const { values } = parseArgs({ args, options: { only: { type: 'string' }, list: { type: 'boolean' } }, strict: false, allowPositionals: true });
if (values.list) {
  for (const b of BENCHMARKS) console.log(`${b.name.padEnd(18)} ${b.description}`);
  process.exit(0);
}
const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()) : undefined;
const unknown = only?.filter((name) => !BENCHMARKS.some((b) => b.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; one of: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const RESULTS_DIR = resultsDir(args);
const started = performance.now();
const reports: BenchmarkReport[] = [];
const timings: string[] = [];
for (const benchmark of BENCHMARKS.filter((b) => !only || only.includes(b.name))) {
  process.stderr.write(`\n== ${benchmark.name}: ${benchmark.description}\n`);
  const t0 = performance.now();
  const report = await benchmark.run();
  timings.push(`${benchmark.name} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  reports.push(report);
  for (const path of await writeReport(RESULTS_DIR, report)) process.stderr.write(`wrote ${path}\n`);
}

const summary = [
  '# drizzle-pgvector benchmarks',
  '',
  `${new Date().toISOString().slice(0, 10)}. See bench/README.md for what each table measures and how to read it.`,
  '',
  ...reports.map((r) => `${sectionWithCharts(r).trimEnd()}\n`),
  '',
  `Total ${((performance.now() - started) / 1000).toFixed(0)} s (${timings.join(', ')}).`,
  '',
].join('\n');
await writeFile(join(RESULTS_DIR, 'summary.md'), summary);
process.stderr.write(`wrote ${join(RESULTS_DIR, 'summary.md')}\n`);
console.log(summary);
