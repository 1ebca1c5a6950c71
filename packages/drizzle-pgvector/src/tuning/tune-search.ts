import type { IndexMethod, Metric } from '../catalog/index.js';
import type { VectorTargetInput } from '../queries/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import type { VectorTarget } from '../targets/index.js';
import { chooseSetting, type CurvePoint, type ValidationPoint } from './choose-setting.js';
import { exactInTransaction, measureInTransaction, usedIndexes } from './measure-recall.js';
import { checkDatabase, inPlannerTransaction } from './planner-transaction.js';
import { checkIndexUsed, steerTo, tunableIndex } from './index-choice.js';
import { querySet, splitQueries, type RecallQuery } from './query-set.js';
import { RECALL_CONFIDENCE } from './recall-bound.js';
import { requirePrimaryKey, searchContext } from './search-context.js';
import { efSearchCandidates, listsOf, probesCandidates } from './sweep-candidates.js';
import type { TuneRerankOption } from './rerank-options.js';
import { tuneRerank } from './tune-rerank.js';
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
  /**
   * Values to try, ascending (default: efSearch k…1000, or probes 1, 2, 4, … lists; with `rerank`: candidate counts
   * k, 20, 40, 80, 160, 320, 640, 1000).
   */
  candidates?: readonly number[];
  /**
   * Tune a re-ranked search: `via` (`binaryQuantize(col)`, `asHalfvec(col)`, `subvector(col, …)`) has the index; the
   * candidate count is tuned with its efSearch / probes, and recall is measured on the exact answer of the column.
   */
  rerank?: TuneRerankOption;
}

/** The `nearest` options a tuning chose: `k`, `metric`, `settings`, and `index` / `rerank` when tuned with them. */
export interface TunedNearestOptions {
  readonly k: number;
  readonly metric: Metric;
  readonly settings: VectorSettings;
  readonly index?: string;
  readonly rerank?: { readonly via: VectorTarget; readonly candidates: number };
}

/** What {@link tuneSearch} returns. */
export interface TuneSearchResult {
  readonly method: IndexMethod;
  readonly index: string;
  /** The value tuned: `efSearch` (`hnsw.ef_search`), `probes` (`ivfflat.probes`), or with `rerank` the candidate count. */
  readonly setting: 'efSearch' | 'probes' | 'candidates';
  /** The chosen value (when `met` is false: the best one found). */
  readonly value: number;
  /** Ready for `nearest(…, { settings })`: the chosen value (with `rerank`: the via index's efSearch / probes), plus what steers the planner to `index` (see `notes`). */
  readonly settings: VectorSettings;
  /** With `rerank`: the chosen re-rank, for nearest's `rerank` option. */
  readonly rerank?: { readonly via: VectorTarget; readonly candidates: number };
  /** Everything to pass to `nearest(db, target, q, result.nearestOptions)` to search as tuned. */
  readonly nearestOptions: TunedNearestOptions;
  /** True only when the tuning queries' lower bound and the held-out validation queries' recall reached the target. */
  readonly met: boolean;
  readonly targetRecall: number;
  readonly k: number;
  readonly metric: Metric;
  /** Confidence of the lower bounds: 0.95, one-sided (`recall − 1.645 × standardError` over the queries). */
  readonly confidence: number;
  /** The tuning queries' recall and its lower bound at `value` (what was compared with `targetRecall`). */
  readonly recall: number;
  readonly lowerBound: number;
  /** Recall of the held-out validation queries at `value`. */
  readonly validationRecall: number;
  /** Tuning-set recall, its bound and latency per measured value, ascending: the sweep up to the first value whose bound reaches the target, and the bisection steps below it. */
  readonly curve: readonly CurvePoint[];
  /** Every validation run, in order (more than one when validation missed and it stepped up). */
  readonly validations: readonly ValidationPoint[];
  readonly tuningQueries: number;
  readonly validationQueries: number;
  /** Indexes the measured search scanned (`EXPLAIN` of the first query; every measured value is checked to scan `index`). */
  readonly usedIndexes: readonly string[];
  /** How the planner was steered to `index` when the target has other vector indexes. */
  readonly notes: readonly string[];
  /** Why this value, in one sentence. */
  readonly why: string;
}

