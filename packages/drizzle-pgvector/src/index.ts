/**
 * drizzle-pgvector: pgvector made first-class in Drizzle ORM. What applications call, by area (folder): errors,
 * codec, columns, targets, indexes, settings, queries, text search, extension, advice (which index, its parameters,
 * its build memory), operations (building and rebuilding indexes with scoped settings and progress), tuning (recall
 * and search settings), inspection (index health and drift, column dimensions). Migrations live behind the
 * `drizzle-pgvector/migrator` subpath; COPY bulk loading behind `drizzle-pgvector/pg` and `drizzle-pgvector/pglite`;
 * the catalog of pgvector facts (limits, operator classes, settings), for tools, behind `drizzle-pgvector/catalog`.
 * The API report in api/drizzle-pgvector.api.md lists every export.
 *
 * @packageDocumentation
 */
export { PgVectorError } from './errors/index.js';
export type { PgVectorErrorCode, PgVectorErrorOptions } from './errors/index.js';

// The names signatures take. The catalog's tables (limits, operator classes, settings) are behind the
// `drizzle-pgvector/catalog` subpath, for tools.
export type { IndexMethod, Metric, VectorType } from './catalog/index.js';

export { SparseVector, decodeDense, decodeSparse, encodeValue } from './codec/index.js';
export type { DenseVectorInput, SparseVectorInput, SparseVectorLike, ValueSpec, VectorValueInput } from './codec/index.js';

export { VectorColumn, VectorColumnBuilder, bit, halfvec, sparsevec, vector, vectorInput } from './columns/index.js';
export type { BitColumnOptions, VectorColumnBuilderInitial, VectorColumnOptions, VectorData } from './columns/index.js';

export { VectorTarget, asHalfvec, asVector, binaryQuantize, isVectorTarget, subvector } from './targets/index.js';
export type { TargetKind } from './targets/index.js';

export * from './indexes/index.js';
export * from './settings/index.js';
export * from './queries/index.js';
export * from './text-search/index.js';
export * from './extension/index.js';
export * from './advice/index.js';
export * from './operations/index.js';
export * from './tuning/index.js';
export * from './inspection/index.js';
