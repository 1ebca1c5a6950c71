/**
 * Ingestion benchmark: `copyRows` vs Drizzle `insert().values()` in 1,000-row chunks vs a hand-written binary COPY.
 *
 *   pnpm --filter drizzle-pgvector-bench bench:ingest
 *
 * Backends: PGlite in-process (copyRows from drizzle-pgvector/pglite vs drizzle-orm/pglite inserts vs a hand-built
 * blob for `COPY … FROM '/dev/blob'`); the same PGlite served to node-postgres over loopback (copyRows from
 * drizzle-pgvector/pg vs drizzle-orm/node-postgres inserts vs pg-copy-streams fed by hand); DATABASE_URL when set.
 * pglite-socket cannot carry COPY FROM STDIN (it hands PGlite one protocol message at a time), so the served PGlite
 * uses the COPY-aware loopback server of the library's tests (it buffers a whole COPY before PGlite sees it).
 *
 * Every variant loads the same pre-built rows (id + vector(DIMENSIONS)) into an empty table (TRUNCATE before each
 * run), variants interleaved round by round after one untimed warm-up load of each (PGlite's first COPY is
 * several times slower than the next). rows/s = rows / median seconds. Targets: copyRows ≥ 10× the chunked
 * insert, ≥ 0.9× the hand-written COPY. Against DATABASE_URL, a streaming run also loads BENCH_INGEST_STREAM_ROWS
 * rows from a lazy generator and samples the heap, to show memory stays bounded.
 *
 * Env: BENCH_INGEST_ROWS (1000), BENCH_INGEST_DIMENSIONS (1536), BENCH_INGEST_ROUNDS (3, chunked insert),
 * BENCH_INGEST_COPY_ROUNDS (9, the two COPY variants),
 * BENCH_INGEST_SERVER_ROWS (20000, rows per load on DATABASE_URL), BENCH_INGEST_STREAM_ROWS (100000, DATABASE_URL only),
 * DATABASE_URL. Run alone, writes bench-results/ingestion.{json,md} (or --out DIR).
 */
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector as vectorExtension } from '@electric-sql/pglite-pgvector';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { integer, pgTable, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { vector } from 'drizzle-pgvector';
import { copyRows as copyRowsPg } from 'drizzle-pgvector/pg';
import { copyRows as copyRowsPglite } from 'drizzle-pgvector/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { servePgliteWithCopy } from '@drizzle-pgvector/testing';
import { seededRandom, unitVector } from '@drizzle-pgvector/testing/data';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';
import { resultsDir, writeReport, type BenchmarkReport } from './report.js';
import { environment, median } from './stats.js';

const ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 1000);
const DIMENSIONS = Number(process.env.BENCH_INGEST_DIMENSIONS ?? 1536);
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 3);
const COPY_ROUNDS = Number(process.env.BENCH_INGEST_COPY_ROUNDS ?? 9);
const WARMUP_ROWS = 100;
const SERVER_ROWS = Number(process.env.BENCH_INGEST_SERVER_ROWS ?? 20_000);
const STREAM_ROWS = Number(process.env.BENCH_INGEST_STREAM_ROWS ?? 100_000);
const CHUNK = 1000;

const benchItems = pgTable('bench_ingest', {
  id: integer('id').primaryKey(),
  embedding: vector('embedding', { dimensions: DIMENSIONS }).notNull(),
});
type Row = typeof benchItems.$inferInsert;
type Db = PgDatabase<PgQueryResultHKT>;

interface Variant {
  name: string;
  /** The chunked insert: too slow for more than ROUNDS loads. */
  slow?: boolean;
  run: (rows: readonly Row[]) => Promise<unknown>;
}

interface BackendResult {
  backend: string;
  rows: number;
  dimensions: number;
  rounds: number;
  copyRounds: number;
  variants: { name: string; medianSeconds: number; rowsPerSecond: number; seconds: number[] }[];
  copyVsInsert: number;
  copyVsRaw: number;
  stream?: { rows: number; rowsPerSecond: number; peakHeapMiB: number; peakRssMiB: number; startHeapMiB: number };
}

function makeRows(n: number): Row[] {
  const random = seededRandom(42);
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, embedding: unitVector(random, DIMENSIONS) }));
}

