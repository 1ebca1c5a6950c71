import type { PgTable } from 'drizzle-orm/pg-core';
import { QUANTIZED_SEARCH, type Metric, type QuantizedKind } from '../../catalog/index.js';
import { pgVectorError } from '../../errors/index.js';
import { declaredVectorIndexes, type VectorIndexInfo } from '../../indexes/index.js';
import type { VectorTarget } from '../../targets/index.js';
import { BoundedCaches } from './bounded-cache.js';
import { contextFor, MAX_CONTEXTS_PER_COLUMN, type TargetContext } from './context.js';
import type { Validated } from './options.js';

/**
 * Re-ranked searches: the candidates come from an index on a smaller representation of the column (`via`:
 * `binaryQuantize`, `asHalfvec`, `subvector`), then are re-ordered by the exact distance on the full column. This
 * file resolves which representation (given, or the only kind of index the column has) and how many candidates.
 */

/** @internal A search's contexts: the full column's (the exact distance) and, when re-ranked, the `via`'s (the scan). */
export interface SearchContexts {
  readonly outer: TargetContext;
  readonly rerank: RerankContext | undefined;
}

/** @internal The representation a re-ranked search scans, its operator and indexes. */
export interface RerankContext {
  readonly via: VectorTarget;
  readonly context: TargetContext;
  /** True when `nearest` chose it (no `rerank` option): the only declared index on the column is on `via`. */
  readonly automatic: boolean;
}

const QUANTIZED: readonly string[] = Object.keys(QUANTIZED_SEARCH.candidatesPerK);
/** Which representation an automatic re-rank prefers when the column has several (most exact first). */
const PREFERENCE: readonly QuantizedKind[] = ['asHalfvec', 'subvector', 'binaryQuantize'];

/** @internal A representation a search can be re-ranked through (`binaryQuantize`, `asHalfvec`, `subvector`). */
export const isQuantized = (target: VectorTarget): boolean => QUANTIZED.includes(target.kind);
const isFullPrecision = (target: VectorTarget): boolean => target.kind === 'column' || target.kind === 'asVector';
/** @internal Both targets are computed from the same column. */
export const sameColumn = (a: VectorTarget, b: VectorTarget): boolean =>
  a.column === b.column || (a.column.table === b.column.table && a.column.name === b.column.name);
/** `via` is computed from the searched vectors: same column, and dimensions that fit the searched target's. */
const fits = (via: VectorTarget, target: VectorTarget): boolean =>
  sameColumn(via, target) &&
  target.dimensions !== undefined &&
  (via.kind === 'subvector' ? via.start! + via.dimensions! - 1 <= target.dimensions : via.dimensions === target.dimensions);

const SEARCHES = new BoundedCaches<SearchContexts>(MAX_CONTEXTS_PER_COLUMN);

/**
 * @internal Resolve the search's contexts (cached per column): with `rerank`, the given `via` checked against the
 * searched column; without, the column's own indexes, or — when it has none for the metric — a quantized index on
 * the same column (an automatic re-rank instead of an exact scan of every row).
 */
export function searchContexts(fn: string, target: VectorTarget, opts: Validated): SearchContexts {
  const via = opts.rerank?.via;
  if (via === undefined && (!isFullPrecision(target) || opts.strategy === 'exact')) return { outer: contextFor(fn, target, opts.metric, opts.index), rerank: undefined };
  const byKey = SEARCHES.of(target.column);
  const key = `${target.key}|${via?.key ?? ''}|${opts.metric ?? ''}|${opts.index ?? ''}`;
  let found = byKey.get(key);
  if (found === undefined) {
    found = via === undefined ? automatic(fn, target, opts) : explicit(fn, target, via, opts);
    byKey.set(key, found);
  }
  return found;
}

/** `rerank: { via }`: `via` must be a quantized expression on the searched column, which must be the full vector. */
function explicit(fn: string, target: VectorTarget, via: VectorTarget, opts: Validated): SearchContexts {
  if (!isFullPrecision(target)) {
    throw pgVectorError(
      'INVALID_QUERY_OPTION',
      `${fn}(${target.label}): rerank re-orders candidates by the exact distance on the full vector, so search the column itself (or asVector(col, n)), not ${target.label}.`,
      { option: 'rerank', target: target.label },
    );
  }
  if (!isQuantized(via) || !fits(via, target)) {
    throw pgVectorError(
      'INVALID_QUERY_OPTION',
      `${fn}(${target.label}): rerank.via must be binaryQuantize, asHalfvec or subvector of the searched column ${target.label}, got ${via.label}${sameColumn(via, target) && isQuantized(via) ? ` (its dimensions do not fit ${target.sqlType})` : ''}.`,
      { option: 'rerank.via', via: via.label, target: target.label, allowed: QUANTIZED },
    );
  }
  const table = target.column.table as PgTable;
  const declared = declaredVectorIndexes(table);
  const viaIndexes = declared.filter((i) => i.target.matches(via));
  const outer = contextFor(fn, target, opts.metric ?? rerankMetric(declared, target, via));
  const viaMetric = via.type === 'bit' ? bitMetric(viaIndexes, declared, opts.index) : outer.metric;
  return { outer, rerank: { via, context: contextFor(fn, via, opts.index === undefined ? viaMetric : undefined, opts.index), automatic: false } };
}

