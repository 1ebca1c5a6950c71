import { SETTINGS, type Metric } from '../catalog/index.js';
import type { VectorTargetInput } from '../queries/index.js';
import type { AnyPgDatabase, VectorSettings } from '../settings/index.js';
import { chooseSetting, type Choice, type CurvePoint, type ValidationPoint } from './choose-setting.js';
import { checkIndexUsed, steerTo } from './index-choice.js';
import { exactInTransaction, measureInTransaction, usedIndexes } from './measure-recall.js';
import { inPlannerTransaction } from './planner-transaction.js';
import { querySet, splitQueries, type RecallQuery } from './query-set.js';
import { RECALL_CONFIDENCE } from './recall-bound.js';
import { maxCandidates, parseRerankCandidates, rerankCandidates, rerankContexts } from './rerank-options.js';
import { requirePrimaryKey } from './search-context.js';
import { listsOf, probesCandidates } from './sweep-candidates.js';
import type { TuneSearchResult } from './tune-search.js';
import { DEFAULT_TUNING_SAMPLE_SIZE, invalidTuning, parseQueryOptions } from './tuning-options.js';

/** pgvector's default `hnsw.ef_search`: the floor of the ef_search a re-ranked HNSW search runs with. */
const EF_SEARCH_DEFAULT = SETTINGS.find((s) => s.key === 'efSearch')!.default as number;

/**
 * tuneSearch with `rerank: { via }` (options already checked for unknown keys; `targetRecall` parsed). The swept
 * value is the candidate count; the via index's setting follows it: HNSW `efSearch = max(40, candidates)` (an HNSW
 * scan returns at most ef_search rows), IVFFlat `probes` from a scan at the largest candidate count. Ground truth is
 * the exact search on the column with the outer metric.
 */
