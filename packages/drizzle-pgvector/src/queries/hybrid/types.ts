import type { SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Metric } from '../../catalog/index.js';
import type { VectorSettings } from '../../settings/index.js';
import type { VectorTargetInput } from '../distance.js';
import type { NearestQuery, NearestRow, NearestSelection, NearestStrategyOption } from '../nearest/index.js';

/** The public types of {@link hybridSearch} / {@link hybridSearchSql}. */

/** How the two rankings are fused: reciprocal rank fusion, `Σ weight / (k + rank)` over the branches that returned the row. */
export interface HybridFusion {
  /** Only `'rrf'` (reciprocal rank fusion). */
  method?: 'rrf';
  /** RRF's constant, an integer 1..1000 (default 60, as in Cormack et al. 2009). */
  k?: number;
  /** Weight of each branch, finite and ≥ 0, not both 0 (default 1 each). */
  weights?: { vector?: number; text?: number };
}

/** The vector branch: {@link nearest}'s own search (metric inference, settings, filtered-search strategy). */
export interface HybridVectorBranch {
  target: VectorTargetInput;
  query: NearestQuery;
  metric?: Metric;
  /** pgvector settings for the vector branch (see {@link nearest}). */
  settings?: VectorSettings;
  strategy?: NearestStrategyOption;
}

/** The text branch: a full-text match ranked by `ts_rank_cd`. */
export interface HybridTextBranch {
  /**
   * A `tsvector` column (searched through its GIN index), or a text column (`to_tsvector(config, column)` on the fly:
   * no index can serve it, every filtered row is parsed — fine for small tables only).
   */
  target: PgColumn;
  /** The user's words, parsed with `websearch_to_tsquery` (quotes, `or`, `-word`), or an `sql` tsquery expression. */
  query: string | SQL;
  /** Text search configuration, e.g. `'english'` (default: the server's `default_text_search_config`). */
  config?: string;
}

/** Options of {@link hybridSearch} and {@link hybridSearchSql}. */
export interface HybridSearchOptions<TSelect extends NearestSelection | PgTable | undefined = undefined> {
  vector: HybridVectorBranch;
  text: HybridTextBranch;
  /** How many fused rows, an integer 1..1000. */
  k: number;
  /** Rows each branch contributes before fusion, an integer k..10000 (default `max(4·k, 20)`). */
  candidates?: number;
  /** Result fields, as in {@link nearest} (default: every column of the table). */
  select?: TSelect;
  /** Filter applied to both branches. */
  where?: SQL | undefined;
  fusion?: HybridFusion;
}

/** What every fused row carries besides its fields. */
export interface HybridScores {
  /** The fused score (higher is better); rows come back by it, descending. */
  score: number;
  /** 1-based rank in the vector branch, `null` when that branch did not return the row. */
  vectorRank: number | null;
  /** 1-based rank in the text branch, `null` when that branch did not return the row. */
  textRank: number | null;
  /** The vector distance (`null` when the vector branch did not return the row). */
  distance: number | null;
  /** `ts_rank_cd` of the row (`null` when the text branch did not return it). */
  textScore: number | null;
}

/** A row of {@link hybridSearch}: the selected fields (typed as {@link nearest}'s) plus {@link HybridScores}. */
export type HybridRow<TSelect extends NearestSelection | PgTable | undefined, TDefault = Record<string, unknown>> = Omit<NearestRow<TSelect, TDefault>, 'distance'> &
  HybridScores;

/** What {@link hybridSearchSql} returns: exactly what {@link hybridSearch} runs. */
export interface HybridSearchPlan {
  /** One statement: both branches as CTEs, fused. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** `SET LOCAL …` statements of the vector branch, run first in the same transaction. */
  readonly statements: readonly string[];
  /** The vector branch's strategy and why (see `nearestSql`). */
  readonly vectorStrategy: 'exact' | 'index';
  readonly vectorReason: string;
  readonly candidates: number;
}
