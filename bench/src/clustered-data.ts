/**
 * A deterministic clustered data set: Gaussian clusters of unit vectors, the same for the same seed on any
 * machine. Rows are generated in order, chunk by chunk, so a million 1536-d rows never sit in memory at once.
 *
 * Each cluster centre c is a random unit vector; a point is `W(c + noise)`, normalised, with noise
 * `N(0, spread² / dims)` per component (length ≈ `spread`) and W scaling component i by 1/√(i + 1). Without W,
 * Gaussian clusters in 1536 dimensions are perfectly separated (independent noise is almost orthogonal to
 * everything) and behave nothing like 128-d ones; with it, variance falls off across components as in real
 * embeddings, the effective dimension stays low (≈ 15–35) and the data set behaves alike at any dimension count:
 * clusters overlap, IVFFlat needs several probes and HNSW a wide enough ef_search. Queries come from the same
 * distribution but from their own random stream, so they are not rows of the table and do not depend on the row
 * count.
 * Components are rounded to 7 decimals (well inside float4's precision) to keep the SQL text short.
 */
import { gaussian, seededRandom } from '@drizzle-pgvector/testing/data';

export interface ClusteredDataOptions {
  readonly rows: number;
  readonly dimensions: number;
  readonly clusters: number;
  /** Length of a point's noise around its unit centre, before W and normalising (see above). */
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

function point(random: () => number, centre: readonly number[], sigma: number, weights?: readonly number[]): number[] {
  const v = new Array<number>(centre.length);
  let norm = 0;
  for (let i = 0; i < centre.length; i++) {
    const x = (centre[i]! + gaussian(random) * sigma) * (weights ? weights[i]! : 1);
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
  const weights = Array.from({ length: dimensions }, (_, i) => 1 / Math.sqrt(i + 1));
  // Row i's values come from its own stream (seed, i), so any chunking gives the same rows.
  const rowAt = (i: number): number[] => {
    const random = seededRandom((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0);
    return point(random, centres[Math.floor(random() * clusters)]!, sigma, weights);
  };
  return {
    options,
    rows: (from, count) => Array.from({ length: Math.max(0, Math.min(count, options.rows - from)) }, (_, j) => ({ id: from + j + 1, embedding: rowAt(from + j) })),
    queries: (n) => {
      const random = seededRandom((seed ^ 0x51ed270b) >>> 0);
      return Array.from({ length: n }, () => point(random, centres[Math.floor(random() * clusters)]!, sigma, weights));
    },
  };
}
