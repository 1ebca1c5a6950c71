import { Column, is, sql, SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Metric } from '../catalog/index.js';
import type { VectorValueInput } from '../codec/index.js';
import { operatorClassForTarget, resolveTarget, type VectorTarget, type VectorTargetInput } from '../targets/index.js';

export type { VectorTargetInput } from '../targets/index.js';

/**
 * The query side of a distance: a vector value (validated against the target and bound as one parameter; an array,
 * a `SparseVector`, a bit string or pgvector's text form such as `'[1,0,0]'`), or SQL / a column / a query builder
 * (used as is, cast to the target's type), e.g. a sub-select of another row's embedding.
 */
export type QueryVectorInput = VectorValueInput | SQL | PgColumn | SQLWrapper;

function isSqlWrapper(value: unknown): value is SQLWrapper {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SQLWrapper>).getSQL === 'function';
}

/** @internal The query operand: a validated value bound once as a parameter, cast to the target's type. */
export function queryOperand(target: VectorTarget, query: unknown): SQL {
  if (is(query, SQL) || is(query, Column) || isSqlWrapper(query)) return target.queryExpression(query);
  return target.queryExpression(target.encodeQuery(query));
}

function build(fn: string, targetInput: unknown, query: unknown, metric: Metric, shape: 'distance' | 'negate' | 'similarity'): SQL<number> {
  const target = resolveTarget(targetInput, `${fn}()`);
  const row = operatorClassForTarget(target, metric, `${fn}(${target.label})`);
  const q = queryOperand(target, query);
  const d = target.distanceTo(row.operator, q);
  switch (shape) {
    case 'distance':
      return sql<number>`(${d})`.mapWith(Number);
    case 'negate':
      return sql<number>`((${d}) * -1)`.mapWith(Number);
    case 'similarity':
      return sql<number>`(1 - (${d}))`.mapWith(Number);
  }
}

/**
 * Distance between `target` and `query` with `metric` (`'l2' | 'innerProduct' | 'cosine' | 'l1' | 'hamming' |
 * 'jaccard'`), as a typed `SQL<number>` to order, select or filter by. The query vector is validated against the
 * target (dimensions, finite values, type) before any SQL is built, bound once as a parameter and cast to the
 * target's type, so the expression matches the index (for `innerProduct` this is `<#>`, the negative inner
 * product, which is what the index orders by).
 *
 * Order ascending by it with a `LIMIT` to use an HNSW/IVFFlat index. For a target with a partial-index
 * predicate (a column without fixed dimensions), also add `target.predicate` to your `WHERE` — or use
 * {@link nearest}, which does all of this.
 *
 * @throws PgVectorError `UNSUPPORTED_METRIC` (listing the metrics the type has), `DIMENSION_MISMATCH`,
 *   `EMPTY_VECTOR`, `NON_FINITE_VALUE`, `VALUE_OUT_OF_RANGE`, `INVALID_VECTOR_VALUE`, `INVALID_SPARSE_VECTOR`,
 *   `INVALID_BIT_STRING`, `INVALID_TARGET`
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(distance(items.embedding, [1, 2, 3], 'cosine')).limit(10);
 * // select … from "items" order by ("items"."embedding" <=> $1::vector(3)) limit $2   -- $1 = '[1,2,3]'
 * ```
 */
export function distance(target: VectorTargetInput, query: QueryVectorInput, metric: Metric): SQL<number> {
  return build('distance', target, query, metric, 'distance');
}

/**
 * Euclidean (L2) distance, `<->`. vector, halfvec, sparsevec.
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(l2Distance(items.embedding, [1, 2, 3])).limit(5);
 * // … order by ("items"."embedding" <-> $1::vector(3)) limit $2
 * ```
 */
export function l2Distance(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('l2Distance', target, query, 'l2', 'distance');
}

/**
 * Cosine distance, `<=>` (1 − cosine similarity, 0..2). vector, halfvec, sparsevec.
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(cosineDistance(items.embedding, q)).limit(10);
 * // … order by ("items"."embedding" <=> $1::vector(1536)) limit $2
 * db.select().from(items).orderBy(cosineDistance(asHalfvec(items.embedding, 1536), q)).limit(10);
 * // … order by (("items"."embedding"::halfvec(1536)) <=> $1::halfvec(1536)) limit $2
 * ```
 */
