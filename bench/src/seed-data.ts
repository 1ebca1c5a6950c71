/**
 * The synthetic data set of `pnpm bench:seed`: 1,000,000 text-embedding-like unit vectors of 1536 dimensions,
 * deterministic for a seed (row i depends only on (seed, i), so a load can resume at any row). It is NOT
 * dbpedia-openai; it imitates the shape of such embeddings:
 *
 * - a shared mean direction `mu` (OpenAI-style embeddings are far from centred: random pairs have cosine ≈ 0.3–0.7),
 *   concentrated on a few components (as ada-002's few large-magnitude dimensions), weight `MEAN`;
 * - topics: `clusters` centres, each with `subclusters` sub-topics (a two-level hierarchy, weights `TOPIC`, `SUBTOPIC`);
 * - per-row noise of length `NOISE`;
 * - centres and noise have a variance that decays with the component (`(i + 1)^-0.35`, an effective dimension of
 *   a few hundred, not 1536 and not 20), so the data is neither perfectly separated nor uniformly random.
 *
 * `x = MEAN·mu + TOPIC·c_k + SUBTOPIC·d_kj + NOISE·n`, normalised. Queries come from the same distribution through
 * their own random stream (they are not rows of the table).
 */
import { seededRandom } from '@drizzle-pgvector/testing/data';

export interface SeedDataOptions {
  readonly rows: number;
  readonly dimensions: number;
  readonly clusters: number;
  readonly subclusters: number;
  readonly seed: number;
}

export const SEED_DATA_DEFAULTS: SeedDataOptions = { rows: 1_000_000, dimensions: 1536, clusters: 1000, subclusters: 20, seed: 1536 };

const MEAN = 0.8;
const TOPIC = 0.7;
const SUBTOPIC = 0.6;
const NOISE = 0.5;
/** Components carrying the shared mean direction. */
const MEAN_COMPONENTS = 16;

/** Fills `out` with standard normal samples (Box–Muller, both outputs). */
function normals(random: () => number, out: Float64Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const t = 2 * Math.PI * random();
    out[i] = r * Math.cos(t);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
  }
}

/** A direction with variance decaying over the components, normalised to length 1. */
function decayingDirection(random: () => number, weights: Float64Array, scratch: Float64Array): Float32Array {
  normals(random, scratch);
  let norm = 0;
  for (let i = 0; i < scratch.length; i++) {
    scratch[i]! *= weights[i]!;
    norm += scratch[i]! * scratch[i]!;
  }
  const out = new Float32Array(scratch.length);
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < scratch.length; i++) out[i] = scratch[i]! * inv;
  return out;
}

export interface SeedData {
  readonly options: SeedDataOptions;
  /** Row `i` (0-based; its id is i + 1) as a fresh Float32Array unit vector. */
  row(i: number): Float32Array;
  /** `n` held-out query vectors (not rows of the table). */
  queries(n: number): Float32Array[];
}

/** The data set (computes the centres up front: clusters × subclusters × dimensions float4s, ~120 MiB by default). */
export function seedData(options: SeedDataOptions = SEED_DATA_DEFAULTS): SeedData {
  const { dimensions: d, clusters, subclusters, seed } = options;
  const weights = Float64Array.from({ length: d }, (_, i) => (i + 1) ** -0.35);
  const scratch = new Float64Array(d);
  const random = seededRandom(seed);
  const mean = new Float64Array(d);
  let meanNorm = 0;
  for (let j = 0; j < MEAN_COMPONENTS; j++) {
    const at = Math.floor(random() * d);
    mean[at] = 0.5 + random();
    meanNorm += mean[at]! * mean[at]!;
  }
  for (let i = 0; i < d; i++) mean[i] = (mean[i]! / Math.sqrt(meanNorm)) * MEAN;
  const topics = Array.from({ length: clusters }, () => decayingDirection(random, weights, scratch));
  // The fixed part of every sub-topic: MEAN·mu + TOPIC·c_k + SUBTOPIC·d_kj.
  const bases = new Float32Array(clusters * subclusters * d);
  for (let k = 0; k < clusters; k++) {
    for (let j = 0; j < subclusters; j++) {
      const sub = decayingDirection(random, weights, scratch);
      const base = (k * subclusters + j) * d;
      for (let i = 0; i < d; i++) bases[base + i] = mean[i]! + TOPIC * topics[k]![i]! + SUBTOPIC * sub[i]!;
    }
  }
  const noiseScale = Float64Array.from(weights, (w) => w * NOISE);
  {
    // Scale the noise so its expected length is NOISE.
    let sum = 0;
    for (const w of weights) sum += w * w;
    const s = 1 / Math.sqrt(sum);
    for (let i = 0; i < d; i++) noiseScale[i]! *= s;
  }
  const noise = new Float64Array(d);
  const point = (rand: () => number): Float32Array => {
    const base = Math.floor(rand() * clusters * subclusters) * d;
    normals(rand, noise);
    const out = new Float32Array(d);
    let norm = 0;
    for (let i = 0; i < d; i++) {
      const x = bases[base + i]! + noise[i]! * noiseScale[i]!;
      noise[i] = x;
      norm += x * x;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < d; i++) out[i] = noise[i]! * inv;
    return out;
  };
  return {
    options,
    row: (i) => point(seededRandom((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0)),
    queries: (n) => {
      const rand = seededRandom((seed ^ 0x51ed270b) >>> 0);
      return Array.from({ length: n }, () => point(rand));
    },
  };
}
