export { hybridSearch, hybridSearchSql } from './run.js';
export type { HybridFusion, HybridRow, HybridScores, HybridSearchOptions, HybridSearchPlan, HybridTextBranch, HybridVectorBranch } from './types.js';
