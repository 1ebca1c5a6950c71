import { driverOf, type AnyPgDatabase } from '../../driver/index.js';
import { runWithStatements } from '../../settings/internal.js';
import type { VectorTargetInput } from '../../targets/index.js';
import { prepare, type Prepared, type Shape } from './compile.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DefaultNearestRow, NearestOptions, NearestPlan, NearestQuery, NearestRow, NearestSelection } from './types.js';

/**
 * The k nearest rows to `query`, as an index scan that HNSW/IVFFlat can serve, with tuned settings that never
 * leave the query's transaction.
 *
 * - **Always index-usable**: `ORDER BY <target> <op> $1 LIMIT k` ascending, with the operator expression itself
 *   (never an alias + 0, never DESC), the target's cast expression and its partial-index predicate exactly as the
 *   index was declared, so expression and partial indexes (`asHalfvec`, `binaryQuantize`, `subvector`, mixed
 *   dimensions) match. Distance thresholds are applied outside the ordered scan, never as `WHERE distance < x`.
 *   A partial index declared with `.where(...)` is only used when your `where` implies its condition.
 * - **Metric**: optional when the target's declared indexes use one metric; else `METRIC_REQUIRED`.
 * - **Filtered searches keep their recall** (`strategy: 'auto'`, the default): per query, from the planner's
 *   estimate of the rows the filter keeps (one `EXPLAIN`, cached per filter and parameters for 60 s): ≤ 2,000 rows
 *   → an exact search over them (`order by (<distance>) + 0`, the vector index kept out, no settings); more → the
 *   index with an iterative scan (HNSW `strict_order`, IVFFlat `relaxed_order` + re-sort) and a budget sized to the
 *   selectivity f (`ef_search ≈ k/f`, at least 8k; `max_scan_tuples ≈ 10k/f`; IVFFlat probes holding ≈ 8k matches
 *   and `max_probes` ≈ 10k), re-run exactly when it returns fewer than k rows — which is what a filter whose rows lie
 *   away from the query does once its budget runs out (IVFFlat, which reads whole lists, also when the nearest row
 *   it found lies 2× farther than the k-th row without the filter, read in the same statement); that filter (same
 *   values, ≤ 10,000 rows) is then searched exactly for as long as its estimate is cached, and once most recent index
 *   scans of a filter came back short, so are its values not seen before (a tenant, a language whose rows lie away
 *   from the queries pays no short scan per new value). A declared partial index whose condition is the filter is searched
 *   as an unfiltered index. Explicit `settings` win (index scan; the budget fills only what you left out);
 *   `strategy: 'exact' | 'index'` forces one. `k` above `ef_search` raises `ef_search` to `k`; above 1000 it uses
 *   `strict_order`. {@link nearestSql} reports `strategy`, `reason`, `estimatedRows`, `statements`, `notes`.
 * - **Big embeddings, re-ranked** (`rerank: { via, candidates? }`): the scan orders by an index on a smaller
 *   representation of the column — `binaryQuantize(col)` (Hamming), `asHalfvec(col)`, `subvector(col, 1, n)` —
 *   for `candidates` rows (default from the catalog's `QUANTIZED_SEARCH`, e.g. 20·k, at least 100, for binary quantization), with
 *   `ef_search` raised to cover them; the outer query re-orders those by the exact distance on the full column and
 *   keeps `k`. `distance` is exact; `where` applies in the scan, thresholds to the exact distance. A column whose
 *   only declared index (for the metric) is such an expression index is searched through it automatically.
 * - **No silent exact scans**: a search no declared index serves is reported in `notes`; `requireIndex: true`
 *   makes it `NO_USABLE_INDEX`. `index: 'name'` picks among several indexes on one target.
 * - **Settings** (yours and the automatic ones) are applied with `SET LOCAL` in a transaction around the query
 *   (see {@link withVectorSettings}); without settings no transaction is opened. The transaction costs round
 *   trips, kept to a minimum: node-postgres sends `BEGIN; SET LOCAL …` as one simple query (3 round trips in all),
 *   postgres.js pipelines the `SET LOCAL` statements with the search (3), PGlite runs in-process. When `db` is a
 *   transaction, a savepoint is used and the caller's values are restored afterwards.
 * - **Validation first**: options, the metric and the query vector (dimensions, finite values, type) are checked
 *   before any SQL runs: `INVALID_QUERY_OPTION`, `UNSUPPORTED_METRIC`, `METRIC_REQUIRED`,
 *   `INVALID_SEARCH_SETTING`, `DIMENSION_MISMATCH`, `NON_FINITE_VALUE`, `EMPTY_VECTOR`, … .
 * - **Fast**: the SQL text of each query shape (target, metric, k, selection, filter text, settings) is built once
 *   per database and cached; a call only validates, encodes the vector, compiles the filter and runs one query.
 *   Selections of plain columns (no timestamp/date/interval/array types) are run straight on the driver client
 *   (node-postgres, postgres.js, PGlite), skipping Drizzle's per-query objects; Drizzle's logger still sees them.
 *
 * **Rows**: with a `select` object, its fields; with `select: table` or no `select`, every column of the table. Without
 * `select`, rows are typed as the table's select model when `db` was created with `schema` (the column's table is
 * found there by name), else as `Record<string, unknown>`; `select: table` types them without a schema.
 *
 * `distance` is the operator's value: for `innerProduct` the negative inner product (`<#>`), for cosine
 * `1 - similarity`. Rows come back ascending by distance. Works with every Drizzle Postgres driver
 * (node-postgres, postgres.js, PGlite …); `db` may be a transaction.
 *
 * @example
 * ```ts
 * const rows = await nearest(db, items.embedding, q, {
 *   k: 10,
 *   select: { id: items.id, title: items.title },
 *   where: eq(items.lang, 'en'),
 *   minSimilarity: 0.75,
 * });
 * // rows: { id: number; title: string | null; distance: number }[]
 * // a filter keeping ≈ 20 % of 30,000 rows: an index scan with a budget
 * // BEGIN; SET LOCAL hnsw.ef_search = 100; SET LOCAL hnsw.iterative_scan = 'strict_order'  -- one round trip on node-postgres
 * // select "nn"."distance", "nn"."_0", "nn"."_1" from (
 * //   select "items"."embedding" <=> $1::vector(3) as "distance", "items"."id" as "_0", "items"."title" as "_1"
 * //   from "items" where ("items"."lang" = $3) and "items"."embedding" is not null
 * //   order by "items"."embedding" <=> $1::vector(3) limit 10
 * // ) as "nn" where "nn"."distance" <= $2 order by "nn"."distance"          -- $2 = 0.25 (1 - 0.75)
 * // COMMIT
 * // a filter keeping ≈ 300 rows: exact, `order by ("items"."embedding" <=> $1::vector(3)) + 0 limit 10`, no transaction
 *
 * // 1536-d embeddings indexed as bits: hnswIndex('docs_bq').on(binaryQuantize(t.embedding), 'hamming')
 * await nearest(db, docs.embedding, q, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(docs.embedding) } });
 * // BEGIN; SET LOCAL hnsw.ef_search = 200  -- the default candidates at k = 10 (20·k)
 * // select "nn"."distance", … from (
 * //   select "docs"."embedding" <=> $1::vector(1536) as "distance", … from "docs" where "docs"."embedding" is not null
 * //   order by (binary_quantize("docs"."embedding")::bit(1536)) <~> binary_quantize($1::vector(1536))::bit(1536) limit 200
 * // ) as "nn" order by "nn"."distance" limit 10
 * ```
 */
