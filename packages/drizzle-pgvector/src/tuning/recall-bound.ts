/**
 * How sure a measured recall is: the mean of the per-query recalls, its standard error, and the one-sided lower
 * confidence bound that tuneSearch compares with the target.
 */

/** Confidence of the lower bound: one-sided, 95 %. */
export const RECALL_CONFIDENCE = 0.95;
/** The standard normal quantile for {@link RECALL_CONFIDENCE} (one-sided): P(Z ≤ 1.645) = 0.95. */
export const RECALL_CONFIDENCE_Z = 1.645;

/** A recall measured over queries, with its sampling error. */
export interface RecallBound {
  /** Mean recall@k over the queries. */
  readonly recall: number;
  /** Standard error of that mean: the sample standard deviation of the per-query recalls / √n (0 for one query). */
  readonly standardError: number;
  /** `recall − 1.645 × standardError`: with 95 % confidence the recall over all such queries is at least this. */
  readonly lowerBound: number;
}

/** Mean, standard error and one-sided 95 % lower bound of per-query recalls (normal approximation; n ≥ 2 for an error). */
export function recallBound(perQuery: readonly number[]): RecallBound {
  const n = perQuery.length;
  if (n === 0) return { recall: 0, standardError: 0, lowerBound: 0 };
  const recall = perQuery.reduce((s, r) => s + r, 0) / n;
  const variance = n < 2 ? 0 : perQuery.reduce((s, r) => s + (r - recall) ** 2, 0) / (n - 1);
  const standardError = Math.sqrt(variance / n);
  return { recall, standardError, lowerBound: Math.max(0, recall - RECALL_CONFIDENCE_Z * standardError) };
}
