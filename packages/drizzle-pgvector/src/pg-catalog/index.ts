/**
 * The readers of PostgreSQL's catalog (`pg_catalog`): the only code that reads what the database holds — vector
 * columns, server facts and settings — below `inspection/`, `operations/`, `tuning/` and the CLI.
 */
export { NOT_SYSTEM, readVectorColumns, type LiveVectorColumn } from './vector-columns.js';
export { loadVectorLibrary, readServer, readSettings, type LiveServer, type LiveSetting } from './server-settings.js';
