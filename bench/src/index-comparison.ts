/**
 * Index comparison: sequential scan vs IVFFlat vs HNSW on one deterministic clustered data set (cosine).
 *
 *   pnpm --filter drizzle-pgvector-bench bench:index [--rows 20000] [--dims 128] [--queries 200] [--seed 42]
 *   DATABASE_URL=postgres://… pnpm --filter drizzle-pgvector-bench bench:index --rows 100000 --dims 1536
 *   (also --clusters 300, --spread 1.5: the data set; --out DIR instead of bench-results/)
 *
 * Two tables with the same rows, one per index (HNSW m = 16, ef_construction = 64; IVFFlat lists from the
 * guidance). For each build: time around CREATE INDEX, `pg_relation_size` of the index, and the
 * `maintenance_work_mem` it needs (the library's estimateIndexBuildMemory: pgvector's allocation formulas), which is what the build
 * runs with (SET LOCAL in the build's transaction). Then every query vector goes through `nearest()` for each
 * configuration, interleaved: the exact scan (`SET LOCAL enable_indexscan = off`), IVFFlat at probes 1, 2, 4…
 * and HNSW at ef_search 10…320, with recall@10 against the exact scan. The guidance's starting point
 * (lists = rows / 1000, probes = √lists, ef_search = 40) is marked.
 *
 * PGlite (in-process) by default; the server in DATABASE_URL when set (tables bench_ic_*, dropped afterwards).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { SETTINGS } from 'drizzle-pgvector/catalog';
import { estimateIndexBuildMemory, declaredVectorIndexes, hnswIndex, ivfflatIndex, recommendIvfflat, vector, type VectorIndexInfo } from 'drizzle-pgvector';
import { openBenchDatabase, type BenchDatabase } from './bench-database.js';
import { clusteredData, type ClusteredData } from './clustered-data.js';
import { indexCharts } from './index-charts.js';
import { indexComparisonMarkdown, type BuildResult, type IndexComparisonData } from './index-comparison-report.js';
import { runSweep, type SweepConfig } from './index-sweep.js';
import type { BenchmarkReport } from './report.js';
import { environment } from './stats.js';

export interface IndexComparisonOptions {
  readonly rows: number;
  readonly dims: number;
  readonly queries: number;
  readonly seed: number;
  readonly clusters: number;
  /** Length of each point's Gaussian noise around its (unit) cluster centre, before normalising. */
  readonly spread: number;
  /** The server to run on; PGlite when undefined. */
  readonly url: string | undefined;
}

const K = 10;
const HNSW = { m: 16, efConstruction: 64 } as const;
const EF_SEARCH_SWEEP = [10, 20, 40, 80, 160, 320];
const PROBES_SWEEP = [1, 2, 4, 8, 16, 32];

/** pgvector's default `hnsw.ef_search`, from the catalog. */
export const GUIDANCE_EF_SEARCH = SETTINGS.find((s) => s.key === 'efSearch')!.default as number;

function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${String(value)}`);
  return n;
}

function positiveNumber(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${String(value)}`);
  return n;
}

/** `--rows --dims --queries --seed --clusters --spread` (unknown flags are left for others, e.g. run-all's). */
export function parseIndexComparisonArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): IndexComparisonOptions {
  const { values } = parseArgs({
    args: args.filter((a) => a !== '--'),
    options: { rows: { type: 'string' }, dims: { type: 'string' }, queries: { type: 'string' }, seed: { type: 'string' }, clusters: { type: 'string' }, spread: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  return {
    rows: positiveInteger('rows', values.rows, 20_000),
    dims: positiveInteger('dims', values.dims, 128),
    queries: positiveInteger('queries', values.queries, 200),
    seed: positiveInteger('seed', values.seed, 42),
    clusters: positiveInteger('clusters', values.clusters, 300),
    spread: positiveNumber('spread', values.spread, 1.0),
    url: env.DATABASE_URL || undefined,
  };
}

function tables(dims: number, lists: number) {
  const hnsw = pgTable('bench_ic_hnsw', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: dims }).notNull() }, (t) => [
    hnswIndex('bench_ic_hnsw_embedding').on(t.embedding, 'cosine').with(HNSW),
  ]);
  const ivfflat = pgTable('bench_ic_ivfflat', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: dims }).notNull() }, (t) => [
    ivfflatIndex('bench_ic_ivfflat_embedding').on(t.embedding, 'cosine').with({ lists }),
  ]);
  return { hnsw, ivfflat };
}

