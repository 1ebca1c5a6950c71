/**
 * Decoder for pgvector's dense text output (`vector` / `halfvec`): `[0.1,-2.5e-05,3]`.
 *
 * A hand-written scanner over the text's bytes: pgvector prints each element as the shortest decimal that reads
 * back as its float4 (at most 9 significant digits), so most elements are an integer mantissa below 2^53 and a
 * power of ten of at most 22, which one IEEE division or multiplication converts exactly (correctly rounded,
 * the same double `Number.parseFloat` gives). Elements outside that (more digits, larger exponents) are converted
 * with `Number()` on their own text; anything that is not plain pgvector output (whitespace, a malformed
 * element, non-ASCII) goes to `JSON.parse`, the previous decoder, so what is accepted and how errors look is
 * unchanged.
 *
 * Speed (bench/src/codec.ts): scanning a reused byte buffer is several times faster than `charCodeAt`, and
 * writing into a reused `Float64Array` then copying into a fresh `number[]` is faster than growing the array.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const MAX_FAST_DIGITS = 15; // any 15-digit integer is below 2^53
const ENCODER = new TextEncoder();
/** Inputs longer than this are not worth a buffer: decode with JSON.parse. */
const MAX_SCANNED_LENGTH = 1 << 22;

let bytes = new Uint8Array(1 << 15);
let scratch = new Float64Array(1 << 12);

// char codes
const OPEN = 91; // [
const CLOSE = 93; // ]
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const LOWER_E = 101;
const UPPER_E = 69;

/** Decode pgvector's `[…]` text to numbers; equals `JSON.parse(text)` on every input (errors included). */
export function decodeDenseText(text: string): number[] {
  const n = text.length;
  if (n < 3 || n > MAX_SCANNED_LENGTH) return JSON.parse(text) as number[];
  if (bytes.length < n) bytes = new Uint8Array(Math.max(n, bytes.length * 2));
  const b = bytes;
  // ASCII only: every other character takes more than one UTF-8 byte.
  if (ENCODER.encodeInto(text, b).written !== n || b[0] !== OPEN || b[n - 1] !== CLOSE) return JSON.parse(text) as number[];
  const capacity = (n >> 1) + 1; // every element takes at least two bytes
  if (scratch.length < capacity) scratch = new Float64Array(Math.max(capacity, scratch.length * 2));
  const out = scratch;
  let k = 0;
  let i = 1;
  for (;;) {
    const start = i;
    let c = b[i]!;
    const negative = c === MINUS;
    if (negative) c = b[++i]!;
    // integer part: 0 or a digit 1-9 followed by digits (JSON's grammar)
    const intStart = i;
    let mantissa = 0;
    let d = c - ZERO;
    while (d >>> 0 < 10) {
      mantissa = mantissa * 10 + d;
      d = b[++i]! - ZERO;
    }
    let digits = i - intStart;
    if (digits === 0 || (digits > 1 && b[intStart] === ZERO)) return JSON.parse(text) as number[];
    let exponent = 0;
    if (d === DOT - ZERO) {
      const fracStart = ++i;
      d = b[i]! - ZERO;
      while (d >>> 0 < 10) {
        mantissa = mantissa * 10 + d;
        d = b[++i]! - ZERO;
      }
      if (i === fracStart) return JSON.parse(text) as number[];
      exponent = fracStart - i;
      digits += i - fracStart;
    }
    if (d === LOWER_E - ZERO || d === UPPER_E - ZERO) {
      c = b[++i]!;
      const negativeExponent = c === MINUS;
      if (negativeExponent || c === PLUS) c = b[++i]!;
      const expStart = i;
      let e = 0;
      d = c - ZERO;
      while (d >>> 0 < 10) {
        e = e * 10 + d;
        d = b[++i]! - ZERO;
      }
      if (i === expStart) return JSON.parse(text) as number[];
      exponent += negativeExponent ? -e : e;
    }
    let value: number;
    if (digits > MAX_FAST_DIGITS || exponent < -22 || exponent > 22) value = Number(text.slice(start, i));
    else {
      value = exponent === 0 ? mantissa : exponent < 0 ? mantissa / POW10[-exponent]! : mantissa * POW10[exponent]!;
      if (negative) value = -value;
    }
    out[k++] = value;
    c = d + ZERO;
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === CLOSE && i === n - 1) break;
    return JSON.parse(text) as number[];
  }
  const result = new Array<number>(k);
  for (let j = 0; j < k; j++) result[j] = out[j]!;
  return result;
}
