/**
 * drizzle-pgvector: pgvector made first-class in Drizzle ORM. The public surface, by area (folder):
 * errors, catalog (the one table of pgvector facts), codec, columns, targets, indexes, settings, queries,
 * extension, advice (which index, its parameters, its build memory), operations (building and rebuilding indexes
 * with scoped settings and progress), tuning (recall and search settings). Migrations live behind the
 * `drizzle-pgvector/migrator` subpath; COPY bulk loading behind `drizzle-pgvector/pg` and `drizzle-pgvector/pglite`.
 *
 * @packageDocumentation
 */
export { PgVectorError } from './errors/index.js';
export type { PgVectorErrorCode, PgVectorErrorOptions } from './errors/index.js';

export {
  FEATURE_VERSIONS,
  FLOAT4_MAX,
  HALF_MAX,
  INDEX_METHODS_LIST,
  INDEX_OPTIONS,
  METRICS,
  METRICS_LIST,
  OPERATOR_CLASSES,
  SETTINGS,
  VECTOR_TYPES,
  VECTOR_TYPES_LIST,
  metricsFor,
  operatorClassByName,
  operatorClassFor,
} from './catalog/index.js';
export {
  CHOOSE_INDEX_RULES,
  DEFAULT_RECALL_TARGET,
  GENERATION_CHUNK_HEADER,
  HNSW_BUILD_MEMORY,
  HNSW_GRAPH_LAYOUT,
  HNSW_PRESETS,
  IVFFLAT_BUILD_MEMORY,
  IVFFLAT_RULES,
  MAINTENANCE_WORK_MEM,
  MEMORY_UNITS,
  VALUE_LAYOUT,
} from './catalog/index.js';
export type { MemoryUnit, ServerBits } from './catalog/index.js';
export { AUTO_MAINTENANCE_WORK_MEM_CAP, BUILD_PHASES, PARALLEL_MAINTENANCE_WORKERS, PROGRESS_POLL } from './catalog/index.js';
export type { IndexMethod, IndexOptionInfo, Metric, MetricInfo, OperatorClassInfo, SettingInfo, VectorType, VectorTypeInfo } from './catalog/index.js';

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
