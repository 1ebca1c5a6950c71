/** One measured point of a sweep: a setting value and what the tuning queries got with it. */
export interface CurvePoint {
  readonly value: number;
  readonly recall: number;
  readonly meanMs: number;
  readonly p95Ms: number;
}

/** A validation run: the held-out queries' recall at one setting value. */
export interface ValidationPoint {
  readonly value: number;
  readonly recall: number;
}

export interface Choice {
  readonly value: number;
  readonly met: boolean;
  readonly validationRecall: number;
  readonly validations: readonly ValidationPoint[];
  readonly why: string;
}

const pct = (r: number): string => r.toFixed(3);

/**
 * Pick the setting: the smallest candidate whose tuning recall reaches the target, confirmed on the held-out
 * validation queries. When validation misses, step up through the larger candidates (validating each) until one
 * reaches the target there too; `met` is only true when validation reached it. When no candidate reaches the target
 * on the tuning set, the best one found is validated and reported with `met: false`.
 */
export async function chooseSetting(input: {
  setting: string;
  candidates: readonly number[];
  curve: readonly CurvePoint[];
  targetRecall: number;
  validate: (value: number) => Promise<number>;
}): Promise<Choice> {
  const { setting, candidates, curve, targetRecall, validate } = input;
  const validations: ValidationPoint[] = [];
  const check = async (value: number): Promise<number> => {
    const recall = await validate(value);
    validations.push({ value, recall });
    return recall;
  };
  const first = curve.find((p) => p.recall >= targetRecall);
  if (first === undefined) {
    let best = curve[0]!;
    for (const p of curve) if (p.recall > best.recall) best = p;
    const recall = await check(best.value);
    return {
      value: best.value,
      met: false,
      validationRecall: recall,
      validations,
      why: `no ${setting} in [${candidates.join(', ')}] reached recall ${targetRecall} on the tuning queries; the best was ${setting} = ${best.value} with ${pct(best.recall)} (validation ${pct(recall)}). Rebuild the index with larger m / ef_construction (HNSW) or more lists (IVFFlat), or lower the target.`,
    };
  }
  const start = candidates.indexOf(first.value);
  for (let i = start; i < candidates.length; i++) {
    const value = candidates[i]!;
    const recall = await check(value);
    if (recall >= targetRecall) {
      const stepped = i === start ? '' : ` (${setting} = ${first.value} reached it on the tuning queries but only ${pct(validations[0]!.recall)} on the validation queries, so it stepped up)`;
      return {
        value,
        met: true,
        validationRecall: recall,
        validations,
        why: `${setting} = ${value} is the smallest candidate reaching recall ${targetRecall} on the tuning queries and on the held-out validation queries (${pct(recall)})${stepped}.`,
      };
    }
  }
  let best = validations[0]!;
  for (const v of validations) if (v.recall > best.recall) best = v;
  return {
    value: best.value,
    met: false,
    validationRecall: best.recall,
    validations,
    why: `${setting} = ${first.value} reached recall ${targetRecall} on the tuning queries, but the validation queries missed it at every candidate from ${first.value} to ${candidates[candidates.length - 1]} (best ${pct(best.recall)} at ${best.value}). Use more queries (sampleSize), or lower the target.`,
  };
}
