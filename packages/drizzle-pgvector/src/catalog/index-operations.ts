/**
 * Facts behind the index operations (`buildIndex`, `rebuildIndex`, `vectorIndexes`): PostgreSQL's limits for the
 * build settings, the progress phases pgvector reports, and the rule for when an IVFFlat index needs a rebuild.
 */

/** `max_parallel_maintenance_workers` range (PostgreSQL guc_tables.c: 0 .. MAX_PARALLEL_WORKER_LIMIT = 1024). */
export const PARALLEL_MAINTENANCE_WORKERS = Object.freeze({ min: 0, max: 1024 });

/**
 * `maintenanceWorkMem: 'auto'` never sets more than this unless `maxMaintenanceWorkMem` says otherwise: an
 * estimate above it is an error, not a silent 20 GB setting.
 */
export const AUTO_MAINTENANCE_WORK_MEM_CAP = '4GB';

/** How often progress is read from `pg_stat_progress_create_index` during a build, in ms (and its range). */
export const PROGRESS_POLL = Object.freeze({ defaultMs: 100, minMs: 10, maxMs: 60_000 });

/**
 * Progress phases pgvector 0.5+ reports (`building index: <phase>`), and the part of the overall fraction each
 * covers. HNSW: `initializing`, `loading tuples` (blocks_done / blocks_total, heap scan). IVFFlat: `initializing`,
 * `performing k-means` (all counters 0), `assigning tuples` (heap scan, blocks), `loading tuples`
 * (tuples_done / tuples_total).
 */
export const BUILD_PHASES = Object.freeze({
  hnsw: Object.freeze({ 'loading tuples': { from: 0, to: 1, counter: 'blocks' } }),
  ivfflat: Object.freeze({
    'assigning tuples': { from: 0, to: 0.5, counter: 'blocks' },
    'loading tuples': { from: 0.5, to: 1, counter: 'tuples' },
  }),
} as const);

/** IVFFlat `lists` further than this factor from `recommendIvfflat({ rows })` means: rebuild with the advised lists. */
export const IVFFLAT_LISTS_DRIFT_FACTOR = 2;

/**
 * pgvector releases that fixed HNSW vacuuming (CHANGELOG.md): an HNSW index vacuumed under an older version may be
 * corrupt (0.8.3) or make VACUUM fail with `hnsw graph not repaired` / inserts during a vacuum fail (0.8.4).
 */
export const HNSW_VACUUM_FIXES = Object.freeze([
  Object.freeze({ version: '0.8.3', fix: 'possible index corruption with HNSW vacuuming' }),
  Object.freeze({ version: '0.8.4', fix: '`hnsw graph not repaired` error with HNSW vacuuming; possible error with inserts during HNSW vacuuming' }),
] as const);

/** pgvector versions whose index builds use parallel workers (CHANGELOG.md: IVFFlat 0.5.0, HNSW 0.6.0). */
export const PARALLEL_BUILD_SINCE = Object.freeze({ ivfflat: '0.5.0', hnsw: '0.6.0' } as const);

/**
 * PostgreSQL's settings that govern index builds (guc_tables.c defaults), reported by `inspectDatabase` (and the
 * CLI's `doctor`) beside pgvector's `SETTINGS`.
 */
export const BUILD_SETTINGS = Object.freeze([
  Object.freeze({ name: 'maintenance_work_mem', default: '64MB' }),
  Object.freeze({ name: 'max_parallel_maintenance_workers', default: '2' }),
  Object.freeze({ name: 'max_parallel_workers', default: '8' }),
  Object.freeze({ name: 'work_mem', default: '4MB' }),
] as const);
