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
export type { DefaultNearestRow, NearestOptions, NearestPlan, NearestQuery, NearestRow, NearestSelection, TargetTableName } from './nearest/index.js';
