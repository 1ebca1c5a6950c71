export { VectorIndexBuilder, VectorIndexBuilderOn, hnswIndex, ivfflatIndex } from './vector-index.js';
export type { HnswOptions, IvfflatOptions, VectorIndexInfo, VectorIndexOptions } from './vector-index.js';
export { getVectorIndexes } from './get-vector-indexes.js';