export async function tuneRerank(db: AnyPgDatabase, target: VectorTargetInput, o: Record<string, unknown>, targetRecall: number): Promise<TuneSearchResult> {
  const fn = 'tuneSearch';
  const metricOption = typeof o['metric'] === 'string' ? (o['metric'] as Metric) : undefined;
  const { column, via, index } = rerankContexts(fn, target, o['rerank'], metricOption, o['index']);
  const parsed = parseQueryOptions(fn, column.target, o, DEFAULT_TUNING_SAMPLE_SIZE);
  if (parsed.queries === undefined) requirePrimaryKey(fn, column);
  const fetch = parsed.queries === undefined ? parsed.k + 1 : parsed.k;
  const given = parseRerankCandidates(fn, o['candidates'], index, fetch);
  const ladder = given ?? rerankCandidates(fetch, maxCandidates(index));
  if (ladder.length === 0) {
    invalidTuning(fn, `k = ${parsed.k} needs ${fetch} rows per query, more than ${index.method === 'hnsw' ? 'an HNSW scan returns at the largest efSearch' : 'the largest candidate count'}; lower k.`, {
      option: 'k',
      value: parsed.k,
    });
  }
  const largest = ladder[ladder.length - 1]!;
  const where = parsed.where;

  return inPlannerTransaction(db, async (tx) => {
    const steering = await steerTo(tx, via, index);
    const settingsFor = (candidates: number, probes: number | undefined): VectorSettings =>
      index.method === 'hnsw' ? { efSearch: Math.max(EF_SEARCH_DEFAULT, candidates), ...steering.settings } : { probes: probes!, ...steering.settings };
    const queries = await querySet(tx, column, parsed);
    const { tuning, validation } = splitQueries(queries, parsed.seed);
    const exactAll = await exactInTransaction(tx, column, [...tuning, ...validation], parsed.k, where);
    const exactTuning = exactAll.slice(0, tuning.length);
    const exactValidation = exactAll.slice(tuning.length);
    let firstUsed: string[] | undefined;
    const checked = new Set<string>();
    const run = async (candidates: number, probes: number | undefined, set: readonly RecallQuery[], exact: readonly (readonly string[])[]) => {
      const settings = settingsFor(candidates, probes);
      const search = { settings, where, rerank: { via: via.target, candidates } };
      const key = JSON.stringify([candidates, settings]);
      if (!checked.has(key)) {
        const used = await usedIndexes(tx, column, tuning[0]!, parsed.k, search);
        firstUsed ??= used;
        checkIndexUsed(fn, via, index, used, settings, where !== undefined);
        checked.add(key);
      }
      return measureInTransaction(tx, column, set, exact, parsed.k, search);
    };
    const point = async (candidates: number, probes: number | undefined): Promise<CurvePoint> => {
      const m = await run(candidates, probes, tuning, exactTuning);
      return {
        value: candidates,
        candidates,
        settings: settingsFor(candidates, probes),
        recall: m.recall,
        standardError: m.standardError,
        lowerBound: m.lowerBound,
        meanMs: m.meanMs,
        p95Ms: m.p95Ms,
      };
    };

    // IVFFlat: from the smallest probes at which the largest candidate count reaches the bound, a candidates sweep;
    // when the held-out queries reject every count there, the next such probes (the last one always gets its sweep).
    const probesLadder: (number | undefined)[] = index.method === 'ivfflat' ? probesCandidates(await listsOf(tx, via, index)) : [undefined];
    const curve: CurvePoint[] = [];
    const validations: ValidationPoint[] = [];
    const rejected: number[] = [];
    let choice: Choice | undefined;
    let probes: number | undefined;
    for (const [i, p] of probesLadder.entries()) {
      const last = i === probesLadder.length - 1;
      let top: CurvePoint | undefined;
      if (p !== undefined) {
        top = await point(largest, p);
        curve.push(top);
        if (top.lowerBound < targetRecall && !last) continue;
      }
      if (choice !== undefined) rejected.push(probes!);
      probes = p;
      choice = await chooseSetting({
        setting: 'candidates',
        candidates: ladder,
        targetRecall,
        measure: async (candidates) => (candidates === largest && top !== undefined ? top : point(candidates, p)),
        validate: async (candidates) => {
          const m = await run(candidates, p, validation, exactValidation);
          return { value: candidates, recall: m.recall, lowerBound: m.lowerBound, ...(p === undefined ? {} : { settings: settingsFor(candidates, p) }) };
        },
      });
      for (const q of choice.curve) if (!curve.includes(q)) curve.push(q);
      validations.push(...choice.validations);
      if (choice.met) break;
    }
    const chosen = choice!;
    const settings = settingsFor(chosen.value, probes);
    // A target refers to its table (circular): as JSON (CLI output, logs) the rerank is its label and count.
    const rerank = Object.defineProperty({ via: via.target, candidates: chosen.value }, 'toJSON', { value: () => ({ via: via.target.label, candidates: chosen.value }) });
    const probesOf = (p: CurvePoint): number => p.settings?.probes ?? 0;
    curve.sort((a, b) => probesOf(a) - probesOf(b) || a.value - b.value);
    const how =
      index.method === 'hnsw'
        ? `efSearch = max(${EF_SEARCH_DEFAULT}, candidates)`
        : `probes = ${probes}: ${probesLadder.length === 1 || curve.some((q) => q.value === largest && q.settings?.probes === probes && q.lowerBound >= targetRecall) ? `the smallest at which ${largest} candidates reached the bound` : 'all lists (no smaller probes reached the bound)'}${rejected.length > 0 ? `; the validation queries rejected probes ${rejected.join(', ')}` : ''}`;
    return {
      method: index.method,
      index: index.name,
      setting: 'candidates',
      value: chosen.value,
      settings,
      rerank,
      nearestOptions: { k: parsed.k, metric: column.metric, rerank, settings },
      met: chosen.met,
      targetRecall,
      k: parsed.k,
      metric: column.metric,
      confidence: RECALL_CONFIDENCE,
      recall: chosen.curve.find((p) => p.value === chosen.value)?.recall ?? chosen.validationRecall,
      lowerBound: chosen.lowerBound,
      validationRecall: chosen.validationRecall,
      curve,
      validations,
      tuningQueries: tuning.length,
      validationQueries: validation.length,
      usedIndexes: firstUsed ?? [],
      notes: steering.notes,
      why: `Re-ranked through ${via.target.label} ("${index.name}", ${how}), exact '${column.metric}' on ${column.target.label}: ${chosen.why}`,
    };
  });
}
