import type { IndexMethod, Metric } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import type { VectorTargetInput } from '../queries/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import { chooseSetting, type CurvePoint, type ValidationPoint } from './choose-setting.js';
import { exactInTransaction, measureInTransaction, usedIndexes } from './measure-recall.js';
import { checkDatabase, inPlannerTransaction } from './planner-transaction.js';
import { querySet, splitQueries } from './query-set.js';
import { requirePrimaryKey, searchContext, type SearchContext } from './search-context.js';
import { efSearchCandidates, listsOf, probesCandidates } from './sweep-candidates.js';
import {
  DEFAULT_TUNING_SAMPLE_SIZE,
  invalidTuning,
  optionObject,
  parseCandidates,
  parseQueryOptions,
  parseTargetRecall,
  type RecallQueryOptions,
} from './tuning-options.js';

/** Options of {@link tuneSearch}. */
export interface TuneSearchOptions extends RecallQueryOptions {
  /** Recall@k to reach, in (0, 1], e.g. 0.95. */
  targetRecall: number;
  /** Setting values to try, ascending (default: efSearch k…1000, or probes 1, 2, 4, … lists). */
  candidates?: readonly number[];
}

/** What {@link tuneSearch} returns. */
export interface TuneSearchResult {
  readonly method: IndexMethod;
  readonly index: string;
  /** The setting tuned: `efSearch` (`hnsw.ef_search`) or `probes` (`ivfflat.probes`). */
  readonly setting: 'efSearch' | 'probes';
  /** The chosen value (when `met` is false: the best one found). */
  readonly value: number;
  /** Ready for `nearest(…, { settings })`. */
  readonly settings: VectorSettings;
  /** True only when the value reached `targetRecall` on the held-out validation queries too. */
  readonly met: boolean;
  readonly targetRecall: number;
  readonly k: number;
  readonly metric: Metric;
  /** Recall of the held-out validation queries at `value`. */
  readonly validationRecall: number;
  /** Tuning-set recall and latency per candidate value, ascending, up to the first value reaching the target. */
  readonly curve: readonly CurvePoint[];
  /** Every validation run, in order (more than one when validation missed and it stepped up). */
  readonly validations: readonly ValidationPoint[];
  readonly tuningQueries: number;
  readonly validationQueries: number;
  /** Indexes the measured search scanned (`EXPLAIN` of the first query). */
  readonly usedIndexes: readonly string[];
  /** Why this value, in one sentence. */
  readonly why: string;
}

/** The one HNSW/IVFFlat index the search uses, or NO_TUNABLE_INDEX. */
function tunableIndex(fn: string, context: SearchContext) {
  const methods = [...new Set(context.indexes.map((i) => i.method))];
  if (methods.length === 1) return context.indexes[0]!;
  throw pgVectorError(
    'NO_TUNABLE_INDEX',
    methods.length === 0
      ? `${fn}(${context.target.label}): no HNSW or IVFFlat index with '${context.metric}' is declared on this target, so there is no efSearch/probes to tune (the search is exact). Declare one with hnswIndex(…).on(${context.target.label}, '${context.metric}'), or pass the metric of an existing index.`
      : `${fn}(${context.target.label}): both an HNSW and an IVFFlat index with '${context.metric}' cover this target (${context.indexes.map((i) => i.name).join(', ')}); the planner picks one, so tuning either would be guesswork. Drop one of them.`,
    { target: context.target.label, metric: context.metric, indexes: context.indexes.map((i) => ({ name: i.name, method: i.method })) },
  );
}

