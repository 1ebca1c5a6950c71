export { VectorIndexBuilder, VectorIndexBuilderOn, getVectorIndexes, hnswIndex, ivfflatIndex } from './vector-index.js';
export type { HnswOptions, IvfflatOptions, VectorIndexInfo, VectorIndexOptions } from './vector-index.js';
