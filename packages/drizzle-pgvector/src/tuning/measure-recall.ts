import type { SQL } from 'drizzle-orm';
import type { Metric } from '../catalog/index.js';
import { nearestSql, type VectorTargetInput } from '../queries/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import { checkIndexUsed, steerTo } from './index-choice.js';
import { approximateNeighbours, exactNeighbours, mean, p95, recallOf } from './neighbours.js';
import { checkDatabase, explainIndexes, inPlannerTransaction, setPlanner } from './planner-transaction.js';
import { querySet, type RecallQuery } from './query-set.js';
import { recallBound, type RecallBound } from './recall-bound.js';
import type { RerankMeasure } from './rerank-options.js';
import { requirePrimaryKey, searchContext, type SearchContext } from './search-context.js';
import { DEFAULT_RECALL_SAMPLE_SIZE, optionObject, parseQueryOptions, parseSettings, type RecallQueryOptions } from './tuning-options.js';

/** Options of {@link measureRecall}. */
export interface MeasureRecallOptions extends RecallQueryOptions {
  /** pgvector settings for the index search (as in `nearest`), e.g. `{ efSearch: 100 }`. */
  settings?: VectorSettings;
}

/** One query's measurement. */
export interface RecallPerQuery {
  /** Recall@k of this query: |found ∩ exact| / |exact|. */
  readonly recall: number;
  /** Duration of its `nearest` call, in milliseconds. */
  readonly ms: number;
  /** The sampled row's primary key (as text), when the query was sampled from the table. */
  readonly sourceId: string | undefined;
  /** Row ids (primary key as text, or `ctid` for explicit queries on a table without one) the index search returned. */
  readonly found: readonly string[];
  /** The exact k nearest ids. */
  readonly exact: readonly string[];
}

/** What {@link measureRecall} returns. */
export interface RecallReport {
  /** Mean recall@k over the queries. */
  readonly recall: number;
  /** Standard error of `recall` over the queries (sample standard deviation of the per-query recalls / √n). */
  readonly standardError: number;
  /** One-sided 95 % lower confidence bound of the recall: `recall − 1.645 × standardError`. */
  readonly lowerBound: number;
  readonly perQuery: readonly RecallPerQuery[];
  /** Mean and 95th-percentile duration of one `nearest` call (measurements, not guarantees). */
  readonly meanMs: number;
  readonly p95Ms: number;
  readonly k: number;
  readonly metric: Metric;
  /** Declared indexes on the target with this metric (what nearest shapes the search for). */
  readonly indexes: readonly { readonly name: string; readonly method: string }[];
  /** Indexes the measured search actually scanned, from `EXPLAIN` of the first query (empty: an exact scan). */
  readonly usedIndexes: readonly string[];
  /** The settings measured: yours, plus what steers the planner to a named `index` (see `notes`). */
  readonly settings: VectorSettings;
  /** How the planner was steered to a named `index`, when the target has other vector indexes. */
  readonly notes: readonly string[];
}

/** @internal One measurement inside an open planner transaction: index search (seq scans off), then exact search. */
export async function measureInTransaction(
  tx: AnyPgDatabase,
  context: SearchContext,
  queries: readonly RecallQuery[],
  exact: readonly (readonly string[])[],
  k: number,
  options: { settings: VectorSettings | undefined; where: SQL | undefined; rerank?: RerankMeasure | undefined },
): Promise<RecallBound & { meanMs: number; p95Ms: number; perQuery: RecallPerQuery[] }> {
  await setPlanner(tx, { enable_seqscan: false, enable_indexscan: true, enable_bitmapscan: true });
  const approx = await approximateNeighbours(tx, context, queries, k, options);
  const perQuery = queries.map((q, i) => ({
    recall: recallOf(approx.ids[i]!, exact[i]!),
    ms: approx.ms[i]!,
    sourceId: q.sourceId,
    found: approx.ids[i]!,
    exact: exact[i]!,
  }));
  return { ...recallBound(perQuery.map((p) => p.recall)), meanMs: mean(approx.ms), p95Ms: p95(approx.ms), perQuery };
}

/** @internal The exact neighbours with index and bitmap scans off. */
export async function exactInTransaction(tx: AnyPgDatabase, context: SearchContext, queries: readonly RecallQuery[], k: number, where: SQL | undefined): Promise<string[][]> {
  await setPlanner(tx, { enable_seqscan: true, enable_indexscan: false, enable_bitmapscan: false });
  return exactNeighbours(tx, context, queries, k, where);
}

/** @internal The indexes the search of `query` scans under the measurement's planner settings. */
export async function usedIndexes(
  tx: AnyPgDatabase,
  context: SearchContext,
  query: RecallQuery,
  k: number,
  options: { settings: VectorSettings | undefined; where: SQL | undefined; rerank?: RerankMeasure | undefined },
): Promise<string[]> {
  await setPlanner(tx, { enable_seqscan: false, enable_indexscan: true, enable_bitmapscan: true });
  const plan = await nearestSql(tx, context.target, query.value, {
    k: query.sourceId === undefined ? k : k + 1,
    metric: context.metric,
    index: context.index?.name,
    settings: options.settings,
    where: options.where,
    select: { id: context.idSelect },
    rerank: options.rerank,
  });
  return explainIndexes(tx, plan);
}

