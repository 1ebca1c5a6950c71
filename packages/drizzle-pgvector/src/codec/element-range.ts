/**
 * Range checks for vector elements that decide exactly as pgvector's text input does (see
 * `catalog/float-parsing.ts`): on the float4 `strtof` reads from the text we send, not on the JS double.
 */
import {
  ELEMENT_PARSING,
  FLOAT4_MAX,
  FLOAT4_MIN_SUBNORMAL,
  FLOAT4_OVERFLOW_THRESHOLD,
  HALF_MAX,
  HALF_OVERFLOW_FLOAT4,
  HALF_OVERFLOW_THRESHOLD,
  type VectorType,
} from '../catalog/index.js';
import { pgVectorError, type PgVectorError } from '../errors/index.js';
import { parsedFloat4 } from './parsed-float4.js';

/** Element types with numeric elements. */
export type NumericVectorType = Exclude<VectorType, 'bit'>;

/**
 * Magnitudes strictly below this are always in range for the type (the hot-path bound); at or above it,
 * {@link rangeProblem} decides.
 */
export const SAFE_MAGNITUDE: Readonly<Record<'vector' | 'halfvec', number>> = {
  vector: FLOAT4_OVERFLOW_THRESHOLD,
  halfvec: HALF_OVERFLOW_THRESHOLD,
};

/** Why pgvector rejects the finite number `x` as an element of `type`, or `undefined` when it accepts it. */
export function rangeProblem(x: number, type: NumericVectorType): 'overflow' | 'underflow' | undefined {
  const f = parsedFloat4(x);
  const rules = ELEMENT_PARSING[type];
  if (!(Math.abs(f) < rules.overflowAt)) return 'overflow';
  if (rules.underflowToZeroIsError && f === 0 && x !== 0) return 'underflow';
  return undefined;
}

/**
 * The PgVectorError for a finite element pgvector rejects. `what` names it (`element 3`, `value at index 3`).
 */
export function rangeError(label: string, what: string, x: number, type: NumericVectorType, problem: 'overflow' | 'underflow', index: number): PgVectorError {
  if (problem === 'underflow') {
    return pgVectorError(
      'VALUE_OUT_OF_RANGE',
      `${label}: ${what} is ${x}, too small for sparsevec: it rounds to 0 in float4 (the smallest non-zero float4 is ${FLOAT4_MIN_SUBNORMAL}), and pgvector rejects a non-zero sparsevec value that underflows ("out of range for type sparsevec"). Leave the element out (or pass 0), or scale the values.`,
      { index, value: x, minMagnitude: FLOAT4_MIN_SUBNORMAL },
    );
  }
  const half = type === 'halfvec';
  const max = half ? HALF_MAX : FLOAT4_MAX;
  const reason = half
    ? `it rounds to infinity in half precision (binary16 stores at most ${HALF_MAX}; magnitudes from ${HALF_OVERFLOW_FLOAT4} on overflow)`
    : `float4 cannot hold it (magnitudes beyond ${FLOAT4_OVERFLOW_THRESHOLD} overflow to infinity)`;
  return pgVectorError(
    'VALUE_OUT_OF_RANGE',
    `${label}: ${what} is ${x}, outside ${type}'s range -${max}..${max}${half ? ' (half precision)' : ' (float4)'}: ${reason}. Scale the values${half ? ' or use a vector column' : ''}.`,
    { index, value: x, min: -max, max, overflowAt: half ? HALF_OVERFLOW_FLOAT4 : FLOAT4_OVERFLOW_THRESHOLD },
  );
}