/**
 * The smallest `efSearch` (HNSW) or `probes` (IVFFlat) whose recall@k (against the exact answer, see
 * {@link measureRecall}) reaches `targetRecall` with 95 % confidence, checked on held-out queries.
 *
 * The queries (explicit, or `sampleSize` rows sampled with `seed`, default 200) are shuffled with `seed` and split
 * in half: a tuning set and a validation set. In one transaction the exact neighbours of all of them are computed
 * once (index scans off, with `where`), then candidate values are measured on the tuning set through `nearest`
 * (seq scans off, with `where`) in ascending order up to the first whose **lower confidence bound** (mean per-query
 * recall − 1.645 × its standard error: one-sided 95 %) reaches the target, and bisected between it and the last
 * value that did not (up to 5 steps) — the `curve`. The smallest passing value is then measured on the validation
 * set; if its recall misses the target, the larger passing values and candidates are validated in turn. `met` is
 * true only when validation reached the target. Every measured value is checked with EXPLAIN to scan the tuned
 * index (`INDEX_NOT_USED` otherwise). Nothing is written.
 *
 * With `rerank: { via }` (`binaryQuantize(col)`, `asHalfvec(col)` or `subvector(col, …)` of the tuned column, with
 * one declared HNSW / IVFFlat index) the value tuned is the **candidate count** of the re-ranked search (`nearest`'s
 * `rerank.candidates`), and recall is that of the re-ranked rows against the exact `metric` neighbours on the full
 * column. HNSW: the sweep is k (k + 1 when sampling), 20, 40, 80, 160, 320, 640, 1000 with
 * `efSearch = max(40, candidates)`. IVFFlat: probes 1, 2, 4, … lists are measured at the largest count until its
 * bound reaches the target, the counts are swept (and bisected) at that probes, and when the held-out queries
 * reject every count there the next probes is tried. `curve` points carry `candidates` and `settings`;
 * `nearestOptions` (`{ k, metric, rerank: { via, candidates }, settings }`) is what to pass to `nearest`.
 *
 * @throws PgVectorError `INVALID_DATABASE`, `INVALID_TUNING_OPTION` (e.g. targetRecall 1.5, k, sampleSize, candidates, unknown
 *   options, a `rerank` that is not `{ via }` with `via` a quantized target of the tuned column), `NO_TUNABLE_INDEX`, `UNKNOWN_INDEX`, `PRIMARY_KEY_REQUIRED`, `METRIC_REQUIRED`, `UNSUPPORTED_METRIC`,
 *   the value codes for a bad query vector — all before any SQL; `INDEX_NOT_USED` when the planner scans another plan.
 *
 * @example
 * ```ts
 * const tuned = await tuneSearch(db, items.embedding, { targetRecall: 0.95, k: 10, sampleSize: 200 });
 * // { method: 'hnsw', setting: 'efSearch', value: 96, met: true, lowerBound: 0.951, validationRecall: 0.962, curve: [{ value: 11, recall: 0.81, lowerBound: 0.79, … }, …] }
 * await nearest(db, items.embedding, q, { k: 10, settings: tuned.settings });
 * // per measured value and query: SAVEPOINT …; SET LOCAL hnsw.ef_search = 96; select … order by "items"."embedding" <-> $1::vector(32) limit 11
 * // two indexes on the column: name the one to tune
 * await tuneSearch(db, items.embedding, { targetRecall: 0.95, k: 10, index: 'items_embedding_ivfflat' });
 * // re-ranked through a binary-quantized HNSW index
 * const bq = await tuneSearch(db, items.embedding, { targetRecall: 0.9, k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) } });
 * // { setting: 'candidates', value: 160, settings: { efSearch: 160 }, rerank: { via, candidates: 160 }, curve: [{ value: 11, candidates: 11, settings: { efSearch: 40 }, recall: 0.41, … }, …] }
 * await nearest(db, items.embedding, q, bq.nearestOptions);
 * // per measured count and query (nearest's re-ranked search): SAVEPOINT …; SET LOCAL hnsw.ef_search = 160;
 * // select "nn"."distance", "nn"."_0" from (select "items"."embedding" <=> $1::vector(1536) as "distance", "items"."id" as "_0" from "items"
 * //   where … order by (binary_quantize("items"."embedding")::bit(1536)) <~> binary_quantize($1::vector(1536))::bit(1536) limit 160) as "nn"
 * //   order by "nn"."distance" limit 11
 * ```
 */
