/**
 * Filtered search: `nearest()`'s automatic plan beside the two plans a user could write by hand, at each
 * selectivity, for filters independent of the vectors and filters whose rows lie away from the query.
 *
 *   pnpm --filter drizzle-pgvector-bench bench:filtered
 *   DATABASE_URL=postgres://… pnpm bench --only filtered-search --out bench-results/server
 *
 * Data: 30,000 × 64-d clustered unit vectors (60 Gaussian clusters, spread 0.05, seed 42; @drizzle-pgvector/testing's
 * clusteredVectors), cosine, held-out query vectors from the same clusters. Two tables with the same rows: HNSW
 * (m 16, ef_construction 64) and IVFFlat (lists = rows / 1000, recommendIvfflat); a btree on `cluster` and on
 * `cat`; ANALYZE. Cells: selectivity × filter kind × method.
 *
 * - spread: `cat < n` (cat is 0…999 from a hash of the row: independent of the vectors);
 * - clustered away: `cluster in (…)` over the clusters whose centres are farthest from the query (one cluster is
 *   1/60 of the rows; below that, with `cat < n` to cut it down), so no row near the query passes;
 * - unfiltered (100 %).
 *
 * Per cell, on every query: (a) `nearest(db, col, q, { k: 10, where })`, no settings; (b) exact by hand
 * (`order by (<distance>) + 0`); (b′) (b) in Drizzle's query builder; (c) the index by hand with iterative scan
 * at the smallest `ef_search` / `probes` that reaches recall@10 ≥ 0.95 (a sweep first). Recall@10 is against (b).
 * After a warm-up they run interleaved, in a shuffled order per query and round. Environment: FILTERED_ROWS,
 * FILTERED_QUERIES, FILTERED_SELECTIVITIES (comma list of fractions), FILTERED_METHODS (HNSW,IVFFlat), DATABASE_URL
 * (server instead of PGlite).
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { clusteredVectors, seededRandom } from '@drizzle-pgvector/testing/data';
import { nearest, nearestSql, recommendIvfflat } from 'drizzle-pgvector';
import { FILTERED_SEARCH } from 'drizzle-pgvector/catalog';
import { filteredSearchCharts, filteredSearchMarkdown, type CellResult, type FilteredSearchData, type Kind, type SweepPoint, WARM_BUDGET_MS, WARM_CALLS } from './filtered-search-report.js';
import {
  NO_FILTER,
  drizzleExact,
  drizzleWhere,
  exactPlan,
  fsTables,
  indexPlan,
  isUnfiltered,
  openFsDatabase,
  type Filter,
  type FsDatabase,
  type FsTable,
  type Method,
} from './filtered-search-plans.js';
import type { BenchmarkReport } from './report.js';
import { environment, median, quantile, shuffledOrder } from './stats.js';

const K = 10;
const DIMS = 64;
const CLUSTERS = 60;
const SPREAD = 0.05;
const SEED = 42;
const TARGET = 0.95;
const SELECTIVITIES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
const EF_SWEEP = [40, 60, 100, 150, 200, 300, 400, 600, 800, 1000];
/** Timed rounds over the queries take at most about this long per cell (at least one round). */
const ROUND_BUDGET_MS = 20_000;
/** The sweep for (c) stops at a setting whose median is this many times the exact plan's (see runCell). */
const SLOW_FACTOR = 5;
const PROBES_SWEEP = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 64, 100];

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

