/**
 * Encoder for pgvector's dense text input (`vector` / `halfvec`): `[0.1,-2.5e-5,3]`, written as ASCII bytes
 * into a reused buffer and turned into one string at the end.
 *
 * PostgreSQL reads every element with `strtof`, so what gets stored is a float4 whatever digits we send. We
 * send, for each element, the shortest decimal that `strtof` reads back as exactly the float4 PostgreSQL would
 * have stored from the element's own shortest double text (`String(x)`): the same stored value as sending
 * `String(x)`, in about half the digits for float32 data (a float32 held in a double prints with up to 17).
 *
 * Per element, in double arithmetic only:
 * 1. `f = Math.fround(x)` is the float4 `strtof(String(x))` gives, unless `x` lies exactly halfway between
 *    two float4s (then the text decides, see `parsed-float4.ts`): that rare case, and elements outside
 *    1e-14..1e22 or subnormal, are written as `String(x)`, exactly as before.
 * 2. `f` is scaled to a 9-digit integer (9 significant digits always identify a float4), then digits are
 *    dropped while the rounded value stays inside the interval of decimals that read back as `f`.
 * 3. The candidate is checked: `c / 10^k` is the correctly rounded double of the decimal (c < 2^53,
 *    k ≤ 22), and the decimal reads back as `f` when that double rounds to `f` and is not itself a float4
 *    midpoint. A candidate that fails is replaced by `String(x)`; so every element round-trips exactly.
 *
 * The layout follows `Number.prototype.toString` (`0.000123`, `1.5e-7`, `123456790`, `1e+21`), so values
 * whose shortest text is the same in float4 and double (`1`, `0.5`, `0.1`) print as before.
 *
 * Speed (bench/src/codec.ts): faster than `JSON.stringify(array)` on the same numbers while validating.
 */
import type { ValueSpec } from './text.js';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** NEG_POW10[k]: the double nearest 10^-k (an approximation; results are checked, see step 3). */
const NEG_POW10 = POW10.map((p) => 1 / p);
/** POW2[k] = 2^(k − 150), exact. */
const POW2 = Float64Array.from({ length: 300 }, (_, k) => 2 ** (k - 150));
/** PAIRS[2i], PAIRS[2i+1]: the two ASCII digits of i (0..99). */
const PAIRS = Uint8Array.from({ length: 200 }, (_, j) => 48 + (j % 2 === 0 ? Math.floor(j / 20) : (j >> 1) % 10));
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
/** Longest `String(x)` of a double (`-2.2250738585072014e-308`) plus a comma. */
const MAX_ELEMENT_BYTES = 25;

let bytes = new Uint8Array(1 << 15);

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = (globalThis as { Buffer?: { prototype: { latin1Slice?: Latin1Slice } } }).Buffer?.prototype.latin1Slice;
const DECODER = new TextDecoder();

/** The buffer's first `end` bytes (ASCII) as a string. */
function asciiString(b: Uint8Array, end: number): string {
  return latin1Slice !== undefined ? latin1Slice.call(b, 0, end) : DECODER.decode(b.subarray(0, end));
}

/** True when the decimal whose correctly rounded double is `d` reads (strtof) as the float4 `f`. */
function readsAs(d: number, f: number): boolean {
  if (Math.fround(d) !== f) return false;
  if (d === f) return true;
  // d rounds to f; it is a float4 midpoint (where the decimal itself decides) exactly when 2d − f is a float4.
  const other = d + (d - f);
  return Math.fround(other) !== other;
}

/** Decimal digits of 0 < c < 1e10. */
function digitCount(c: number): number {
  if (c < 1e5) return c < 100 ? (c < 10 ? 1 : 2) : c < 1e3 ? 3 : c < 1e4 ? 4 : 5;
  return c < 1e7 ? (c < 1e6 ? 6 : 7) : c < 1e8 ? 8 : c < 1e9 ? 9 : 10;
}

/** Writes the `k` digits of `c` (zero-padded, c < 2^31) at `pos`. */
function writeDigits(c: number, k: number, b: Uint8Array, pos: number): void {
  let v = c | 0;
  let i = pos + k;
  while (i - pos >= 2) {
    const q = (v / 100) | 0;
    const r = (v - q * 100) << 1;
    b[--i] = PAIRS[r + 1]!;
    b[--i] = PAIRS[r]!;
    v = q;
  }
  if (i > pos) b[--i] = 48 + v;
}

