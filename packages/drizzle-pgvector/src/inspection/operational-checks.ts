import { sql } from 'drizzle-orm';
import { HNSW_VACUUM_FIXES, METRICS, PARALLEL_BUILD_SINCE, SETTINGS, versionAtLeast } from '../catalog/index.js';
import { estimateIndexBuildMemory } from '../advice/estimate-index-build-memory.js';
import { formatMemorySize, parseMemorySize } from '../advice/memory-size.js';
import { qualified, queryRows, quoteIdent, type AnyPgDatabase, type SqlExecutor } from '../driver/index.js';
import { withVectorSettings } from '../settings/index.js';
import { readVectorExtension } from '../pg-catalog/index.js';
import type { VectorIndexStatus } from './types.js';
import { vectorIndexes } from './vector-indexes.js';

/** Stable kinds of an {@link operationalChecks} finding. */
export type OperationalCheckKind =
  /** pgvector older than the HNSW vacuum fixes (0.8.3, 0.8.4) while the database has HNSW indexes. */
  | 'hnsw-vacuum-fixes'
  /** At the server's (or the advised) `ivfflat.probes`, the planner prefers a sequential scan to the IVFFlat index. */
  | 'ivfflat-probes-seqscan'
  /** A rebuild of the index needs more `maintenance_work_mem` than the server gives builds (the advice estimate). */
  | 'build-memory'
  /** `max_parallel_maintenance_workers = 0` while a table is large enough for parallel index builds. */
  | 'parallel-maintenance-off';

/** One thing that will trip an operation, with the SQL or setting that fixes it. */
export interface OperationalFinding {
  readonly kind: OperationalCheckKind;
  /** `'action'` for a risk to the data; `'warning'` for slowness or an index the planner will not use. */
  readonly severity: 'action' | 'warning';
  /** The index, the setting or `vector` (the extension). */
  readonly subject: string;
  readonly message: string;
  /** Statements that fix it, in order (`CONCURRENTLY` ones outside a transaction block). */
  readonly sql: readonly string[];
}

/** Options of {@link operationalChecks}. */
export interface OperationalChecksOptions {
  /** The indexes to check, from `vectorIndexes(db)`; default: read them (every non-system schema). */
  indexes?: readonly VectorIndexStatus[];
}

/** Rows a search asks for when the probes check EXPLAINs one (`LIMIT`). */
const PROBE_LIMIT = 10;
const DEFAULT_PROBES = Number(SETTINGS.find((s) => s.key === 'probes')!.default);
/** PostgreSQL's default `max_parallel_maintenance_workers` (guc_tables.c). */
const DEFAULT_PARALLEL_MAINTENANCE_WORKERS = 2;

/**
 * What will trip long operations and searches on this server, read from the catalog and the settings (changes
 * nothing):
 * - `hnsw-vacuum-fixes`: pgvector older than 0.8.4 with HNSW indexes (0.8.3 fixed possible index corruption with
 *   HNSW vacuuming, 0.8.4 a `hnsw graph not repaired` error and errors of inserts during vacuuming). Fix: install
 *   pgvector ≥ 0.8.4, `ALTER EXTENSION vector UPDATE`, and before 0.8.3 `REINDEX … CONCURRENTLY` the HNSW indexes.
 * - `ivfflat-probes-seqscan`: at the server's `ivfflat.probes` (or the advised probes for the index's lists), the
 *   planner prefers a sequential scan to the IVFFlat index (`EXPLAIN` of `ORDER BY … LIMIT 10` with `SET LOCAL
 *   ivfflat.probes` in a transaction); reports the highest probes the planner still scans the index with.
 * - `build-memory`: rebuilding an index needs more `maintenance_work_mem` than the server's
 *   (`estimateIndexBuildMemory`); HNSW then builds on disk, much more slowly; IVFFlat refuses.
 * - `parallel-maintenance-off`: `max_parallel_maintenance_workers = 0` while a vector index's table is at least
 *   `min_parallel_table_scan_size` (PostgreSQL plans no build workers below it) and pgvector builds that method in
 *   parallel (IVFFlat 0.5.0, HNSW 0.6.0).
 *
 * SQL it runs:
 * ```sql
 * SELECT extversion, server_version_num, maintenance_work_mem, max_parallel_maintenance_workers, min_parallel_table_scan_size, ivfflat.probes, block_size;
 * SELECT pg_relation_size('"public"."items"'::regclass);                          -- per table, for the parallel check
 * BEGIN; SET LOCAL ivfflat.probes = 10; EXPLAIN SELECT 1 FROM "public"."items" ORDER BY "embedding" <-> '[1,…]' LIMIT 10; COMMIT;   -- per IVFFlat index
 * ```
 *
 * @example
 * ```ts
 * for (const f of await operationalChecks(db)) console.log(f.severity, f.kind, f.subject, f.message, f.sql);
 * // warning parallel-maintenance-off max_parallel_maintenance_workers … ['ALTER SYSTEM SET max_parallel_maintenance_workers = 2;', 'SELECT pg_reload_conf();']
 * ```
 */
