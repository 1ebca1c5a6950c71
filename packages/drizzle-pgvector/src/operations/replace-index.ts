import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { driverOf, isTransaction, type AnyPgDatabase } from '../driver/index.js';
import type { IndexBuildMemoryEstimate } from '../advice/estimate-index-build-memory.js';
import { pgVectorError } from '../errors/index.js';
import { indexDdl } from './index-ddl.js';
import { declaredBuildShape } from './build-settings.js';
import { buildSettingsOf, checkBuildSettings, checkRunOptions, checkVectorTable, declaredIndex, type BuildSettingsOptions } from './operation-input.js';
import type { BuildProgress } from './run-build.js';
import { swapIndex, swapTemplate } from './swap-index.js';

/** Options of {@link replaceIndex}. */
export interface ReplaceIndexOptions extends BuildSettingsOptions {
  /** Progress of the new index's build (read over a second connection where the driver has a pool). */
  onProgress?: (progress: BuildProgress) => void;
  /** Cancels the build (`pg_cancel_backend`); the old index stays. */
  signal?: AbortSignal;
  /** How often progress is read, in ms (10 .. 60000, default 100). */
  pollIntervalMs?: number;
}

/** What {@link replaceIndex} did. */
export interface ReplaceIndexResult {
  readonly name: string;
  /** The name the new index was built under (`<name>_pgv_new`) before it was renamed into place. */
  readonly temporary: string;
  /** `'replaced'`; `'created'` (there was no index of that name); `'finished'` (an interrupted earlier call had built it: only the swap ran). */
  readonly status: 'replaced' | 'created' | 'finished';
  /** The declared definition (drizzle-kit's DDL). */
  readonly sql: string;
  /** The statements run, in order: the concurrent build, the concurrent drop, the rename. */
  readonly statements: readonly string[];
  readonly maintenanceWorkMem: string | undefined;
  readonly parallelWorkers: number | undefined;
  readonly estimate: IndexBuildMemoryEstimate | undefined;
  readonly elapsedMs: number;
  readonly progressEvents: number;
}

const FN = 'replaceIndex';
const OPTION_KEYS = ['maintenanceWorkMem', 'maxMaintenanceWorkMem', 'parallelWorkers', 'onProgress', 'signal', 'pollIntervalMs'] as const;

/**
 * Replace a live index by its changed declaration (new `m`, `lists`, metric, expression or `WHERE`) without
 * downtime: the declared index is built `CONCURRENTLY` under a temporary name, with {@link buildIndex}'s settings,
 * progress and cancellation; once it is valid the old one is dropped `CONCURRENTLY` and the new one renamed into
 * place. Searches keep an index and writes go on the whole time. If the build fails or is cancelled, its INVALID
 * leftover is dropped and the old index is untouched. Always rebuilds (it does not compare definitions: see
 * `vectorIndexes()` drift for that). This is what `migrate()` does for drizzle-kit's `DROP INDEX` + `CREATE INDEX`
 * of the same name.
 *
 * SQL it runs:
 * ```sql
 * SET maintenance_work_mem = '1234MB';                 -- with maintenanceWorkMem; RESET afterwards
 * CREATE INDEX CONCURRENTLY "items_embedding_hnsw_pgv_new" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=24,ef_construction=64);
 * SELECT … indisvalid … ;                              -- the new index must be valid
 * DROP INDEX CONCURRENTLY IF EXISTS "public"."items_embedding_hnsw";
 * ALTER INDEX "public"."items_embedding_hnsw_pgv_new" RENAME TO "items_embedding_hnsw";
 * ```
 *
 * @example
 * ```ts
 * // the schema now says hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 24 })
 * const r = await replaceIndex(db, items, 'items_embedding_hnsw', { maintenanceWorkMem: 'auto', onProgress: console.log });
 * r.status; // 'replaced'
 * ```
 *
 * @throws PgVectorError `UNKNOWN_INDEX`, `NO_VECTOR_COLUMNS`, `INVALID_OPERATION_OPTION` (an unknown option),
 *   `TRANSACTION_NOT_ALLOWED` (a transaction instead of the database), `INVALID_MEMORY_SIZE` (before any SQL); `INDEX_BUILD_MEMORY_EXCEEDED`;
 *   `INDEX_BUILD_FAILED` / `INDEX_BUILD_CANCELLED`; `CONNECTION_LOST` / `STATEMENT_TIMEOUT` / `LOCK_TIMEOUT`
 *   (`details.sqlState`); in every case the old index is left as it was.
 */
export async function replaceIndex(db: AnyPgDatabase, table: PgTable, indexName: string, options: ReplaceIndexOptions = {}): Promise<ReplaceIndexResult> {
  const poll = checkRunOptions(FN, options, OPTION_KEYS);
  const t = checkVectorTable(FN, table);
  const { index, info } = declaredIndex(FN, t, indexName);
  checkBuildSettings(FN, options);
  if (isTransaction(db)) {
    throw pgVectorError(
      'TRANSACTION_NOT_ALLOWED',
      `${FN}: "${info.name}" is replaced with CREATE/DROP INDEX CONCURRENTLY, which PostgreSQL cannot run inside a transaction; pass the database, not a transaction.`,
      { option: 'db', index: info.name },
    );
  }
  const declared = indexDdl(t, index);
  const template = swapTemplate(declared);
  const { schema, name: tableName } = getTableConfig(t);
  const outcome = await swapIndex(
    FN,
    driverOf(db),
    {
      name: info.name,
      schema,
      method: info.method,
      template,
      shape: async () => declaredBuildShape(info, schema, tableName),
    },
    { ...buildSettingsOf(options), onProgress: options.onProgress, signal: options.signal, pollIntervalMs: poll },
  );
  return Object.freeze({
    name: outcome.name,
    temporary: outcome.temporary,
    status: outcome.status,
    sql: declared,
    statements: outcome.statements,
    maintenanceWorkMem: outcome.maintenanceWorkMem,
    parallelWorkers: outcome.parallelWorkers,
    estimate: outcome.estimate,
    elapsedMs: outcome.elapsedMs,
    progressEvents: outcome.progressEvents,
  });
}
