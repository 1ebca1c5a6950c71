/**
 * Every error drizzle-pgvector throws for something a user can cause. Each has a stable {@link PgVectorErrorCode}
 * in `code`, a message that names the offending value, the allowed range and the fix, and optional `details`
 * with the same facts in machine-readable form.
 */
export type PgVectorErrorCode =
  // values (columns, query vectors)
  | 'DIMENSION_MISMATCH'
  | 'EMPTY_VECTOR'
  | 'TOO_MANY_DIMENSIONS'
  | 'NON_FINITE_VALUE'
  | 'VALUE_OUT_OF_RANGE'
  | 'INVALID_VECTOR_VALUE'
  | 'INVALID_SPARSE_VECTOR'
  | 'INVALID_BIT_STRING'
  // schema: columns, targets, indexes
  | 'INVALID_COLUMN_OPTION'
  | 'INVALID_TARGET'
  | 'INVALID_INDEX_OPTION'
  | 'INVALID_INDEX_DEFINITION'
  | 'UNSUPPORTED_METRIC'
  | 'INDEX_DIMENSIONS_EXCEEDED'
  | 'INDEX_DIMENSIONS_TOO_FEW'
  | 'COLUMN_HAS_NO_DIMENSIONS'
  // full-text search (tsvector columns, searchDocument)
  | 'INVALID_TSVECTOR_VALUE'
  | 'INVALID_SEARCH_DOCUMENT'
  // database
  | 'INVALID_DATABASE'
  | 'TRANSACTION_NOT_ALLOWED'
  | 'EXTENSION_MISSING'
  | 'EXTENSION_TOO_OLD'
  | 'INVALID_EXTENSION_VERSION'
  | 'MIGRATION_FAILED'
  | 'EXTENSION_MIGRATION_MISSING'
  | 'INVALID_MIGRATIONS_FOLDER'
  // queries and settings
  | 'METRIC_REQUIRED'
  | 'INVALID_SEARCH_SETTING'
  | 'INVALID_QUERY_OPTION'
  | 'NO_USABLE_INDEX'
  | 'INVALID_TEXT_SEARCH'
  // advice (index choice, parameters, build memory)
  | 'INVALID_ADVICE_INPUT'
  | 'INVALID_MEMORY_SIZE'
  // recall measurement and tuning
  | 'INVALID_TUNING_OPTION'
  | 'NO_TUNABLE_INDEX'
  | 'PRIMARY_KEY_REQUIRED'
  | 'INDEX_NOT_USED'
  // bulk loading (copyRows)
  | 'INVALID_COPY_OPTION'
  | 'INVALID_COPY_ROW'
  | 'UNSUPPORTED_COPY_COLUMN'
  | 'COPY_ABORTED'
  | 'MISSING_PEER_DEPENDENCY'
  // index operations (buildIndex, rebuildIndex, vectorIndexes, columnDimensions)
  | 'UNKNOWN_INDEX'
  | 'NO_VECTOR_COLUMNS'
  | 'INVALID_OPERATION_OPTION'
  | 'INDEX_BUILD_MEMORY_EXCEEDED'
  | 'INDEX_BUILD_FAILED'
  | 'INDEX_BUILD_CANCELLED'
  // faults during long operations (buildIndex, rebuildIndex, replaceIndex, copyRows, migrate)
  | 'CONNECTION_LOST'
  | 'STATEMENT_TIMEOUT'
  | 'LOCK_TIMEOUT'
  // inspection (vectorIndexes, columnDimensions)
  | 'UNKNOWN_COLUMN'
  | 'NOT_A_VECTOR_COLUMN'
  | 'COLUMN_HAS_FIXED_DIMENSIONS'
  | 'TABLE_NOT_FOUND';

export interface PgVectorErrorOptions {
  cause?: unknown;
  /** Machine-readable facts about the failure (the value, the allowed range, the column ...). */
  details?: Record<string, unknown>;
}

/**
 * Base class of every drizzle-pgvector error.
 *
 * @example
 * ```ts
 * try {
 *   await db.insert(items).values({ embedding: [1, 2] });
 * } catch (e) {
 *   if (e instanceof PgVectorError && e.code === 'DIMENSION_MISMATCH') console.error(e.message);
 * }
 * ```
 */
export class PgVectorError extends Error {
  readonly code: PgVectorErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: PgVectorErrorCode, message: string, options: PgVectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PgVectorError';
    this.code = code;
    this.details = options.details ?? {};
  }

  /** True when `value` is a PgVectorError (optionally with the given code), even across duplicated package copies. */
  static is(value: unknown, code?: PgVectorErrorCode): value is PgVectorError {
    return (
      value instanceof Error &&
      (value as { name?: unknown }).name === 'PgVectorError' &&
      typeof (value as { code?: unknown }).code === 'string' &&
      (code === undefined || (value as { code?: unknown }).code === code)
    );
  }
}

/** Shorthand used throughout the package: build a PgVectorError. */
export function pgVectorError(
  code: PgVectorErrorCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): PgVectorError {
  return new PgVectorError(code, message, { details, cause });
}
