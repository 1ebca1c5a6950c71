import type { Column, GetColumnData, InferSelectModel, SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { IndexMethod, Metric } from '../../catalog/index.js';
import type { DenseVectorInput, SparseVectorInput } from '../../codec/index.js';
import type { VectorSettings } from '../../settings/index.js';
import type { VectorTarget } from '../../targets/index.js';
import type { NearestStrategy, NearestStrategyOption } from './strategy.js';

/** The public types of `nearest` / `nearestSql`: options, rows, the plan. */

/**
 * Largest `k` {@link nearest} accepts. HNSW returns at most `hnsw.ef_search` rows (≤ 1000) per scan unless an
 * iterative scan is on, so on HNSW a `k` above 1000 uses `iterativeScan: 'strict_order'` (pgvector ≥ 0.8), which
 * stops after `hnsw.max_scan_tuples` (default 20000) visited tuples; 10000 keeps `k` well inside that budget.
 */
export const NEAREST_MAX_K = 10_000;

/** Columns of the searched table and `sql` expressions (optionally `.as('name')`), by result key. */
export type NearestSelection = Record<string, PgColumn | SQL | SQL.Aliased>;

type FieldValue<T> = T extends Column
  ? GetColumnData<T>
  : T extends SQL.Aliased<infer U>
    ? U
    : T extends SQL<infer U>
      ? U
      : unknown;

/** The name of the table a target's column belongs to (a literal type when the column comes from a table). */
export type TargetTableName<TTarget> = TTarget extends PgColumn
  ? TTarget['_']['tableName']
  : TTarget extends VectorTarget<infer N>
    ? N
    : string;

/**
 * The tables a Drizzle database knows, by key: its `schema` on drizzle-orm 0.x (`drizzle({ client, schema })`), the
 * tables of its `relations` on 1.0 (`drizzle({ client, relations })`).
 */
type SchemaOf<TDb> = TDb extends { readonly _: { readonly fullSchema: infer S } }
  ? S
  : TDb extends { readonly _: { readonly relations: infer R } }
    ? { [K in keyof R]: R[K] extends { table: infer T } ? T : never }
    : never;

/** The schema's table(s) named `TName` in the database (never when the database has no schema or no such table). */
type TableNamed<TSchema, TName extends string> = string extends TName
  ? never
  : {
      [K in keyof TSchema]: TSchema[K] extends PgTable ? (TSchema[K]['_']['name'] extends TName ? TSchema[K] : never) : never;
    }[keyof TSchema];

/**
 * The row type of a search without `select`: the select model of the target's table when the database knows it
 * (created with `schema`), else `Record<string, unknown>`. Pass `select: table` to type rows without a schema.
 */
export type DefaultNearestRow<TDb, TTarget> = [TableNamed<SchemaOf<TDb>, TargetTableName<TTarget> & string>] extends [never]
  ? Record<string, unknown>
  : InferSelectModel<TableNamed<SchemaOf<TDb>, TargetTableName<TTarget> & string>>;

/**
 * A row returned by {@link nearest}, plus `distance`: the selected fields for a `select` object; the table's
 * select model (`typeof table.$inferSelect`) for `select: table`; and without `select` the target table's select
 * model when the database was created with `schema` (`TDefault`), else `Record<string, unknown>`.
 */
export type NearestRow<TSelect extends NearestSelection | PgTable | undefined, TDefault = Record<string, unknown>> = TSelect extends PgTable
  ? InferSelectModel<TSelect> & { distance: number }
  : TSelect extends NearestSelection
    ? { [K in keyof TSelect]: FieldValue<TSelect[K]> } & { distance: number }
    : TDefault & { distance: number };

/** The query value for {@link nearest}: a dense vector, a sparse vector, or a bit string, checked against the target. */
export type NearestQuery = DenseVectorInput | SparseVectorInput | string;

/** Options of {@link nearest} and {@link nearestSql}. */
export interface NearestOptions<TSelect extends NearestSelection | PgTable | undefined = undefined> {
  /** How many neighbours, an integer from 1 to {@link NEAREST_MAX_K}. */
  k: number;
  /**
   * Distance metric. Optional when the target's vector indexes (declared on the table) all use one metric;
   * otherwise `METRIC_REQUIRED`. When given, the index with this metric (if any) decides the settings.
   */
  metric?: Metric;
  /**
   * Result fields: columns of the searched table or `sql` expressions, by result key; or the searched table itself
   * (every column, rows typed as `typeof table.$inferSelect`). Default: every column of the table.
   */
  select?: TSelect;
  /**
   * Filter. The search stays an index scan; on HNSW/IVFFlat filtered searches get an iterative scan so they still
   * return `k` rows (see {@link nearest}). For a partial index (`.where(...)` on the index) this condition must
   * imply the index's condition, or PostgreSQL cannot use that index.
   */
  where?: SQL | undefined;
  /** Keep only neighbours with `distance <= maxDistance` (applied after the index scan, never inside it). */
  maxDistance?: number;
  /**
   * Keep only neighbours with similarity ≥ this: cosine (`1 - distance`) or inner product (`-distance`). Only for
   * `'cosine'` and `'innerProduct'`; not together with `maxDistance`.
   */
  minSimilarity?: number;
  /**
   * pgvector settings for this search, applied with `SET LOCAL` in a transaction (see {@link withVectorSettings}).
   * Explicit settings win: with any setting given, a filtered search is an index scan (`strategy: 'index'`), and the
   * budget `nearest` sizes to the filter only fills the settings you left out.
   */
  settings?: VectorSettings;
  /**
   * How to search. `'auto'` (default): per query, from the planner's estimate of the rows the filter keeps —
   * exactly over them when they are few (≤ 2,000), else through the vector index with a budget sized to the
   * filter's selectivity, re-run exactly if the index comes back short. `'exact'`: always exact (the vector index
   * kept out of the plan). `'index'`: always the vector index (budget still sized to the filter, no fallback).
   * {@link nearestSql} reports the choice and why.
   */
  strategy?: NearestStrategyOption;
  /**
   * The declared vector index to shape the search for, by name, when the target has several (e.g. an HNSW and an
   * IVFFlat index): its metric and its settings are used. PostgreSQL's planner still picks the index it finds
   * cheapest among those that fit the query; {@link nearestSql} + `EXPLAIN` shows which.
   */
  index?: string;
  /**
   * Fail with `NO_USABLE_INDEX` (before any SQL) when no declared vector index serves this target and metric,
   * instead of running an exact scan of every row. (A filtered search may still choose an exact search over few
   * rows: that is faster and exact.)
   */
  requireIndex?: boolean;
  /**
   * Search through an index on a smaller representation of the column, then re-order by the exact distance:
   * `via` is `binaryQuantize(col)` (scanned by Hamming — or Jaccard when that is its index's metric),
   * `asHalfvec(col)` or `subvector(col, start, count)` (scanned by `metric`) of the searched column, with a
   * declared index; the scan returns `candidates` rows (an integer from `k` to 10,000; default from the catalog's
   * `QUANTIZED_SEARCH`: 40·k, at least 200, for binary quantization), which are re-ordered by the exact `metric`
   * distance on the full column and cut to `k`. `distance` in the rows is the exact distance; `where` applies in
   * the scan, `maxDistance` / `minSimilarity` to the exact distance. `ef_search` is raised to cover `candidates`.
   * Without `rerank`, a column whose only declared index for the search is such an expression index is searched
   * through it automatically ({@link nearestSql}'s `rerank.automatic`).
   */
  rerank?: NearestRerank;
}

/** The `rerank` option of {@link nearest}: the representation scanned for candidates, and how many. */
export interface NearestRerank {
  /** `binaryQuantize(col)`, `asHalfvec(col)` or `subvector(col, start, count)` of the searched column. */
  via: VectorTarget;
  /** How many candidates the scan returns before the exact re-order: an integer from `k` to 10,000. */
  candidates?: number;
}

/** How a re-ranked search ran (see {@link NearestOptions.rerank}). */
export interface NearestRerankPlan {
  /** The representation scanned, e.g. `binaryQuantize("items"."embedding", 1536)`. */
  readonly via: string;
  /** The scan's metric (`'hamming'` for binary quantization) and operator. */
  readonly metric: Metric;
  readonly operator: string;
  /** Rows fetched by the scan, then re-ordered by the exact distance. */
  readonly candidates: number;
  /** True when `nearest` chose the re-rank itself (no `rerank` option; the column's only index is on `via`). */
  readonly automatic: boolean;
}

/** What {@link nearestSql} returns: exactly what {@link nearest} runs. */
export interface NearestPlan {
  /** The SELECT, with `$1` = the query vector, `$2` = the distance bound (when a threshold is given), then the filter's parameters. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** `SET LOCAL …` statements run first in the same transaction (empty: no transaction is opened). */
  readonly statements: readonly string[];
  /** The settings those statements apply, GUC → value. */
  readonly settings: Readonly<Record<string, string>>;
  /** The metric searched (given or inferred from the index). */
  readonly metric: Metric;
  /** The distance operator, e.g. `<=>`. */
  readonly operator: string;
  /** The declared vector indexes the query is shaped for (same target and metric). Empty: exact search. */
  readonly indexes: readonly { readonly name: string; readonly method: IndexMethod }[];
  /** True when results are re-sorted outside the scan (relaxed-order iterative scans). */
  readonly resorted: boolean;
  /** Why settings were added automatically (filtered searches, large k), and searches no index serves. */
  readonly notes: readonly string[];
  /** How this search runs: `'exact'` (no vector index in the plan) or `'index'`. */
  readonly strategy: NearestStrategy;
  /** Why, e.g. `the filter matches ≈ 300 of 30000 rows (≤ 2000): exact search over them …`. */
  readonly reason: string;
  /** The planner's estimate of the rows the filter keeps (`undefined` when no estimate was needed). */
  readonly estimatedRows: number | undefined;
  /** The planner's estimate of the table's rows (`undefined` when no estimate was needed). */
  readonly tableRows: number | undefined;
  /** The re-ranked scan, when the search is re-ranked (`undefined`: the full vectors are searched directly). */
  readonly rerank: NearestRerankPlan | undefined;
  /** The exact search run instead when the index scan returns fewer than `k` rows (`undefined`: no fallback). */
  readonly fallback: { readonly sql: string } | undefined;
}