function envList<T>(name: string, fallback: readonly T[], parse: (s: string) => T): T[] {
  const raw = process.env[name];
  return raw ? raw.split(',').map((s) => parse(s.trim())) : [...fallback];
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** The filter of a clustered-away cell at selectivity `s` for a query: the `m` farthest clusters, cut by `cat`. */
function farFilter(centroids: readonly number[][], query: readonly number[], s: number): Filter {
  const m = Math.max(1, Math.round(s * CLUSTERS));
  const farthest = centroids.map((c, i) => [dot(c, query), i] as const).sort((x, y) => x[0] - y[0]).slice(0, m).map(([, i]) => i);
  const share = m / CLUSTERS;
  return { clusters: farthest.sort((a, b) => a - b), catBelow: share > s * 1.2 ? Math.round((1000 * s) / share) : undefined };
}

interface Setup {
  readonly fdb: FsDatabase;
  readonly tables: ReturnType<typeof fsTables>;
  readonly rows: number;
  readonly clusterOf: readonly number[];
  readonly cats: readonly number[];
  readonly queries: readonly number[][];
  readonly centroids: readonly number[][];
  readonly lists: number;
  /** Timed rounds over the queries per cell (fewer for slow cells, see ROUND_BUDGET_MS). */
  readonly rounds: number;
}

const catOf = (i: number): number => (Math.imul(i + 1, 2654435761) >>> 0) % 1000;

async function load(fdb: FsDatabase, rows: number, queryCount: number, progress: (l: string) => void): Promise<Setup & { loadMs: number }> {
  const { lists } = recommendIvfflat({ rows });
  const data = clusteredVectors({ rows: rows + queryCount, dimensions: DIMS, clusters: CLUSTERS, seed: SEED, spread: SPREAD });
  const cats = Array.from({ length: rows }, (_, i) => catOf(i));
  const started = performance.now();
  for (const t of ['bench_fs_hnsw', 'bench_fs_ivfflat']) {
    await fdb.query(`drop table if exists ${t}`);
    await fdb.query(`create table ${t} (id integer primary key, cluster integer not null, cat integer not null, embedding vector(${DIMS}) not null)`);
  }
  for (let from = 0; from < rows; from += 1000) {
    const values: string[] = [];
    for (let i = from; i < Math.min(rows, from + 1000); i++) values.push(`(${i + 1}, ${data.clusterOf[i]}, ${cats[i]}, '${JSON.stringify(data.vectors[i])}')`);
    await fdb.query(`insert into bench_fs_hnsw (id, cluster, cat, embedding) values ${values.join(', ')}`);
  }
  await fdb.query('insert into bench_fs_ivfflat select * from bench_fs_hnsw');
  for (const t of ['bench_fs_hnsw', 'bench_fs_ivfflat']) {
    await fdb.query(`create index ${t}_cluster on ${t} (cluster)`);
    await fdb.query(`create index ${t}_cat on ${t} (cat)`);
  }
  progress('  building HNSW (m 16, ef_construction 64) and IVFFlat (lists ' + lists + ')…');
  const mwm = fdb.kind === 'PGlite' ? '128MB' : '256MB';
  await fdb.run([`SET LOCAL maintenance_work_mem = '${mwm}'`], `create index bench_fs_hnsw_embedding on bench_fs_hnsw using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)`, []);
  await fdb.run([`SET LOCAL maintenance_work_mem = '${mwm}'`], `create index bench_fs_ivfflat_embedding on bench_fs_ivfflat using ivfflat (embedding vector_cosine_ops) with (lists = ${lists})`, []);
  for (const t of ['bench_fs_hnsw', 'bench_fs_ivfflat']) await fdb.query(`analyze ${t}`);
  return {
    fdb,
    tables: fsTables(DIMS, lists),
    rows,
    clusterOf: data.clusterOf.slice(0, rows),
    cats,
    queries: data.vectors.slice(rows),
    centroids: data.centroids,
    lists,
    rounds: envInt('FILTERED_ROUNDS', 3),
    loadMs: performance.now() - started,
  };
}

const ids = (rows: readonly unknown[][]): number[] => rows.map((r) => Number(r[0]));
const overlap = (found: readonly number[], truth: readonly number[]): number => {
  const set = new Set(found);
  return truth.filter((id) => set.has(id)).length / Math.max(1, Math.min(K, truth.length));
};

/** One cell: the sweep for (c), then (a), (b), (c) interleaved on every query. */
async function runCell(s: Setup, method: Method, kind: Kind, selectivity: number, progress: (l: string) => void): Promise<CellResult> {
  const { fdb, queries } = s;
  const table = s.tables[method] as unknown as FsTable;
  const name = method === 'HNSW' ? 'bench_fs_hnsw' : 'bench_fs_ivfflat';
  const filters = queries.map((q) => (kind === 'unfiltered' ? NO_FILTER : kind === 'spread' ? { clusters: undefined, catBelow: Math.round(selectivity * 1000) } : farFilter(s.centroids, q, selectivity)));
  const matching = filters.map((f) => s.clusterOf.filter((c, i) => (f.clusters ? f.clusters.includes(c) : true) && (f.catBelow === undefined || s.cats[i]! < f.catBelow)).length);
  const exact = filters.map((f) => exactPlan(name, DIMS, f, K));
  const truth: number[][] = [];
  const exactTimes: number[] = [];
  for (let i = 0; i < queries.length; i++) {
    const t0 = performance.now();
    truth.push(ids(await fdb.run([], exact[i]!.text, [JSON.stringify(queries[i]), ...exact[i]!.params])));
    exactTimes.push(performance.now() - t0);
  }

  // The auto plan: what nearest() decides for each query, and how often its index scan comes back short.
  const options = (i: number) => ({ k: K, where: drizzleWhere(table, filters[i]!), select: { id: table.id } });
  const strategies = { exact: 0, index: 0 };
  let fallbacks = 0;
  let first: Awaited<ReturnType<typeof nearestSql>> | undefined;
  for (let i = 0; i < queries.length; i++) {
    const plan = await nearestSql(fdb.db, table.embedding, queries[i]!, options(i));
    first ??= plan;
    strategies[plan.strategy]++;
    if (plan.fallback) {
      // Short, or (IVFFlat far check, on the searches that read the reference: the last column) the nearest row
      // farRatio × farther than the unfiltered k-th.
      const rows = await fdb.run(plan.statements, plan.sql, plan.params);
      const far = plan.sql.includes('as "_ref"') && rows.length > 0 && Number(rows[0]![0]) > FILTERED_SEARCH.farRatio * Number(rows[0]![rows[0]!.length - 1]);
      if (rows.length < K || far) fallbacks++;
    }
  }

  // (c): does the planner take the vector index by itself? If not, keep the btree + sort out with enable_sort = off.
  const sweepValues = method === 'HNSW' ? EF_SWEEP : PROBES_SWEEP.filter((p) => p <= s.lists);
  const usesIndex = async (force: boolean): Promise<boolean> => {
    const p = indexPlan(method, name, DIMS, filters[0]!, K, sweepValues[0]!, force);
    const plan = await fdb.run(p.statements, `explain (format json) ${p.text}`, [JSON.stringify(queries[0]), ...p.params]);
    return JSON.stringify(plan).includes(`${name}_embedding`);
  };
  const forced = !(await usesIndex(false));
  if (forced && !(await usesIndex(true))) throw new Error(`${method} ${kind} ${selectivity}: the vector index is not used even with enable_sort = off`);
  const handIndex = (i: number, setting: number) => indexPlan(method, name, DIMS, filters[i]!, K, setting, forced);
  const sweep: SweepPoint[] = [];
  let chosen: number | undefined;
  // A setting whose median is SLOW_FACTOR × the exact plan's cannot make (c) the faster plan, nor can larger ones.
  const slowMs = SLOW_FACTOR * median(exactTimes);
  let stopped = false;
  for (const setting of sweepValues) {
    let found = 0;
    const times: number[] = [];
    let n = 0;
    for (; n < queries.length; n++) {
      const p = handIndex(n, setting);
      const t0 = performance.now();
      const rows = await fdb.run(p.statements, p.text, [JSON.stringify(queries[n]), ...p.params]);
      times.push(performance.now() - t0);
      found += overlap(ids(rows), truth[n]!);
      // The target is out of reach even if every remaining query were perfect, or far below it after a quarter
      // of the queries: next setting. Slower than exact by SLOW_FACTOR after 10 queries: stop the sweep.
      const lost = n + 1 - found;
      stopped = n + 1 >= 10 && median(times) > slowMs;
      if (stopped || lost > (1 - TARGET) * queries.length || (n + 1 === Math.ceil(queries.length / 4) && found / (n + 1) < 0.8)) {
        n++;
        break;
      }
    }
    sweep.push({ setting, recall: found / n, medianMs: median(times), p95Ms: quantile(times, 0.95), queries: n });
    if (n === queries.length && found / n >= TARGET) chosen = setting;
    if (chosen !== undefined || stopped) break;
  }
  const last = sweep[sweep.length - 1]!;
  const setting = chosen ?? last.setting;
  // (c) joins the timed runs only when it reached the target without being SLOW_FACTOR × slower than exact.
  const timeIndex = chosen !== undefined && !stopped;

  // Timed: warm-up passes over every query (the first is timed as "first use": each filter value's first search by
  // nearest(), its row estimate already cached by the nearestSql pass above, beside exact's), then (a), (b), (c) on
  // every query in a shuffled order, for up to s.rounds rounds.
  const variants = [
    async (i: number) => ids((await nearest(fdb.db, table.embedding, queries[i]!, options(i))).map((r) => [r.id])),
    async (i: number) => ids(await fdb.run([], exact[i]!.text, [JSON.stringify(queries[i]), ...exact[i]!.params])),
    async (i: number) => ids(await drizzleExact(fdb.db, table, DIMS, filters[i]!, K, queries[i]!)),
    async (i: number) => {
      const p = handIndex(i, setting);
      return ids(await fdb.run(p.statements, p.text, [JSON.stringify(queries[i]), ...p.params]));
    },
  ].slice(0, timeIndex ? 4 : 3);
  const firstUse = [[], []] as [number[], number[]];
  const warm = performance.now();
  for (let i = 0; i < queries.length; i++) {
    for (let j = 0; j < variants.length; j++) {
      const t0 = performance.now();
      await variants[j]!(i);
      if (j < 2) firstUse[j]!.push(performance.now() - t0);
    }
  }
  const pass = performance.now() - warm;
  for (let passes = 1; passes * queries.length < WARM_CALLS && performance.now() - warm + pass <= WARM_BUDGET_MS; passes++) {
    for (let i = 0; i < queries.length; i++) for (const v of variants) await v(i);
  }
  const rounds = Math.max(1, Math.min(s.rounds, Math.floor(ROUND_BUDGET_MS / pass)));
  const times = variants.map(() => [] as number[]);
  const found = variants.map(() => 0);
  const short = variants.map(() => 0);
  // A shuffled order per query and round (a rotation ran auto right after the index scan: +0.15 ms at HNSW spread 3 %).
  const random = seededRandom(SEED);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < queries.length; i++) {
      const order = shuffledOrder(variants.length, random);
      for (let j = 0; j < variants.length; j++) {
        const v = order[j]!;
        const t0 = performance.now();
        const result = await variants[v]!(i);
        times[v]!.push(performance.now() - t0);
        found[v]! += overlap(result, truth[i]!);
        if (result.length < Math.min(K, matching[i]!)) short[v]!++;
      }
    }
  }
  const n = rounds * queries.length;
  const stat = (v: number) => ({ recall: found[v]! / n, medianMs: median(times[v]!), p95Ms: quantile(times[v]!, 0.95), short: short[v]! });
  const [auto, exactStat, drizzleStat] = [stat(0), stat(1), stat(2)];
  const indexStat = timeIndex ? stat(3) : { recall: last.recall, medianMs: last.medianMs, p95Ms: last.p95Ms, short: 0 };
  const candidates = [exactStat.medianMs, ...(timeIndex ? [indexStat.medianMs] : [])];
  const result: CellResult = {
    method,
    kind,
    selectivity: kind === 'unfiltered' ? 1 : selectivity,
    matchingRows: median(matching),
    actualSelectivity: matching.reduce((a, b) => a + b, 0) / matching.length / s.rows,
    example: isUnfiltered(filters[0]!) ? 'none' : first!.sql.slice(first!.sql.indexOf(' where ') + 7, first!.sql.indexOf(' order by ')),
    auto: { ...auto, strategies, fallbacks, reason: first!.reason, statements: first!.statements, estimatedRows: first!.estimatedRows },
    exact: exactStat,
    index: { ...indexStat, setting: { name: method === 'HNSW' ? 'ef_search' : 'probes', value: setting }, reached: chosen !== undefined, stopped, timed: timeIndex, forced, sweep },
    ratio: auto.medianMs / Math.min(...candidates),
    firstUse: { autoMs: median(firstUse[0]), exactMs: median(firstUse[1]) },
    drizzleExact: drizzleStat,
    drizzleRatio: auto.medianMs / Math.min(drizzleStat.medianMs, ...(timeIndex ? [indexStat.medianMs] : [])),
    rounds,
  };
  progress(
    `  ${method} ${kind} ${(result.selectivity * 100).toFixed(1)} %: auto ${result.auto.medianMs.toFixed(2)} ms (${strategies.exact ? `exact ${strategies.exact}` : ''}${strategies.index ? ` index ${strategies.index}` : ''}, recall ${auto.recall.toFixed(3)}), ` +
      `exact ${exactStat.medianMs.toFixed(2)} ms, index ${result.index.setting.name} ${setting}${chosen === undefined ? ' (0.95 not reached)' : ''}${stopped ? ' (stopped: slower than exact)' : ''}${forced ? ' forced' : ''} ${indexStat.medianMs.toFixed(2)} ms (recall ${indexStat.recall.toFixed(3)}); ratio ${result.ratio.toFixed(2)}`,
  );
  return result;
}

