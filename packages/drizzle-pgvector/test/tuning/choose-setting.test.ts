import { describe, expect, it } from 'vitest';
import { BISECTION_STEPS, chooseSetting, recallBound, type CurvePoint, type ValidationPoint } from '../../src/internal.js';

/** The decision rule alone, with given recalls (the database runs are in tune-search.test.ts). */

/** A measurement whose recall is `recall(v)` with standard error `se` (so its bound is recall − 1.645 se). */
function sweep(recall: (v: number) => number, se = 0.01): { measure: (v: number) => Promise<CurvePoint>; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    measure: async (value) => {
      asked.push(value);
      const r = recall(value);
      return { value, recall: r, standardError: se, lowerBound: r - 1.645 * se, meanMs: 1, p95Ms: 2 };
    },
  };
}

function validator(recalls: Record<number, number>): { validate: (v: number) => Promise<ValidationPoint>; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    validate: async (v) => {
      asked.push(v);
      return { value: v, recall: recalls[v] ?? 0, lowerBound: (recalls[v] ?? 0) - 0.02 };
    },
  };
}

describe('recallBound', () => {
  it('is the mean minus 1.645 standard errors of the per-query recalls', () => {
    const values = [1, 0.9, 1, 0.8, 1, 1, 0.9, 1];
    const b = recallBound(values);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    expect(b.recall).toBeCloseTo(mean, 12);
    expect(b.standardError).toBeCloseTo(sd / Math.sqrt(values.length), 12);
    expect(b.lowerBound).toBeCloseTo(mean - 1.645 * b.standardError, 12);
    expect(recallBound([1, 1, 1])).toEqual({ recall: 1, standardError: 0, lowerBound: 1 });
  });
});

describe('chooseSetting', () => {
  it('sweeps to the first value whose lower bound reaches the target, then bisects down to the smallest passing one', async () => {
    const s = sweep((v) => (v >= 33 ? 0.97 : 0.9));
    const v = validator({ 33: 0.96 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [10, 20, 40, 80], targetRecall: 0.95, measure: s.measure, validate: v.validate });
    expect(s.asked).toEqual([10, 20, 40, 30, 35, 32, 33]);
    expect(choice).toMatchObject({ value: 33, met: true, validationRecall: 0.96 });
    expect(choice.lowerBound).toBeCloseTo(0.97 - 0.01645, 10);
    expect(choice.curve.map((p) => p.value)).toEqual([10, 20, 30, 32, 33, 35, 40]);
    expect(v.asked).toEqual([33]);
    expect(choice.why).toContain('95 % confidence');
  });

  it('a point estimate at the target is not enough: the bound must reach it', async () => {
    // 40 reads 0.955 but its bound is 0.955 − 1.645 × 0.01 ≈ 0.939 < 0.95, so the search goes on to 80.
    const s = sweep((v) => (v >= 80 ? 0.99 : v >= 40 ? 0.955 : 0.9));
    const v = validator({ 80: 0.99, 60: 0.96, 70: 0.98, 75: 0.98, 78: 0.99, 79: 0.99 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [20, 40, 80], targetRecall: 0.95, measure: s.measure, validate: v.validate });
    expect(s.asked.slice(0, 3)).toEqual([20, 40, 80]);
    expect(choice.curve.find((p) => p.value === 40)!.recall).toBeGreaterThan(0.95);
    expect(choice.value).toBe(80);
    expect(choice.met).toBe(true);
  });

  it('bisects at most BISECTION_STEPS times', async () => {
    const s = sweep((v) => (v >= 801 ? 0.99 : 0.9));
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [11, 1000], targetRecall: 0.95, measure: s.measure, validate: validator({}).validate });
    expect(s.asked).toHaveLength(2 + BISECTION_STEPS);
    expect(choice.value).toBeGreaterThanOrEqual(801);
    expect(choice.value).toBeLessThan(1000);
  });

  it('steps up when validation misses, through larger passing values and candidates, and only then reports met', async () => {
    const s = sweep((v) => (v >= 40 ? 0.98 : 0.9));
    const v = validator({ 40: 0.93, 80: 0.94, 120: 0.97 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [20, 40, 80, 120, 200], targetRecall: 0.95, measure: s.measure, validate: v.validate });
    expect(v.asked).toEqual([40, 80, 120]);
    expect(choice).toMatchObject({ value: 120, met: true, validationRecall: 0.97 });
    expect(choice.why).toContain('stepped up');
  });

  it('never claims met when validation misses at every value', async () => {
    const s = sweep((v) => (v >= 2 ? 0.99 : 0.8));
    const v = validator({ 2: 0.9, 4: 0.92, 8: 0.91 });
    const choice = await chooseSetting({ setting: 'probes', candidates: [1, 2, 4, 8], targetRecall: 0.95, measure: s.measure, validate: v.validate });
    expect(v.asked).toEqual([2, 4, 8]);
    expect(choice).toMatchObject({ value: 4, met: false, validationRecall: 0.92 });
    expect(choice.why).toContain('validation queries missed it');
  });

  it('reports the best value, not met, when no bound reaches the target', async () => {
    const s = sweep((v) => ({ 10: 0.8, 20: 0.96, 40: 0.95 })[v]!, 0.02);
    const v = validator({ 20: 0.95 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [10, 20, 40], targetRecall: 0.95, measure: s.measure, validate: v.validate });
    expect(choice).toMatchObject({ value: 20, met: false, validationRecall: 0.95 });
    expect(choice.lowerBound).toBeCloseTo(0.96 - 1.645 * 0.02, 10);
    expect(v.asked).toEqual([20]);
    expect(choice.why).toMatch(/^no efSearch in \[10, 20, 40\] reached recall 0.95 on the tuning queries with 95 % confidence/);
  });
});
