import { PgVectorTestError } from '../errors.js';
import { gaussian, seededRandom } from './seeded-random.js';

/**
 * Options of {@link randomVectors}.
 *
 * @example
 * ```ts
 * const options: RandomVectorsOptions = { rows: 1000, dimensions: 384, seed: 1 };
 * ```
 */
export interface RandomVectorsOptions {
  /** How many vectors; a positive integer. */
  rows: number;
  /** Components per vector; a positive integer. */
  dimensions: number;
  /** Seed of the {@link seededRandom} generator; default `1`. */
  seed?: number;
  /** Scale every vector to length 1 (what cosine / inner-product data usually is); default `true`. */
  normalize?: boolean;
}

/**
 * Options of {@link clusteredVectors}.
 *
 * @example
 * ```ts
 * const options: ClusteredVectorsOptions = { rows: 10_000, dimensions: 128, clusters: 50, seed: 7, spread: 0.05 };
 * ```
 */
export interface ClusteredVectorsOptions extends RandomVectorsOptions {
  /** How many clusters (Gaussian blobs around random unit centroids); a positive integer. */
  clusters: number;
  /** Standard deviation of each component's Gaussian noise around the centroid; default `0.05`. */
  spread?: number;
}

/**
 * What {@link clusteredVectors} returns.
 *
 * @example
 * ```ts
 * const { vectors, clusterOf, centroids } = clusteredVectors({ rows: 100, dimensions: 8, clusters: 4 });
 * ```
 */
export interface ClusteredVectors {
  /** The generated vectors, one per row. */
  vectors: number[][];
  /** `clusterOf[i]` is the index in {@link ClusteredVectors.centroids | centroids} vector `i` was drawn around. */
  clusterOf: number[];
  /** The unit-length cluster centres. */
  centroids: number[][];
}

function checkCount(name: string, value: number, source: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new PgVectorTestError(
      'INVALID_OPTION',
      `${source}: ${name} must be a positive integer, got ${String(value)}. Pass e.g. { ${name}: 100 }.`,
    );
  }
}

function checkNonNegative(name: string, value: number, source: string): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new PgVectorTestError(
      'INVALID_OPTION',
      `${source}: ${name} must be a finite number ≥ 0, got ${String(value)}. Pass e.g. { ${name}: 0.05 }.`,
    );
  }
}

/**
 * One vector of `dimensions` Gaussian components (optionally added to `around`, scaled by `spread`), normalised
 * to length 1 unless `normalize: false`, every component rounded to float4 (`Math.fround`) — what a pgvector
 * `vector` column stores, so values read back compare equal.
 *
 * @example
 * ```ts
 * import { seededRandom, unitVector } from '@drizzle-pgvector/testing/data';
 *
 * const random = seededRandom(3);
 * const centre = unitVector(random, 128);
 * const neighbour = unitVector(random, 128, { around: centre, spread: 0.02 });
 * ```
 */
export function unitVector(
  random: () => number,
  dimensions: number,
  options: { around?: readonly number[]; spread?: number; normalize?: boolean } = {},
): number[] {
  const { around, spread = 1, normalize = true } = options;
  const vector = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = (around?.[i] ?? 0) + gaussian(random) * spread;
    vector[i] = x;
    norm += x * x;
  }
  const scale = normalize && norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let i = 0; i < dimensions; i++) vector[i] = Math.fround(vector[i]! * scale);
  return vector;
}

/**
 * Deterministic random vectors with independent standard-normal components — normalised (uniform on the unit
 * sphere) unless `normalize: false` — rounded to float4. The same options always give the same vectors.
 *
 * @throws {@link PgVectorTestError} `INVALID_OPTION` when `rows` or `dimensions` is not a positive integer.
 *
 * @example
 * ```ts
 * import { randomVectors } from '@drizzle-pgvector/testing/data';
 *
 * const rows = randomVectors({ rows: 1000, dimensions: 3, seed: 42 });
 * await db.insert(items).values(rows.map((embedding, id) => ({ id, embedding })));
 * ```
 */
export function randomVectors(options: RandomVectorsOptions): number[][] {
  const { rows, dimensions, seed = 1, normalize = true } = options;
  checkCount('rows', rows, 'randomVectors()');
  checkCount('dimensions', dimensions, 'randomVectors()');
  const random = seededRandom(seed);
  return Array.from({ length: rows }, () => unitVector(random, dimensions, { normalize }));
}

/**
 * Deterministic clustered vectors: `clusters` random unit centroids, then each row drawn around a uniformly
 * chosen centroid with Gaussian noise of standard deviation `spread` per component, normalised unless
 * `normalize: false`, rounded to float4. Realistic enough for recall tests and benchmarks of approximate
 * indexes (neighbours exist and lie in the same cluster); the same options always give the same data.
 *
 * @throws {@link PgVectorTestError} `INVALID_OPTION` when `rows`, `dimensions` or `clusters` is not a positive
 *   integer, or `spread` is negative.
 *
 * @example
 * ```ts
 * import { clusteredVectors } from '@drizzle-pgvector/testing/data';
 *
 * const { vectors, clusterOf, centroids } = clusteredVectors({ rows: 5000, dimensions: 64, clusters: 20, seed: 7 });
 * // query near a centroid: its nearest rows should mostly have clusterOf[i] === 0
 * const query = centroids[0]!;
 * ```
 */
export function clusteredVectors(options: ClusteredVectorsOptions): ClusteredVectors {
  const { rows, dimensions, clusters, seed = 1, normalize = true, spread = 0.05 } = options;
  checkCount('rows', rows, 'clusteredVectors()');
  checkCount('dimensions', dimensions, 'clusteredVectors()');
  checkCount('clusters', clusters, 'clusteredVectors()');
  checkNonNegative('spread', spread, 'clusteredVectors()');
  const random = seededRandom(seed);
  const centroids = Array.from({ length: clusters }, () => unitVector(random, dimensions));
  const clusterOf = new Array<number>(rows);
  const vectors = new Array<number[]>(rows);
  for (let row = 0; row < rows; row++) {
    const cluster = Math.min(clusters - 1, Math.floor(random() * clusters));
    clusterOf[row] = cluster;
    vectors[row] = unitVector(random, dimensions, { around: centroids[cluster]!, spread, normalize });
  }
  return { vectors, clusterOf, centroids };
}
