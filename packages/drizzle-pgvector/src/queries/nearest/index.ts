export { nearest, nearestSql } from './run.js';
export { NEAREST_MAX_K } from './types.js';
export type { NearestOptions, NearestPlan, NearestQuery, NearestRow, NearestSelection } from './types.js';
