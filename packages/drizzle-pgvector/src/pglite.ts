/**
 * `drizzle-pgvector/pglite`: bulk loading into PGlite (binary COPY from a blob through PGlite's `/dev/blob`).
 * Structurally typed: this entry does not import `@electric-sql/pglite`.
 *
 * @example
 * ```ts
 * import { copyRows } from 'drizzle-pgvector/pglite';
 *
 * await copyRows(db, items, rows); // db = drizzle({ client: pglite })
 * // BEGIN; COPY "items" ("id", "embedding") FROM '/dev/blob' (FORMAT binary); COMMIT
 * ```
 *
 * @packageDocumentation
 */
export { DEFAULT_PGLITE_BATCH_BYTES, copyRows } from './copy/copy-rows-pglite.js';
export type { PgliteCopyClient, PgliteCopyRowsOptions, PgliteLike, PgliteQueryable } from './copy/copy-rows-pglite.js';
export type { CopyProgress, CopyResult, CopyRowSource, CopyRowsOptions } from './copy/load-rows.js';
