/**
 * A deterministic clustered data set: Gaussian clusters of unit vectors, the same for the same seed on any
 * machine. Rows are generated in order, chunk by chunk, so a million 1536-d rows never sit in memory at once.
 *
 * Each cluster centre is a random unit vector; a point is `centre + N(0, spread² / dims)` per component, then
 * normalised, so the noise has length ≈ `spread` whatever the dimension count. At the benchmark's spread 1.5 a
 * point sits ≈ 0.45 cosine distance from its centre and ≈ 0.7 from others of its cluster, while centres are ≈ 1
 * apart: the clusters overlap enough that IVFFlat needs several probes and HNSW a wide enough ef_search. Queries come from the same distribution but
 * from their own random stream, so they are not rows of the table and do not depend on the row count.
 * Components are rounded to 7 decimals (well inside float4's precision) to keep the SQL text short.
 */
import { gaussian, seededRandom } from './stats.js';

export interface ClusteredDataOptions {
  readonly rows: number;
  readonly dimensions: number;
  readonly clusters: number;
  /** Length of a point's noise before normalising (see above). */
  readonly spread: number;
  readonly seed: number;
}

export interface ClusteredData {
  readonly options: ClusteredDataOptions;
  /** Rows `[from, from + count)` as `{ id, embedding }`, ids from 1. Deterministic for any chunking. */
  rows(from: number, count: number): { id: number; embedding: number[] }[];
  /** `n` query vectors. */
  queries(n: number): number[][];
}

function point(random: () => number, centre: readonly number[], sigma: number): number[] {
  const v = new Array<number>(centre.length);
  let norm = 0;
  for (let i = 0; i < centre.length; i++) {
    const x = centre[i]! + gaussian(random) * sigma;
    v[i] = x;
    norm += x * x;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = Math.round((v[i]! / norm) * 1e7) / 1e7;
  return v;
}

/** The data set for these options (cheap: only the centres are computed up front). */
export function clusteredData(options: ClusteredDataOptions): ClusteredData {
  const { dimensions, clusters, spread, seed } = options;
  const centreRandom = seededRandom(seed);
  const origin = new Array<number>(dimensions).fill(0);
  const centres = Array.from({ length: clusters }, () => point(centreRandom, origin, 1));
  const sigma = spread / Math.sqrt(dimensions);
  // Row i's values come from its own stream (seed, i), so any chunking gives the same rows.
  const rowAt = (i: number): number[] => {
    const random = seededRandom((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0);
    return point(random, centres[Math.floor(random() * clusters)]!, sigma);
  };
  return {
    options,
    rows: (from, count) => Array.from({ length: Math.max(0, Math.min(count, options.rows - from)) }, (_, j) => ({ id: from + j + 1, embedding: rowAt(from + j) })),
    queries: (n) => {
      const random = seededRandom((seed ^ 0x51ed270b) >>> 0);
      return Array.from({ length: n }, () => point(random, centres[Math.floor(random() * clusters)]!, sigma));
    },
  };
}
