import type { Column, GetColumnData, SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { IndexMethod, Metric } from '../../catalog/index.js';
import type { DenseVectorInput, SparseVectorInput } from '../../codec/index.js';
import type { VectorSettings } from '../../settings/index.js';

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

/** A row returned by {@link nearest}: the selected fields plus `distance`. */
export type NearestRow<TSelect extends NearestSelection | undefined> = TSelect extends NearestSelection
  ? { [K in keyof TSelect]: FieldValue<TSelect[K]> } & { distance: number }
  : Record<string, unknown> & { distance: number };

/** The query value for {@link nearest}: a dense vector, a sparse vector, or a bit string, checked against the target. */
export type NearestQuery = DenseVectorInput | SparseVectorInput | string;

/** Options of {@link nearest} and {@link nearestSql}. */
export interface NearestOptions<TSelect extends NearestSelection | undefined = undefined> {
  /** How many neighbours, an integer from 1 to {@link NEAREST_MAX_K}. */
  k: number;
  /**
   * Distance metric. Optional when the target's vector indexes (declared on the table) all use one metric;
   * otherwise `METRIC_REQUIRED`. When given, the index with this metric (if any) decides the settings.
   */
  metric?: Metric;
  /** Result fields: columns of the searched table or `sql` expressions. Default: every column of the table. */
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
  /** pgvector settings for this search, applied with `SET LOCAL` in a transaction (see {@link withVectorSettings}). */
  settings?: VectorSettings;
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
  /** Why settings were added automatically (filtered searches, large k). */
  readonly notes: readonly string[];
}
