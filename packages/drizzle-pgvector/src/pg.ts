/**
 * `drizzle-pgvector/pg`: bulk loading over node-postgres (`pg` + `pg-copy-streams`, optional peer dependencies
 * that the main entry never imports).
 *
 * @example
 * ```ts
 * import { copyRows } from 'drizzle-pgvector/pg';
 *
 * await copyRows(pool, items, rows);
 * // BEGIN; COPY "items" ("id", "embedding") FROM STDIN (FORMAT binary); COMMIT
 * ```
 *
 * @packageDocumentation
 */
export { copyRows } from './copy/copy-rows-pg.js';
export type { PgCopyClient } from './copy/copy-rows-pg.js';
export type { CopyProgress, CopyResult, CopyRowSource, CopyRowsOptions } from './copy/load-rows.js';