/**
 * The smallest `efSearch` (HNSW) or `probes` (IVFFlat) that reaches `targetRecall` (recall@k against the exact
 * answer, see {@link measureRecall}), checked on held-out queries.
 *
 * The queries (explicit, or `sampleSize` rows sampled with `seed`, default 200) are shuffled with `seed` and split
 * in half: a tuning set and a validation set. In one transaction the exact neighbours of all of them are computed
 * once (index scans off), then every candidate value is measured on the tuning set through `nearest` (seq scans
 * off) — the `curve` — in ascending order up to the first value that reaches the target (all of them when none
 * does). That value is then measured on the validation set; if validation misses, the next candidates are validated in turn. `met` is true only when the
 * validation set reached the target; otherwise `why` says what was found and what to do. Nothing is written.
 *
 * @throws PgVectorError `INVALID_TUNING_OPTION` (e.g. targetRecall 1.5, k, sampleSize, candidates, unknown
 *   options), `NO_TUNABLE_INDEX`, `PRIMARY_KEY_REQUIRED`, `METRIC_REQUIRED`, `UNSUPPORTED_METRIC`, the value codes
 *   for a bad query vector — all before any SQL.
 *
 * @example
 * ```ts
 * const tuned = await tuneSearch(db, items.embedding, { targetRecall: 0.95, k: 10, sampleSize: 200 });
 * // { method: 'hnsw', setting: 'efSearch', value: 40, met: true, validationRecall: 0.962, curve: [{ value: 11, recall: 0.81, … }, …] }
 * await nearest(db, items.embedding, q, { k: 10, settings: tuned.settings });
 * // per candidate and query: SAVEPOINT …; SET LOCAL hnsw.ef_search = 40; select … order by "items"."embedding" <-> $1::vector(32) limit 11
 * ```
 */
export async function tuneSearch(db: AnyPgDatabase, target: VectorTargetInput, options: TuneSearchOptions): Promise<TuneSearchResult> {
  const fn = 'tuneSearch';
  checkDatabase(fn, db);
  const o = optionObject(fn, options, ['targetRecall', 'queries', 'sampleSize', 'k', 'metric', 'where', 'seed', 'candidates']);
  const targetRecall = parseTargetRecall(fn, o['targetRecall']);
  const metric = o['metric'];
  const context = searchContext(fn, target, typeof metric === 'string' ? (metric as Metric) : undefined);
  const parsed = parseQueryOptions(fn, context.target, o, DEFAULT_TUNING_SAMPLE_SIZE);
  if (parsed.queries === undefined) requirePrimaryKey(fn, context);
  const index = tunableIndex(fn, context);
  const setting = index.method === 'hnsw' ? 'efSearch' : 'probes';
  const fetch = parsed.queries === undefined ? parsed.k + 1 : parsed.k;
  const given = parseCandidates(fn, o['candidates'], setting, setting === 'efSearch' ? fetch : 1);
  if (setting === 'efSearch' && given === undefined && efSearchCandidates(fetch).length === 0) {
    invalidTuning(fn, `k = ${parsed.k} needs ${fetch} rows per query, more than an HNSW scan returns at the largest efSearch; lower k.`, { option: 'k', value: parsed.k });
  }
  const where = parsed.where;
  const settingsFor = (value: number): VectorSettings => (setting === 'efSearch' ? { efSearch: value } : { probes: value });

  return inPlannerTransaction(db, async (tx) => {
    const candidates = given ?? (setting === 'efSearch' ? efSearchCandidates(fetch) : probesCandidates(await listsOf(tx, context, index)));
    const queries = await querySet(tx, context, parsed);
    const { tuning, validation } = splitQueries(queries, parsed.seed);
    const exactAll = await exactInTransaction(tx, context, [...tuning, ...validation], parsed.k, where);
    const exactTuning = exactAll.slice(0, tuning.length);
    const exactValidation = exactAll.slice(tuning.length);
    const used = await usedIndexes(tx, context, tuning[0]!, parsed.k, { settings: settingsFor(candidates[0]!), where });
    const curve: CurvePoint[] = [];
    for (const value of candidates) {
      const m = await measureInTransaction(tx, context, tuning, exactTuning, parsed.k, { settings: settingsFor(value), where });
      curve.push({ value, recall: m.recall, meanMs: m.meanMs, p95Ms: m.p95Ms });
      if (m.recall >= targetRecall) break;
    }
    const choice = await chooseSetting({
      setting,
      candidates,
      curve,
      targetRecall,
      validate: async (value) => (await measureInTransaction(tx, context, validation, exactValidation, parsed.k, { settings: settingsFor(value), where })).recall,
    });
    return {
      method: index.method,
      index: index.name,
      setting,
      value: choice.value,
      settings: settingsFor(choice.value),
      met: choice.met,
      targetRecall,
      k: parsed.k,
      metric: context.metric,
      validationRecall: choice.validationRecall,
      curve,
      validations: choice.validations,
      tuningQueries: tuning.length,
      validationQueries: validation.length,
      usedIndexes: used,
      why: choice.why,
    };
  });
}