/** No `rerank`: a quantized index on the same column serves the search when no index on the column itself does. */
function automatic(fn: string, target: VectorTarget, opts: Validated): SearchContexts {
  const table = target.column.table as PgTable;
  const declared = declaredVectorIndexes(table);
  const quantized = declared.filter((i) => isQuantized(i.target) && fits(i.target, target));
  if (opts.index !== undefined) {
    const named = quantized.find((i) => i.name === opts.index);
    if (named === undefined) return { outer: contextFor(fn, target, opts.metric, opts.index), rerank: undefined };
    const metric = opts.metric ?? (named.target.type === 'bit' ? undefined : named.metric);
    const outer = contextFor(fn, target, metric ?? requireMetric(fn, target, named));
    return { outer, rerank: { via: named.target, context: contextFor(fn, named.target, undefined, named.name), automatic: true } };
  }
  const own = declared.some((i) => i.target.matches(target));
  const metric = opts.metric ?? (own || quantized.length === 0 ? undefined : singleMetric(quantized.filter((i) => i.target.type !== 'bit')));
  if (metric === undefined && !own && quantized.length > 0) requireMetric(fn, target, quantized[0]!);
  const outer = contextFor(fn, target, metric);
  if (outer.indexes.length > 0) return { outer, rerank: undefined };
  const usable = quantized.filter((i) => i.target.type === 'bit' || i.metric === outer.metric);
  const best = PREFERENCE.map((kind) => usable.find((i) => i.target.kind === kind)).find((i) => i !== undefined);
  if (best === undefined) return { outer, rerank: undefined };
  return { outer, rerank: { via: best.target, context: contextFor(fn, best.target, best.metric), automatic: true } };
}

/**
 * @internal The exact metric of a search re-ranked through `via`, when not given: the one metric of the column's own
 * declared indexes, else (none of its own) the one metric of a halfvec / subvector `via`'s indexes (a bit index's
 * Hamming says nothing about the full vector); undefined when neither decides. Shared by `nearest` and `tuneSearch`.
 */
export function rerankMetric(declared: readonly VectorIndexInfo[], target: VectorTarget, via: VectorTarget): Metric | undefined {
  const own = declared.filter((i) => i.target.matches(target));
  if (own.length > 0) return singleMetric(own);
  return via.type === 'bit' ? undefined : singleMetric(declared.filter((i) => i.target.matches(via)));
}

function singleMetric(indexes: readonly VectorIndexInfo[]): Metric | undefined {
  const metrics = [...new Set(indexes.map((i) => i.metric))];
  return metrics.length === 1 ? metrics[0] : undefined;
}

/** A bit `via`'s metric: its named index's, else hamming if an index serves it, else its only indexed metric, else hamming. */
function bitMetric(viaIndexes: readonly VectorIndexInfo[], declared: readonly VectorIndexInfo[], index: string | undefined): Metric {
  if (index !== undefined) return declared.find((i) => i.name === index)?.metric ?? 'hamming';
  if (viaIndexes.some((i) => i.metric === 'hamming')) return 'hamming';
  return singleMetric(viaIndexes) ?? 'hamming';
}

function requireMetric(fn: string, target: VectorTarget, quantized: VectorIndexInfo): never {
  throw pgVectorError(
    'METRIC_REQUIRED',
    `${fn}(${target.label}): the column's only vector index is ${quantized.name} on ${quantized.target.label} ('${quantized.metric}'), which says nothing about the full vector's metric. Pass { metric } (e.g. 'cosine'): the search then goes through ${quantized.name} and re-ranks by that metric.`,
    { target: target.label, index: quantized.name, indexTarget: quantized.target.label },
  );
}

/** @internal How many candidates a re-ranked search fetches: given, else `QUANTIZED_SEARCH`'s rule for `via`'s kind. */
export function candidatesFor(via: VectorTarget, k: number, given: number | undefined): number {
  if (given !== undefined) return given;
  const kind = via.kind as QuantizedKind;
  const rule = Math.max(QUANTIZED_SEARCH.minCandidates[kind], QUANTIZED_SEARCH.candidatesPerK[kind] * k);
  return Math.max(k, Math.min(QUANTIZED_SEARCH.maxCandidates, rule));
}
