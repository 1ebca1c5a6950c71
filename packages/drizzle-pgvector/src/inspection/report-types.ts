import type { PgTable } from 'drizzle-orm/pg-core';
import type { VectorType } from '../catalog/index.js';
import type { ColumnDimensionsReport, IndexDrift, VectorIndexStatus } from './types.js';

/**
 * The public shapes of {@link vectorColumns} and {@link inspectDatabase}: the report the CLI's `doctor` prints and
 * its `--json` document carries.
 */

/** How urgent a finding is: `'action'` — something is wrong now (the CLI's `doctor` exits 1); `'warning'`; `'info'`. */
export type InspectionSeverity = 'action' | 'warning' | 'info';

/** One thing an inspection found, with the exact SQL or schema line that changes it. */
export interface InspectionFinding {
  readonly severity: InspectionSeverity;
  /**
   * Stable kind: `extension-missing`, `extension-update`; an index problem (`index-invalid`, `lists-too-few`,
   * `lists-too-many`, `too-few-rows`); `drift-<IndexDriftKind>`; a {@link VectorColumnFindingKind}; an
   * `OperationalCheckKind` (`build-memory`, `hnsw-vacuum-fixes`, `ivfflat-probes-seqscan`, `parallel-maintenance-off`).
   */
  readonly kind: string;
  /** What it is about: an index, `table.column`, a setting, `vector` (the extension). */
  readonly subject: string;
  readonly message: string;
  /** Statements to run, in order (`CONCURRENTLY` ones outside a transaction block). */
  readonly sql: readonly string[];
  /** The schema line to add or change, where the fix is in the schema (several joined by `,\n`). */
  readonly schemaLine: string | undefined;
}

/** Stable kinds of a {@link vectorColumns} finding. */
export type VectorColumnFindingKind =
  /** The schema declares other dimensions than the database's column has (`'action'`: ALTER TABLE, or a migration). */
  | 'column-dimensions-differ'
  /** A column without fixed dimensions holds several dimension counts: the partial indexes to declare (`'warning'`). */
  | 'mixed-dimensions'
  /** At least `CHOOSE_INDEX_RULES.exactSearchRows` rows and no vector index: `chooseIndex`'s index (`'warning'`). */
  | 'unindexed-column';

/** Options of {@link vectorColumns}. */
export interface VectorColumnsOptions {
  /**
   * The schema's tables, as for `vectorIndexes`: an array of Drizzle tables with vector columns, or a schema module.
   * When given, only their columns are reported and compared with the declared ones. Default: every vector column in
   * every non-system schema (`bit` columns only where the schema declares them: `bit` is PostgreSQL's own type).
   */
  tables?: readonly PgTable[] | Readonly<Record<string, unknown>>;
  /** Where `rows` comes from: `'estimate'` (default, the planner's) or `'count'` (`count(*)`), as for `vectorIndexes`. */
  rows?: 'estimate' | 'count';
  /** The indexes to match with the columns, from `vectorIndexes(db)`; default: read from the catalog. */
  indexes?: readonly VectorIndexStatus[];
}

/** One vector column in the database. */
export interface VectorColumnReport {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly type: VectorType;
  /** Fixed dimensions (the typmod), undefined when the column has none. */
  readonly dimensions: number | undefined;
  /** The schema declares this table. */
  readonly declared: boolean;
  /** Dimensions the schema declares, when it declares the column with them. */
  readonly declaredDimensions: number | undefined;
  /** Rows in the table (the planner's estimate, or `count(*)`). */
  readonly rows: number;
  /** Names of the vector indexes on the column or an expression of it. */
  readonly indexes: readonly string[];
  /** A declared vector / halfvec column without fixed dimensions: its distribution (`columnDimensions`). */
  readonly distribution: ColumnDimensionsReport | undefined;
}

/** What {@link vectorColumns} returns. */
export interface VectorColumnsReport {
  readonly columns: readonly VectorColumnReport[];
  readonly findings: readonly InspectionFinding[];
}

/** Options of {@link inspectDatabase}: `tables` and `rows` as for `vectorIndexes`. */
export interface InspectDatabaseOptions {
  /** The schema's tables (an array of vector tables, or a schema module): only they are inspected, with drift. */
  tables?: readonly PgTable[] | Readonly<Record<string, unknown>>;
  /** `'estimate'` (default) or `'count'`. */
  rows?: 'estimate' | 'count';
}

/** The server and the pgvector extension. */
export interface ServerReport {
  readonly version: string;
  readonly versionNum: number;
  readonly extension: { readonly installed: string | undefined; readonly available: string | undefined; readonly schema: string | undefined };
}

/** One setting in effect in a fresh session. */
export interface SettingReport {
  readonly name: string;
  /** As `SHOW` prints it (`64MB`, `40`); undefined when not loaded (pgvector not installed). */
  readonly value: string | undefined;
  /** `pg_settings.source`: `default`, `configuration file`, `database`, `user` … */
  readonly source: string | undefined;
  /** pgvector's (or PostgreSQL's) default. */
  readonly default: string;
}

/** What {@link inspectDatabase} returns. */
export interface DatabaseInspection {
  readonly server: ServerReport;
  /** pgvector's settings (`hnsw.*`, `ivfflat.*`) and PostgreSQL's build settings. */
  readonly settings: readonly SettingReport[];
  readonly columns: readonly VectorColumnReport[];
  /** `vectorIndexes(db, { tables, rows }).indexes` */
  readonly indexes: readonly VectorIndexStatus[];
  /** `vectorIndexes(db, { tables, rows }).drift` (empty without `tables`). */
  readonly drift: readonly IndexDrift[];
  /** Every finding, `'action'` first, then `'warning'`, then `'info'`. */
  readonly findings: readonly InspectionFinding[];
  readonly summary: { readonly action: number; readonly warning: number; readonly info: number };
}
