/**
 * The seed's experiment at its own scale (issue 16 item 6): 1,000,000 × 1536 synthetic text-embedding-like
 * vectors (bench/src/seed-data.ts) loaded with `copyRows`, then a sequential scan vs IVFFlat (lists and probes
 * from `recommendIvfflat`) vs HNSW on `binary_quantize(embedding)::bit(1536)` + exact re-rank.
 *
 *   DATABASE_URL=postgres://… pnpm bench:seed                   # every step, skipping finished ones
 *   DATABASE_URL=postgres://… pnpm bench:seed -- --step load     # one step: load|ground-truth|hnsw-bq|ivfflat|queries|report
 *   DATABASE_URL=postgres://… pnpm bench:seed -- --step queries --redo   # measure the queries again
 *
 * A long run against a server (never CI). Every step is resumable: the load continues at the first missing id
 * (one COPY transaction per chunk), a build is skipped when its index exists, and each step's results are kept in
 * bench-results/server/seed-1m.json, which `report` turns into seed-1m.md. Env: BENCH_SEED_ROWS (1000000),
 * BENCH_SEED_QUERIES (50), BENCH_SEED_MAINTENANCE_WORK_MEM (8GB), BENCH_SEED_BUILD_WORKERS (2), BENCH_SEED_SEQ_SCANS (10,
 * timed sequential scans), BENCH_SEED_METHODS (bq | ivfflat: with --step queries --redo, re-measure one method).
 */
import { pathToFileURL } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { buildIndex, estimateIndexBuildMemory } from 'drizzle-pgvector';
import { copyRows } from 'drizzle-pgvector/pg';
import pg from 'pg';
import { SEED_DATA_DEFAULTS, seedData } from './seed-data.js';

import {
  BQ_INDEX, BUILD_WORKERS, HNSW, IVFFLAT, IVFFLAT_INDEX, MAINTENANCE_WORK_MEM, SEED_DIMENSIONS, SEED_QUERIES, SEED_ROWS,
  STEPS, log, readState, saveState, seedItems, step, type Db,
} from './seed-schema.js';
import { runQueries, runGroundTruth } from './seed-queries.js';
import { writeSeedReport } from './seed-report.js';

const CHUNK = 50_000;

/** Generate and COPY the rows, CHUNK rows per transaction, continuing after the highest id already loaded. */
async function load(client: pg.Client): Promise<Record<string, unknown>> {
  await client.query(`create table if not exists seed_items (id integer primary key, embedding vector(${SEED_DIMENSIONS}) not null)`);
  const data = seedData({ ...SEED_DATA_DEFAULTS, rows: SEED_ROWS });
  const have = Number((await client.query<{ n: string | null }>('select max(id) as n from seed_items')).rows[0]?.n ?? 0);
  let bytes = 0;
  for (let from = have; from < SEED_ROWS; from += CHUNK) {
    const to = Math.min(from + CHUNK, SEED_ROWS);
    const rows = function* () {
      for (let i = from; i < to; i++) yield { id: i + 1, embedding: data.row(i) as unknown as number[] }; // copyRows encodes typed arrays as they are
    };
    const result = await copyRows(client, seedItems, rows());
    bytes += result.bytes;
    log(`load: ${to.toLocaleString('en-US')} / ${SEED_ROWS.toLocaleString('en-US')} rows`);
  }
  await client.query('vacuum analyze seed_items');
  const size = (await client.query<{ table: string; bytes: string }>(
    `select pg_size_pretty(pg_total_relation_size('seed_items')) as table, pg_total_relation_size('seed_items') as bytes`,
  )).rows[0]!;
  return { rows: SEED_ROWS, resumedAt: have, copyBytes: bytes, tableSize: size.table, tableBytes: Number(size.bytes) };
}

