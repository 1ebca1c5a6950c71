// TEMPORARY: buildIndex / rebuildIndex are being exported from drizzle-pgvector on branch `build`; until that
// merge the CLI imports them from the library's source. Delete this file after `git merge build`.
export { buildIndex, type BuildIndexOptions, type BuildIndexResult } from '../../drizzle-pgvector/src/operations/build-index.js';
export { rebuildIndex, type RebuildIndexOptions, type RebuildIndexResult } from '../../drizzle-pgvector/src/operations/rebuild-index.js';
export type { BuildProgress } from '../../drizzle-pgvector/src/operations/run-build.js';
