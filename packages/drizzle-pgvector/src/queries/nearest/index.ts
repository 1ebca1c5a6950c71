export { nearest, nearestSql } from './run.js';
export { NEAREST_MAX_K } from './types.js';
export type { DefaultNearestRow, NearestOptions, NearestPlan, NearestQuery, NearestRerank, NearestRerankPlan, NearestRow, NearestSelection, TargetTableName } from './types.js';
export type { NearestStrategy, NearestStrategyOption } from './strategy.js';
