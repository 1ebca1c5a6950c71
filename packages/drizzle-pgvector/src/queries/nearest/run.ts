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
 * - **No silent under-return**: with a `where` and no explicit `iterativeScan`, HNSW gets
 *   `hnsw.iterative_scan = strict_order` (pgvector ≥ 0.8; before that `ef_search` is raised to ≥ k), IVFFlat gets
 *   `ivfflat.iterative_scan = relaxed_order` with a re-sort; `k` above `ef_search` raises `ef_search` to `k` (HNSW
 *   returns at most ef_search rows), above 1000 it uses `strict_order`. The choice is visible in
 *   {@link nearestSql}'s `statements` and `notes`. Relaxed-order results are re-sorted outside the scan with a
 *   `MATERIALIZED` CTE and `ORDER BY distance + 0`, as pgvector's README prescribes.
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
 * // BEGIN; SET LOCAL hnsw.iterative_scan = 'strict_order'       -- one round trip on node-postgres
 * // select "nn"."distance", "nn"."_0", "nn"."_1" from (
 * //   select "items"."embedding" <=> $1::vector(3) as "distance", "items"."id" as "_0", "items"."title" as "_1"
 * //   from "items" where ("items"."lang" = $3) and "items"."embedding" is not null
 * //   order by "items"."embedding" <=> $1::vector(3) limit 10
 * // ) as "nn" where "nn"."distance" <= $2 order by "nn"."distance"          -- $2 = 0.25 (1 - 0.75)
 * // COMMIT
 * ```
 */
export async function nearest<
  TDb extends AnyPgDatabase,
  TTarget extends VectorTargetInput,
  TSelect extends NearestSelection | PgTable | undefined = undefined,
>(db: TDb, target: TTarget, query: NearestQuery, options: NearestOptions<TSelect>): Promise<NearestRow<TSelect, DefaultNearestRow<TDb, TTarget>>[]> {
  const { shape, params, mapRows, fallback, k } = await prepare('nearest', db, target, query, options);
  type Rows = NearestRow<TSelect, DefaultNearestRow<TDb, TTarget>>[];
  if (fallback === undefined) return runShape(db, shape, params, mapRows) as Promise<Rows>;
  const rows = await runShape(db, shape, params, mapRows);
  // An index scan that came back short (its budget ran out before k rows passed the filter): search exactly.
  return (rows.length < k ? await runShape(db, fallback, params, mapRows) : rows) as Rows;
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
 * plan.statements; // ["SET LOCAL hnsw.iterative_scan = 'strict_order'"]
 * plan.indexes;    // [{ name: 'items_embedding_hnsw', method: 'hnsw' }]
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
    strategy: decision.strategy,
    reason: decision.reason,
    estimatedRows: decision.estimate?.filtered,
    tableRows: decision.estimate?.table,
    fallback: fallback === undefined ? undefined : Object.freeze({ sql: fallback.text }),
  });
}

