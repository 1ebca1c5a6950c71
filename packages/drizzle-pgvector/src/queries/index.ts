export {
  cosineDistance,
  cosineSimilarity,
  distance,
  hammingDistance,
  innerProduct,
  innerProductSimilarity,
  jaccardDistance,
  l1Distance,
  l2Distance,
  maxInnerProduct,
} from './distance.js';
export type { QueryVectorInput, VectorTargetInput } from './distance.js';
export { NEAREST_MAX_K, nearest, nearestSql } from './nearest/index.js';
export type {
  DefaultNearestRow,
  NearestOptions,
  NearestPlan,
  NearestQuery,
  NearestRerank,
  NearestRerankPlan,
  NearestRow,
  NearestSelection,
  NearestStrategy,
  NearestStrategyOption,
  TargetTableName,
} from './nearest/index.js';
export { hybridSearch, hybridSearchSql } from './hybrid/index.js';
export type { HybridFusion, HybridRow, HybridScores, HybridSearchOptions, HybridSearchPlan, HybridTextBranch, HybridVectorBranch } from './hybrid/index.js';
