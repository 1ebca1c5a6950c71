import { describe, expect, it } from 'vitest';

import { clusteredVectors, randomVectors, seededRandom, unitVector } from '../../src/data/index.js';
import { PgVectorTestError } from '../../src/index.js';

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

function invalid(run: () => unknown): PgVectorTestError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PgVectorTestError);
    expect((error as PgVectorTestError).code).toBe('INVALID_OPTION');
    return error as PgVectorTestError;
  }
  throw new Error('expected INVALID_OPTION');
}

describe('unitVector', () => {
  it('is unit length and float4-exact; normalize: false keeps the raw length', () => {
    const random = seededRandom(1);
    const v = unitVector(random, 64);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(v.every((x) => Math.fround(x) === x)).toBe(true);
    const raw = unitVector(random, 64, { normalize: false, spread: 3 });
    expect(norm(raw)).toBeGreaterThan(10);
  });
});

describe('randomVectors', () => {
  it('gives rows × dimensions unit vectors, the same for the same seed', () => {
    const a = randomVectors({ rows: 50, dimensions: 16, seed: 9 });
    expect(a).toHaveLength(50);
    for (const v of a) {
      expect(v).toHaveLength(16);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(randomVectors({ rows: 50, dimensions: 16, seed: 9 })).toEqual(a);
    expect(randomVectors({ rows: 50, dimensions: 16, seed: 10 })).not.toEqual(a);
  });

  it('rejects non-positive or fractional counts with INVALID_OPTION naming the value', () => {
    expect(invalid(() => randomVectors({ rows: 0, dimensions: 3 })).message).toContain('rows must be a positive integer, got 0');
    expect(invalid(() => randomVectors({ rows: 2, dimensions: 1.5 })).message).toContain('dimensions');
  });
});

describe('clusteredVectors', () => {
  const data = clusteredVectors({ rows: 2000, dimensions: 32, clusters: 8, seed: 3, spread: 0.05 });

  it('is deterministic and shaped as asked', () => {
    expect(data.vectors).toHaveLength(2000);
    expect(data.centroids).toHaveLength(8);
    expect(data.clusterOf).toHaveLength(2000);
    expect(new Set(data.clusterOf).size).toBe(8);
    expect(clusteredVectors({ rows: 2000, dimensions: 32, clusters: 8, seed: 3, spread: 0.05 })).toEqual(data);
    for (const v of data.vectors.slice(0, 20)) expect(norm(v)).toBeCloseTo(1, 5);
  });

  it('puts every vector closest to its own centroid (tight clusters)', () => {
    let own = 0;
    data.vectors.forEach((v, i) => {
      const scores = data.centroids.map((c) => dot(v, c));
      if (scores.indexOf(Math.max(...scores)) === data.clusterOf[i]) own++;
    });
    expect(own).toBe(2000);
  });

  it('rejects bad clusters and a negative spread', () => {
    expect(invalid(() => clusteredVectors({ rows: 10, dimensions: 3, clusters: 0 })).message).toContain('clusters');
    expect(invalid(() => clusteredVectors({ rows: 10, dimensions: 3, clusters: 2, spread: -1 })).message).toContain(
      'spread must be a finite number ≥ 0, got -1',
    );
  });
});