export async function operationalChecks(db: AnyPgDatabase, options: OperationalChecksOptions = {}): Promise<OperationalFinding[]> {
  const exec = db as unknown as SqlExecutor;
  const indexes = (options.indexes ?? (await vectorIndexes(db)).indexes).filter((i) => i.valid);
  const ext = await readVectorExtension(exec);
  if (ext === undefined) return [];
  // pgvector's settings exist in a session once its library is loaded: call one of its functions first.
  await exec.execute(sql.raw(`SELECT ${quoteIdent(ext.schema)}.vector_dims('[1]'::${quoteIdent(ext.schema)}.vector)`));
  const [s] = await queryRows<Record<string, unknown>>(
    exec,
    sql`SELECT current_setting('server_version_num')::int AS server, current_setting('maintenance_work_mem') AS mwm,
               current_setting('max_parallel_maintenance_workers')::int AS workers, current_setting('block_size')::int AS block,
               (SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = 'min_parallel_table_scan_size') AS min_scan_blocks,
               current_setting('ivfflat.probes', true) AS probes, current_database() AS database`,
  );
  const version = ext.version;
  const out: OperationalFinding[] = [];
  const vacuum = hnswVacuumFinding(version, indexes);
  if (vacuum) out.push(vacuum);
  const probes = Number(s?.['probes'] ?? DEFAULT_PROBES) || DEFAULT_PROBES;
  for (const index of indexes) {
    const finding = await probesFinding(db, index, probes, String(s?.['database']));
    if (finding) out.push(finding);
  }
  out.push(...buildMemoryFindings(indexes, String(s?.['mwm']), Number(s?.['server'])));
  if (Number(s?.['workers']) === 0) {
    const finding = await parallelFinding(exec, version, indexes, Number(s?.['min_scan_blocks']), Number(s?.['block']));
    if (finding) out.push(finding);
  }
  return out;
}

/** @internal The `hnsw-vacuum-fixes` finding for `version` and the database's indexes, if any. */
export function hnswVacuumFinding(version: string, indexes: readonly Pick<VectorIndexStatus, 'method' | 'schema' | 'name'>[]): OperationalFinding | undefined {
  const hnsw = indexes.filter((i) => i.method === 'hnsw');
  const missing = HNSW_VACUUM_FIXES.filter((f) => !versionAtLeast(version, f.version));
  if (hnsw.length === 0 || missing.length === 0) return undefined;
  const latest = HNSW_VACUUM_FIXES[HNSW_VACUUM_FIXES.length - 1]!.version;
  const corruption = missing.some((f) => f.version === HNSW_VACUUM_FIXES[0].version);
  const names = hnsw.map((i) => qualified(i.schema, i.name));
  return {
    kind: 'hnsw-vacuum-fixes',
    severity: 'action',
    subject: 'vector',
    message:
      `pgvector ${version} is installed and this database has ${hnsw.length} HNSW index(es) (${names.join(', ')}); vacuuming them runs into bugs fixed since: ` +
      `${missing.map((f) => `${f.version}: ${f.fix}`).join('; ')}. Install pgvector ${latest} or newer on the server, then update the extension in this database` +
      `${corruption ? ' and rebuild the HNSW indexes (an index (auto)vacuumed under the old version may be corrupt)' : ''}.`,
    sql: ['ALTER EXTENSION vector UPDATE;', ...(corruption ? names.map((n) => `REINDEX INDEX CONCURRENTLY ${n};`) : [])],
  };
}