const TABLE_NAMES = ['bench_ic_hnsw', 'bench_ic_ivfflat'] as const;

async function load(bench: BenchDatabase, data: ClusteredData, progress: (s: string) => void): Promise<number> {
  const { rows, dimensions } = data.options;
  const { db } = bench;
  for (const name of TABLE_NAMES) {
    await db.execute(sql`drop table if exists ${sql.identifier(name)}`);
    await db.execute(sql`create table ${sql.identifier(name)} (id integer primary key, embedding vector(${sql.raw(String(dimensions))}) not null)`);
  }
  const started = performance.now();
  // Multi-row INSERTs of about 2 MB of text each; the second table is filled server-side.
  const chunk = Math.max(20, Math.floor(2_000_000 / (dimensions * 11)));
  let lastReport = started;
  for (let from = 0; from < rows; from += chunk) {
    const values = data.rows(from, chunk).map((r) => sql`(${r.id}, ${JSON.stringify(r.embedding)})`);
    await db.execute(sql`insert into ${sql.identifier(TABLE_NAMES[0])} (id, embedding) values ${sql.join(values, sql`, `)}`);
    if (performance.now() - lastReport > 10_000) {
      progress(`  loaded ${Math.min(rows, from + chunk).toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} rows`);
      lastReport = performance.now();
    }
  }
  await db.execute(sql`insert into ${sql.identifier(TABLE_NAMES[1])} select * from ${sql.identifier(TABLE_NAMES[0])}`);
  for (const name of TABLE_NAMES) await db.execute(sql`analyze ${sql.identifier(name)}`);
  return performance.now() - started;
}

