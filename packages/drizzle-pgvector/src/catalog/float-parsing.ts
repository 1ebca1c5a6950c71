/**
 * How pgvector's text input turns one element's decimal text into a stored number, per type: the facts behind
 * the codec's range checks. Source: pgvector 0.8.x `vector_in` (src/vector.c), `halfvec_in` (src/halfvec.c,
 * `Float4ToHalfUnchecked` in src/halfutils.h) and `sparsevec_in` (src/sparsevec.c).
 *
 * Every type first reads the element with C `strtof` (round to nearest float4, ties to even):
 * - `vector`: `strtof` overflow (ERANGE with ±Infinity) is `22003 "… is out of range for type vector"`;
 *   underflow is silent (the element becomes a float4 subnormal, 0 or -0).
 * - `halfvec`: the float4 is then rounded to IEEE binary16 (ties to even); a finite float4 that becomes
 *   ±Infinity there is `22003 "… is out of range for type halfvec"`. Magnitudes from 65520 on do (65519.99…
 *   rounds to 65504, HALF_MAX); tiny values round to 0 silently.
 * - `sparsevec`: overflow as for vector, and also an underflow that yields 0 (ERANGE with 0) is
 *   `22003 "… is out of range for type sparsevec"`; a value that is 0 in the text is simply not stored.
 */
import type { VectorType } from './catalog.js';

/**
 * Smallest magnitude `strtof` turns into ±Infinity: the midpoint between FLT_MAX and 2^128 (2^128 − 2^103).
 * Text for anything strictly below rounds to at most FLT_MAX; this exact value ties and rounds to even (Infinity)
 * only when its decimal text is not below it.
 */
export const FLOAT4_OVERFLOW_THRESHOLD = 3.4028235677973366e38;
/** Smallest positive float4 (a subnormal, 2^-149). */
export const FLOAT4_MIN_SUBNORMAL = 1.401298464324817e-45;
/** Largest magnitude `strtof` turns into 0: half the smallest subnormal (2^-150); below it always underflows to 0. */
export const FLOAT4_UNDERFLOW_THRESHOLD = 7.006492321624085e-46;
/** First float4 magnitude that rounds to Infinity in binary16: halfvec rejects it and everything above. */
export const HALF_OVERFLOW_FLOAT4 = 65520;
/** The float4 midpoint below 65520 (65520 − 2^-9): decimal text strictly below it reads as a float4 below 65520. */
export const HALF_OVERFLOW_THRESHOLD = 65519.998046875;

/** What pgvector does with one element of each type's text input when it leaves the finite float4 range. */
export interface ElementParsing {
  /** Magnitudes whose text reads (via `strtof`) at or beyond this float4 are out of range (22003). */
  readonly overflowAt: number;
  /** Whether a non-zero value that rounds to 0 in float4 is an error (sparsevec) or stored as 0 (vector, halfvec). */
  readonly underflowToZeroIsError: boolean;
}

export const ELEMENT_PARSING: Readonly<Record<Exclude<VectorType, 'bit'>, ElementParsing>> = {
  vector: { overflowAt: Number.POSITIVE_INFINITY, underflowToZeroIsError: false },
  halfvec: { overflowAt: HALF_OVERFLOW_FLOAT4, underflowToZeroIsError: false },
  sparsevec: { overflowAt: Number.POSITIVE_INFINITY, underflowToZeroIsError: true },
};
