import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { IndexMethod, Metric, VectorType } from '../catalog/index.js';
import type { LiveIndexOptions } from '../pg-catalog/index.js';

/**
 * The public shapes of the inspection area: what {@link vectorIndexes} and {@link columnDimensions} return. Kept in
 * one file so the CLI (`doctor`) and users can type against them without pulling in the implementation.
 */

/** Options of {@link vectorIndexes}. */
export interface VectorIndexesOptions {
  /**
   * The schema's tables: an array of Drizzle tables, or a schema module (`import * as schema from './schema'`; its
   * values that are not tables — relations, enums — are ignored). When given, only indexes on these tables are
   * listed and **drift** between the declared and the live indexes is reported. Default: every vector index in
   * every non-system schema, no drift.
   */
  tables?: readonly PgTable[] | Readonly<Record<string, unknown>>;
  /**
   * Where `rows` comes from: `'estimate'` (default) — the planner's estimate, free to read: `pg_class.reltuples`
   * (kept by VACUUM / ANALYZE / CREATE INDEX) scaled by the table's growth since (`reltuples / relpages × pages now`),
   * so rows loaded after the index was built count; a table never analysed, one analysed empty that has grown since,
   * and a Citus distributed table (whose shell on the coordinator is empty) are counted instead. `'count'` —
   * `SELECT count(*)` per table: exact, but a full scan of each table.
   */
  rows?: 'estimate' | 'count';
}

export type { LiveIndexOptions };

/** Stable kinds of a health problem of one index. */
export type IndexProblemKind =
  /** `pg_index.indisvalid` is false: a failed or cancelled `CREATE INDEX CONCURRENTLY` left it; queries ignore it. */
  | 'invalid'
  /** IVFFlat `lists` below half the advice for today's rows: lists too big — slow, imprecise search. */
  | 'lists-too-few'
  /** IVFFlat `lists` above twice the advice for today's rows. */
  | 'lists-too-many'
  /** IVFFlat on a table with fewer rows than k-means needs to train (or fewer rows than lists): poor recall. */
  | 'too-few-rows';

/**
 * How much a problem asks for: `'action'` — rebuild now (`invalid`, `lists-too-few`, `lists-too-many`; sets
 * `needsRebuild`); `'warning'` — nothing helps today, its `sql` is for later (`too-few-rows`: rebuild once the data
 * is there). The CLI's `doctor` shows problems with these severities (and exits 1 on an `'action'`).
 */
export type IndexProblemSeverity = 'action' | 'warning';

/** One health problem of one index, with the SQL that fixes it. */
export interface IndexProblem {
  readonly kind: IndexProblemKind;
  readonly severity: IndexProblemSeverity;
  readonly message: string;
  /** Statements that fix it (run them in order; `CONCURRENTLY` ones outside a transaction block). Empty when the fix is not SQL. */
  readonly sql: readonly string[];
}

/** IVFFlat `lists` against `recommendIvfflat({ rows })` for the table's rows now. */
export interface IvfflatAdvice {
  readonly lists: number;
  readonly advisedLists: number;
  readonly advisedProbes: number;
  /** Below `IVFFLAT_RULES.minTrainingRows`: too few rows to train IVFFlat well. */
  readonly tooSmall: boolean;
}

/**
 * A Citus distributed table's shards: on the coordinator the table is an empty shell, so rows, sizes and the IVFFlat
 * advice come from the shards — each shard has its own index over its own rows.
 */
export interface CitusDistribution {
  /** `pg_dist_partition.partmethod`: `'h'` hash, `'n'` reference or Citus local (every shard holds every row), `'r'` / `'a'` range / append. */
  readonly method: string;
  readonly shards: number;
  /** Rows in one shard's index: rows / shards for hash, range and append tables (an even spread assumed); all rows for a reference table. */
  readonly rowsPerShard: number;
}

