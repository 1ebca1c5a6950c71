import { FEATURE_VERSIONS, FILTERED_SEARCH, INDEX_OPTIONS, SETTINGS, versionAtLeast, type SettingKey } from '../../catalog/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import { validateVectorSettings, type VectorSettings, type VectorSettingValue } from '../../settings/internal.js';

/**
 * How `nearest` searches one query: exactly over the filtered rows, or through the vector index with a budget
 * sized to the filter's selectivity. A pure function of what the database's planner estimates (the filter's rows,
 * the table's rows), the declared index and the options; the rule's numbers are the catalog's `FILTERED_SEARCH`.
 */

/** How {@link nearest} searches: `'exact'` (the vector index kept out of the plan) or `'index'`. */
export type NearestStrategy = 'exact' | 'index';

/** What the caller asked for: `'auto'` (default) lets `nearest` choose per query. */
export type NearestStrategyOption = 'auto' | NearestStrategy;

/** @internal The planner's row estimates for the filter and the whole table. */
export interface RowEstimate {
  readonly filtered: number;
  readonly table: number;
  /**
   * Index scans came back short within the estimate's lifetime: with this filter and these values (`'values'`), or
   * most of the recent ones with this filter under any values (`'filter'`; see `FILTERED_SEARCH.shapeShortShare`).
   */
  readonly short?: 'values' | 'filter';
}

/** @internal The decision and what it adds to the search's settings. */
export interface Decision {
  readonly strategy: NearestStrategy;
  /** Why (built only when asked: `nearestSql` reports it, `nearest` never reads it). */
  reason(): string;
  readonly estimate: RowEstimate | undefined;
  /** Settings sized to the filter (the caller's own settings are merged over them). */
  readonly budget: readonly VectorSettingValue[];
  /** Re-run exactly when the index scan comes back with fewer than k rows. */
  readonly fallback: boolean;
}

const NONE: readonly VectorSettingValue[] = Object.freeze([]);
const fixed = (strategy: NearestStrategy, reason: string): Decision => Object.freeze({ strategy, reason: () => reason, estimate: undefined, budget: NONE, fallback: false });
const NO_INDEX = fixed('exact', 'no declared vector index serves this target and metric: exact search');
const ASKED_EXACT = fixed('exact', "strategy 'exact' was asked for");
const NO_FILTER = fixed('index', 'no filter: index scan');
/** @internal The exact search a short index scan falls back to. */
export const FALLBACK_DECISION = fixed('exact', 'the index scan came back short: exact search');

/** @internal Everything the decision depends on. */
export interface DecisionInput {
  readonly requested: NearestStrategyOption;
  readonly hasWhere: boolean;
  readonly userSettings: readonly VectorSettingValue[];
  readonly indexes: readonly VectorIndexInfo[];
  /** The declared partial index whose condition is the filter, if any. */
  readonly partialMatch: VectorIndexInfo | undefined;
  readonly estimate: RowEstimate | undefined;
  readonly k: number;
  readonly version: string | undefined;
}

/** @internal True when the decision needs the planner's row estimates (a filtered search that may choose). */
export function needsEstimate(input: Pick<DecisionInput, 'requested' | 'hasWhere' | 'indexes' | 'partialMatch'>): boolean {
  return input.hasWhere && input.indexes.length > 0 && input.partialMatch === undefined && input.requested !== 'exact';
}

const percent = (f: number): string => `${f >= 0.1 ? (f * 100).toFixed(0) : f >= 0.001 ? (f * 100).toFixed(1) : (f * 100).toPrecision(1)} %`;

/** Why a decision made from an estimate was made (see {@link Estimated}). */
type Why = 'few' | 'short' | 'shortFilter' | 'asked' | 'explicit' | 'unestimated' | 'selectivity';

/**
 * A decision made from the planner's estimate. A class rather than an object of closures: `nearest` decides on
 * every call and never reads the reason, so building one must cost no more than an allocation.
 */
class Estimated implements Decision {
  constructor(
    readonly strategy: NearestStrategy,
    private readonly why: Why,
    readonly estimate: RowEstimate | undefined,
    readonly budget: readonly VectorSettingValue[],
    readonly fallback: boolean,
  ) {}

  reason(): string {
    const e = this.estimate;
    const rows = e === undefined ? '' : `the filter matches ≈ ${Math.round(e.filtered)} of ${Math.round(e.table)} rows`;
    switch (this.why) {
      case 'few':
        return `${rows} (≤ ${FILTERED_SEARCH.exactMaxRows}): exact search over them through the filter's own plan`;
      case 'short':
      case 'shortFilter': {
        const which = this.why === 'short' ? ' and an index scan with this filter' : ', and most index scans with this filter (other values)';
        return `${rows}${which} came back short in the last ${FILTERED_SEARCH.estimateTtlMs / 1000} s (its rows lie away from the queries; ≤ ${FILTERED_SEARCH.shortExactMaxRows} rows): exact search over them`;
      }
      default: {
        const why =
          this.why === 'asked' ? "strategy 'index' was asked for" : this.why === 'explicit' ? 'explicit settings' : this.why === 'unestimated' ? 'no row estimate' : `${rows} (${percent(selectivity(e!))})`;
        const budget = this.budget;
        return `${why}: index scan${budget.length > 0 ? ` with ${budget.map((v) => `${v.guc} = ${v.value}`).join(', ')}` : ''}`;
      }
    }
  }
}