/** `ORDER BY <key> <op> <constant> LIMIT 10` on the index, EXPLAINed with `probes`: does the plan scan the index? */
async function usesIndex(db: AnyPgDatabase, index: VectorIndexStatus, probes: number): Promise<boolean> {
  const dims = index.dimensions!;
  const literal = index.type === 'bit' ? `'${'1'.repeat(dims)}'::bit(${dims})` : `'[${Array(dims).fill(1).join(',')}]'::${index.type}(${dims})`;
  const key = index.column !== undefined ? quoteIdent(index.column) : index.expression!;
  const text =
    `EXPLAIN SELECT 1 FROM ${qualified(index.schema, index.table)}${index.predicate ? ` WHERE ${index.predicate}` : ''} ` +
    `ORDER BY ${key} ${METRICS[index.metric!].operator} ${literal} LIMIT ${PROBE_LIMIT}`;
  const plan = await withVectorSettings(db, { probes }, async (tx) => queryRows<Record<string, unknown>>(tx as unknown as SqlExecutor, sql.raw(text)));
  const pattern = new RegExp(`Index (?:Only )?Scan using "?${index.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"? `);
  return plan.some((r) => pattern.test(String(Object.values(r)[0])));
}

async function probesFinding(db: AnyPgDatabase, index: VectorIndexStatus, serverProbes: number, database: string): Promise<OperationalFinding | undefined> {
  if (index.method !== 'ivfflat' || index.metric === undefined || index.type === undefined || index.dimensions === undefined || index.rows === 0) return undefined;
  const lists = index.options.lists ?? 1;
  const advised = index.ivfflat?.advisedProbes;
  const candidates = [...new Set([serverProbes, ...(advised === undefined ? [] : [advised])].map((p) => Math.min(p, lists)))].filter((p) => p > 1).sort((a, b) => a - b);
  if (candidates.length === 0 || !(await usesIndex(db, index, 1))) return undefined; // never used: not a matter of probes
  let failing: number | undefined;
  for (const p of candidates) {
    if (!(await usesIndex(db, index, p))) {
      failing = p;
      break;
    }
  }
  if (failing === undefined) return undefined;
  // The highest probes the planner still scans the index with (binary search in 1 .. failing − 1).
  let lo = 1;
  let hi = failing - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (await usesIndex(db, index, mid)) lo = mid;
    else hi = mid - 1;
  }
  const which = failing === serverProbes ? `the server's ivfflat.probes = ${serverProbes}` : `the advised probes ${failing} for lists = ${lists}`;
  const target = qualified(index.schema, index.name);
  return {
    kind: 'ivfflat-probes-seqscan',
    severity: 'warning',
    subject: index.name,
    message:
      `At ${which}, the planner prefers a sequential scan to ${target} for ORDER BY … LIMIT ${PROBE_LIMIT} (pgvector costs an IVFFlat scan as probes / lists of the index, here ${failing} / ${lists}); ` +
      `it scans the index up to probes = ${lo}. Keep probes at ${lo} or below (withVectorSettings / nearest({ settings: { probes: ${lo} } }), or the database default below)` +
      `${index.ivfflat && index.ivfflat.advisedLists > lists ? `, or rebuild with lists = ${index.ivfflat.advisedLists} (the advice for ${Math.round(index.rows)} rows) so that fewer probes reach the same recall` : ''}.`,
    sql: [`ALTER DATABASE ${quoteIdent(database)} SET ivfflat.probes = ${lo};`],
  };
}

