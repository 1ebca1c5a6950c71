export { PgVectorError, pgVectorError } from './pgvector-error.js';
export type { PgVectorErrorCode, PgVectorErrorOptions } from './pgvector-error.js';