export async function nearest<
  TDb extends AnyPgDatabase,
  TTarget extends VectorTargetInput,
  TSelect extends NearestSelection | PgTable | undefined = undefined,
>(db: TDb, target: TTarget, query: NearestQuery, options: NearestOptions<TSelect>): Promise<NearestRow<TSelect, DefaultNearestRow<TDb, TTarget>>[]> {
  const { shape, params, mapRows, fallback, fallbackMapRows, indexOutcome, k } = await prepare('nearest', db, target, query, options);
  type Rows = NearestRow<TSelect, DefaultNearestRow<TDb, TTarget>>[];
  if (fallback === undefined) return runShape(db, shape, params, mapRows) as Promise<Rows>;
  const rows = await runShape(db, shape, params, mapRows);
  indexOutcome?.(rows.length < k);
  if (rows.length >= k) return rows as Rows;
  // An index scan that came back short (its budget ran out before k rows passed the filter): search exactly, and
  // search this filter exactly while its estimate lives — and, once most of its recent scans came back short, its
  // other values too (see FILTERED_SEARCH.shortExactMaxRows, shapeShortShare).
  return (await runShape(db, fallback, params, fallbackMapRows!)) as Rows;
}

function runShape(db: AnyPgDatabase, shape: Shape, params: readonly unknown[], mapRows: Prepared['mapRows']): Promise<Record<string, unknown>[]> {
  const driver = driverOf(db);
  if (shape.statements.length === 0) return driver.query(shape.text, params, mapRows, shape.plain);
  if (shape.plain && driver.queryInTransaction !== undefined) return driver.queryInTransaction(shape.statements, shape.text, params, mapRows);
  return runWithStatements(db, shape.statements, (tx) => driverOf(tx as AnyPgDatabase).query(shape.text, params, mapRows, shape.plain));
}

/**
 * Exactly what {@link nearest} would run for these arguments — the SQL, its parameters, the `SET LOCAL`
 * statements and why they were chosen — without running it (it may read the pgvector version once). Use it to
 * `EXPLAIN` a search or log it.
 *
 * @example
 * ```ts
 * const plan = await nearestSql(db, items.embedding, q, { k: 5, where: eq(items.lang, 'en') });
 * plan.sql;        // select "items"."embedding" <=> $1::vector(3) as "distance", … order by "items"."embedding" <=> $1::vector(3) limit 5
 * plan.strategy;   // 'exact' (the filter keeps few rows) or 'index'
 * plan.reason;     // 'the filter matches ≈ 300 of 30000 rows (≤ 2000): exact search over them …'
 * plan.statements; // [] for 'exact'; e.g. ["SET LOCAL hnsw.ef_search = 200", "SET LOCAL hnsw.iterative_scan = 'strict_order'"]
 * ```
 */
export async function nearestSql<TSelect extends NearestSelection | PgTable | undefined = undefined>(
  db: AnyPgDatabase,
  target: VectorTargetInput,
  query: NearestQuery,
  options: NearestOptions<TSelect>,
): Promise<NearestPlan> {
  const { shape, params, decision, fallback } = await prepare('nearestSql', db, target, query, options);
  return Object.freeze({
    sql: shape.text,
    params: Object.freeze(params),
    statements: shape.statements,
    settings: shape.settings,
    metric: shape.metric,
    operator: shape.operator,
    indexes: shape.indexes,
    resorted: shape.resorted,
    notes: shape.notes,
    rerank: shape.rerank,
    strategy: decision.strategy,
    reason: decision.reason(),
    estimatedRows: decision.estimate?.filtered,
    tableRows: decision.estimate?.table,
    fallback: fallback === undefined ? undefined : Object.freeze({ sql: fallback.text }),
  });
}

