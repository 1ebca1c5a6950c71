/**
 * The one rule for "which representation of a column to index at these dimensions": the column itself while the
 * method indexes its type that wide, then half precision (`asHalfvec`, vector columns only: pgvector indexes halfvec
 * up to 4000 dimensions), then binary quantization (`binaryQuantize`, bit up to 64000, searched by Hamming distance
 * and re-ranked with the full vectors). Index checks, `chooseIndex`, `columnDimensions` and the CLI's `doctor` all
 * read it from here. Limits: `VECTOR_TYPES[…].indexMaxDimensions` (pgvector src/hnswutils.c, src/ivfutils.c;
 * shared/reference/pgvector.md §1).
 */

import { metricsFor, VECTOR_TYPES, type IndexMethod, type Metric, type VectorType } from './catalog.js';

/** How the indexed value derives from the column: the column, `asHalfvec(col, n)` or `binaryQuantize(col, n)`. */
export type RepresentationTarget = 'column' | 'asHalfvec' | 'binaryQuantize';

/** One way to index a `type(dimensions)` column. */
export interface Representation {
  readonly target: RepresentationTarget;
  /** The type that gets indexed. */
  readonly type: VectorType;
  readonly dimensions: number;
  /** Lossy enough that searches re-rank the candidates with the full vectors (binary quantization). */
  readonly rerank: boolean;
}

/** The reduced representations of each column type, most precise first (after the column itself). */
const REDUCTIONS: Readonly<Record<VectorType, readonly { target: RepresentationTarget; type: VectorType; rerank: boolean }[]>> = Object.freeze({
  vector: [
    { target: 'asHalfvec', type: 'halfvec', rerank: false },
    { target: 'binaryQuantize', type: 'bit', rerank: true },
  ],
  halfvec: [{ target: 'binaryQuantize', type: 'bit', rerank: true }],
  sparsevec: [],
  bit: [],
});

/**
 * @internal Every representation of a `type(dimensions)` column that `method` can index, most precise first: the
 * column itself (when within the method's limit for its type), `asHalfvec` (vector only), `binaryQuantize`
 * (vector, halfvec). Empty when nothing can be indexed.
 *
 * @example
 * ```ts
 * indexableRepresentations('vector', 3072, 'hnsw').map((r) => r.target); // ['asHalfvec', 'binaryQuantize']
 * ```
 */
export function indexableRepresentations(type: VectorType, dimensions: number, method: IndexMethod): readonly Representation[] {
  const all = [{ target: 'column' as const, type, rerank: false }, ...REDUCTIONS[type]];
  return all
    .filter((r) => {
      const max = VECTOR_TYPES[r.type].indexMaxDimensions[method];
      return max !== undefined && dimensions <= max;
    })
    .map((r) => Object.freeze({ ...r, dimensions }));
}

/**
 * @internal The metric an index is suggested with when the queries' metric is not known: cosine where the indexed
 * type has it for `method`, else the type's first (bit: Hamming).
 */
export function suggestedMetric(type: VectorType, method: IndexMethod): Metric {
  const metrics = metricsFor(type, method);
  return metrics.includes('cosine') ? 'cosine' : metrics[0]!;
}

/** @internal The metric to index a representation with: the query's, except Hamming for binary quantization. */
export function representationMetric(representation: Representation, metric: Metric): Metric {
  return representation.target === 'binaryQuantize' ? 'hamming' : metric;
}

/**
 * @internal The advice for a `type(dimensions)` column past `method`'s limit: the reduced representations it can be
 * indexed as, in words, with their limits, e.g. "Index asHalfvec(t.embedding, 3072) (half precision, halfvec up to
 * 4000 dimensions), or binaryQuantize(t.embedding, 3072) with 'hamming' and re-rank with the full vectors (bit up to
 * 64000), or a subvector of at most 2000 dimensions." `ref` is how the column is written (`t.embedding`).
 */
export function reducedRepresentationAdvice(type: VectorType, dimensions: number, method: IndexMethod, ref: string): string {
  const options = indexableRepresentations(type, dimensions, method)
    .filter((r) => r.target !== 'column')
    .map((r) => {
      const max = VECTOR_TYPES[r.type].indexMaxDimensions[method];
      return r.target === 'asHalfvec'
        ? `asHalfvec(${ref}, ${dimensions}) (half precision, halfvec up to ${max} dimensions)`
        : `binaryQuantize(${ref}, ${dimensions}) with 'hamming' and re-rank with the full vectors (bit up to ${max})`;
    });
  const columnMax = VECTOR_TYPES[type].indexMaxDimensions[method];
  if (type === 'vector' || type === 'halfvec') options.push(`subvector(${ref}, 1, n) with n ≤ ${columnMax}, if your model allows truncation`);
  return options.length === 0 ? '' : `Index ${options.join(', or ')}.`;
}
