/**
 * `@drizzle-pgvector/testing/data` — deterministic test data: a seeded PRNG and random / clustered vectors.
 * Shared by this project's tests, benchmarks and example; imports neither PGlite nor a driver.
 *
 * @example
 * ```ts
 * import { clusteredVectors, seededRandom } from '@drizzle-pgvector/testing/data';
 *
 * const random = seededRandom(1);
 * const { vectors } = clusteredVectors({ rows: 1000, dimensions: 32, clusters: 10, seed: 1 });
 * ```
 *
 * @packageDocumentation
 */
export { gaussian, seededRandom } from './seeded-random.js';
export {
  clusteredVectors,
  randomVectors,
  unitVector,
  type ClusteredVectors,
  type ClusteredVectorsOptions,
  type RandomVectorsOptions,
} from './vectors.js';
