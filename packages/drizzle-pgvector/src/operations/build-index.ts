import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { driverOf, isTransaction, qualified, type AnyPgDatabase } from '../driver/index.js';
import type { IndexBuildMemoryEstimate } from '../advice/estimate-index-build-memory.js';
import { pgVectorError } from '../errors/index.js';
import { buildRows, declaredBuildShape, resolveBuildSettings } from './build-settings.js';
import { buildFailure } from './build-failure.js';
import { indexDdl } from './index-ddl.js';
import { findIndex } from '../pg-catalog/index.js';
import { checkBuildSettings, checkRunOptions, checkVectorTable, declaredIndex, type BuildSettingsOptions } from './operation-input.js';
import { cleanupRows, driverRows, runBuild, type BuildProgress } from './run-build.js';

/** Options of {@link buildIndex}. */
export interface BuildIndexOptions extends BuildSettingsOptions {
  /** `CREATE INDEX CONCURRENTLY` (writes keep going; slower). Default: the index's own `.concurrently()`. */
  concurrently?: boolean;
  /** Progress reports: read over a second connection where the driver has a pool; start and end otherwise. */
  onProgress?: (progress: BuildProgress) => void;
  /** Cancels the build (`pg_cancel_backend`) where the driver has a pool; elsewhere only before it starts. */
  signal?: AbortSignal;
  /** How often progress is read, in ms (10 .. 60000, default 100). */
  pollIntervalMs?: number;
}

/** What {@link buildIndex} did. */
export interface BuildIndexResult {
  readonly name: string;
  /** `'built'`, or `'exists'` when a valid index of that name was already there (nothing was run). */
  readonly status: 'built' | 'exists';
  /** The CREATE INDEX statement (drizzle-kit's DDL plus IF NOT EXISTS). */
  readonly sql: string;
  readonly maintenanceWorkMem: string | undefined;
  readonly parallelWorkers: number | undefined;
  /** The estimate behind `maintenanceWorkMem: 'auto'`. */
  readonly estimate: IndexBuildMemoryEstimate | undefined;
  /** An INVALID index of the same name (left by a failed concurrent build) that was dropped first. */
  readonly droppedInvalid: boolean;
  readonly elapsedMs: number;
  readonly progressEvents: number;
}

const FN = 'buildIndex';
/** Every key of {@link BuildIndexOptions} (the record makes the compiler keep it complete). */
const OPTION_KEYS = Object.keys({
  concurrently: true, onProgress: true, signal: true, pollIntervalMs: true, maintenanceWorkMem: true, maxMaintenanceWorkMem: true, parallelWorkers: true,
} satisfies Record<keyof BuildIndexOptions, true>);

/**
 * Build an index declared in the schema, with the DDL drizzle-kit emits (plus `IF NOT EXISTS`), settings scoped to
 * the build, progress reports and cancellation. An index that already exists and is valid is left alone (checked
 * in `pg_class` first, on every backend — on Citus, CONCURRENTLY IF NOT EXISTS can invalidate an existing index);
 * an INVALID one is dropped and rebuilt. A failed or cancelled CONCURRENTLY build leaves an INVALID index:
 * it is dropped, and the error says so (`details.droppedInvalidIndex`).
 *
 * SQL it runs (non-concurrent; CONCURRENTLY: the same on one held connection with `SET`/`RESET` instead of a
 * transaction):
 * ```sql
 * SELECT … FROM pg_class c JOIN pg_index i … WHERE c.relname = $1;                  -- exists? valid?
 * SELECT count(*) FROM "items"; SELECT pg_relation_size(…);                          -- only for 'auto'
 * SELECT reltuples, relpages, pg_relation_size(…) FROM pg_class WHERE oid = $1::regclass; -- with onProgress: the rows (tuplesTotal)
 * BEGIN;
 * SELECT pg_backend_pid();
 * SET LOCAL maintenance_work_mem = '1234MB'; SET LOCAL max_parallel_maintenance_workers = 2;
 * CREATE INDEX IF NOT EXISTS "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);
 * COMMIT;
 * -- meanwhile, on a second connection: SELECT phase, blocks_total, … FROM pg_stat_progress_create_index WHERE pid = $1;
 * ```
 *
 * @example
 * ```ts
 * const r = await buildIndex(db, items, 'items_embedding_hnsw', {
 *   maintenanceWorkMem: 'auto',
 *   parallelWorkers: 2,
 *   onProgress: (p) => console.log(p.phase, Math.round(p.fraction * 100) + '%', p.etaMs),
 * });
 * r.status; // 'built'
 * ```
 *
 * @throws PgVectorError `UNKNOWN_INDEX`, `NO_VECTOR_COLUMNS`, `INVALID_OPERATION_OPTION` (an unknown or misspelled option, with the one meant),
 *   `TRANSACTION_NOT_ALLOWED` (CONCURRENTLY asked of a transaction), `INVALID_MEMORY_SIZE` (before any SQL); `INDEX_BUILD_MEMORY_EXCEEDED` ('auto' estimate above
 *   `maxMaintenanceWorkMem` or the server's maximum; nothing changed);
 *   `INDEX_BUILD_FAILED` / `INDEX_BUILD_CANCELLED` (the build failed / was cancelled; `cause` is the server's error).
 */