async function build(bench: BenchDatabase, table: string, info: VectorIndexInfo, rows: number, dims: number): Promise<BuildResult> {
  const { db } = bench;
  const num = async (query: ReturnType<typeof sql>): Promise<number> => Number(Object.values((await bench.rows(query))[0] ?? {})[0]);
  const heapBlocks = Math.ceil((await num(sql`select pg_relation_size(${table}::regclass)`)) / 8192);
  const tableBytes = await num(sql`select pg_table_size(${table}::regclass)`);
  const configuredWorkers = bench.kind === 'PGlite' ? 0 : await num(sql`select current_setting('max_parallel_maintenance_workers')::int`);
  const options = info.method === 'hnsw' ? `m = ${info.options.m}, ef_construction = ${info.options.efConstruction}` : `lists = ${info.options.lists}`;
  const estimate = (workers: number): number =>
    estimateIndexBuildMemory({
      method: info.method,
      type: 'vector',
      dimensions: dims,
      rows,
      m: info.options.m,
      lists: info.options.lists,
      parallelWorkers: workers,
      serverVersion: bench.serverMajor,
      serverBits: bench.kind === 'PGlite' ? 32 : 64,
      heapPages: heapBlocks,
    }).bytes;
  // Run with what the serial build needs (the larger of the two), so the graph fits either way; 10% headroom, ≥ 64MB.
  const mwm = `${Math.max(64, Math.ceil((Math.max(estimate(0), estimate(configuredWorkers)) * 1.1) / 2 ** 20))}MB`;
  bench.notices.length = 0;
  const ms = await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local maintenance_work_mem = '${mwm}'`));
    if (bench.kind !== 'PGlite') await tx.execute(sql`set local client_min_messages = debug1`);
    const started = performance.now();
    await tx.execute(
      sql`create index ${sql.identifier(info.name)} on ${sql.identifier(table)} using ${sql.raw(info.method)} (${sql.identifier('embedding')} ${sql.raw(info.operatorClass.opclass)}) with (${sql.raw(options)})`,
    );
    return performance.now() - started;
  });
  const workers = Number(/using (\d+) parallel workers/.exec(bench.notices.join('\n'))?.[1] ?? 0);
  const spilled = bench.notices.find((n) => n.includes('no longer fits into maintenance_work_mem'));
  await db.execute(sql`analyze ${sql.identifier(table)}`);
  return {
    method: info.method === 'hnsw' ? 'HNSW' : 'IVFFlat',
    index: info.name,
    options,
    buildMs: ms,
    indexBytes: await num(sql`select pg_relation_size(${info.name}::regclass)`),
    tableBytes,
    memoryNeededBytes: estimate(workers),
    maintenanceWorkMem: mwm,
    workers,
    spilled: bench.kind === 'PGlite' ? undefined : (spilled ?? null),
  };
}

/** Run the whole comparison and return its report (markdown, JSON data, two SVG charts). */
export async function runIndexComparison(options: IndexComparisonOptions, progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BenchmarkReport> {
  const { rows, dims, seed, clusters, spread } = options;
  // The library's advice (index-guidance: lists = rows / 1000 up to 1M rows, √rows above; probes ≈ √lists).
  const { lists, probes } = recommendIvfflat({ rows });
  const data = clusteredData({ rows, dimensions: dims, clusters, spread, seed });
  const queries = data.queries(options.queries);
  const bench = await openBenchDatabase(options.url);
  const started = performance.now();
  try {
    progress(`Index comparison on ${bench.label}: loading ${rows.toLocaleString('en-US')} × ${dims} rows (seed ${seed})…`);
    const loadMs = await load(bench, data, progress);
    const t = tables(dims, lists);
    const builds: BuildResult[] = [];
    for (const [name, table] of [[TABLE_NAMES[0], t.hnsw], [TABLE_NAMES[1], t.ivfflat]] as const) {
      const info = declaredVectorIndexes(table)[0]!;
      progress(`  building ${info.method} (${name})…`);
      builds.push(await build(bench, name, info, rows, dims));
    }
    const hnswSelect = { id: t.hnsw.id };
    const ivfSelect = { id: t.ivfflat.id };
    const probeValues = [...new Set([...PROBES_SWEEP.filter((p) => p < lists), lists, probes])].filter((p) => p <= lists).sort((a, b) => a - b);
    const configs: SweepConfig[] = [
      { method: 'Sequential scan', setting: undefined, advice: false, column: t.hnsw.embedding, options: { k: K, metric: 'cosine', select: hnswSelect } },
      ...probeValues.map((p): SweepConfig => ({
        method: 'IVFFlat',
        setting: { name: 'probes', value: p },
        advice: p === probes,
        column: t.ivfflat.embedding,
        options: { k: K, metric: 'cosine', select: ivfSelect, settings: { probes: p } },
      })),
      ...EF_SEARCH_SWEEP.map((ef): SweepConfig => ({
        method: 'HNSW',
        setting: { name: 'ef_search', value: ef },
        advice: ef === GUIDANCE_EF_SEARCH,
        column: t.hnsw.embedding,
        options: { k: K, metric: 'cosine', select: hnswSelect, settings: { efSearch: ef } },
      })),
    ];
    progress(`  ${configs.length} configurations × ${queries.length} queries, interleaved…`);
    const sweep = await runSweep(bench.db, configs, queries, K, Math.min(20, queries.length), progress);
    const result: IndexComparisonData = {
      backend: bench.label,
      environment: await environment(),
      date: new Date().toISOString(),
      dataSet: { rows, dimensions: dims, clusters, spread, seed, queries: queries.length, metric: 'cosine', k: K },
      guidance: { lists, probes, efSearch: GUIDANCE_EF_SEARCH, m: HNSW.m, efConstruction: HNSW.efConstruction },
      loadMs,
      builds,
      sweep: sweep.map(({ times: _times, ...rest }) => rest),
      totalMs: performance.now() - started,
    };
    return { name: 'index-comparison', markdown: indexComparisonMarkdown(result), data: result, charts: await indexCharts(result) };
  } finally {
    if (bench.kind !== 'PGlite') for (const name of TABLE_NAMES) await bench.db.execute(sql`drop table if exists ${sql.identifier(name)}`);
    await bench.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { resultsDir, writeReport } = await import('./report.js');
  const args = process.argv.slice(2);
  const report = await runIndexComparison(parseIndexComparisonArgs(args));
  console.log(report.markdown);
  for (const path of await writeReport(resultsDir(args), report)) process.stderr.write(`wrote ${path}\n`);
}
