import { PgDialect } from 'drizzle-orm/pg-core';
import { AUTO_MAINTENANCE_WORK_MEM_CAP, INDEX_OPTIONS, MAINTENANCE_WORK_MEM, MEMORY_UNITS, type IndexMethod, type VectorType } from '../catalog/index.js';
import { estimateIndexBuildMemory, type IndexBuildMemoryEstimate } from '../advice/estimate-index-build-memory.js';
import { formatMemorySize, parseMemorySize, toMaintenanceWorkMem } from '../advice/memory-size.js';
import { pgVectorError } from '../errors/index.js';
import type { VectorIndexInfo } from '../indexes/index.js';
import { relationName, type RowQuery } from '../driver/index.js';
import { estimatedRows, readTableStats, type TableStats } from '../pg-catalog/index.js';
import type { BuildSettingsOptions } from './operation-input.js';

/** What an index build needs to know to size `maintenance_work_mem`. */
export interface BuildShape {
  readonly method: IndexMethod;
  readonly type: VectorType;
  readonly dimensions: number;
  readonly m?: number;
  readonly lists?: number;
  /** `"schema"."table"`, quoted. */
  readonly tableSql: string;
  /** The index predicate as SQL text (rows counted under it), if partial. */
  readonly predicateSql?: string;
}

const IVFFLAT_DEFAULT_LISTS = INDEX_OPTIONS.find((o) => o.key === 'lists')!.default;
const DIALECT = new PgDialect();

/**
 * @internal The build shape of an index declared in the schema. An IVFFlat index without `lists` gets pgvector's
 * default (100), not the advice for the row count.
 */
export function declaredBuildShape(info: VectorIndexInfo, schema: string | undefined, table: string): BuildShape {
  return {
    method: info.method,
    type: info.target.type,
    dimensions: info.target.dimensions!,
    ...(info.options.m === undefined ? {} : { m: info.options.m }),
    ...(info.method === 'ivfflat' ? { lists: info.options.lists ?? IVFFLAT_DEFAULT_LISTS } : {}),
    tableSql: relationName(schema, table),
    ...(info.predicate ? { predicateSql: DIALECT.sqlToQuery(info.predicate).sql } : {}),
  };
}

/** The settings a build runs with. */
export interface BuildSettings {
  /** The value set, or undefined when the server's setting is kept. */
  readonly maintenanceWorkMem: string | undefined;
  readonly parallelWorkers: number | undefined;
  /** The estimate behind `'auto'`. */
  readonly estimate: IndexBuildMemoryEstimate | undefined;
  /** Rows counted for `'auto'`. */
  readonly rows: number | undefined;
}

/**
 * @internal Resolve `maintenanceWorkMem` / `parallelWorkers` (reads the row count, the heap size and the server's
 * limits for `'auto'`; changes nothing).
 *
 * ```sql
 * SELECT current_setting('server_version_num')::int, (SELECT max_val FROM pg_settings WHERE name = 'maintenance_work_mem'),
 *        current_setting('maintenance_work_mem'), (SELECT count(*) FROM "items" [WHERE <predicate>]), pg_relation_size('"items"') / 8192;
 * ```
 *
 * @throws PgVectorError `INDEX_BUILD_MEMORY_EXCEEDED` when the estimate is above `maxMaintenanceWorkMem`.
 */
