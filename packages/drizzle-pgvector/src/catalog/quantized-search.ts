/**
 * The rule behind `nearest`'s re-ranked searches (`rerank: { via }`): how many candidates the quantized index
 * returns before they are re-ordered by the exact distance on the full vector, when the caller does not say.
 * `candidates = clamp(candidatesPerK · k, minCandidates, maxCandidates)`, never below `k`.
 *
 * Source: `bench/src/quantized-candidates.ts` (`bench-results/server/quantized-candidates*.md`, 2026-12-06, PostgreSQL
 * 15 + pgvector 0.8.6), recall@k of the re-ranked search against the exact cosine answer, HNSW m 16 /
 * ef_construction 64, `ef_search = max(40, candidates)`, 100 held-out queries, 20,000 rows per dimension count.
 * **Synthetic** text-like vectors (a shared mean direction — unrelated points at cosine ≈ 0.3 —, overlapping topics
 * in a 128-d latent space projected up, noise; no real embedding set was reachable), so the values keep a margin.
 * Smallest candidates reaching recall@k 0.9 / 0.95:
 *
 * | via, dims        | k = 10: 384      | 768     | 1536    | 384-d, k = 1 | 384-d, k = 50 |
 * | ---------------- | ---------------- | ------- | ------- | ------------ | ------------- |
 * | binaryQuantize   | 40 / 80          | 40 / 40 | 20 / 40 | 20 / 40      | 300 / 600     |
 * | asHalfvec        | 10 / 10          | 10 / 10 | 10 / 10 | 10 / 10      | 60 / 60       |
 * | subvector 1/4    | 60 / 80          | 40 / 40 | 20 / 20 | 20 / 20      | 300 / 600     |
 * | subvector 1/2    | 20 / 40          | 20 / 20 | 20 / 20 | 10 / 10      | 100 / 150     |
 *
 * Binary quantization is hardest at 384 dimensions (fewer bits) and for large k. The rule's values at 384-d give
 * recall@k 0.98 (k = 1: 100 candidates), 0.985 (k = 10: 200), 0.988 (k = 50: 1000) for binaryQuantize; 0.99 / 0.988
 * / 0.993 for asHalfvec (whose recall is the HNSW graph's: `ef_search` ≥ 40 matters, not the precision); 0.99 /
 * 0.965 / ≈ 0.95 for a subvector of 1/4 of the dimensions (less for smaller shares: not measured). The need grows
 * with the table: at 100,000 × 1536 (bench-results/server/quantized-search.md) binaryQuantize at k = 10 reached
 * 0.802 / 0.956 with 20 / 40 candidates, where 20,000 rows gave 0.937 / 0.986 — hence the margin (200 at k = 10).
 * Real embeddings, especially 384-d ones, can need more: tune with a sample of your own queries.
 */
export const QUANTIZED_SEARCH = Object.freeze({
  /** Candidates per requested neighbour, by the `via` target's kind. */
  candidatesPerK: Object.freeze({ binaryQuantize: 20, asHalfvec: 2, subvector: 10 }),
  /** At least this many candidates, by the `via` target's kind. */
  minCandidates: Object.freeze({ binaryQuantize: 100, asHalfvec: 40, subvector: 100 }),
  /** At most this many candidates (the largest `k` `nearest` accepts). */
  maxCandidates: 10_000,
});

/** The `via` target kinds a search can be re-ranked through. */
export type QuantizedKind = keyof typeof QUANTIZED_SEARCH.candidatesPerK;
