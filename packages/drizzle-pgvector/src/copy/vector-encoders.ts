import { checkDense, encodeBit, toSparse, type ValueSpec } from '../codec/index.js';
import type { VectorType } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import type { BinaryWriter } from './binary-writer.js';

/**
 * Binary COPY payloads of pgvector's types (vector_recv, halfvec_recv, sparsevec_recv, core bit_recv), written
 * after the value passed the same validation as an insert (the codec's check functions). Big-endian.
 */

/** Encodes one non-null value as a whole field (int32 length + payload); throws a PgVectorError for bad input. */
export type FieldEncoder = (writer: BinaryWriter, value: unknown) => void;

/** Reused float4 scratch space per encoder (grows to the largest vector seen). */
class Scratch {
  f32 = new Float32Array(0);
  u32 = new Uint32Array(0);
  bytes = new Uint8Array(0);

  fill(value: ArrayLike<number>): Float32Array {
    if (this.f32.length < value.length) {
      this.f32 = new Float32Array(value.length);
      this.u32 = new Uint32Array(this.f32.buffer);
      this.bytes = new Uint8Array(this.f32.buffer);
    }
    this.f32.set(value);
    return this.f32;
  }
}

/** float4 bits → IEEE binary16 bits, rounding to nearest even (values were range-checked to ±65504). */
export function halfBits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant === 0 ? 0 : 0x200);
  const e = exp - 112;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

function vectorEncoder(spec: ValueSpec): FieldEncoder {
  const scratch = new Scratch();
  return (w, value) => {
    checkDense(value, spec);
    const n = value.length;
    scratch.fill(value);
    w.ensure(8 + 4 * n);
    w.int32(4 + 4 * n);
    w.int16(n);
    w.int16(0);
    const at = w.pos;
    w.buf.set(scratch.bytes.subarray(0, 4 * n), at);
    w.buf.subarray(at, at + 4 * n).swap32();
    w.pos = at + 4 * n;
  };
}

function halfvecEncoder(spec: ValueSpec): FieldEncoder {
  const scratch = new Scratch();
  return (w, value) => {
    checkDense(value, spec);
    const n = value.length;
    scratch.fill(value);
    const bits = scratch.u32;
    w.ensure(8 + 2 * n);
    w.int32(4 + 2 * n);
    w.int16(n);
    w.int16(0);
    const buf = w.buf;
    let p = w.pos;
    for (let i = 0; i < n; i++) {
      const h = halfBits(bits[i]!);
      buf[p++] = h >>> 8;
      buf[p++] = h & 0xff;
    }
    w.pos = p;
  };
}

function sparsevecEncoder(spec: ValueSpec): FieldEncoder {
  return (w, value) => {
    const sv = toSparse(value, spec);
    const nnz = sv.indices.length;
    w.ensure(16 + 8 * nnz);
    w.int32(12 + 8 * nnz);
    w.int32(sv.dimensions);
    w.int32(nnz);
    w.int32(0);
    for (let i = 0; i < nnz; i++) w.int32(sv.indices[i]!);
    for (let i = 0; i < nnz; i++) {
      const x = sv.values[i]!;
      // pgvector's binary input rejects zero values; text input rejects values that underflow float4.
      if (Math.fround(x) === 0) {
        throw pgVectorError(
          'VALUE_OUT_OF_RANGE',
          `${spec.label}: value ${x} at index ${sv.indices[i]!} is too small for float4 (it would be stored as 0, which sparsevec does not allow). Drop it or scale the values.`,
          { index: sv.indices[i], value: x },
        );
      }
      w.float32(x);
    }
  };
}

function bitEncoder(spec: ValueSpec): FieldEncoder {
  return (w, value) => {
    const bits = encodeBit(value, spec);
    const n = bits.length;
    const bytes = (n + 7) >>> 3;
    w.ensure(8 + bytes);
    w.int32(4 + bytes);
    w.int32(n);
    const buf = w.buf;
    const start = w.pos;
    buf.fill(0, start, start + bytes);
    for (let i = 0; i < n; i++) {
      if (bits.charCodeAt(i) === 49) buf[start + (i >>> 3)]! |= 0x80 >>> (i & 7);
    }
    w.pos = start + bytes;
  };
}

/** The field encoder of a pgvector column type. */
export function vectorFieldEncoder(type: VectorType, spec: ValueSpec): FieldEncoder {
  switch (type) {
    case 'vector':
      return vectorEncoder(spec);
    case 'halfvec':
      return halfvecEncoder(spec);
    case 'sparsevec':
      return sparsevecEncoder(spec);
    case 'bit':
      return bitEncoder(spec);
  }
}