/** One HNSW / IVFFlat index as the catalog has it, with its health. */
export interface VectorIndexStatus {
  readonly schema: string;
  readonly name: string;
  readonly table: string;
  readonly method: IndexMethod;
  /** Operator class, e.g. `vector_cosine_ops`. */
  readonly opclass: string;
  /** pgvector type of the indexed column or expression (from the opclass); undefined for an opclass not in the catalog. */
  readonly type: VectorType | undefined;
  readonly metric: Metric | undefined;
  /** Dimensions (bits for bit) of the indexed column or expression (its typmod); undefined when it has none. */
  readonly dimensions: number | undefined;
  /** The indexed column when the index is on a plain column; undefined for an expression index. */
  readonly column: string | undefined;
  /** The indexed expression as the server renders it, e.g. `(embedding::halfvec(3))`; undefined for a plain column. */
  readonly expression: string | undefined;
  /** Options in effect (explicit values, else pgvector's defaults). */
  readonly options: LiveIndexOptions;
  /** Options exactly as stored (`pg_class.reloptions`), keyed by SQL name (`ef_construction`). */
  readonly storedOptions: Readonly<Record<string, number>>;
  /** Partial-index condition (`pg_get_expr(indpred)`), undefined when none. */
  readonly predicate: string | undefined;
  /** `pg_get_indexdef`: the complete `CREATE INDEX` as the server renders it. */
  readonly definition: string;
  readonly valid: boolean;
  /** `pg_relation_size` of the index, bytes (on Citus: `citus_relation_size`, all shards' indexes). */
  readonly sizeBytes: number;
  /** Rows in the table now (a partial index covers only those matching its predicate). */
  readonly rows: number;
  /** `'estimate'`: the planner's estimate (`reltuples / relpages × pages now`); `'count'`: `count(*)`. */
  readonly rowsSource: 'estimate' | 'count';
  /** Set for an index on a Citus distributed table: its shards. */
  readonly distribution: CitusDistribution | undefined;
  /** IVFFlat only: lists against the advice for today's rows (on Citus: for the rows of one shard). */
  readonly ivfflat: IvfflatAdvice | undefined;
  /**
   * The index's health in one word, from its `problems` (the one source `doctor` renders): `'invalid'`;
   * `'needs-rebuild'` (a problem of severity `'action'`); `'warning'` (only `'warning'` problems: nothing to run
   * now); `'ok'` (no problems).
   */
  readonly health: 'ok' | 'warning' | 'needs-rebuild' | 'invalid';
  /** True when the index should be rebuilt (REINDEX, or rebuilt with other `lists`): a problem of severity `'action'`. */
  readonly needsRebuild: boolean;
  /** Why it needs a rebuild (the problems' messages), undefined when it does not. */
  readonly reason: string | undefined;
  readonly problems: readonly IndexProblem[];
}

/** Stable kinds of drift between the schema and the database. */
export type IndexDriftKind =
  /** The table a schema declares is not in the database (run your migrations first). */
  | 'table-missing'
  /** A vector index declared in the schema is not in the database. Fix: its CREATE INDEX. */
  | 'missing'
  /** A vector index on a given table that the schema does not declare. Fix: DROP INDEX, or declare it (`schemaLine`). */
  | 'undeclared'
  /** Same definition under another name (an undeclared index equal to a missing one). Fix: ALTER INDEX … RENAME. */
  | 'renamed'
  /** Declared and live access methods differ (hnsw vs ivfflat). */
  | 'method'
  /** Operator classes differ (e.g. vector_l2_ops vs vector_cosine_ops). */
  | 'opclass'
  /** Storage parameters in effect differ (m, ef_construction, lists). */
  | 'options'
  /** Partial-index conditions differ (`WHERE …`). */
  | 'predicate'
  /** Indexed column or expression differs (e.g. `embedding` vs `(embedding::halfvec(3))`). */
  | 'expression';

/** One difference between a declared index and the database, with the SQL that fixes it. */
export interface IndexDrift {
  readonly kind: IndexDriftKind;
  readonly schema: string;
  readonly table: string;
  /** The index concerned (the declared name; for `undeclared` / `renamed`, the live name). */
  readonly index: string;
  readonly message: string;
  /** The declared side, normalised by the server (`pg_get_indexdef` of the declared definition); undefined for `undeclared`. */
  readonly declared: string | undefined;
  /** The live side (`pg_get_indexdef`); undefined for `missing` / `table-missing`. */
  readonly live: string | undefined;
  /** Statements that make the database match the schema, in order. Empty for `table-missing`. */
  readonly sql: readonly string[];
  /** `undeclared` only: the schema line that declares the live index instead of dropping it. */
  readonly schemaLine: string | undefined;
}

/** What {@link vectorIndexes} returns. */
export interface VectorIndexesReport {
  readonly indexes: readonly VectorIndexStatus[];
  /** Empty when no tables were given. */
  readonly drift: readonly IndexDrift[];
}

/** Options of {@link columnDimensions}. */
export interface ColumnDimensionsOptions {
  /** Index method of the suggested partial indexes. Default `'hnsw'`. */
  method?: IndexMethod;
  /** Metric of the suggested partial indexes (use the one your queries order by). Default `'cosine'`. */
  metric?: Metric;
}

/** One dimension count found in the column. */
export interface DimensionCount {
  readonly dimensions: number;
  readonly rows: number;
}

/** A partial expression index to declare for one dimension count. */
export interface PartialIndexSuggestion {
  readonly dimensions: number;
  readonly rows: number;
  readonly name: string;
  /** The line for the table's extra-config callback, e.g. `hnswIndex('items_embedding_3').on(asVector(t.embedding, 3), 'cosine')`. */
  readonly schemaLine: string;
  /** The CREATE INDEX that line produces (drizzle-kit's DDL). */
  readonly sql: string;
  /** Set when the suggestion is not a plain `asVector` (too many dimensions for it): what changes and why. */
  readonly note: string | undefined;
}

/** What {@link columnDimensions} returns. */
export interface ColumnDimensionsReport {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly type: VectorType;
  /** Dimension counts, most rows first (ties: fewer dimensions first). */
  readonly dimensions: readonly DimensionCount[];
  readonly nulls: number;
  readonly rows: number;
  /** One partial expression index per dimension count (empty for sparsevec, which has no cast target). */
  readonly indexes: readonly PartialIndexSuggestion[];
  /** Set when no index can be suggested (sparsevec), saying why. */
  readonly note: string | undefined;
}

/** @internal A column argument: the Drizzle column, or its name (SQL name or the table's JS key). */
export type ColumnArgument = PgColumn | string;
