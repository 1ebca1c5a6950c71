import { operatorClassByName } from '../catalog/index.js';
import { driverOf, isTransaction, qualified, type AnyPgDatabase } from '../driver/index.js';
import type { IndexBuildMemoryEstimate } from '../advice/estimate-index-build-memory.js';
import { describe, pgVectorError } from '../errors/index.js';
import { buildRows, resolveBuildSettings } from './build-settings.js';
import { buildFailure } from './build-failure.js';
import { readLiveIndexes } from '../pg-catalog/index.js';
import { checkBuildSettings, checkRunOptions, type BuildSettingsOptions } from './operation-input.js';
import { cleanupRows, driverRows, runBuild, type BuildProgress } from './run-build.js';

/** Options of {@link rebuildIndex}. */
export interface RebuildIndexOptions extends BuildSettingsOptions {
  /** `REINDEX INDEX CONCURRENTLY` (writes keep going). Default false. */
  concurrently?: boolean;
  /** Schema of the index. Default: the search_path. */
  schema?: string;
  onProgress?: (progress: BuildProgress) => void;
  signal?: AbortSignal;
  pollIntervalMs?: number;
}

/** What {@link rebuildIndex} did. */
export interface RebuildIndexResult {
  readonly name: string;
  readonly sql: string;
  /** Was the index valid before the rebuild (an INVALID one is made valid by it). */
  readonly wasValid: boolean;
  readonly maintenanceWorkMem: string | undefined;
  readonly parallelWorkers: number | undefined;
  readonly estimate: IndexBuildMemoryEstimate | undefined;
  readonly elapsedMs: number;
  readonly progressEvents: number;
}

const FN = 'rebuildIndex';
/** Every key of {@link RebuildIndexOptions} (the record makes the compiler keep it complete). */
const OPTION_KEYS = Object.keys({
  concurrently: true, schema: true, onProgress: true, signal: true, pollIntervalMs: true, maintenanceWorkMem: true, maxMaintenanceWorkMem: true, parallelWorkers: true,
} satisfies Record<keyof RebuildIndexOptions, true>);


/**
 * Rebuild a vector index in place with `REINDEX` — after large changes to the data (IVFFlat keeps its old
 * centers), to change nothing but get a compact graph, or to repair an INVALID index — with the same settings,
 * progress and cancellation as {@link buildIndex}. A failed `REINDEX … CONCURRENTLY` leaves an INVALID
 * `<name>_ccnew`: it is dropped and the error says so.
 *
 * SQL it runs:
 * ```sql
 * SELECT … FROM pg_index i JOIN pg_class c … WHERE c.relname = $4;     -- the index, its method, opclass, dimensions
 * SELECT count(*) FROM "public"."items";                                -- with onProgress, only for a partial index or a table never analysed
 * BEGIN; SET LOCAL maintenance_work_mem = '…'; REINDEX INDEX "public"."items_embedding_ivf"; COMMIT;
 * -- concurrently: SET maintenance_work_mem = '…'; REINDEX INDEX CONCURRENTLY "public"."items_embedding_ivf"; RESET maintenance_work_mem;
 * ```
 *
 * @example
 * ```ts
 * const r = await rebuildIndex(db, 'items_embedding_ivf', { concurrently: true, maintenanceWorkMem: 'auto', onProgress: console.log });
 * ```
 *
 * @throws PgVectorError `UNKNOWN_INDEX` (no vector index of that name), `INVALID_OPERATION_OPTION` (before any
 *   SQL; also an unknown or misspelled option, with "did you mean"), `TRANSACTION_NOT_ALLOWED` (`concurrently: true` in a transaction), `INVALID_MEMORY_SIZE`, `INDEX_BUILD_MEMORY_EXCEEDED`, `INDEX_BUILD_FAILED`, `INDEX_BUILD_CANCELLED`.
 */
export async function rebuildIndex(db: AnyPgDatabase, indexName: string, options: RebuildIndexOptions = {}): Promise<RebuildIndexResult> {
  const poll = checkRunOptions(FN, options, OPTION_KEYS);
  if (typeof indexName !== 'string' || indexName.length === 0) {
    throw pgVectorError('UNKNOWN_INDEX', `${FN}: the index name must be a non-empty string, got ${describe(indexName)}.`, { name: indexName });
  }
  checkBuildSettings(FN, options);
  if ((options.concurrently !== undefined && typeof options.concurrently !== 'boolean') || (options.schema !== undefined && typeof options.schema !== 'string')) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: concurrently must be a boolean and schema a string, got ${describe(options.concurrently)} and ${describe(options.schema)}.`, {
      concurrently: options.concurrently,
      schema: options.schema,
    });
  }
  const driver = driverOf(db);
  if (options.concurrently === true && isTransaction(db)) {
    throw pgVectorError(
      'TRANSACTION_NOT_ALLOWED',
      `${FN}: REINDEX CONCURRENTLY cannot run inside a transaction; pass the database, not a transaction (or concurrently: false).`,
      { option: 'concurrently', index: indexName },
    );
  }
  const rows = driverRows(driver);
  const [index] = await readLiveIndexes(db, { index: indexName, schema: options.schema });
  if (index === undefined) {
    const known = (await readLiveIndexes(db, { index: undefined, schema: options.schema })).map((i) => i.name);
    throw pgVectorError(
      'UNKNOWN_INDEX',
      `${FN}: there is no HNSW/IVFFlat index named "${indexName}"${options.schema ? ` in schema "${options.schema}"` : ' on the search_path'}. Vector indexes there: ${known.map((k) => `"${k}"`).join(', ') || 'none'}.`,
      { name: indexName, schema: options.schema ?? null, known },
    );
  }
  const concurrently = options.concurrently ?? false;
  const statement = `REINDEX INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${qualified(index.schema, index.name)}`;
  const method = index.method;
  const settings = await resolveBuildSettings(FN, rows, options, async () => {
    const opclass = operatorClassByName(index.opclass);
    const [predicate] = index.predicate ? [index.predicate] : [];
    return {
      method,
      type: opclass?.type ?? 'vector',
      dimensions: index.typmod,
      // Options in effect: the stored ones, else pgvector's defaults (an IVFFlat index without lists has 100).
      ...(index.options.m === undefined ? {} : { m: index.options.m }),
      ...(index.options.lists === undefined ? {} : { lists: index.options.lists }),
      tableSql: qualified(index.schema, index.table),
      ...(predicate ? { predicateSql: predicate } : {}),
    };
  });
  const progressRows = options.onProgress
    ? await buildRows(rows, { tableSql: qualified(index.schema, index.table), ...(index.predicate ? { predicateSql: index.predicate } : {}) }, settings.rows, index)
    : 0;
  const outcome = await runBuild(driver, { statement, concurrently, method, settings, onProgress: options.onProgress, signal: options.signal, pollIntervalMs: poll, rows: progressRows });
  if (outcome.error !== undefined || outcome.cancelled) {
    throw await buildFailure(FN, cleanupRows(driver), outcome, { name: index.name, schema: index.schema, statement, concurrently, leftovers: [`${index.name}_ccnew`, `${index.name}_ccold`] });
  }
  return Object.freeze({
    name: index.name,
    sql: statement,
    wasValid: index.valid,
    maintenanceWorkMem: settings.maintenanceWorkMem,
    parallelWorkers: settings.parallelWorkers,
    estimate: settings.estimate,
    elapsedMs: outcome.elapsedMs,
    progressEvents: outcome.events,
  });
}
