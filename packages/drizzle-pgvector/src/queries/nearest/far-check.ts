import { FILTERED_SEARCH, type Metric } from '../../catalog/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import { BoundedCaches, MAX_SHAPES_PER_DB } from './bounded-cache.js';
import type { Decision } from './strategy.js';

/**
 * The far check of a filtered IVFFlat index scan. IVFFlat reads whole lists, so a filter whose rows lie away from
 * the query can find k of them in the query's own list — the wrong ones, and enough of them that the scan does not
 * come back short. A result whose nearest row lies `FILTERED_SEARCH.farRatio` times farther than the k-th nearest
 * row *without* the filter is treated as short: re-run exactly, and the filter remembered. That reference costs a
 * second list scan (2.2–2.6× the search), so it is read in the same statement on a sample of the searches only
 * (the first `farSampleFirst` of a target and k, then one in `farSampleEvery`); the others compare with the largest
 * of the last `farSampleWindow` references read.
 */

type Mapper = (rows: unknown[][]) => Record<string, unknown>[];

/** @internal The references read for one target and k: the scale the unsampled searches compare with. */
export class FarScale {
  private calls = 0;
  private readonly references: number[] = [];

  /** Whether this search reads the reference (and counts it). */
  sample(): boolean {
    const call = this.calls++;
    return this.references.length < FILTERED_SEARCH.farSampleFirst || call % FILTERED_SEARCH.farSampleEvery === 0;
  }

  observe(reference: number): void {
    if (!Number.isFinite(reference)) return;
    this.references.push(reference);
    if (this.references.length > FILTERED_SEARCH.farSampleWindow) this.references.shift();
  }

  /** The largest of the last references, undefined before the first. */
  get scale(): number | undefined {
    return this.references.length === 0 ? undefined : Math.max(...this.references);
  }
}

const SCALES = new BoundedCaches<FarScale>(MAX_SHAPES_PER_DB);

/** @internal The far scale of a target and k in a database. */
export function farScaleFor(owner: object, contextId: string, k: number): FarScale {
  const cache = SCALES.of(owner);
  const key = `${contextId}|${k}`;
  let scale = cache.get(key);
  if (scale === undefined) {
    scale = new FarScale();
    cache.set(key, scale);
  }
  return scale;
}

/** @internal True when this index scan gets the far check: auto (with its exact fallback), IVFFlat, no bound, no re-rank, distances ≥ 0. */
export function needsFarCheck(decision: Decision, bounded: boolean, reranked: boolean, indexes: readonly VectorIndexInfo[], metric: Metric): boolean {
  return decision.strategy === 'index' && decision.fallback && !bounded && !reranked && metric !== 'innerProduct' && indexes.some((i) => i.method === 'ivfflat');
}

/** @internal The reference column: `(select max("d") from (select <distance> as "d" from <table> [where <target's own conditions>] order by <distance> limit k) as "r")`. */
export function farReference(distanceText: string, tableText: string, where: string, k: number): string {
  return `(select max("r"."d") from (select ${distanceText} as "d" from ${tableText}${where} order by ${distanceText} limit ${k}) as "r") as "_ref"`;
}

/**
 * @internal The row mapper of a far-checked search: a sampled search's reference is its last column (`refIndex`),
 * read into `scale`; others compare with `scale`. A result whose nearest row is more than `farRatio` × the
 * reference away maps to no rows, which `nearest` treats as short.
 */
export function farChecked(map: Mapper, refIndex: number, scale: FarScale, sampled: boolean): Mapper {
  return (rows) => {
    const first = rows[0];
    if (first === undefined) return map(rows);
    let reference: number | undefined;
    if (sampled) {
      reference = Number(first[refIndex]);
      scale.observe(reference);
    } else reference = scale.scale;
    let nearest = Infinity;
    for (const row of rows) nearest = Math.min(nearest, Number(row[0]));
    if (reference !== undefined && Number.isFinite(reference) && nearest > FILTERED_SEARCH.farRatio * reference) return [];
    return map(rows);
  };
}
