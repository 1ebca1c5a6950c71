export { measureRecall } from './measure-recall.js';
export type { MeasureRecallOptions, RecallPerQuery, RecallReport } from './measure-recall.js';
export { tuneSearch } from './tune-search.js';
export type { TunedNearestOptions, TuneSearchOptions, TuneSearchResult } from './tune-search.js';
export type { TuneRerankOption } from './rerank-options.js';
export type { CurvePoint, ValidationPoint } from './choose-setting.js';
export type { RecallBound } from './recall-bound.js';
export type { RecallQueryOptions } from './tuning-options.js';
export { EF_SEARCH_CANDIDATES } from './sweep-candidates.js';