export async function buildIndex(db: AnyPgDatabase, table: PgTable, indexName: string, options: BuildIndexOptions = {}): Promise<BuildIndexResult> {
  const poll = checkRunOptions(FN, options, OPTION_KEYS);
  const t = checkVectorTable(FN, table);
  const { index, info } = declaredIndex(FN, t, indexName);
  checkBuildSettings(FN, options);
  if (options.concurrently !== undefined && typeof options.concurrently !== 'boolean') {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: concurrently must be true or false, got ${String(options.concurrently)}.`, { option: 'concurrently' });
  }
  const driver = driverOf(db);
  const concurrentlyWanted = options.concurrently ?? info.concurrently;
  if (concurrentlyWanted && isTransaction(db)) {
    throw pgVectorError(
      'TRANSACTION_NOT_ALLOWED',
      `${FN}: "${info.name}" is built CONCURRENTLY, which PostgreSQL cannot run inside a transaction; pass the database, not a transaction (or concurrently: false).`,
      { option: 'concurrently', index: info.name },
    );
  }
  const concurrently = concurrentlyWanted;
  const statement = indexDdl(t, index, { ifNotExists: true, concurrently });
  const { schema, name: tableName } = getTableConfig(t);
  const rows = driverRows(driver);

  const existing = await findIndex(rows, info.name, schema);
  if (existing?.valid) {
    return Object.freeze({
      name: info.name, status: 'exists', sql: statement, maintenanceWorkMem: undefined, parallelWorkers: undefined,
      estimate: undefined, droppedInvalid: false, elapsedMs: 0, progressEvents: 0,
    });
  }
  const shape = declaredBuildShape(info, schema, tableName);
  const settings = await resolveBuildSettings(FN, rows, options, async () => shape);
  let droppedInvalid = false;
  if (existing && !existing.valid) {
    await rows(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${qualified(existing.schema, existing.name)}`, []);
    droppedInvalid = true;
  }
  const progressRows = options.onProgress ? await buildRows(rows, shape, settings.rows) : 0;
  const outcome = await runBuild(driver, {
    statement, concurrently, method: info.method, settings, onProgress: options.onProgress, signal: options.signal, pollIntervalMs: poll, rows: progressRows,
  });
  if (outcome.error !== undefined || outcome.cancelled) {
    throw await buildFailure(FN, cleanupRows(driver), outcome, { name: info.name, schema, statement, concurrently, leftovers: [info.name] });
  }
  return Object.freeze({
    name: info.name,
    status: 'built',
    sql: statement,
    maintenanceWorkMem: settings.maintenanceWorkMem,
    parallelWorkers: settings.parallelWorkers,
    estimate: settings.estimate,
    droppedInvalid,
    elapsedMs: outcome.elapsedMs,
    progressEvents: outcome.events,
  });
}
