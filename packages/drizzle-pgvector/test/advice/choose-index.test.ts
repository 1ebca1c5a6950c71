import { describe, expect, it } from 'vitest';
import { chooseIndex } from '../../src/index.js';
import { expectCode } from '../helpers.js';

const rules = (c: ReturnType<typeof chooseIndex>) => c.reasons.map((r) => r.rule);

describe('chooseIndex', () => {
  it('empty table → HNSW (IVFFlat has nothing to train on)', () => {
    const c = chooseIndex({ rows: 0, dimensions: 768 });
    expect(c.method).toBe('hnsw');
    expect(rules(c)).toEqual(['empty-table']);
    expect(c.reasons[0]?.message).toMatch(/needs no training/);
  });

  it('small table → HNSW, and exact search may do', () => {
    const c = chooseIndex({ rows: 3000, dimensions: 768 });
    expect(c.method).toBe('hnsw');
    expect(rules(c)).toEqual(['small-table']);
    expect(c.reasons[0]?.message).toMatch(/exact search/);
  });

  it('large, stable table → HNSW for recall and speed, with the trade-off spelled out', () => {
    const c = chooseIndex({ rows: 2_000_000, dimensions: 768, writesPerDay: 1000 });
    expect(c.method).toBe('hnsw');
    expect(c.target).toBe('column');
    expect(rules(c)).toEqual(['recall-and-speed']);
    expect(c.reasons[0]?.message).toMatch(/Pick IVFFlat when build time and memory matter more/);
  });

  it('frequent writes → HNSW', () => {
    const c = chooseIndex({ rows: 1_000_000, dimensions: 768, writesPerDay: 200_000 });
    expect(c.method).toBe('hnsw');
    expect(rules(c)).toEqual(['frequent-writes']);
    expect(c.reasons[0]?.message).toContain('20 %');
  });

  it('HNSW build memory above the budget → IVFFlat, when IVFFlat fits', () => {
    const c = chooseIndex({ rows: 10_000_000, dimensions: 768, memoryBudget: '4GB' });
    expect(c.method).toBe('ivfflat');
    expect(rules(c)).toEqual(['memory-budget']);
    expect(c.reasons[0]?.message).toMatch(/more than the 4GB memory budget.*every smaller representation.*IVFFlat builds fast/);
    // Enough memory: HNSW again.
    expect(chooseIndex({ rows: 10_000_000, dimensions: 768, memoryBudget: '64GB' }).method).toBe('hnsw');
    // Frequent writes outweigh the budget (HNSW still works, on disk).
    const churn = chooseIndex({ rows: 10_000_000, dimensions: 768, memoryBudget: '4GB', writesPerDay: 5_000_000 });
    expect(churn.method).toBe('hnsw');
    expect(rules(churn)).toEqual(['frequent-writes', 'memory-budget']);
  });

  it('HNSW over the memory budget → the most precise smaller representation that fits: halfvec, then binary quantization with re-rank', () => {
    // 1M × 1536: full precision needs ≈ 6.4 GB, halfvec ≈ 3.6 GB, bit(1536) ≈ 0.9 GB (PG ≤ 15 headers).
    const half = chooseIndex({ rows: 1_000_000, dimensions: 1536, memoryBudget: '4GB' });
    expect(half).toMatchObject({ method: 'hnsw', target: 'asHalfvec', indexedType: 'halfvec', indexedDimensions: 1536, rerank: false });
    expect(rules(half)).toEqual(['memory-budget']);
    expect(half.reasons[0]?.message).toMatch(/full precision \(vector\(1536\)\).*more than the 4GB memory budget.*Index asHalfvec\(column, 1536\).*nearly the same recall/);
    const bq = chooseIndex({ rows: 1_000_000, dimensions: 1536, memoryBudget: '2GB' });
    expect(bq).toMatchObject({ method: 'hnsw', target: 'binaryQuantize', indexedType: 'bit', indexedDimensions: 1536, rerank: true });
    expect(bq.reasons[0]?.message).toMatch(/Index binaryQuantize\(column, 1536\).*rerank: \{ via: binaryQuantize\(col\) \}/);
    // The trade-off of each representation is in the message and in alternatives.
    expect(bq.reasons[0]?.message).toMatch(/Trade-off: full precision .*build \d+MB, index ≈ \d+MB; halfvec .*; binary quantization .*/);
    const hnsw = bq.alternatives.filter((a) => a.method === 'hnsw');
    expect(hnsw.map((a) => [a.target, a.withinBudget])).toEqual([['column', false], ['asHalfvec', false], ['binaryQuantize', true]]);
    expect(hnsw[1]!.buildMemoryBytes).toBeLessThan(hnsw[0]!.buildMemoryBytes * 0.6);
    expect(hnsw[2]!.buildMemoryBytes).toBeLessThan(hnsw[0]!.buildMemoryBytes / 5);
    expect(hnsw[2]!.indexBytes).toBeLessThan(hnsw[0]!.indexBytes / 10);
    expect(hnsw.every((a) => a.indexSize === `${Math.ceil(a.indexBytes / 2 ** 20)}MB`)).toBe(true);
    // Within budget: no budget rule, the column itself.
    expect(chooseIndex({ rows: 1_000_000, dimensions: 1536, memoryBudget: '8GB' })).toMatchObject({ target: 'column', rerank: false });
  });

  it('index larger than the size budget → a smaller representation, by index size', () => {
    const c = chooseIndex({ rows: 1_000_000, dimensions: 1536, indexSizeBudget: '2GB' });
    expect(c).toMatchObject({ method: 'hnsw', target: 'binaryQuantize', rerank: true });
    expect(rules(c)).toEqual(['index-size-budget']);
    expect(c.reasons[0]?.message).toMatch(/the index is larger than the 2GB index size budget/);
    expect(c.reasons[0]?.message).not.toMatch(/memory budget/);
    const half = chooseIndex({ rows: 1_000_000, dimensions: 1536, indexSizeBudget: '5GB' });
    expect(half.target).toBe('asHalfvec');
    // Both budgets over: both named.
    const both = chooseIndex({ rows: 1_000_000, dimensions: 1536, indexSizeBudget: '2GB', memoryBudget: '2GB' });
    expect(both.reasons[0]?.message).toMatch(/memory budget .*, and the index is larger than the 2GB index size budget/);
    expectCode(() => chooseIndex({ rows: 1, dimensions: 3, indexSizeBudget: 'lots' }), 'INVALID_MEMORY_SIZE');
  });

  it('nothing fits the budget: says so, keeps HNSW on the column, lists the trade-off', () => {
    const c = chooseIndex({ rows: 100_000_000, dimensions: 1536, memoryBudget: '1GB', writesPerDay: 50_000_000 });
    expect(c).toMatchObject({ method: 'hnsw', target: 'column' });
    expect(rules(c)).toEqual(['frequent-writes', 'memory-budget']);
    expect(c.reasons[1]?.message).toMatch(/no representation pgvector indexes fits.*finish on disk.*Trade-off/);
  });

  it('alternatives: every representation and method pgvector can index, with index sizes that follow the value size', () => {
    const c = chooseIndex({ rows: 20_000, dimensions: 1536 });
    expect(c.alternatives.map((a) => `${a.method}:${a.target}`)).toEqual([
      'hnsw:column',
      'hnsw:asHalfvec',
      'hnsw:binaryQuantize',
      'ivfflat:column',
      'ivfflat:asHalfvec',
      'ivfflat:binaryQuantize',
    ]);
    expect(c.alternatives.every((a) => a.withinBudget)).toBe(true);
    // vector(1536): one element per 8 kB page (6224-byte element tuple + 200-byte neighbor tuple) + the meta page.
    expect(c.alternatives[0]!.indexBytes).toBe(20_001 * 8192);
    expect(chooseIndex({ rows: 20_000, dimensions: 3000 }).alternatives.map((a) => a.target)).toEqual(['asHalfvec', 'binaryQuantize', 'asHalfvec', 'binaryQuantize']);
    expect(chooseIndex({ rows: 20_000, dimensions: 3000, type: 'sparsevec' }).alternatives.map((a) => `${a.method}:${a.target}`)).toEqual(['hnsw:column']);
    expect(chooseIndex({ rows: 1, dimensions: 70_000, type: 'bit' }).alternatives).toEqual([]);
  });

  it('too many dimensions for vector → index asHalfvec', () => {
    const c = chooseIndex({ rows: 1_000_000, dimensions: 3072 });
    expect(c).toMatchObject({ method: 'hnsw', target: 'asHalfvec', indexedType: 'halfvec', indexedDimensions: 3072 });
    expect(rules(c)[0]).toBe('too-many-dimensions');
    expect(c.reasons[0]?.message).toMatch(/indexes vector up to 2000.*asHalfvec.*binaryQuantize.*subvector/);
  });

  it('too many dimensions even for halfvec → binaryQuantize (re-rank) or subvector', () => {
    for (const [type, dimensions] of [['vector', 8000], ['halfvec', 5000]] as const) {
      const c = chooseIndex({ rows: 1_000_000, dimensions, type });
      expect(c).toMatchObject({ method: 'hnsw', target: 'binaryQuantize', indexedType: 'bit', rerank: true });
      expect(c.reasons[0]?.message).toMatch(/binaryQuantize.*re-rank.*subvector/);
    }
  });

  it('bit beyond 64000 → no index possible', () => {
    const c = chooseIndex({ rows: 1_000_000, dimensions: 70_000, type: 'bit' });
    expect(c.method).toBeUndefined();
    expect(rules(c)).toEqual(['no-index-possible']);
  });

  it('sparsevec and HNSW-only metrics → HNSW', () => {
    expect(rules(chooseIndex({ rows: 1_000_000, dimensions: 30_000, type: 'sparsevec' }))).toEqual(['hnsw-only-type']);
    const l1 = chooseIndex({ rows: 1_000_000, dimensions: 768, metric: 'l1', memoryBudget: '1GB' });
    expect(l1.method).toBe('hnsw');
    expect(rules(l1)).toEqual(['hnsw-only-metric', 'memory-budget']);
  });

  it('rejects bad input', () => {
    expect(expectCode(() => chooseIndex({ rows: -1, dimensions: 3 }), 'INVALID_ADVICE_INPUT').message).toContain('got -1');
    expect(expectCode(() => chooseIndex({ rows: 1, dimensions: 16001 }), 'INVALID_ADVICE_INPUT').message).toMatch(/1 to 16000 for vector, got 16001/);
    expect(expectCode(() => chooseIndex({ rows: 1, dimensions: 3, type: 'tensor' as never }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /unknown type "tensor"; use one of 'vector', 'halfvec', 'sparsevec', 'bit'/,
    );
    expectCode(() => chooseIndex({ rows: 1, dimensions: 3, metric: 'hamming' }), 'INVALID_ADVICE_INPUT');
    expectCode(() => chooseIndex({ rows: 1, dimensions: 3, writesPerDay: 0.5 }), 'INVALID_ADVICE_INPUT');
    expectCode(() => chooseIndex({ rows: 1, dimensions: 3, memoryBudget: '4 gigs' }), 'INVALID_MEMORY_SIZE');
  });
});
