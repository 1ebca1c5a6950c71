export { VectorIndexBuilder, VectorIndexBuilderOn, hnswIndex, ivfflatIndex } from './vector-index.js';
export type { HnswOptions, IvfflatOptions, VectorIndexInfo, VectorIndexOptions } from './vector-index.js';
export { declaredVectorIndexes, getVectorIndexes } from './declared-vector-indexes.js';
