/**
 * @internal The one reader of PostgreSQL's catalog (`pg_catalog`) for what drizzle-pgvector needs to know about a
 * live database: its vector indexes and their options, one index by name, vector columns, tables and their row
 * estimates, Citus distribution, the server's extension versions and settings. Above `driver/`, below every area
 * that reads the database (`inspection/`, `operations/`, `tuning/`, the CLI through them).
 */
export { citusIndexSize, readDistribution } from './citus.js';
export { readLiveIndexes, type LiveIndex } from './live-indexes.js';
export { findIndex, type IndexState } from './named-index.js';
export { effectiveOptions, parseReloptions, type LiveIndexOptions } from './reloptions.js';
export { availableVectorVersion, readVectorExtension, serverFacts, vectorVersion, type ServerFacts } from './server-facts.js';
export { loadVectorLibrary, readServer, readSettings, type LiveServer, type LiveSetting } from './server-settings.js';
export { estimatedRows, readTableStats, tableStatsColumns, tableStatsOf, type TableStats } from './table-stats.js';
export { resolveTables, type ResolvedTable } from './tables.js';
export { NOT_SYSTEM, readVectorColumns, type LiveVectorColumn } from './vector-columns.js';
