/**
 * A deterministic synthetic data set shaped like text embeddings, for the quantized-search measurements (there is
 * no real embedding data set reachable from this workplace: no npm package ships sentence embeddings or a model
 * with bundled weights; the ones that exist download their weights at run time).
 *
 * What it imitates, and how:
 * - **anisotropy**: real text embeddings share a large common component (two unrelated texts from ada-002 have
 *   cosine ≈ 0.7, from MiniLM ≈ 0.1–0.2). Every point gets `anisotropy`·m, m a fixed random unit vector, sized so
 *   that the mean cosine between unrelated points is about `meanCosine`. For binary quantization this is what
 *   hurts: sign bits of components where m is large are biased.
 * - **low intrinsic dimension, not aligned with the coordinates**: topics live in a `latent`-dimensional space
 *   (variance of latent component k ∝ 1/(k + 1): a slowly decaying spectrum) and are projected up by a fixed random
 *   Gaussian `dims × latent` matrix, so every coordinate mixes every latent direction (no coordinate is special,
 *   the first ones carry no more than the rest: `subvector` here is a *non*-Matryoshka truncation, a lower bound for
 *   Matryoshka models).
 * - **topics that overlap**: a point is its topic's centre plus a within-topic offset of `topicSpread` times the
 *   centres' own spread, so neighbourhoods cross topic borders as they do for real texts.
 * - **isotropic noise** of relative length `noise` in all `dims` coordinates.
 * Then normalised to unit length (cosine = inner product). Queries come from the same distribution on their own
 * random stream, so they are not rows. Row i depends only on (seed, i): any chunking gives the same rows.
 * Components are rounded to 7 decimals (well inside float4's precision).
 */
import { gaussian, seededRandom } from '@drizzle-pgvector/testing/data';

export interface TextLikeDataOptions {
  readonly rows: number;
  readonly dimensions: number;
  /** Mean cosine between points of unrelated topics (the common component). Default 0.3. */
  readonly meanCosine?: number;
  /** Latent dimensions the topics live in. Default 128. */
  readonly latent?: number;
  /** Topics. Default 400. */
  readonly topics?: number;
  /** Within-topic offset relative to the spread of the centres. Default 0.8. */
  readonly topicSpread?: number;
  /** Length of the isotropic noise relative to the latent part. Default 0.5. */
  readonly noise?: number;
  readonly seed: number;
}

export interface TextLikeData {
  readonly options: Required<TextLikeDataOptions>;
  /** Rows `[from, from + count)` as `{ id, embedding }`, ids from 1. */
  rows(from: number, count: number): { id: number; embedding: number[] }[];
  /** `n` query vectors (held out: not rows). */
  queries(n: number): number[][];
}

export const TEXT_LIKE_DEFAULTS = { meanCosine: 0.3, latent: 128, topics: 400, topicSpread: 0.8, noise: 0.5 } as const;

/** The data set for these options (the projection and topic centres are computed up front). */
export function textLikeData(options: TextLikeDataOptions): TextLikeData {
  const o = { ...TEXT_LIKE_DEFAULTS, ...options } as Required<TextLikeDataOptions>;
  const { dimensions: d, latent: r, topics, topicSpread, noise, seed, meanCosine } = o;
  const random = seededRandom(seed);
  const scale = Float64Array.from({ length: r }, (_, k) => 1 / Math.sqrt(k + 1));
  // Latent part normalised to expected length 1 (centre and offset together).
  let latentVar = 0;
  for (let k = 0; k < r; k++) latentVar += scale[k]! ** 2 * (1 + topicSpread ** 2);
  const latentNorm = 1 / Math.sqrt(latentVar);
  // Column k of the projection is projection[k·d … (k + 1)·d).
  const projection = Float64Array.from({ length: d * r }, () => gaussian(random) / Math.sqrt(d));
  const mean = Float64Array.from({ length: d }, () => gaussian(random));
  const meanLength = Math.hypot(...mean);
  // Unrelated points: cos ≈ a² / (a² + 1 + noise²).
  const a = Math.sqrt((meanCosine * (1 + noise ** 2)) / (1 - meanCosine));
  for (let i = 0; i < d; i++) mean[i] = (mean[i]! / meanLength) * a;
  const centres = Array.from({ length: topics }, () => Float64Array.from(scale, (s) => gaussian(random) * s));
  const sigma = noise / Math.sqrt(d);

  const point = (rnd: () => number): number[] => {
    const centre = centres[Math.floor(rnd() * topics)]!;
    const z = Float64Array.from(centre, (c, k) => (c + gaussian(rnd) * scale[k]! * topicSpread) * latentNorm);
    const x = Float64Array.from(mean, (m) => m + gaussian(rnd) * sigma);
    for (let k = 0; k < r; k++) {
      const zk = z[k]!;
      const col = k * d;
      for (let i = 0; i < d; i++) x[i] = x[i]! + projection[col + i]! * zk;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += x[i]! * x[i]!;
    norm = Math.sqrt(norm);
    return Array.from(x, (xi) => Math.round((xi / norm) * 1e7) / 1e7);
  };
  const rowAt = (i: number): number[] => point(seededRandom((Math.imul(seed ^ 0x2545f491, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0));
  return {
    options: o,
    rows: (from, count) => Array.from({ length: Math.max(0, Math.min(count, o.rows - from)) }, (_, j) => ({ id: from + j + 1, embedding: rowAt(from + j) })),
    queries: (n) => {
      const rnd = seededRandom((seed ^ 0x6a09e667) >>> 0);
      return Array.from({ length: n }, () => point(rnd));
    },
  };
}
