import { getTableName } from 'drizzle-orm';
import { metricsFor, QUANTIZED_SEARCH, SETTINGS, type Metric, type QuantizedKind } from '../catalog/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { declaredVectorIndexes, type VectorIndexInfo } from '../indexes/index.js';
import { isVectorTarget, toTarget, type VectorTarget } from '../targets/index.js';
import { tunableIndex } from './index-choice.js';
import { searchContext, type SearchContext } from './search-context.js';
import { invalidTuning, parseValueList } from './tuning-options.js';
import { isQuantized, rerankMetric, sameColumn } from '../queries/nearest/rerank.js';

/** tuneSearch's `rerank` option: the quantized expression target whose index serves the search. */
export interface TuneRerankOption {
  /** `binaryQuantize(col)`, `asHalfvec(col)` or `subvector(col, …)` of the tuned column, with a declared HNSW / IVFFlat index. */
  via: VectorTarget;
}

/** A re-ranked search as tuneSearch measures it (nearest's `rerank` with a count). */
export interface RerankMeasure {
  readonly via: VectorTarget;
  readonly candidates: number;
}

/** Candidate counts tried by default (those above the rows fetched per query, plus that count itself). */
export const RERANK_CANDIDATES: readonly number[] = Object.freeze([20, 40, 80, 160, 320, 640, 1000]);

const KINDS = Object.keys(QUANTIZED_SEARCH.candidatesPerK) as QuantizedKind[];

/** What a re-ranked tuning measures: the full column (exact answer, outer metric) and the via target with its index. */
export interface RerankContexts {
  /** The column searched with the outer metric: ground truth, sampling, row identity, the outer ORDER BY. */
  readonly column: SearchContext;
  /** The via target with its own metric (hamming / jaccard for bits, the outer metric otherwise) and indexes. */
  readonly via: SearchContext;
  /** The via index tuned. */
  readonly index: VectorIndexInfo;
}

/** The largest candidate count: an HNSW scan returns at most `hnsw.ef_search` (≤ 1000) rows; IVFFlat up to nearest's bound. */
export function maxCandidates(index: VectorIndexInfo): number {
  return index.method === 'hnsw' ? SETTINGS.find((s) => s.key === 'efSearch')!.max! : QUANTIZED_SEARCH.maxCandidates;
}

/** The default candidate sweep: `fetch`, then {@link RERANK_CANDIDATES} above it, up to `max`. */
export function rerankCandidates(fetch: number, max: number): number[] {
  return fetch > max ? [] : [fetch, ...RERANK_CANDIDATES.filter((v) => v > fetch && v <= max)];
}

/** `candidates` with rerank: candidate counts from `fetch` to {@link maxCandidates}. */
export function parseRerankCandidates(fn: string, value: unknown, index: VectorIndexInfo, fetch: number): number[] | undefined {
  return parseValueList(
    fn,
    value,
    'rerank candidate count',
    fetch,
    maxCandidates(index),
    `at least the rows fetched per query; ${index.method === 'hnsw' ? 'an HNSW scan returns at most hnsw.ef_search ≤ 1000 rows' : `nearest's largest candidates`}`,
  );
}

/**
 * Validate `rerank` (before any SQL) and resolve both searches. `target` must be the column itself and `via` an
 * expression target (`binaryQuantize`, `asHalfvec`, `subvector`) over it; the outer metric is `metric`, else the
 * one of the column's own indexes, else (halfvec / subvector) the via index's; the via metric is the outer one,
 * except for bits, whose index says (hamming / jaccard). `indexName` names one of the via target's indexes.
 */
export function rerankContexts(fn: string, targetInput: unknown, rerank: unknown, metric: Metric | undefined, indexName: unknown): RerankContexts {
  if (isVectorTarget(rerank)) {
    invalidTuning(fn, `rerank must be { via: … }, not the target itself: write rerank: { via: ${rerank.label.replace(/\(.*/, '')}(…) }.`, { option: 'rerank', received: rerank.label });
  }
  if (rerank === null || typeof rerank !== 'object' || Array.isArray(rerank)) {
    invalidTuning(fn, `rerank must be an object like { via: binaryQuantize(items.embedding) }, got ${describe(rerank)}.`, { option: 'rerank', received: describe(rerank) });
  }
  if ((rerank as { candidates?: unknown }).candidates !== undefined) {
    invalidTuning(fn, `${fn} chooses rerank.candidates (with the via index's efSearch / probes); pass the counts to try as candidates: [40, 80, 160, …], or leave it out for the default sweep.`, {
      option: 'rerank.candidates',
    });
  }
  checkOptionKeys(`${fn}(…).rerank`, rerank, ['via'], 'INVALID_TUNING_OPTION');
  const column = toTarget(targetInput, `${fn}()`);
  const via = (rerank as { via?: unknown }).via;
  const label = `"${getTableName(column.column.table)}"."${column.column.name}"`;
  const forms = `binaryQuantize(${label}), asHalfvec(${label}) or subvector(${label}, 1, n)`;
  if (column.kind !== 'column') {
    invalidTuning(fn, `with rerank, tune the column itself: tuneSearch(db, <column>, { rerank: { via: ${column.label} } }); got the target ${column.label}.`, {
      option: 'rerank',
      target: column.label,
    });
  }
  if (!isVectorTarget(via) || !isQuantized(via)) {
    invalidTuning(fn, `rerank.via must be an expression target on ${label}: ${forms} with a declared index; got ${isVectorTarget(via) ? via.label : describe(via)}.`, {
      option: 'rerank.via',
      received: isVectorTarget(via) ? via.label : describe(via),
      allowed: KINDS,
    });
  }
  if (!sameColumn(via, column)) {
    invalidTuning(fn, `rerank.via ${via.label} is not on the tuned column ${label}: the candidates are re-ranked by their exact distance on that column. Pass ${forms}.`, {
      option: 'rerank.via',
      received: via.label,
      column: label,
    });
  }
  const outer = metric ?? outerMetric(fn, column, via);
  const viaContext = searchContext(fn, via, via.type === 'bit' ? undefined : outer, indexName);
  const columnContext = searchContext(fn, column, outer);
  return { column: columnContext, via: viaContext, index: viaContext.index ?? tunableIndex(fn, viaContext) };
}

/** The exact metric when not given: the column's own indexes' one metric, else a halfvec / subvector via index's. */
function outerMetric(fn: string, column: VectorTarget, via: VectorTarget): Metric {
  const table = column.column.table as Parameters<typeof declaredVectorIndexes>[0];
  const indexes = declaredVectorIndexes(table);
  const inferred = rerankMetric(indexes, column, via);
  if (inferred !== undefined) return inferred;
  const own = [...new Set(indexes.filter((i) => i.target.matches(column)).map((i) => i.metric))];
  throw pgVectorError(
    'METRIC_REQUIRED',
    `${fn}(${column.label}): pass metric — the exact distance the candidates of ${via.label} are re-ranked by, one of ${metricsFor(column.type)
      .map((m) => `'${m}'`)
      .join(', ')}${own.length > 1 ? ` (the column's indexes use ${own.map((m) => `'${m}'`).join(', ')})` : ''}.`,
    { target: column.label, via: via.label, candidates: own.length > 1 ? own : metricsFor(column.type) },
  );
}
