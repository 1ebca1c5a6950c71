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
    expect(c.reasons[0]?.message).toMatch(/more than the 4GB budget/);
    // Enough memory: HNSW again.
    expect(chooseIndex({ rows: 10_000_000, dimensions: 768, memoryBudget: '64GB' }).method).toBe('hnsw');
    // Frequent writes outweigh the budget (HNSW still works, on disk).
    const churn = chooseIndex({ rows: 10_000_000, dimensions: 768, memoryBudget: '4GB', writesPerDay: 5_000_000 });
    expect(churn.method).toBe('hnsw');
    expect(rules(churn)).toEqual(['frequent-writes', 'memory-budget']);
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
      expect(c).toMatchObject({ method: 'hnsw', target: 'binaryQuantize', indexedType: 'bit' });
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
