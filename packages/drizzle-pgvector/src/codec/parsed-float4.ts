/**
 * The float4 PostgreSQL's `strtof` reads from the text we send for a JS number: `strtof(String(x))`.
 *
 * We send a number as its shortest round-trip decimal (what `String(x)` / `JSON.stringify` print). That text
 * lies within half a double-ulp of `x`, so it rounds to the same float4 as `x` itself (`Math.fround(x)`) unless
 * `x` is exactly halfway between two float4s — then the text sits on one side of the tie and `strtof` rounds
 * that way, while `Math.fround` breaks the tie to even. e.g. `1.0000000596046448` (1 + 2^-24) reads as
 * 1.0000001192092896, not 1; `3.4028235677973366e38` (the overflow tie) reads as FLT_MAX, not Infinity. Ties are
 * decided exactly by comparing the decimal text with `x` in BigInt arithmetic (rare slow path).
 */

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const TWO_128 = 2 ** 128;

/** Value of the non-negative float4 with these bits; the infinity pattern counts as 2^128 (the next step). */
function float4FromBits(bits: number): number {
  if (bits >= 0x7f800000) return TWO_128;
  U32[0] = bits;
  return F32[0]!;
}

/** `strtof(String(x))` for a finite `x`: the float4 PostgreSQL stores (as a number; ±Infinity on overflow). */
export function parsedFloat4(x: number): number {
  const f = Math.fround(x);
  if (f === x) return f;
  const a = Math.abs(x);
  const near = Math.abs(f) === Infinity ? TWO_128 : Math.abs(f);
  F32[0] = near === TWO_128 ? 0 : near;
  const nearBits = near === TWO_128 ? 0x7f800000 : U32[0]!;
  const other = float4FromBits(a > near ? nearBits + 1 : nearBits - 1);
  if (a !== (near + other) / 2) return f; // not a tie: the text rounds like x
  const side = compareDecimal(String(a), a);
  const magnitude = side === 0 ? near : side > 0 ? Math.max(near, other) : Math.min(near, other);
  const value = magnitude === TWO_128 ? Infinity : magnitude;
  return x < 0 ? -value : value;
}

/** Sign of (decimal text − a), exactly; `a` is a positive finite double, `text` its `String()`. */
function compareDecimal(text: string, a: number): number {
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  let exponent10 = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  if (dot >= 0) exponent10 -= mantissa.length - dot - 1;
  let left = BigInt(mantissa.replace('.', ''));
  F64[0] = a;
  const bits = U64[0]!;
  const biased = Number(bits >> 52n);
  let right = bits & 0xfffffffffffffn;
  if (biased > 0) right |= 1n << 52n;
  const exponent2 = (biased > 0 ? biased : 1) - 1075;
  if (exponent10 >= 0) left *= 10n ** BigInt(exponent10);
  else right *= 10n ** BigInt(-exponent10);
  if (exponent2 >= 0) right <<= BigInt(exponent2);
  else left <<= BigInt(-exponent2);
  return left === right ? 0 : left > right ? 1 : -1;
}
