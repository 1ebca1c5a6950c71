/**
 * The rule behind `nearest`'s re-ranked searches (`rerank: { via }`): how many candidates the quantized index
 * returns before they are re-ordered by the exact distance on the full vector, when the caller does not say.
 * `candidates = clamp(candidatesPerK · k, minCandidates, maxCandidates)`, never below `k`.
 *
 * PROVISIONAL (not yet measured): binary quantization keeps 1 bit of each dimension and needs far more candidates
 * than half precision, which is nearly lossless; a subvector's need depends on the share of dimensions it keeps.
 */
export const QUANTIZED_SEARCH = Object.freeze({
  /** Candidates per requested neighbour, by the `via` target's kind. */
  candidatesPerK: Object.freeze({ binaryQuantize: 40, asHalfvec: 2, subvector: 10 }),
  /** At least this many candidates, by the `via` target's kind. */
  minCandidates: Object.freeze({ binaryQuantize: 200, asHalfvec: 40, subvector: 100 }),
  /** At most this many candidates (the largest `k` `nearest` accepts). */
  maxCandidates: 10_000,
});

/** The `via` target kinds a search can be re-ranked through. */
export type QuantizedKind = keyof typeof QUANTIZED_SEARCH.candidatesPerK;