/**
 * Recall@k of {@link nearest}'s index search against the exact answer, computed in the database.
 *
 * Runs in one transaction (a savepoint inside yours; planner switches are restored): first the exact k nearest
 * neighbours of every query with `SET LOCAL enable_indexscan = off` and `enable_bitmapscan = off` (one LATERAL
 * join per 50 query vectors), then each query through `nearest` with `SET LOCAL enable_seqscan = off`, so small
 * tables cannot fall back to an exact scan and report a false 1.0. `usedIndexes` is read from `EXPLAIN` of the
 * first query. Without `queries`, `sampleSize` rows (default 100) are sampled deterministically (`seed`) and each
 * query's own row is dropped from both lists (k + 1 are fetched); sampling needs a primary key. Recall counts ids:
 * |found ∩ exact| / |exact|, so ties at the k-th distance can cost a little. `standardError` and `lowerBound`
 * (`recall − 1.645 × standardError`, one-sided 95 %) say how sure the mean is.
 *
 * With `index: '<name>'` (a target with several vector indexes) the other method's setting is added so the planner's
 * estimate for the other index is its highest (IVFFlat: `probes = lists`; HNSW: `efSearch = 1000`; yours win), and
 * the EXPLAIN must show the named index, else `INDEX_NOT_USED`.
 *
 * @throws PgVectorError `INVALID_DATABASE`, `INVALID_TUNING_OPTION`, `UNKNOWN_INDEX`, `PRIMARY_KEY_REQUIRED`, `METRIC_REQUIRED`,
 *   `UNSUPPORTED_METRIC`, `INVALID_SEARCH_SETTING`, the value codes for a bad query vector — all before any SQL;
 *   `INDEX_NOT_USED` when the planner scans another plan than the named index.
 *
 * @example
 * ```ts
 * const report = await measureRecall(db, items.embedding, { sampleSize: 100, k: 10, settings: { efSearch: 40 } });
 * report.recall;     // e.g. 0.97
 * report.p95Ms;      // e.g. 1.8
 * report.lowerBound; // e.g. 0.955
 * await measureRecall(db, items.embedding, { sampleSize: 100, k: 10, index: 'items_hnsw', settings: { efSearch: 40 } }); // beside an IVFFlat index
 * // … SET LOCAL hnsw.ef_search = 40; SET LOCAL ivfflat.probes = 100; explain select …  -- must scan items_hnsw
 * // BEGIN
 * // select ("items"."id")::text as "id", ("items"."embedding")::text as "v" from "items"
 * //   where "items"."embedding" is not null order by md5($1 || ("items"."id")::text) limit 100
 * // SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off
 * // with "q" as materialized (select "j"."i", "j"."v"::vector(32) as "qv" from json_array_elements_text($1::text::json) with ordinality as "j"("v", "i"))
 * //   select "q"."i"::int as "i", "nn"."id" as "id" from "q" cross join lateral (select ("items"."id")::text as "id",
 * //   "items"."embedding" <-> "q"."qv" as "d" from "items" where … order by "items"."embedding" <-> "q"."qv" limit 11) as "nn" order by "q"."i", "nn"."d"
 * // SET LOCAL enable_seqscan = off
 * // SAVEPOINT …; SET LOCAL hnsw.ef_search = 40; select … order by "items"."embedding" <-> $1::vector(32) limit 11  -- per query
 * // COMMIT
 * ```
 */
export async function measureRecall(db: AnyPgDatabase, target: VectorTargetInput, options: MeasureRecallOptions): Promise<RecallReport> {
  const fn = 'measureRecall';
  checkDatabase(fn, db);
  const o = optionObject(fn, options, ['queries', 'sampleSize', 'k', 'metric', 'index', 'settings', 'where', 'seed']);
  const metric = o['metric'];
  const context = searchContext(fn, target, typeof metric === 'string' ? (metric as Metric) : undefined, o['index']);
  const parsed = parseQueryOptions(fn, context.target, o, DEFAULT_RECALL_SAMPLE_SIZE);
  const settings = parseSettings(fn, o['settings']);
  if (parsed.queries === undefined) requirePrimaryKey(fn, context);
  return inPlannerTransaction(db, async (tx) => {
    const steering = context.index === undefined ? { settings: {}, notes: [] } : await steerTo(tx, context, context.index);
    const measuredSettings: VectorSettings = { ...settings, ...Object.fromEntries(Object.entries(steering.settings).filter(([key]) => settings?.[key as keyof VectorSettings] === undefined)) };
    const search = { settings: Object.keys(measuredSettings).length === 0 ? undefined : measuredSettings, where: parsed.where };
    const queries = await querySet(tx, context, parsed);
    const exact = await exactInTransaction(tx, context, queries, parsed.k, parsed.where);
    const used = await usedIndexes(tx, context, queries[0]!, parsed.k, search);
    if (context.index !== undefined) checkIndexUsed(fn, context, context.index, used, measuredSettings, parsed.where !== undefined);
    const measured = await measureInTransaction(tx, context, queries, exact, parsed.k, search);
    return {
      ...measured,
      k: parsed.k,
      metric: context.metric,
      indexes: context.indexes.map((i) => ({ name: i.name, method: i.method })),
      usedIndexes: used,
      settings: measuredSettings,
      notes: steering.notes,
    };
  });
}
