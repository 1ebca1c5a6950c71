/**
 * `drizzle-pgvector/migrator`: apply drizzle-kit migrations with `CREATE INDEX CONCURRENTLY` support, and keep
 * `CREATE EXTENSION vector` in the migration history. See the "Extension and migrations" section of the README.
 *
 * @example
 * ```ts
 * import { drizzle } from 'drizzle-orm/node-postgres';
 * import { migrate } from 'drizzle-pgvector/migrator';
 *
 * await migrate(drizzle(process.env.DATABASE_URL!), { migrationsFolder: './drizzle' });
 * ```
 *
 * @packageDocumentation
 */
export { migrate } from './migrate.js';
export type { AppliedMigration, MigrateConfig, MigrateResult } from './migrate.js';
export type { SwapOutcome } from '../operations/swap-index.js';
export type { ReplaceIndexesOptions } from './replace-options.js';
export { assertExtensionMigration, vectorExtensionMigration } from './extension-migration.js';
export type { ExtensionMigrationCheck, VectorExtensionMigrationOptions, VectorExtensionMigrationResult } from './extension-migration.js';
export { isNonTransactionalStatement } from './statements.js';
export { ensureVectorExtension } from './deprecated.js';
export type { EnsureVectorExtensionOptions, SqlExecutor, TransactionalDatabase, VectorExtensionInfo } from './deprecated.js';
