import type { VectorSettings } from '../settings/index.js';
import { RECALL_CONFIDENCE_Z } from './recall-bound.js';

/** One measured point of a sweep: a setting value and what the tuning queries got with it. */
export interface CurvePoint {
  /** The swept value: the setting's (efSearch / probes), or with `rerank` the candidate count. */
  readonly value: number;
  /** With `rerank`: the candidate count (= `value`). */
  readonly candidates?: number;
  /** With `rerank`: the settings measured with it (the via index's efSearch or probes). */
  readonly settings?: VectorSettings;
  /** Mean recall@k of the tuning queries. */
  readonly recall: number;
  /** Standard error of that mean (over queries). */
  readonly standardError: number;
  /** One-sided 95 % lower confidence bound: `recall − 1.645 × standardError`. What is compared with the target. */
  readonly lowerBound: number;
  readonly meanMs: number;
  readonly p95Ms: number;
}

/** A validation run: the held-out queries' recall at one setting value. */
export interface ValidationPoint {
  readonly value: number;
  readonly recall: number;
  /** The held-out queries' one-sided 95 % lower bound at this value. */
  readonly lowerBound: number;
  /** With `rerank` on IVFFlat: the settings validated (the probes a candidate count was validated at). */
  readonly settings?: VectorSettings;
}

export interface Choice {
  readonly value: number;
  readonly met: boolean;
  /** Every measured point, ascending by value (the sweep and the bisection steps). */
  readonly curve: readonly CurvePoint[];
  /** The tuning queries' lower bound at `value` (the best value's when nothing reached the target). */
  readonly lowerBound: number;
  readonly validationRecall: number;
  readonly validations: readonly ValidationPoint[];
  readonly why: string;
}

/** Most bisection steps between the last sweep value that failed and the first that passed (the gap shrinks 32-fold). */
export const BISECTION_STEPS = 5;

const f3 = (r: number): string => r.toFixed(3);
const bound = (p: CurvePoint): string => `${f3(p.recall)} − ${RECALL_CONFIDENCE_Z} × ${f3(p.standardError)} = ${f3(p.lowerBound)}`;

/**
 * Pick the setting: sweep `candidates` in ascending order on the tuning queries up to the first value whose
 * **lower confidence bound** reaches the target, bisect between it and the last value that did not (up to
 * {@link BISECTION_STEPS} steps), and take the smallest value that passed. Then confirm it on the held-out
 * validation queries (their mean recall must reach the target); when validation misses, step up through the larger
 * passing values and candidates, validating each. `met` is only true when validation reached it. When no candidate's
 * bound reaches the target, the best one found is validated and reported with `met: false`.
 */
export async function chooseSetting(input: {
  setting: string;
  candidates: readonly number[];
  targetRecall: number;
  measure: (value: number) => Promise<CurvePoint>;
  validate: (value: number) => Promise<ValidationPoint>;
}): Promise<Choice> {
  const { setting, candidates, targetRecall, measure, validate } = input;
  const curve: CurvePoint[] = [];
  const validations: ValidationPoint[] = [];
  const passes = (p: CurvePoint): boolean => p.lowerBound >= targetRecall;
  const measured = async (value: number): Promise<CurvePoint> => {
    const p = await measure(value);
    curve.push(p);
    return p;
  };
  const sorted = (): CurvePoint[] => [...curve].sort((a, b) => a.value - b.value);

  let below: CurvePoint | undefined;
  let passed: CurvePoint | undefined;
  for (const value of candidates) {
    const p = await measured(value);
    if (passes(p)) {
      passed = p;
      break;
    }
    below = p;
  }
  if (passed === undefined) {
    let best = curve[0]!;
    for (const p of curve) if (p.recall > best.recall) best = p;
    const v = await validate(best.value);
    validations.push(v);
    return {
      value: best.value,
      met: false,
      curve: sorted(),
      lowerBound: best.lowerBound,
      validationRecall: v.recall,
      validations,
      why: `no ${setting} in [${candidates.join(', ')}] reached recall ${targetRecall} on the tuning queries with 95 % confidence; the best was ${setting} = ${best.value} with ${bound(best)} (validation ${f3(v.recall)}). Rebuild the index with larger m / ef_construction (HNSW) or more lists (IVFFlat), lower the target, or use more queries (sampleSize): the bound tightens with more queries.`,
    };
  }
  const swept = passed;
  if (below !== undefined) {
    let low = below.value;
    for (let step = 0; step < BISECTION_STEPS && passed.value - low > 1; step++) {
      const p = await measured(Math.floor((low + passed.value) / 2));
      if (passes(p)) passed = p;
      else low = p.value;
    }
  }
  const ladder = [
    ...new Set([
      ...sorted()
        .filter((p) => p.value >= passed.value && passes(p))
        .map((p) => p.value),
      ...candidates.filter((v) => v > swept.value),
    ]),
  ];
  for (const value of ladder) {
    const v = await validate(value);
    validations.push(v);
    if (v.recall >= targetRecall) {
      const point = curve.find((p) => p.value === value);
      const stepped =
        value === passed.value ? '' : ` (${setting} = ${passed.value} passed on the tuning queries but read only ${f3(validations[0]!.recall)} on the validation queries, so it stepped up)`;
      return {
        value,
        met: true,
        curve: sorted(),
        lowerBound: point?.lowerBound ?? passed.lowerBound,
        validationRecall: v.recall,
        validations,
        why: `${setting} = ${value} is the smallest value whose recall on the tuning queries reaches ${targetRecall} with 95 % confidence (${bound(point ?? passed)}), and the held-out validation queries confirm it (${f3(v.recall)})${stepped}.`,
      };
    }
  }
  let best = validations[0]!;
  for (const v of validations) if (v.recall > best.recall) best = v;
  return {
    value: best.value,
    met: false,
    curve: sorted(),
    lowerBound: curve.find((p) => p.value === best.value)?.lowerBound ?? passed.lowerBound,
    validationRecall: best.recall,
    validations,
    why: `${setting} = ${passed.value} reached recall ${targetRecall} on the tuning queries with 95 % confidence, but the validation queries missed it at every value from ${passed.value} to ${ladder[ladder.length - 1]} (best ${f3(best.recall)} at ${best.value}). Use more queries (sampleSize), or lower the target.`,
  };
}
