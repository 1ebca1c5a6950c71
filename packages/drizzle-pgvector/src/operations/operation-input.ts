import { isEntity } from '../compat/entity.js';
import { getTableConfig, PgTable, type Index } from 'drizzle-orm/pg-core';
import { PARALLEL_MAINTENANCE_WORKERS, PROGRESS_POLL } from '../catalog/index.js';
import { toMaintenanceWorkMem, type MemorySize } from '../advice/memory-size.js';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { declaredVectorIndexes, type VectorIndexInfo } from '../indexes/index.js';
import { vectorColumnInfo, type VectorColumnInfo } from '../targets/column-info.js';
import { indexNameOf } from './index-ddl.js';

/** @internal A table's pgvector columns (ours or Drizzle's built-in ones). */
export function vectorColumnsOf(table: PgTable): VectorColumnInfo[] {
  const out: VectorColumnInfo[] = [];
  for (const column of getTableConfig(table).columns) {
    try {
      out.push(vectorColumnInfo(column));
    } catch {
      // not a vector column
    }
  }
  return out;
}

/** @internal `table` must be a Drizzle table with at least one vector column. */
export function checkVectorTable(fn: string, table: unknown): PgTable {
  if (!isEntity(table, PgTable)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${fn}: expected a Drizzle table (pgTable(…)), got ${describe(table)}.`, { received: describe(table) });
  }
  if (vectorColumnsOf(table).length === 0) {
    const name = getTableConfig(table).name;
    throw pgVectorError(
      'NO_VECTOR_COLUMNS',
      `${fn}: table "${name}" has no vector columns (vector, halfvec, sparsevec, bit), so it has no vector indexes. Pass the table that declares the index.`,
      { table: name },
    );
  }
  return table;
}

/** @internal The index `name` declared on `table`, with what drizzle-pgvector knows about it. */
export function declaredIndex(fn: string, table: PgTable, name: unknown): { index: Index; info: VectorIndexInfo } {
  const config = getTableConfig(table);
  const vector = declaredVectorIndexes(table);
  const declared = vector.map((v) => v.name);
  if (typeof name !== 'string' || name.length === 0) {
    throw pgVectorError('UNKNOWN_INDEX', `${fn}: the index name must be a non-empty string, got ${describe(name)}. Vector indexes declared on "${config.name}": ${declared.join(', ') || 'none'}.`, {
      name,
      declared,
    });
  }
  const index = config.indexes.find((i) => indexNameOf(table, i) === name);
  const info = vector.find((v) => v.name === name);
  if (index === undefined || info === undefined) {
    throw pgVectorError(
      'UNKNOWN_INDEX',
      `${fn}: "${config.name}" declares no vector index named "${name}"${index ? ' (it is not an HNSW/IVFFlat index)' : ''}. Declared vector indexes: ${declared.length ? declared.map((d) => `"${d}"`).join(', ') : 'none — declare one with hnswIndex(…) / ivfflatIndex(…)'}.`,
      { name, table: config.name, declared },
    );
  }
  return { index, info };
}

/** Build settings shared by buildIndex and rebuildIndex. */
export interface BuildSettingsOptions {
  /** `'auto'` (size it from the estimate and the row count), or a size such as `'2GB'`. Default: the server's. */
  maintenanceWorkMem?: 'auto' | MemorySize;
  /** With `'auto'`: the most it may set (default `AUTO_MAINTENANCE_WORK_MEM_CAP`, 4GB). */
  maxMaintenanceWorkMem?: MemorySize;
  /** `max_parallel_maintenance_workers` for the build, 0 .. 1024. Default: the server's. */
  parallelWorkers?: number;
}

/** @internal Validate the settings options before any SQL. */
export function checkBuildSettings(fn: string, options: BuildSettingsOptions): void {
  const mwm = options.maintenanceWorkMem;
  if (mwm !== undefined && mwm !== 'auto') toMaintenanceWorkMem(mwm);
  if (options.maxMaintenanceWorkMem !== undefined) toMaintenanceWorkMem(options.maxMaintenanceWorkMem);
  const workers = options.parallelWorkers;
  const { min, max } = PARALLEL_MAINTENANCE_WORKERS;
  if (workers !== undefined && (typeof workers !== 'number' || !Number.isInteger(workers) || workers < min || workers > max)) {
    throw pgVectorError(
      'INVALID_OPERATION_OPTION',
      `${fn}: parallelWorkers must be an integer from ${min} to ${max} (max_parallel_maintenance_workers), got ${describe(workers)}.`,
      { option: 'parallelWorkers', value: workers, min, max },
    );
  }
}

/**
 * @internal Options must be an object of the `allowed` keys (a misspelled one is rejected with "did you mean", so
 * `concurrenty: true` never runs a blocking build); `onProgress` a function; `signal` an AbortSignal that has not fired;
 * `pollIntervalMs` an integer in `PROGRESS_POLL`'s range. Returns the poll interval (the default when not given).
 */
export function checkRunOptions(fn: string, options: unknown, allowed: readonly string[]): number {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${fn}: options must be an object, got ${describe(options)}.`, { options });
  }
  checkOptionKeys(fn, options, allowed, 'INVALID_OPERATION_OPTION');
  const o = options as { onProgress?: unknown; signal?: unknown; pollIntervalMs?: unknown };
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${fn}: onProgress must be a function, got ${describe(o.onProgress)}.`, { option: 'onProgress' });
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${fn}: signal must be an AbortSignal (new AbortController().signal), got ${describe(o.signal)}.`, { option: 'signal' });
  }
  if (o.signal instanceof AbortSignal && o.signal.aborted) {
    throw pgVectorError('INDEX_BUILD_CANCELLED', `${fn}: the signal was already aborted; nothing was run.`, { reason: String(o.signal.reason) });
  }
  const poll = o.pollIntervalMs ?? PROGRESS_POLL.defaultMs;
  if (typeof poll !== 'number' || !Number.isInteger(poll) || poll < PROGRESS_POLL.minMs || poll > PROGRESS_POLL.maxMs) {
    throw pgVectorError(
      'INVALID_OPERATION_OPTION',
      `${fn}: pollIntervalMs must be an integer from ${PROGRESS_POLL.minMs} to ${PROGRESS_POLL.maxMs} (milliseconds between progress reads), got ${describe(o.pollIntervalMs)}.`,
      { option: 'pollIntervalMs', received: describe(o.pollIntervalMs) },
    );
  }
  return poll;
}

/** @internal Only the build settings of an options object (the keys that were given). */
export function buildSettingsOf(options: BuildSettingsOptions): BuildSettingsOptions {
  return {
    ...(options.maintenanceWorkMem === undefined ? {} : { maintenanceWorkMem: options.maintenanceWorkMem }),
    ...(options.maxMaintenanceWorkMem === undefined ? {} : { maxMaintenanceWorkMem: options.maxMaintenanceWorkMem }),
    ...(options.parallelWorkers === undefined ? {} : { parallelWorkers: options.parallelWorkers }),
  };
}
