/**
 * Everything that depends on Drizzle's internals or on which drizzle-orm line (0.45 / 1.0) is installed. The rest
 * of the library imports these helpers and never asks which line it runs on.
 */
export {
  compileFragment,
  compileStatic,
  dialectOf,
  isTransaction,
  sessionKind,
  sessionOf,
  sessionOnClient,
  sessionQuery,
  type AnyPgDatabase,
  type SessionLike,
  type TransactionOf,
} from './drizzle-internals.js';
export type { ColumnBuilderConfigBase, IsDrizzle1, PgDatabaseWithSchema } from './drizzle-types.js';
export { builtinVectorDimensions, drizzleLine, jsonLeftToDriver, NEW_MIGRATIONS_LAYOUT, NEW_MIGRATIONS_TABLE_HAS_NAME, type DrizzleLine } from './drizzle-line.js';