/** @internal `build-memory`: a rebuild needs more maintenance_work_mem than the server's (the advice estimate). */
export function buildMemoryFindings(indexes: readonly VectorIndexStatus[], maintenanceWorkMem: string, serverVersion: number): OperationalFinding[] {
  const available = parseMemorySize(maintenanceWorkMem);
  const out: OperationalFinding[] = [];
  for (const i of indexes) {
    if (i.type === undefined || i.dimensions === undefined || i.rows === 0) continue;
    let estimate;
    try {
      estimate = estimateIndexBuildMemory({
        method: i.method,
        type: i.type,
        dimensions: i.dimensions,
        rows: Math.max(0, Math.round(i.rows)),
        serverVersion,
        ...(i.method === 'hnsw' && i.options.m !== undefined ? { m: i.options.m } : {}),
        ...(i.method === 'ivfflat' && i.options.lists !== undefined ? { lists: i.options.lists } : {}),
      });
    } catch {
      continue; // a shape the estimate does not model (sparsevec without a non-zero count, …)
    }
    if (estimate.bytes <= available) continue;
    out.push({
      kind: 'build-memory',
      severity: 'warning',
      subject: i.name,
      message:
        `Rebuilding ${i.name} (${Math.round(i.rows)} rows) needs maintenance_work_mem ≈ ${estimate.maintenanceWorkMem}; the server's is ${maintenanceWorkMem} (${formatMemorySize(available)}). ` +
        `${i.method === 'ivfflat' ? 'IVFFlat refuses to build with less ("memory required is …").' : 'HNSW would build much more slowly on disk once the graph no longer fits.'} ` +
        `Raise it for the rebuild only: rebuildIndex(db, '${i.name}', { maintenanceWorkMem: 'auto' }) (CLI: drizzle-pgvector rebuild ${i.name} --maintenance-work-mem auto), or run the SQL.`,
      sql: [`SET maintenance_work_mem = '${estimate.maintenanceWorkMem}';`, `REINDEX INDEX CONCURRENTLY ${qualified(i.schema, i.name)};`, 'RESET maintenance_work_mem;'],
    });
  }
  return out;
}

async function parallelFinding(db: SqlExecutor, version: string, indexes: readonly VectorIndexStatus[], minScanBlocks: number, blockSize: number): Promise<OperationalFinding | undefined> {
  const large: string[] = [];
  const pagesByTable = new Map<string, number>();
  for (const i of indexes) {
    if (!versionAtLeast(version, PARALLEL_BUILD_SINCE[i.method])) continue;
    const table = qualified(i.schema, i.table);
    if (!pagesByTable.has(table)) {
      const [row] = await queryRows<{ bytes: unknown }>(db, sql`SELECT pg_catalog.pg_relation_size(${table}::regclass)::bigint AS bytes`);
      pagesByTable.set(table, Math.floor(Number(row?.bytes ?? 0) / blockSize));
    }
    if (pagesByTable.get(table)! >= minScanBlocks) large.push(`${qualified(i.schema, i.name)} (${pagesByTable.get(table)} pages)`);
  }
  if (large.length === 0) return undefined;
  const workers = DEFAULT_PARALLEL_MAINTENANCE_WORKERS;
  return {
    kind: 'parallel-maintenance-off',
    severity: 'warning',
    subject: 'max_parallel_maintenance_workers',
    message:
      `max_parallel_maintenance_workers = 0: every index build runs in one process, although the tables of ${large.join(', ')} are at least min_parallel_table_scan_size (${minScanBlocks} pages), ` +
      `where PostgreSQL would give a build parallel workers and pgvector builds IVFFlat (${PARALLEL_BUILD_SINCE.ivfflat}+) and HNSW (${PARALLEL_BUILD_SINCE.hnsw}+) with them. ` +
      `Allow workers for a build (buildIndex / rebuildIndex / replaceIndex({ parallelWorkers: ${workers} }), CLI --parallel-workers ${workers}), or for the server (PostgreSQL's default is ${workers}; max_parallel_workers and max_worker_processes cap it).`,
    sql: [`ALTER SYSTEM SET max_parallel_maintenance_workers = ${workers};`, 'SELECT pg_catalog.pg_reload_conf();'],
  };
}