/** Build one declared index with the library's buildIndex (skipped by buildIndex itself when it exists). */
async function build(db: Db, pool: pg.Pool, name: string): Promise<Record<string, unknown>> {
  let last = 0;
  const result = await buildIndex(db, seedItems, name, {
    maintenanceWorkMem: MAINTENANCE_WORK_MEM,
    parallelWorkers: BUILD_WORKERS,
    pollIntervalMs: 2000,
    onProgress: (p) => {
      if (p.phase !== 'done' && performance.now() - last < 30_000) return;
      last = performance.now();
      const eta = p.etaMs === undefined ? '' : `, eta ${Math.round(p.etaMs / 1000)} s`;
      log(`${name}: ${p.phase} ${(p.fraction * 100).toFixed(1)}% (${p.tuplesDone} / ${p.tuplesTotal} tuples${eta})`);
    },
  });
  const size = (await pool.query<{ pretty: string; bytes: string }>('select pg_size_pretty(pg_relation_size($1::regclass)) as pretty, pg_relation_size($1::regclass) as bytes', [name])).rows[0]!;
  return {
    index: name,
    status: result.status,
    sql: result.sql,
    maintenanceWorkMem: result.maintenanceWorkMem,
    parallelWorkers: result.parallelWorkers,
    buildSeconds: result.elapsedMs / 1000,
    indexSize: size.pretty,
    indexBytes: Number(size.bytes),
  };
}

/** estimateIndexBuildMemory for the three indexes (full-precision HNSW is not built: the figure says why). */
function memoryEstimates(serverVersion: number): Record<string, unknown> {
  const common = { rows: SEED_ROWS, serverVersion, parallelWorkers: BUILD_WORKERS };
  const pick = (e: ReturnType<typeof estimateIndexBuildMemory>) => ({ bytes: e.bytes, maintenanceWorkMem: e.maintenanceWorkMem, why: e.why });
  return {
    hnswFull: pick(estimateIndexBuildMemory({ ...common, method: 'hnsw', type: 'vector', dimensions: SEED_DIMENSIONS, m: HNSW.m })),
    hnswBq: pick(estimateIndexBuildMemory({ ...common, method: 'hnsw', type: 'bit', dimensions: SEED_DIMENSIONS, m: HNSW.m })),
    ivfflat: pick(estimateIndexBuildMemory({ ...common, method: 'ivfflat', type: 'vector', dimensions: SEED_DIMENSIONS, lists: IVFFLAT.lists })),
  };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('bench:seed needs DATABASE_URL (a PostgreSQL server with pgvector; the run needs ~15 GB of disk)');
  const at = process.argv.indexOf('--step');
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  if (only !== undefined && !(STEPS as readonly string[]).includes(only)) throw new Error(`--step must be one of ${STEPS.join(', ')}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const db = drizzle({ client: pool }) as unknown as Db;
  try {
    await client.query('create extension if not exists vector');
    const state = readState();
    const info = (await client.query<{ v: string; num: string; vector: string }>(
      "select current_setting('server_version') as v, current_setting('server_version_num') as num, (select extversion from pg_extension where extname = 'vector') as vector",
    )).rows[0]!;
    Object.assign(state, {
      rows: SEED_ROWS,
      dimensions: SEED_DIMENSIONS,
      queries: SEED_QUERIES,
      server: `PostgreSQL ${info.v.split(' ')[0]}, pgvector ${info.vector}`,
      recommendIvfflat: { lists: IVFFLAT.lists, probes: IVFFLAT.probes, why: IVFFLAT.why },
      buildSettings: { maintenanceWorkMem: MAINTENANCE_WORK_MEM, maxParallelMaintenanceWorkers: BUILD_WORKERS, hnsw: HNSW },
      memoryEstimates: memoryEstimates(Math.floor(Number(info.num) / 10_000)),
    });
    await saveState(state);
    const run = (name: string) => only === undefined || only === name;
    if (run('load')) await step(state, 'load', () => load(client));
    if (run('ground-truth')) await step(state, 'ground-truth', () => runGroundTruth(db, client));
    if (run('hnsw-bq')) await step(state, 'hnsw-bq', () => build(db, pool, BQ_INDEX));
    if (run('ivfflat')) await step(state, 'ivfflat', () => build(db, pool, IVFFLAT_INDEX));
    if (run('queries')) await step(state, 'queries', () => runQueries(db, client, state), only === 'queries' && process.argv.includes('--redo'));
    if (run('report')) await writeSeedReport(state);
  } finally {
    await pool.end();
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
