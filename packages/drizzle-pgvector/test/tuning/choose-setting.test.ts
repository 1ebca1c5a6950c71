import { describe, expect, it } from 'vitest';
import { chooseSetting, type CurvePoint } from '../../src/internal.js';

/** The decision rule alone, with given recalls (the database runs are in tune-search.test.ts). */
const point = (value: number, recall: number): CurvePoint => ({ value, recall, meanMs: 1, p95Ms: 2 });

function validator(recalls: Record<number, number>): { validate: (v: number) => Promise<number>; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    validate: async (v) => {
      asked.push(v);
      return recalls[v] ?? 0;
    },
  };
}

describe('chooseSetting', () => {
  it('takes the smallest value reaching the target on tuning when validation agrees', async () => {
    const v = validator({ 40: 0.96 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [10, 20, 40, 80], curve: [point(10, 0.8), point(20, 0.9), point(40, 0.95)], targetRecall: 0.95, validate: v.validate });
    expect(choice).toMatchObject({ value: 40, met: true, validationRecall: 0.96 });
    expect(v.asked).toEqual([40]);
  });

  it('steps up when validation misses, even beyond the measured curve, and only then reports met', async () => {
    const v = validator({ 40: 0.93, 80: 0.94, 120: 0.97 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [20, 40, 80, 120, 200], curve: [point(20, 0.9), point(40, 0.95)], targetRecall: 0.95, validate: v.validate });
    expect(choice).toMatchObject({ value: 120, met: true, validationRecall: 0.97 });
    expect(v.asked).toEqual([40, 80, 120]);
    expect(choice.why).toContain('stepped up');
  });

  it('never claims met when validation misses at every candidate', async () => {
    const v = validator({ 2: 0.9, 4: 0.92, 8: 0.91 });
    const choice = await chooseSetting({ setting: 'probes', candidates: [1, 2, 4, 8], curve: [point(1, 0.8), point(2, 0.96)], targetRecall: 0.95, validate: v.validate });
    expect(choice).toMatchObject({ value: 4, met: false, validationRecall: 0.92 });
    expect(choice.why).toContain('validation queries missed it');
  });

  it('reports the best value, not met, when nothing reaches the target on tuning', async () => {
    const v = validator({ 20: 0.89 });
    const choice = await chooseSetting({ setting: 'efSearch', candidates: [10, 20, 40], curve: [point(10, 0.8), point(20, 0.9), point(40, 0.9)], targetRecall: 0.99, validate: v.validate });
    expect(choice).toMatchObject({ value: 20, met: false, validationRecall: 0.89 });
    expect(v.asked).toEqual([20]);
    expect(choice.why).toMatch(/^no efSearch in \[10, 20, 40\] reached recall 0.99/);
  });
});
