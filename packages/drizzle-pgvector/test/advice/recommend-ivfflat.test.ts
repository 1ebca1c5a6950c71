import { describe, expect, it } from 'vitest';
import { recommendIvfflat } from '../../src/index.js';
import { expectCode } from '../helpers.js';

describe('recommendIvfflat', () => {
  it.each([
    [0, 1, 1],
    [999, 1, 1],
    [1000, 1, 1],
    [10_000, 10, 3],
    [100_000, 100, 10],
    [1_000_000, 1000, 32],
    [2_000_000, 1414, 38],
    [100_000_000, 10_000, 100],
  ])('%i rows → lists %i, probes %i', (rows, lists, probes) => {
    const r = recommendIvfflat({ rows });
    expect(r.lists).toBe(lists);
    expect(r.probes).toBe(probes);
  });

  it('caps lists at 32768 (sqrt above ~1.07 billion rows)', () => {
    expect(recommendIvfflat({ rows: 2_000_000_000 }).lists).toBe(32768);
    expect(recommendIvfflat({ rows: 2_000_000_000 }).probes).toBe(181);
    expect(recommendIvfflat({ rows: 2_000_000_000 }).why).toContain('1 .. 32768');
  });

  it('says the rule in words', () => {
    expect(recommendIvfflat({ rows: 500_000 }).why).toContain('lists = rows / 1000 = 500000 / 1000 ≈ 500');
    expect(recommendIvfflat({ rows: 2_000_000 }).why).toContain('sqrt(2000000) ≈ 1414');
    expect(recommendIvfflat({ rows: 2_000_000 }).why).toContain('probes = sqrt(lists) ≈ 38');
  });

  it('warns when the table is too small to train IVFFlat', () => {
    for (const rows of [0, 999, 5000]) {
      const r = recommendIvfflat({ rows });
      expect(r.tooSmall).toBe(true);
      expect(r.why).toMatch(/too few to train IVFFlat well/);
      expect(r.why).toMatch(/Build \(or rebuild\) it once the table has at least 10000 rows, or use HNSW/);
      // One wording with the rule it applies (not "a few thousand" about a 5,000-row table).
      expect(r.why).toContain(`${rows} rows is too few to train IVFFlat well: pgvector trains its k-means centres on a sample of max(50 × lists, 10000) rows`);
      expect(r.why).not.toMatch(/few thousand/);
    }
    expect(recommendIvfflat({ rows: 10_000 }).tooSmall).toBe(false);
    expect(recommendIvfflat({ rows: 10_000 }).why).not.toMatch(/too few/);
  });

  it.each([[-1], [1.5], [Number.NaN], ['1000']])('rejects rows %s', (rows) => {
    const e = expectCode(() => recommendIvfflat({ rows: rows as number }), 'INVALID_ADVICE_INPUT');
    expect(e.message).toContain(`got ${String(rows)}`);
    expect(e.message).toContain('non-negative integer');
  });
});