/** Writes `c · 10^-scale` laid out as `Number.prototype.toString` does; returns the new position. */
function writeDecimal(c: number, scale: number, b: Uint8Array, pos: number): number {
  const k = digitCount(c);
  const point = k - scale; // value = 0.d1d2…dk × 10^point
  if (point <= 0 && point > -6) {
    b[pos++] = 48;
    b[pos++] = 46;
    for (let z = point; z < 0; z++) b[pos++] = 48;
    writeDigits(c, k, b, pos);
    return pos + k;
  }
  if (point >= k && point <= 21) {
    writeDigits(c, k, b, pos);
    pos += k;
    for (let z = k; z < point; z++) b[pos++] = 48;
    return pos;
  }
  if (point > 0 && point <= 21) {
    const unit = POW10[k - point]!;
    const whole = Math.floor(c / unit);
    writeDigits(whole, point, b, pos);
    b[pos + point] = 46;
    writeDigits(c - whole * unit, k - point, b, pos + point + 1);
    return pos + k + 1;
  }
  const unit = POW10[k - 1]!;
  const first = Math.floor(c / unit);
  b[pos++] = 48 + first;
  if (k > 1) {
    b[pos++] = 46;
    writeDigits(c - first * unit, k - 1, b, pos);
    pos += k - 1;
  }
  b[pos++] = 101; // e
  let exponent = point - 1;
  if (exponent < 0) {
    b[pos++] = 45;
    exponent = -exponent;
  } else b[pos++] = 43;
  if (exponent >= 10) b[pos++] = 48 + ((exponent / 10) | 0);
  b[pos++] = 48 + (exponent % 10);
  return pos;
}

/**
 * Writes the shortest decimal reading back as the positive normal float4 `a`; returns the new position, or −1
 * when this fast path does not apply (the caller writes `String(x)`).
 */
function writeShortestFloat4(a: number, b: Uint8Array, pos: number): number {
  F32[0] = a;
  const bits = U32[0]!;
  const biased = bits >>> 23;
  if (biased === 0 || biased >= 254) return -1; // subnormal, or within a factor 2 of FLT_MAX
  const exponent2 = biased - 127;
  // floor(log10(a)), possibly one too high: corrected by one comparison.
  let exponent10 = Math.floor((exponent2 + 1) * 0.3010299956639812);
  if (exponent10 >= 0 ? a < POW10[exponent10]! : exponent10 >= -22 ? a < NEG_POW10[-exponent10]! : true) exponent10--;
  const scale = 8 - exponent10;
  if (scale > 22 || scale < -14) return -1;
  const factor = scale >= 0 ? POW10[scale]! : NEG_POW10[-scale]!;
  const scaled = a * factor; // about 1e8..1e9: nine significant digits
  // Half the distance to the nearer neighbouring float4 (the one below is closer at a power of two), scaled,
  // shrunk a little so that rounding in this estimate never lets a candidate past it.
  const half = POW2[exponent2 + 126 - ((bits & 0x7fffff) === 0 ? 1 : 0)]! * factor * 0.999999;
  let c = Math.round(scaled);
  let s = scale;
  for (let t = 1; t <= 8; t++) {
    const q = Math.round(scaled * NEG_POW10[t]!);
    if (!(Math.abs(q * POW10[t]! - scaled) < half)) break;
    c = q;
    s = scale - t;
  }
  let ci = c | 0;
  for (;;) {
    const q = (ci / 10) | 0;
    if (q * 10 !== ci) break;
    ci = q;
    s--;
  }
  const d = s >= 0 ? (s <= 22 ? ci / POW10[s]! : Number.NaN) : ci * POW10[-s]!;
  if (!readsAs(d, a)) return -1;
  return writeDecimal(ci, s, b, pos);
}

/** Writes `String(x)` (the previous encoding, exact for every double); returns the new position. */
function writeNumberText(x: number, b: Uint8Array, pos: number): number {
  const text = String(x);
  for (let j = 0; j < text.length; j++) b[pos++] = text.charCodeAt(j);
  return pos;
}

/** Writes one finite, in-range element. */
function writeElement(x: number, b: Uint8Array, pos: number, exact32: boolean): number {
  let f = x;
  if (!exact32) {
    f = Math.fround(x);
    if (f !== x) {
      const other = x + (x - f);
      if (Math.fround(other) === other) return writeNumberText(x, b, pos); // a float4 tie: the text decides
    }
  }
  if (f === 0) {
    if (1 / x < 0) b[pos++] = 45;
    b[pos++] = 48;
    return pos;
  }
  let a = f;
  let at = pos;
  if (f < 0) {
    b[at++] = 45;
    a = -f;
  }
  const end = writeShortestFloat4(a, b, at);
  return end >= 0 ? end : writeNumberText(x, b, pos);
}

/**
 * Validate a dense `vector` / `halfvec` element list (`safe`: magnitudes below it need no range check; `checkEdge`
 * throws for the rest unless pgvector accepts them) and encode it; each element is read exactly once.
 */
export function encodeDenseText(
  value: readonly unknown[] | Float32Array | Float64Array,
  n: number,
  spec: ValueSpec,
  safe: number,
  checkEdge: (x: unknown, i: number, spec: ValueSpec) => void,
): string {
  const size = n * MAX_ELEMENT_BYTES + 2;
  if (bytes.length < size) bytes = new Uint8Array(Math.max(size, bytes.length * 2));
  const b = bytes;
  let pos = 0;
  b[pos++] = 91; // [
  const exact32 = value instanceof Float32Array;
  for (let i = 0; i < n; i++) {
    if (i > 0) b[pos++] = 44; // ,
    const x: unknown = value[i];
    if (typeof x !== 'number' || !(x < safe && x > -safe)) {
      checkEdge(x, i, spec);
      pos = writeNumberText(x as number, b, pos); // accepted edge value (e.g. 3.4028235e38): its own text
    } else pos = writeElement(x, b, pos, exact32);
  }
  b[pos++] = 93; // ]
  return asciiString(b, pos);
}
