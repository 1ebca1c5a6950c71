export { VectorColumn, VectorColumnBuilder, bit, checkColumnDimensions, halfvec, sparsevec, sqlTypeOf, vector, vectorColumnConfig, vectorInput } from './vector-columns.js';
export type {
  BitColumnOptions,
  VectorColumnBuilderInitial,
  VectorColumnOptions,
  VectorColumnRuntimeConfig,
  VectorData,
} from './vector-columns.js';
