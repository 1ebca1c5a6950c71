/**
 * Query benchmark: `nearest()` vs the same search written by hand and sent through the same driver.
 *
 *   pnpm --filter drizzle-pgvector-bench bench:query
 *
 * Backends: PGlite in-process (drizzle-orm/pglite vs PGlite's own `query`), the same PGlite served over a
 * loopback socket (drizzle-orm/node-postgres vs pg's `client.query`), and DATABASE_URL when set (a server with
 * pgvector; node-postgres; the data goes into a TEMP table that disappears with the connection).
 *
 * Three variants per search, all running the very same SQL text (what nearestSql() returns) so the database does
 * identical work; interleaved query by query in a shuffled order after a warm-up (2,000 rounds: nearest()'s own
 * work per call takes thousands of calls to reach its steady ≈ 10 µs):
 *   nearest()           the library call
 *   Drizzle, by hand    that SQL written by hand as Drizzle sql`…` and run with db.execute() (SET LOCAL in
 *                       db.transaction() where the search has settings): what a Drizzle user writes otherwise
 *   driver, by hand     that SQL sent with the driver's own query() and BEGIN/COMMIT: no Drizzle at all
 * Every variant encodes the query vector itself (JSON.stringify for the hand-written ones).
 * "overhead" = median(nearest) / median(other) − 1. Target: ≤ 3% against "Drizzle, by hand".
 *
 * Env: BENCH_ROWS (10000), BENCH_QUERIES (2000 per variant), BENCH_WARMUP (2000), DATABASE_URL.
 */
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { vector as vectorExtension } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { integer, pgTable, text, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { hnswIndex, nearest, nearestSql, vector, type NearestOptions, type NearestSelection } from 'drizzle-pgvector';
import pg from 'pg';
import { clusteredVectors, seededRandom, unitVector } from '@drizzle-pgvector/testing/data';
import { markdownTable as table } from '@drizzle-pgvector/testing/report';

import { resultsDir, writeReport, type BenchmarkReport } from './report.js';
import { drizzleTemplate } from './sql-template.js';
import { environment, median, ms, percent, quantile, shuffledOrder, us } from './stats.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const DIMENSIONS = 128;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
const DISTINCT_QUERIES = 500;
const CATEGORIES = 20;

export const items = pgTable(
  'bench_items',
  {
    id: integer('id').primaryKey(),
    category: integer('category').notNull(),
    title: text('title').notNull(),
    embedding: vector('embedding', { dimensions: DIMENSIONS }).notNull(),
  },
  (t) => [hnswIndex('bench_items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 })],
);

type Db = PgDatabase<PgQueryResultHKT>;

/** The driver's own query function: text + positional parameters → rows as objects. */
type RawQuery = (text: string, params: unknown[]) => Promise<unknown[]>;
/** The driver's own transaction: BEGIN, `statements`, the query, COMMIT. */
type RawTransaction = (statements: readonly string[], text: string, params: unknown[]) => Promise<unknown[]>;

interface Backend {
  readonly name: string;
  readonly db: Db;
  readonly query: RawQuery;
  readonly transaction: RawTransaction;
}

interface Scenario {
  readonly name: string;
  readonly options: NearestOptions<NearestSelection>;
}

const select = { id: items.id, title: items.title };
const scenarios: Scenario[] = [
  { name: 'top 10', options: { k: 10, metric: 'cosine', select } },
  { name: 'top 10, efSearch 100', options: { k: 10, metric: 'cosine', select, settings: { efSearch: 100 } } },
  { name: 'top 10, filter + maxDistance', options: { k: 10, metric: 'cosine', select, where: eq(items.category, 3), maxDistance: 0.6 } },
];

function makeData(): { rows: { id: number; category: number; title: string; embedding: number[] }[]; queries: number[][] } {
  const { vectors, centroids } = clusteredVectors({ rows: ROWS, dimensions: DIMENSIONS, clusters: 50, seed: 128, spread: 0.08 });
  // Clusters and categories independent of each other, so every cluster has rows of every category.
  const rows = vectors.map((embedding, i) => ({ id: i + 1, category: i % CATEGORIES, title: `item ${i + 1}`, embedding }));
  const random = seededRandom(129);
  const queries = Array.from({ length: DISTINCT_QUERIES }, (_, i) =>
    unitVector(random, DIMENSIONS, { around: centroids[(i * 7) % centroids.length]!, spread: 0.08 }),
  );
  return { rows, queries };
}

const DDL = [
  `create extension if not exists vector`,
  `create %TEMP% table bench_items (id integer primary key, category integer not null, title text not null, embedding vector(${DIMENSIONS}) not null)`,
];
const INDEX_DDL = `create index bench_items_embedding_hnsw on bench_items using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`;

/** Create and fill bench_items through `query`, then build the HNSW index. Returns the build time. */
async function setUp(query: RawQuery, data: ReturnType<typeof makeData>, temp: boolean): Promise<number> {
  for (const statement of DDL) await query(statement.replace('%TEMP% ', temp ? 'temp ' : ''), []);
  for (let i = 0; i < data.rows.length; i += 500) {
    const batch = data.rows.slice(i, i + 500);
    const values = batch.map((_, j) => `($${4 * j + 1}, $${4 * j + 2}, $${4 * j + 3}, $${4 * j + 4})`).join(', ');
    await query(
      `insert into bench_items (id, category, title, embedding) values ${values}`,
      batch.flatMap((r) => [r.id, r.category, r.title, JSON.stringify(r.embedding)]),
    );
  }
  const started = performance.now();
  await query(`set maintenance_work_mem = '256MB'`, []);
  await query(INDEX_DDL, []);
  await query(`reset maintenance_work_mem`, []);
  await query(`analyze bench_items`, []);
  return performance.now() - started;
}

interface VariantResult {
  name: string;
  times: number[];
}

async function runScenario(backend: Backend, scenario: Scenario, queries: readonly number[][]): Promise<VariantResult[]> {
  const { db } = backend;
  process.stderr.write(`  ${backend.name}: ${scenario.name}…\n`);
  const plan = await nearestSql(db, items.embedding, queries[0]!, scenario.options);
  // The hand-written paths still have to turn the vector into pgvector text: JSON.stringify is the least work.
  const paramsFor = (q: number[]) => [JSON.stringify(q), ...plan.params.slice(1)];
  const template = drizzleTemplate(plan.sql);
  const statements = plan.statements.map((s) => sql.raw(s));
  const rowsOf = (result: unknown) => (result as { rows: unknown[] }).rows;
  const variants: { name: string; run: (q: number[]) => Promise<unknown[]> }[] = [
    { name: 'nearest()', run: (q) => nearest(db, items.embedding, q, scenario.options) },
    {
      name: 'Drizzle, by hand',
      run: async (q) =>
        statements.length === 0
          ? rowsOf(await db.execute(template(paramsFor(q))))
          : db.transaction(async (tx) => {
              for (const s of statements) await tx.execute(s);
              return rowsOf(await tx.execute(template(paramsFor(q))));
            }),
    },
    {
      name: 'driver, by hand',
      run: (q) => (plan.statements.length === 0 ? backend.query(plan.sql, paramsFor(q)) : backend.transaction(plan.statements, plan.sql, paramsFor(q))),
    },
  ];
  // Sanity: every variant returns the same neighbours (compared by distance: the wrapped SQL aliases its columns).
  let returned = 0;
  for (const q of queries.slice(0, 20)) {
    const results: string[] = [];
    for (const v of variants) results.push((await v.run(q)).map((r) => Number((r as { distance: unknown }).distance).toFixed(6)).join());
    if (new Set(results).size !== 1) throw new Error(`${backend.name} / ${scenario.name}: variants disagree: ${results.join(' vs ')}`);
    returned += results[0]!.split(',').filter(Boolean).length;
  }
  if (returned === 0) throw new Error(`${backend.name} / ${scenario.name}: no rows returned`);
  for (let i = 0; i < WARMUP; i++) for (const v of variants) await v.run(queries[i % queries.length]!);
  const times = variants.map(() => [] as number[]);
  const random = seededRandom(7);
  for (let i = 0; i < QUERIES; i++) {
    const q = queries[i % queries.length]!;
    const order = shuffledOrder(variants.length, random);
    for (let j = 0; j < variants.length; j++) {
      const index = order[j]!;
      const started = performance.now();
      await variants[index]!.run(q);
      times[index]!.push(performance.now() - started);
    }
  }
  return variants.map((v, i) => ({ name: v.name, times: times[i]! }));
}

/** The JSON written to bench-results/query-overhead.json. */
interface QueryOverheadData {
  environment: string;
  rows: number;
  dimensions: number;
  queries: number;
  warmup: number;
  cpu: { search: string; nearestSqlUs: number; stringifyUs: number }[];
  backends: { backend: string; note: string; searches: { search: string; variants: { variant: string; medianMs: number; p95Ms: number }[] }[] }[];
}

async function runBackend(backend: Backend, queries: readonly number[][], note: string, sink: QueryOverheadData): Promise<string> {
  const rows: string[][] = [];
  const searches: QueryOverheadData['backends'][number]['searches'] = [];
  sink.backends.push({ backend: backend.name, note, searches });
  for (const scenario of scenarios) {
    const results = await runScenario(backend, scenario, queries);
    searches.push({ search: scenario.name, variants: results.map((r) => ({ variant: r.name, medianMs: median(r.times), p95Ms: quantile(r.times, 0.95) })) });
    const [ours, drizzleByHand, driverByHand] = results as [VariantResult, VariantResult, VariantResult];
    const m = median(ours.times);
    const cell = (r: VariantResult) => `${ms(median(r.times))} / ${ms(quantile(r.times, 0.95))}`;
    const overhead = (r: VariantResult) => `${percent(m / median(r.times) - 1)} (${us(m - median(r.times))})`;
    rows.push([scenario.name, cell(ours), cell(drizzleByHand), overhead(drizzleByHand), cell(driverByHand), overhead(driverByHand)]);
  }
  return [
    `### ${backend.name}`,
    '',
    note,
    '',
    table(
      ['search', 'nearest() median / p95', 'Drizzle by hand median / p95', 'overhead', 'driver by hand median / p95', 'overhead'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  ].join('\n');
}

/**
 * drizzle-pgvector's own CPU time per call, without the database: `nearestSql()` runs everything `nearest()` does
 * before sending (validate options and vector, encode it, find the cached SQL shape, compile the filter) and
 * builds the plan object. Encoding the vector is a cost a hand-written query pays too, so it is shown alone.
 */
async function cpuCost(db: Db, queries: readonly number[][], sink: QueryOverheadData): Promise<string> {
  const n = 20_000;
  const time = async (fn: (q: number[]) => unknown): Promise<number> => {
    for (let i = 0; i < 2000; i++) await fn(queries[i % queries.length]!);
    const started = performance.now();
    for (let i = 0; i < n; i++) await fn(queries[i % queries.length]!);
    return (performance.now() - started) / n;
  };
  const rows: string[][] = [];
  const stringify = await time((q) => JSON.stringify(q));
  for (const scenario of scenarios) {
    const prepare = await time((q) => nearestSql(db, items.embedding, q, scenario.options));
    rows.push([scenario.name, us(prepare).slice(1), us(stringify).slice(1), us(prepare - stringify).slice(1)]);
    sink.cpu.push({ search: scenario.name, nearestSqlUs: prepare * 1000, stringifyUs: stringify * 1000 });
  }
  return [
    `CPU per call before anything is sent (${n.toLocaleString('en-US')} calls, no database round trip):`,
    '',
    table(['search', 'nearestSql()', `JSON.stringify of the ${DIMENSIONS}-d vector`, 'library work beyond encoding'], rows, ['l', 'r', 'r', 'r']),
    '',
  ].join('\n');
}

function pgBackend(name: string, client: pg.Client): Backend {
  return {
    name,
    db: drizzleNodePg({ client }) as unknown as Db,
    query: async (text, params) => (await client.query(text, params)).rows,
    transaction: async (statements, text, params) => {
      await client.query('begin');
      try {
        for (const s of statements) await client.query(s);
        const { rows } = await client.query(text, params);
        await client.query('commit');
        return rows;
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
  };
}

/** Run on PGlite (in-process and over a socket) and on DATABASE_URL when set; the report for run-all. */
export async function runQueryBenchmark(): Promise<BenchmarkReport> {
  const data = makeData();
  const out: string[] = [];
  const log = (line = ''): void => void out.push(line);
  const sink: QueryOverheadData = { environment: await environment(), rows: ROWS, dimensions: DIMENSIONS, queries: QUERIES, warmup: WARMUP, cpu: [], backends: [] };
  log(`## nearest() vs hand-written SQL (${ROWS.toLocaleString('en-US')} rows × ${DIMENSIONS} dimensions, HNSW cosine m=16 ef_construction=64)`);
  log();
  log(
    `${sink.environment}. ${QUERIES} timed queries per variant after ${WARMUP} warm-up rounds, interleaved in a shuffled order; ` +
      `${DISTINCT_QUERIES} distinct query vectors; times are per call, end to end in Node. Cells: median / p95.`,
  );
  log();

  // 1. PGlite in-process.
  process.stderr.write(`Loading ${ROWS} rows into PGlite and building the HNSW index…\n`);
  const client = await PGlite.create({ extensions: { vector: vectorExtension } });
  const pgliteQuery: RawQuery = async (text, params) => (await client.query(text, params)).rows;
  const buildMs = await setUp(pgliteQuery, data, false);
  const pglite: Backend = {
    name: 'PGlite in-process (drizzle-orm/pglite vs PGlite query())',
    db: drizzlePglite({ client }) as unknown as Db,
    query: pgliteQuery,
    transaction: (statements, text, params) =>
      client.transaction(async (tx) => {
        for (const s of statements) await tx.exec(s);
        return (await tx.query(text, params)).rows;
      }),
  };
  log(await cpuCost(pglite.db, data.queries, sink));
  log(await runBackend(pglite, data.queries, `PGlite ${(await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?'}; HNSW build ${ms(buildMs)}.`, sink));

  // 2. The same PGlite database served over a loopback socket, node-postgres client.
  const server = new PGLiteSocketServer({ db: client, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const socketClient = new pg.Client({ connectionString: `postgres://postgres@${server.getServerConn()}/postgres` });
  await socketClient.connect();
  try {
    log(
      await runBackend(
        pgBackend('PGlite over a socket (drizzle-orm/node-postgres vs pg client.query())', socketClient),
        data.queries,
        `Same database, served by @electric-sql/pglite-socket on ${server.getServerConn()}; one pg.Client.`,
        sink,
      ),
    );
  } finally {
    await socketClient.end();
    await server.stop();
    await client.close();
  }

  // 3. A real server, when DATABASE_URL is set.
  const url = process.env.DATABASE_URL;
  if (url) {
    const native = new pg.Client({ connectionString: url });
    await native.connect();
    try {
      const version = (await native.query<{ server_version: string }>('show server_version')).rows[0]?.server_version;
      const nativeBuild = await setUp(async (text, params) => (await native.query(text, params)).rows, data, true);
      log(
        await runBackend(
          pgBackend('DATABASE_URL (drizzle-orm/node-postgres vs pg client.query())', native),
          data.queries,
          `PostgreSQL ${version}; TEMP table; HNSW build ${ms(nativeBuild)}.`,
          sink,
        ),
      );
    } finally {
      await native.end();
    }
  } else {
    log('(DATABASE_URL not set: no native-server run. Set it to a PostgreSQL with pgvector to add one.)');
    log();
  }
  return { name: 'query-overhead', markdown: out.join('\n'), data: sink };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await runQueryBenchmark();
  console.log(report.markdown);
  for (const path of await writeReport(resultsDir(process.argv), report)) process.stderr.write(`wrote ${path}\n`);
}