/** The hand-written binary COPY file body of `rows`: what someone writes without the library (no validation). */
function* rawCopyBuffers(rows: readonly Row[]): Generator<Buffer> {
  const header = Buffer.alloc(19);
  header.write('PGCOPY\n\xff\r\n\0', 0, 'latin1');
  yield header;
  for (const row of rows) {
    const v = row.embedding;
    const buf = Buffer.allocUnsafe(2 + 4 + 4 + 4 + 4 + 4 * v.length);
    let o = buf.writeInt16BE(2, 0);
    o = buf.writeInt32BE(4, o);
    o = buf.writeInt32BE(row.id, o);
    o = buf.writeInt32BE(4 + 4 * v.length, o);
    o = buf.writeInt16BE(v.length, o);
    o = buf.writeInt16BE(0, o);
    for (let i = 0; i < v.length; i++) o = buf.writeFloatBE(v[i]!, o);
    yield buf;
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  yield trailer;
}

/** Hand-written COPY through pg-copy-streams, with back-pressure, in a transaction. */
async function rawPgCopy(client: pg.ClientBase, rows: readonly Row[]): Promise<void> {
  await client.query('BEGIN');
  try {
    const stream = client.query(copyFrom('COPY bench_ingest (id, embedding) FROM STDIN (FORMAT binary)'));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    for (const buf of rawCopyBuffers(rows)) {
      if (!stream.write(buf)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    stream.end();
    await done;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function chunkedInsert(db: Db, rows: readonly Row[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await tx.insert(benchItems).values(rows.slice(i, i + CHUNK));
  });
}

async function measure(name: string, variants: Variant[], truncate: () => Promise<unknown>, count: () => Promise<number>, rows: readonly Row[]): Promise<BackendResult> {
  const seconds = variants.map(() => [] as number[]);
  for (const variant of variants) {
    await truncate();
    await variant.run(rows.slice(0, WARMUP_ROWS));
  }
  // The COPY variants (fast) run COPY_ROUNDS times, the chunked insert (slow) ROUNDS times; round by round in a
  // rotated order, so every variant meets the same drift.
  const roundsOf = (v: Variant) => (v.slow ? ROUNDS : COPY_ROUNDS);
  const total = Math.max(...variants.map(roundsOf));
  for (let round = 0; round < total; round++) {
    for (let j = 0; j < variants.length; j++) {
      const index = (round + j) % variants.length;
      const variant = variants[index]!;
      if (seconds[index]!.length >= roundsOf(variant)) continue;
      process.stderr.write(`  ${name}: ${variant.name}, round ${seconds[index]!.length + 1}/${roundsOf(variant)}…\n`);
      await truncate();
      const started = performance.now();
      await variant.run(rows);
      seconds[index]!.push((performance.now() - started) / 1000);
      const n = await count();
      if (n !== rows.length) throw new Error(`${name} / ${variant.name}: loaded ${n} rows, expected ${rows.length}`);
    }
  }
  const results = variants.map((v, i) => {
    const m = median(seconds[i]!);
    return { name: v.name, medianSeconds: m, rowsPerSecond: rows.length / m, seconds: seconds[i]! };
  });
  const [ours, insert, raw] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
  return {
    backend: name,
    rows: rows.length,
    dimensions: DIMENSIONS,
    rounds: ROUNDS,
    copyRounds: COPY_ROUNDS,
    variants: results,
    copyVsInsert: ours.rowsPerSecond / insert.rowsPerSecond,
    copyVsRaw: ours.rowsPerSecond / raw.rowsPerSecond,
  };
}

function pgVariants(pool: pg.Pool, db: Db): Variant[] {
  return [
    { name: 'copyRows (drizzle-pgvector/pg)', run: (rows) => copyRowsPg(pool, benchItems, rows) },
    { name: `insert().values(), ${CHUNK}-row chunks`, slow: true, run: (rows) => chunkedInsert(db, rows) },
    {
      name: 'hand-written COPY BINARY (pg-copy-streams)',
      run: async (rows) => {
        const client = await pool.connect();
        try {
          await rawPgCopy(client, rows);
        } finally {
          client.release();
        }
      },
    },
  ];
}

async function onPglite(rows: readonly Row[]): Promise<BackendResult[]> {
  const client = await PGlite.create({ extensions: { vector: vectorExtension } });
  try {
    await client.exec(`create extension if not exists vector; create table bench_ingest (id integer primary key, embedding vector(${DIMENSIONS}) not null)`);
    const truncate = () => client.exec('truncate bench_ingest');
    const count = async () => (await client.query<{ n: number }>('select count(*)::int as n from bench_ingest')).rows[0]!.n;
    const db = drizzlePglite({ client }) as unknown as Db;
    const inProcess = await measure(
      'PGlite in-process',
      [
        { name: 'copyRows (drizzle-pgvector/pglite)', run: (r) => copyRowsPglite(client, benchItems, r) },
        { name: `insert().values(), ${CHUNK}-row chunks`, slow: true, run: (r) => chunkedInsert(db, r) },
        {
          name: "hand-written COPY BINARY (FROM '/dev/blob')",
          run: (r) => client.transaction((tx) => tx.query(`COPY bench_ingest (id, embedding) FROM '/dev/blob' (FORMAT binary)`, [], { blob: new Blob([...rawCopyBuffers(r)]) })),
        },
      ],
      truncate,
      count,
      rows,
    );
    const server = await servePgliteWithCopy(client);
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    try {
      const served = await measure('PGlite served to node-postgres (loopback)', pgVariants(pool, drizzleNodePg({ client: pool }) as unknown as Db), truncate, count, rows);
      return [inProcess, served];
    } finally {
      await pool.end();
      await server.close();
    }
  } finally {
    await client.close();
  }
}

/** Stream `n` lazily generated rows through copyRows and sample the heap: memory must not grow with n. */
async function streamRun(pool: pg.Pool, n: number): Promise<NonNullable<BackendResult['stream']>> {
  const random = seededRandom(7);
  async function* source() {
    for (let i = 1; i <= n; i++) yield { id: i, embedding: unitVector(random, DIMENSIONS) };
  }
  global.gc?.();
  const mib = (x: number) => Math.round((x / 2 ** 20) * 10) / 10;
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 50);
  const started = performance.now();
  try {
    await copyRowsPg(pool, benchItems, source());
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows: n, rowsPerSecond: n / seconds, peakHeapMiB: mib(peakHeap), peakRssMiB: mib(peakRss), startHeapMiB: mib(startHeap) };
}

async function onServer(url: string, rows: readonly Row[]): Promise<BackendResult> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    // One connection, so the TEMP table is visible to every variant.
    await pool.query(`create extension if not exists vector`);
    await pool.query(`create temp table bench_ingest (id integer primary key, embedding vector(${DIMENSIONS}) not null)`);
    const version = (await pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
    const result = await measure(
      `DATABASE_URL (PostgreSQL ${version}, node-postgres)`,
      pgVariants(pool, drizzleNodePg({ client: pool }) as unknown as Db),
      () => pool.query('truncate bench_ingest'),
      async () => (await pool.query<{ n: number }>('select count(*)::int as n from bench_ingest')).rows[0]!.n,
      rows,
    );
    if (STREAM_ROWS > 0) {
      process.stderr.write(`  streaming ${STREAM_ROWS} rows through copyRows…\n`);
      await pool.query('truncate bench_ingest');
      result.stream = await streamRun(pool, STREAM_ROWS);
    }
    return result;
  } finally {
    await pool.end();
  }
}

function report(results: BackendResult[], env: string): string {
  const lines = [
    `## Ingestion: copyRows vs chunked insert vs hand-written COPY (vector(${DIMENSIONS}))`,
    '',
    `${env}. Median of ${COPY_ROUNDS} loads per COPY variant and ${ROUNDS} of the chunked insert, interleaved round by round after a warm-up load of each, each into an emptied table with a primary key, in one transaction. ` +
      'Targets: copyRows ≥ 10× the chunked insert and ≥ 0.9× the hand-written COPY.',
    '',
  ];
  for (const r of results) {
    lines.push(`### ${r.backend}: ${r.rows.toLocaleString('en-US')} rows`, '');
    lines.push(
      table(
        ['variant', 'median', 'rows/s', 'copyRows ÷ this'],
        r.variants.map((v) => [v.name, `${v.medianSeconds.toFixed(2)} s`, Math.round(v.rowsPerSecond).toLocaleString('en-US'), `${(r.variants[0]!.rowsPerSecond / v.rowsPerSecond).toFixed(2)}×`]),
        ['l', 'r', 'r', 'r'],
      ),
      '',
    );
    if (r.stream) {
      lines.push(
        `Streaming ${r.stream.rows.toLocaleString('en-US')} rows from a lazy async generator: ${Math.round(r.stream.rowsPerSecond).toLocaleString('en-US')} rows/s; ` +
          `heap ${r.stream.startHeapMiB} MiB at start, peak ${r.stream.peakHeapMiB} MiB; peak RSS ${r.stream.peakRssMiB} MiB ` +
          `(the rows alone would be ${Math.round((r.stream.rows * DIMENSIONS * 8) / 2 ** 20)} MiB as number arrays).`,
        '',
      );
    }
  }
  return lines.join('\n');
}

export async function runIngestionBenchmark(): Promise<BenchmarkReport> {
  const rows = makeRows(ROWS);
  process.stderr.write(`Ingestion benchmark: ${ROWS} rows × ${DIMENSIONS} dimensions, ${ROUNDS} rounds\n`);
  const results = await onPglite(rows);
  const url = process.env.DATABASE_URL;
  if (url) results.push(await onServer(url, SERVER_ROWS === ROWS ? rows : makeRows(SERVER_ROWS)));
  const env = await environment();
  const markdown = report(results, env) + (url ? '' : '\n(DATABASE_URL not set: no native-server run.)\n');
  return { name: 'ingestion', markdown, data: { date: new Date().toISOString(), environment: env, results } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runIngestionBenchmark();
  console.log(result.markdown);
  for (const path of await writeReport(resultsDir(process.argv.slice(2)), result)) process.stderr.write(`wrote ${path}\n`);
}