export async function tuneSearch(db: AnyPgDatabase, target: VectorTargetInput, options: TuneSearchOptions): Promise<TuneSearchResult> {
  const fn = 'tuneSearch';
  checkDatabase(fn, db);
  const o = optionObject(fn, options, ['targetRecall', 'queries', 'sampleSize', 'k', 'metric', 'index', 'where', 'seed', 'candidates', 'rerank']);
  const targetRecall = parseTargetRecall(fn, o['targetRecall']);
  if (o['rerank'] !== undefined) return tuneRerank(db, target, o, targetRecall);
  const metric = o['metric'];
  const context = searchContext(fn, target, typeof metric === 'string' ? (metric as Metric) : undefined, o['index']);
  const parsed = parseQueryOptions(fn, context.target, o, DEFAULT_TUNING_SAMPLE_SIZE);
  if (parsed.queries === undefined) requirePrimaryKey(fn, context);
  const index = context.index ?? tunableIndex(fn, context);
  const setting = index.method === 'hnsw' ? 'efSearch' : 'probes';
  const fetch = parsed.queries === undefined ? parsed.k + 1 : parsed.k;
  const given = parseCandidates(fn, o['candidates'], setting, setting === 'efSearch' ? fetch : 1);
  if (setting === 'efSearch' && given === undefined && efSearchCandidates(fetch).length === 0) {
    invalidTuning(fn, `k = ${parsed.k} needs ${fetch} rows per query, more than an HNSW scan returns at the largest efSearch; lower k.`, { option: 'k', value: parsed.k });
  }
  const where = parsed.where;

  return inPlannerTransaction(db, async (tx) => {
    const steering = await steerTo(tx, context, index);
    const settingsFor = (value: number): VectorSettings => ({ [setting]: value, ...steering.settings });
    const candidates = given ?? (setting === 'efSearch' ? efSearchCandidates(fetch) : probesCandidates(await listsOf(tx, context, index)));
    const queries = await querySet(tx, context, parsed);
    const { tuning, validation } = splitQueries(queries, parsed.seed);
    const exactAll = await exactInTransaction(tx, context, [...tuning, ...validation], parsed.k, where);
    const exactTuning = exactAll.slice(0, tuning.length);
    const exactValidation = exactAll.slice(tuning.length);
    let firstUsed: string[] | undefined;
    const checked = new Set<number>();
    /** EXPLAIN once per value: the tuned index must be the one scanned. */
    const check = async (value: number): Promise<void> => {
      if (checked.has(value)) return;
      const used = await usedIndexes(tx, context, tuning[0]!, parsed.k, { settings: settingsFor(value), where });
      firstUsed ??= used;
      checkIndexUsed(fn, context, index, used, settingsFor(value), where !== undefined);
      checked.add(value);
    };
    const run = async (value: number, set: readonly RecallQuery[], exact: readonly (readonly string[])[]) => {
      await check(value);
      return measureInTransaction(tx, context, set, exact, parsed.k, { settings: settingsFor(value), where });
    };
    const choice = await chooseSetting({
      setting,
      candidates,
      targetRecall,
      measure: async (value) => {
        const m = await run(value, tuning, exactTuning);
        return { value, recall: m.recall, standardError: m.standardError, lowerBound: m.lowerBound, meanMs: m.meanMs, p95Ms: m.p95Ms };
      },
      validate: async (value) => {
        const m = await run(value, validation, exactValidation);
        return { value, recall: m.recall, lowerBound: m.lowerBound };
      },
    });
    return {
      method: index.method,
      index: index.name,
      setting,
      value: choice.value,
      settings: settingsFor(choice.value),
      nearestOptions: {
        k: parsed.k,
        metric: context.metric,
        settings: settingsFor(choice.value),
        ...(context.index === undefined ? {} : { index: context.index.name }),
      },
      met: choice.met,
      targetRecall,
      k: parsed.k,
      metric: context.metric,
      confidence: RECALL_CONFIDENCE,
      recall: choice.curve.find((p) => p.value === choice.value)?.recall ?? choice.validationRecall,
      lowerBound: choice.lowerBound,
      validationRecall: choice.validationRecall,
      curve: choice.curve,
      validations: choice.validations,
      tuningQueries: tuning.length,
      validationQueries: validation.length,
      usedIndexes: firstUsed ?? [],
      notes: steering.notes,
      why: choice.why,
    };
  });
}