/** @internal Decide how to search. `budgetOf` sizes (and may cache) the index scan's budget for an estimate. */
export function decide<I extends DecisionInput>(input: I, budgetOf?: (input: I, estimate: RowEstimate) => readonly VectorSettingValue[]): Decision {
  if (input.indexes.length === 0) return NO_INDEX;
  if (input.requested === 'exact') return ASKED_EXACT;
  if (!input.hasWhere) return NO_FILTER;
  const partial = input.partialMatch;
  if (partial !== undefined) return fixed('index', `the partial index ${partial.name} covers exactly this filter: index scan without a filter budget`);
  const estimate = input.estimate;
  const auto = input.requested === 'auto';
  const explicit = input.userSettings.length > 0;
  if (auto && !explicit && estimate !== undefined) {
    if (estimate.filtered <= FILTERED_SEARCH.exactMaxRows) return new Estimated('exact', 'few', estimate, NONE, false);
    if (estimate.short !== undefined && estimate.filtered <= FILTERED_SEARCH.shortExactMaxRows) {
      return new Estimated('exact', estimate.short === 'values' ? 'short' : 'shortFilter', estimate, NONE, false);
    }
  }
  const budget = estimate === undefined ? NONE : budgetOf === undefined ? budgetFor(input.indexes, estimate, input.k, input.version) : budgetOf(input, estimate);
  const why: Why = !auto ? 'asked' : explicit ? 'explicit' : estimate === undefined ? 'unestimated' : 'selectivity';
  return new Estimated('index', why, estimate, budget, auto);
}

function selectivity(estimate: RowEstimate): number {
  return Math.min(1, Math.max(estimate.filtered, 1) / Math.max(estimate.table, 1));
}

/** The smallest step ≥ value (the last step when none is). */
function stepUp(value: number, steps: readonly number[]): number {
  return steps.find((s) => s >= value) ?? steps[steps.length - 1]!;
}

/** The next power of two ≥ value. */
const powerOfTwo = (value: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, value)));

function settingDefault(key: SettingKey): number {
  return SETTINGS.find((s) => s.key === key)!.default as number;
}

/** @internal Settings that give a filter keeping the fraction `f` of the table enough candidates (see `FILTERED_SEARCH`). */
export function budgetFor(indexes: readonly VectorIndexInfo[], estimate: RowEstimate, k: number, version: string | undefined): readonly VectorSettingValue[] {
  const f = selectivity(estimate);
  const settings: VectorSettings = {};
  const iterative = version !== undefined && versionAtLeast(version, FEATURE_VERSIONS.iterativeScan);
  if (indexes.some((i) => i.method === 'hnsw')) {
    const efMax = SETTINGS.find((s) => s.key === 'efSearch')!.max!;
    // k above ef_search is planSettings' business (it raises ef_search to k); only the filter's share is added here.
    const ef = Math.min(efMax, Math.max(FILTERED_SEARCH.efMinPerK * k, Math.ceil((FILTERED_SEARCH.efPerK * k) / f)));
    if (ef > settingDefault('efSearch')) settings.efSearch = Math.max(stepUp(ef, FILTERED_SEARCH.efSteps), Math.min(efMax, k));
    // A budget, not a floor: a filter whose rows lie away from the query runs out of it, comes back short and is
    // searched exactly (the fallback) instead of returning k wrong rows found along the way.
    const tuples = Math.max(FILTERED_SEARCH.minScanTuples, Math.ceil((FILTERED_SEARCH.scanTuplesPerK * k) / f));
    if (iterative) settings.maxScanTuples = Math.min(2147483647, powerOfTwo(tuples));
  }
  const ivfflat = indexes.filter((i) => i.method === 'ivfflat');
  if (ivfflat.length > 0) {
    const listsDefault = INDEX_OPTIONS.find((o) => o.key === 'lists')!.default;
    const lists = Math.max(...ivfflat.map((i) => i.options.lists ?? listsDefault));
    const perList = Math.max(1, estimate.table / lists);
    const probes = Math.min(lists, powerOfTwo(Math.ceil((FILTERED_SEARCH.probesRowsPerK * k) / (f * perList))));
    if (probes > settingDefault('probes')) settings.probes = probes;
    // The iterative scan's budget, as for HNSW: lists holding ≈ scanTuplesPerK·k matching rows, then exact.
    if (iterative) settings.maxProbes = Math.min(lists, Math.max(probes, powerOfTwo(Math.ceil((FILTERED_SEARCH.scanTuplesPerK * k) / (f * perList)))));
  }
  return validateVectorSettings(settings, 'nearest').values;
}

/** @internal The budget under the caller's settings: a key the caller gave is never overridden. */
export function mergeSettings(budget: readonly VectorSettingValue[], user: readonly VectorSettingValue[]): VectorSettingValue[] {
  if (budget.length === 0) return [...user];
  const given = new Set(user.map((v) => v.key));
  const merged = [...user, ...budget.filter((v) => !given.has(v.key))];
  const order = SETTINGS.map((s) => s.key as string);
  return merged.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}
