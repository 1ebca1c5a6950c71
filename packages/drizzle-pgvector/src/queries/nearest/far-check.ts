import { FILTERED_SEARCH, type Metric } from '../../catalog/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import type { Decision } from './strategy.js';

/**
 * The far check of a filtered IVFFlat index scan. IVFFlat reads whole lists, so a filter whose rows lie away from
 * the query can find k of them in the query's own list — the wrong ones, and enough of them that the scan does not
 * come back short. The search also returns the distance of the k-th nearest row *without* the filter (one more
 * scan of the first list, in the same statement); a result whose nearest row lies `FILTERED_SEARCH.farRatio` times
 * farther than that is treated as short: re-run exactly, and the filter remembered.
 */

type Mapper = (rows: unknown[][]) => Record<string, unknown>[];

/** @internal True when this index scan gets the far check: auto (with its exact fallback), IVFFlat, no bound, no re-rank, distances ≥ 0. */
export function needsFarCheck(decision: Decision, bounded: boolean, reranked: boolean, indexes: readonly VectorIndexInfo[], metric: Metric): boolean {
  return decision.strategy === 'index' && decision.fallback && !bounded && !reranked && metric !== 'innerProduct' && indexes.some((i) => i.method === 'ivfflat');
}

/** @internal The reference column: `(select max("d") from (select <distance> as "d" from <table> where <target's own conditions> order by <distance> limit k) as "r")`. */
export function farReference(distanceText: string, tableText: string, conditions: string, k: number): string {
  return `(select max("r"."d") from (select ${distanceText} as "d" from ${tableText} where ${conditions} order by ${distanceText} limit ${k}) as "r") as "_ref"`;
}

/**
 * @internal The row mapper of a far-checked search: the reference is the last column (`refIndex`); a result whose
 * nearest row is more than `farRatio` × the reference away maps to no rows, which `nearest` treats as short.
 */
export function farChecked(map: Mapper, refIndex: number): Mapper {
  return (rows) => {
    const first = rows[0];
    if (first !== undefined) {
      const reference = Number(first[refIndex]);
      let nearest = Infinity;
      for (const row of rows) nearest = Math.min(nearest, Number(row[0]));
      if (Number.isFinite(reference) && nearest > FILTERED_SEARCH.farRatio * reference) return [];
    }
    return map(rows);
  };
}