/** The whole sweep; the report for run-all. */
export async function runFilteredSearch(progress: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<BenchmarkReport> {
  const rows = envInt('FILTERED_ROWS', 30_000);
  const queryCount = envInt('FILTERED_QUERIES', 100);
  const selectivities = envList('FILTERED_SELECTIVITIES', SELECTIVITIES, Number);
  const methods = envList<Method>('FILTERED_METHODS', ['HNSW', 'IVFFlat'], (m) => {
    if (m !== 'HNSW' && m !== 'IVFFlat') throw new Error(`FILTERED_METHODS: HNSW or IVFFlat, got ${m}`);
    return m;
  });
  const fdb = await openFsDatabase(process.env.DATABASE_URL || undefined);
  const started = performance.now();
  const loadStart = loadavg()[0]!;
  try {
    progress(`Filtered search on ${fdb.label}: loading ${rows.toLocaleString('en-US')} × ${DIMS} rows…`);
    const setup = await load(fdb, rows, queryCount, progress);
    const cells: CellResult[] = [];
    for (const method of methods) {
      for (const kind of ['spread', 'clustered-away'] as const) for (const s of selectivities) cells.push(await runCell(setup, method, kind, s, progress));
      cells.push(await runCell(setup, method, 'unfiltered', 1, progress));
    }
    const data: FilteredSearchData = {
      backend: fdb.label,
      environment: await environment(),
      date: new Date().toISOString(),
      dataSet: { rows, dimensions: DIMS, clusters: CLUSTERS, spread: SPREAD, seed: SEED, queries: queryCount, metric: 'cosine', k: K },
      indexes: { hnsw: 'm = 16, ef_construction = 64', ivfflat: `lists = ${setup.lists}` },
      target: TARGET,
      loadAverage: { start: loadStart, end: loadavg()[0]! },
      loadMs: setup.loadMs,
      cells,
      totalMs: performance.now() - started,
    };
    return { name: 'filtered-search', markdown: filteredSearchMarkdown(data), data, charts: await filteredSearchCharts(data) };
  } finally {
    if (fdb.kind !== 'PGlite' && !process.env.FILTERED_KEEP_TABLES) await fdb.query('drop table if exists bench_fs_hnsw, bench_fs_ivfflat');
    await fdb.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { resultsDir, writeReport } = await import('./report.js');
  const report = await runFilteredSearch();
  console.log(report.markdown);
  for (const path of await writeReport(resultsDir(process.argv.slice(2)), report)) process.stderr.write(`wrote ${path}\n`);
}
