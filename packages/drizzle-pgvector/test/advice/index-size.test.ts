import { integer, pgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { asHalfvec, asVector, binaryQuantize, estimateIndexBuildMemory, subvector, vector } from '../../src/index.js';
import { expectCode } from '../helpers.js';

// The index-size model against pg_relation_size of indexes built on PostgreSQL 15.20 + pgvector 0.8.6 (x86-64):
// 20,000 random 1536-d rows (values random() − 0.5), m = 16, lists = 100, and the two cases of
// shared/reference/pgvector.md §5. The live comparison runs in big-embeddings.test.ts.
const PAGE = 8192;
const items = pgTable('sz_items', { id: integer('id'), v: vector('v', { dimensions: 1536 }), any: vector('any') });

describe('estimateIndexBuildMemory: index size', () => {
  const cases = [
    { name: 'HNSW vector(1536)', method: 'hnsw', type: 'vector', dims: 1536, rows: 20_000, pages: 20_001, tolerance: 0 },
    { name: 'HNSW halfvec(1536)', method: 'hnsw', type: 'halfvec', dims: 1536, rows: 20_000, pages: 10_001, tolerance: 0 },
    { name: 'HNSW bit(1536)', method: 'hnsw', type: 'bit', dims: 1536, rows: 20_000, pages: 1227, tolerance: 0.01 },
    { name: 'HNSW vector(768)', method: 'hnsw', type: 'vector', dims: 768, rows: 9500, pages: 4751, tolerance: 0 },
    { name: 'HNSW vector(128)', method: 'hnsw', type: 'vector', dims: 128, rows: 14_000, pages: 1424, tolerance: 0.01 },
    { name: 'IVFFlat vector(1536), lists 100', method: 'ivfflat', type: 'vector', dims: 1536, rows: 20_000, pages: 20_101, tolerance: 0 },
    { name: 'IVFFlat halfvec(1536), lists 100', method: 'ivfflat', type: 'halfvec', dims: 1536, rows: 20_000, pages: 10_076, tolerance: 0.01 },
    { name: 'IVFFlat bit(1536), lists 100', method: 'ivfflat', type: 'bit', dims: 1536, rows: 20_000, pages: 583, tolerance: 0.02 },
  ] as const;
  for (const c of cases) {
    it(`${c.name}: ${c.pages} pages measured`, () => {
      const e = estimateIndexBuildMemory({ method: c.method, type: c.type, dimensions: c.dims, rows: c.rows, m: 16, lists: 100 });
      expect(Math.abs(e.indexBytes / PAGE - c.pages) / c.pages).toBeLessThanOrEqual(c.tolerance);
      expect(e.indexSize).toBe(`${Math.ceil(e.indexBytes / 2 ** 20)}MB`);
      expect(e.why).toContain(`The finished index takes ≈ ${e.indexSize} on disk.`);
    });
  }

  it('an empty table: the meta page and one data page; below 1 MB the size is in kB', () => {
    const e = estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 3, rows: 0 });
    expect(e.indexBytes).toBe(2 * PAGE);
    expect(e.indexSize).toBe('16kB');
  });

  it('is deterministic and grows with rows', () => {
    const at = (rows: number) => estimateIndexBuildMemory({ method: 'hnsw', type: 'bit', dimensions: 1536, rows }).indexBytes;
    expect(at(500_000)).toBe(at(500_000));
    expect(at(1_000_000)).toBeGreaterThan(at(500_000) * 1.9);
  });
});

describe('estimateIndexBuildMemory: a target instead of type and dimensions', () => {
  const same = (target: Parameters<typeof estimateIndexBuildMemory>[0]['target'], type: 'vector' | 'halfvec' | 'bit', dimensions: number) => {
    const a = estimateIndexBuildMemory({ method: 'hnsw', target, rows: 100_000 });
    const b = estimateIndexBuildMemory({ method: 'hnsw', type, dimensions, rows: 100_000 });
    expect(a).toEqual(b);
  };

  it('column → vector(n); asHalfvec → halfvec(n) (2 bytes per dimension); binaryQuantize → bit(n) (n/8 bytes); subvector → n dims', () => {
    same(items.v, 'vector', 1536);
    same(asHalfvec(items.v), 'halfvec', 1536);
    same(binaryQuantize(items.v), 'bit', 1536);
    same(subvector(items.v, 1, 512), 'vector', 512);
    same(asVector(items.any, 768), 'vector', 768);
    const perTuple = (target: Parameters<typeof estimateIndexBuildMemory>[0]['target']) => estimateIndexBuildMemory({ method: 'hnsw', target, rows: 1 }).bytesPerTuple!;
    // The value is the only difference: 4 bytes per dimension, 2 for halfvec, 1/8 for bits.
    expect(perTuple(items.v) - perTuple(asHalfvec(items.v))).toBeCloseTo(2 * 1536, 6);
    expect(perTuple(asHalfvec(items.v)) - perTuple(binaryQuantize(items.v))).toBeCloseTo(2 * 1536 - 1536 / 8, 6);
  });

  it('a target past the method limit, without dimensions, or contradicted by type / dimensions: INVALID_ADVICE_INPUT', () => {
    expect(expectCode(() => estimateIndexBuildMemory({ method: 'hnsw', target: asHalfvec(pgTable('sz_big', { v: vector('v', { dimensions: 5000 }) }).v), rows: 1 }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /halfvec\(5000\) has more dimensions than hnsw indexes \(at most 4000\)/,
    );
    expect(expectCode(() => estimateIndexBuildMemory({ method: 'hnsw', target: items.any, rows: 1 }), 'INVALID_ADVICE_INPUT').message).toMatch(/has no fixed dimensions.*asVector\(col, 1536\)/);
    expect(expectCode(() => estimateIndexBuildMemory({ method: 'hnsw', target: binaryQuantize(items.v), type: 'vector', rows: 1 }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /type vector contradicts the target .*bit\(1536\)/,
    );
    expect(expectCode(() => estimateIndexBuildMemory({ method: 'hnsw', target: items.v, dimensions: 768, rows: 1 }), 'INVALID_ADVICE_INPUT').message).toMatch(/dimensions 768 contradicts/);
    // Agreeing values are fine.
    expect(estimateIndexBuildMemory({ method: 'hnsw', target: items.v, type: 'vector', dimensions: 1536, rows: 1 }).method).toBe('hnsw');
    expectCode(() => estimateIndexBuildMemory({ method: 'hnsw', target: 'v' as never, rows: 1 }), 'INVALID_TARGET');
  });
});
