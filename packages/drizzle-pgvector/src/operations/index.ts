/**
 * Index operations on a live database: build an index declared in the schema (`buildIndex`) and rebuild one in
 * place (`rebuildIndex`), replace one by a changed declaration without downtime (`replaceIndex`), with `maintenance_work_mem` sized from the build-memory estimate, settings scoped to the
 * build, progress from `pg_stat_progress_create_index`, cancellation, and INVALID leftovers of a failed
 * `CONCURRENTLY` build dropped.
 */
export { buildIndex, type BuildIndexOptions, type BuildIndexResult } from './build-index.js';
export { replaceIndex, type ReplaceIndexOptions, type ReplaceIndexResult } from './replace-index.js';
export { rebuildIndex, type RebuildIndexOptions, type RebuildIndexResult } from './rebuild-index.js';
export type { BuildProgress } from './run-build.js';
export type { BuildSettingsOptions } from './operation-input.js';