export function cosineDistance(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('cosineDistance', target, query, 'cosine', 'distance');
}


/**
 * `<#>`, the **negative** inner product, as drizzle-orm's `innerProduct` computes it (a drop-in: ascending order is
 * "largest inner product first", and an `*_ip_ops` index serves it). For the inner product itself use
 * {@link innerProductSimilarity}.
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(innerProduct(items.embedding, q)).limit(10);
 * // … order by ("items"."embedding" <#> $1::vector(3)) limit $2
 * ```
 */
export function innerProduct(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('innerProduct', target, query, 'innerProduct', 'distance');
}

/**
 * The inner product itself, `(a <#> b) * -1` (larger is more similar), for display or thresholds, as
 * {@link cosineSimilarity} is for cosine. Ordering by it descending cannot use an index; order by
 * {@link innerProduct} (ascending) instead. (This was `innerProduct` until that name was aligned with
 * drizzle-orm's, which is `<#>`.)
 *
 * @example
 * ```ts
 * db.select({ id: items.id, score: innerProductSimilarity(items.embedding, q) }).from(items)
 *   .orderBy(innerProduct(items.embedding, q)).limit(10);
 * // select "id", (("items"."embedding" <#> $1::vector(3)) * -1) … order by ("items"."embedding" <#> $2::vector(3)) limit $3
 * ```
 */
export function innerProductSimilarity(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('innerProductSimilarity', target, query, 'innerProduct', 'negate');
}

/**
 * Cosine similarity, `1 - (a <=> b)`: for display or thresholds. Ordering by it descending cannot use an index;
 * order by {@link cosineDistance} instead.
 *
 * @example
 * ```ts
 * db.select({ id: items.id, similarity: cosineSimilarity(items.embedding, q) }).from(items);
 * // select "id", (1 - ("items"."embedding" <=> $1::vector(3))) from "items"
 * ```
 */
export function cosineSimilarity(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('cosineSimilarity', target, query, 'cosine', 'similarity');
}

/**
 * Taxicab (L1) distance, `<+>` (pgvector ≥ 0.7; HNSW only). vector, halfvec, sparsevec.
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(l1Distance(items.embedding, [1, 2, 3])).limit(5);
 * // … order by ("items"."embedding" <+> $1::vector(3)) limit $2
 * ```
 */
export function l1Distance(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('l1Distance', target, query, 'l1', 'distance');
}

/**
 * Hamming distance, `<~>`, on `bit(n)` columns (query: a `'0101'` string) or on a `binaryQuantize(col, n)` target
 * (query: a dense vector, quantized in SQL).
 *
 * @example
 * ```ts
 * db.select().from(items).orderBy(hammingDistance(binaryQuantize(items.embedding, 3), [1, -2, 3])).limit(20);
 * // … order by ((binary_quantize("items"."embedding")::bit(3)) <~> binary_quantize($1::vector(3))::bit(3)) limit $2
 * ```
 */
export function hammingDistance(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('hammingDistance', target, query, 'hamming', 'distance');
}

/**
 * Jaccard distance, `<%>`, on `bit(n)` columns or a `binaryQuantize` target (HNSW only).
 *
 * @example
 * ```ts
 * db.select().from(docs).orderBy(jaccardDistance(docs.code, '0101')).limit(5);
 * // … order by ("docs"."code" <%> $1::bit(4)) limit $2
 * ```
 */
export function jaccardDistance(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('jaccardDistance', target, query, 'jaccard', 'distance');
}

/**
 * @deprecated The same SQL as {@link innerProduct} (`a <#> b`, drizzle-orm's name): use that. This alias is removed in
 * the next minor release.
 */
export function maxInnerProduct(target: VectorTargetInput, query: QueryVectorInput): SQL<number> {
  return build('maxInnerProduct', target, query, 'innerProduct', 'distance');
}