export async function resolveBuildSettings(fn: string, query: RowQuery, options: BuildSettingsOptions, shape: () => Promise<BuildShape>): Promise<BuildSettings> {
  const workers = options.parallelWorkers;
  if (options.maintenanceWorkMem === undefined) return { maintenanceWorkMem: undefined, parallelWorkers: workers, estimate: undefined, rows: undefined };
  const [facts] = await query(
    `SELECT current_setting('server_version_num')::int AS version, (SELECT max_val FROM pg_catalog.pg_settings WHERE name = 'maintenance_work_mem')::bigint AS max_kb, current_setting('maintenance_work_mem') AS current`,
    [],
  );
  const serverVersion = Number(facts?.['version']);
  const serverBits = Number(facts?.['max_kb']) <= MAINTENANCE_WORK_MEM.maxKb[32] ? 32 : 64;
  const server = { serverVersion, serverBits } as const;
  if (options.maintenanceWorkMem !== 'auto') {
    return { maintenanceWorkMem: toMaintenanceWorkMem(options.maintenanceWorkMem, server).text, parallelWorkers: workers, estimate: undefined, rows: undefined };
  }
  const s = await shape();
  const [size] = await query(
    `SELECT (SELECT count(*) FROM ${s.tableSql}${s.predicateSql ? ` WHERE ${s.predicateSql}` : ''})::bigint AS rows, (pg_catalog.pg_relation_size($1::regclass) / 8192)::bigint AS pages`,
    [s.tableSql],
  );
  const rows = Number(size?.['rows']);
  const estimate = estimateIndexBuildMemory({
    method: s.method,
    type: s.type,
    dimensions: s.dimensions,
    rows,
    ...(s.m === undefined ? {} : { m: s.m }),
    ...(s.lists === undefined ? {} : { lists: s.lists }),
    parallelWorkers: workers ?? 0,
    serverVersion,
    serverBits,
    heapPages: Number(size?.['pages']),
  });
  const requestedCap = parseMemorySize(options.maxMaintenanceWorkMem ?? AUTO_MAINTENANCE_WORK_MEM_CAP);
  const serverMax = Number(facts?.['max_kb']) * MEMORY_UNITS.kB;
  const cap = Number.isFinite(serverMax) && serverMax > 0 ? Math.min(requestedCap, serverMax) : requestedCap;
  // The estimate itself, not its setting (which is clamped to the server's maximum).
  const needed = s.method === 'ivfflat' ? (estimate.minimumKb ?? 0) * MEMORY_UNITS.kB : estimate.bytes;
  if (needed > cap) {
    const limit = cap < requestedCap ? `the server's maximum maintenance_work_mem ${formatMemorySize(cap)}` : `the maximum ${formatMemorySize(cap)} (maxMaintenanceWorkMem)`;
    throw pgVectorError(
      'INDEX_BUILD_MEMORY_EXCEEDED',
      `${fn}: the build of this ${s.method} index over ${rows} rows needs about ${formatMemorySize(Math.ceil(needed / MEMORY_UNITS.MB) * MEMORY_UNITS.MB)} of maintenance_work_mem, above ${limit}. ${estimate.why} ` +
        `Raise maxMaintenanceWorkMem if the server has the memory, pass an explicit maintenanceWorkMem (HNSW then continues on disk, more slowly; IVFFlat refuses with less than it needs), or lower m / lists. Nothing was changed.`,
      { needed: estimate.maintenanceWorkMem, neededBytes: needed, max: formatMemorySize(cap), rows, method: s.method },
    );
  }
  // Never lower what the server already gives builds.
  const current = parseMemorySize(String(facts?.['current'] ?? '0kB'));
  const chosen = parseMemorySize(estimate.maintenanceWorkMem) > current ? estimate.maintenanceWorkMem : toMaintenanceWorkMem(String(facts?.['current']), server).text;
  return { maintenanceWorkMem: chosen, parallelWorkers: workers, estimate, rows };
}

/** `SET [LOCAL] …` statements for an index build's settings (validated values inlined); not the search settings' `settingsStatements`. */
export function buildSettingStatements(settings: BuildSettings, local: boolean): string[] {
  const set = local ? 'SET LOCAL' : 'SET';
  const out: string[] = [];
  if (settings.maintenanceWorkMem !== undefined) out.push(`${set} maintenance_work_mem = '${settings.maintenanceWorkMem}'`);
  if (settings.parallelWorkers !== undefined) out.push(`${set} max_parallel_maintenance_workers = ${settings.parallelWorkers}`);
  return out;
}

/** `RESET …` for what {@link buildSettingStatements} set at session level. */
export function resetStatements(settings: BuildSettings): string[] {
  const out: string[] = [];
  if (settings.maintenanceWorkMem !== undefined) out.push('RESET maintenance_work_mem');
  if (settings.parallelWorkers !== undefined) out.push('RESET max_parallel_maintenance_workers');
  return out;
}

/**
 * @internal The rows a build reads, as the progress total where the server reports none (HNSW never fills
 * `tuples_total`): the exact count `'auto'` made, else the planner's estimate (`reltuples` scaled by the table's
 * growth since), else `count(*)` — under the predicate for a partial index.
 *
 * ```sql
 * SELECT c.reltuples, c.relpages, pg_relation_size(c.oid) / current_setting('block_size')::int FROM pg_class c WHERE c.oid = $1::regclass;
 * SELECT count(*) FROM "items" [WHERE <predicate>];   -- never analysed, or partial
 * ```
 */
export async function buildRows(query: RowQuery, s: Pick<BuildShape, 'tableSql' | 'predicateSql'>, counted: number | undefined, stats?: TableStats): Promise<number> {
  if (counted !== undefined) return counted;
  if (s.predicateSql === undefined) {
    const estimate = estimatedRows(stats ?? (await readTableStats(query, s.tableSql)));
    if (estimate !== undefined) return estimate;
  }
  const [row] = await query(`SELECT count(*)::bigint AS rows FROM ${s.tableSql}${s.predicateSql ? ` WHERE ${s.predicateSql}` : ''}`, []);
  return Number(row?.['rows'] ?? 0);
}
