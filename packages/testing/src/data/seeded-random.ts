/**
 * A seeded pseudo-random number generator: mulberry32 (32-bit state, a Weyl sequence stepped by `0x6d2b79f5`
 * and mixed by two multiply-xorshift rounds). Fast and well distributed for test data, benchmarks and examples;
 * never for cryptography. The same seed always gives the same sequence, on every machine.
 *
 * @param seed - any number; only its low 32 bits (as an unsigned integer) are used.
 * @returns a function returning the next uniform number in `[0, 1)` on each call.
 *
 * @example
 * ```ts
 * import { seededRandom } from '@drizzle-pgvector/testing/data';
 *
 * const random = seededRandom(42);
 * const dice = Math.floor(random() * 6) + 1; // the same on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A standard normal sample (mean 0, standard deviation 1) from a uniform generator, by the Box–Muller transform.
 * Draws two numbers from `random`.
 *
 * @example
 * ```ts
 * import { gaussian, seededRandom } from '@drizzle-pgvector/testing/data';
 *
 * const random = seededRandom(7);
 * const noise = 0.1 * gaussian(random);
 * ```
 */
export function gaussian(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
