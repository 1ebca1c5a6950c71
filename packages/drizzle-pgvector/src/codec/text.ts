import { VECTOR_TYPES, type VectorType } from '../catalog/index.js';
import { describe, pgVectorError } from '../errors/index.js';
import { decodeDenseText } from './dense-text-decoder.js';
import { encodeDenseText } from './dense-text-encoder.js';
import { SAFE_MAGNITUDE, rangeError, rangeProblem, type NumericVectorType } from './element-range.js';
import { SparseVector, checkSparse, parseSparseVector, type SparseVectorLike } from './sparse-vector.js';
import { readDenseText } from './vector-text.js';

/**
 * The one codec shared by columns, query parameters and (later) COPY: validate a JS value against a pgvector
 * type and encode it as pgvector's text literal, or decode the driver's text back.
 */

/** What a value is checked against: the type, the fixed dimension count if any, and a label for messages. */
export interface ValueSpec {
  readonly type: VectorType;
  readonly dimensions: number | undefined;
  /** Names the value in messages, e.g. `column "items"."embedding" (vector(3))`. */
  readonly label: string;
}

/** Dense input accepted for `vector` / `halfvec`. */
export type DenseVectorInput = readonly number[] | Float32Array | Float64Array;
/** Sparse input accepted for `sparsevec`. */
export type SparseVectorInput = SparseVector | SparseVectorLike;
/** Any vector value accepted by some pgvector type. */
export type VectorValueInput = DenseVectorInput | SparseVectorInput | string;

function isDense(value: unknown): value is DenseVectorInput {
  return Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array;
}

function checkLength(n: number, spec: ValueSpec): void {
  if (n === 0) {
    throw pgVectorError('EMPTY_VECTOR', `${spec.label}: got an empty ${spec.type}; pgvector needs at least 1 dimension. Pass a non-empty value.`, {
      type: spec.type,
    });
  }
  if (spec.dimensions !== undefined && n !== spec.dimensions) {
    throw pgVectorError(
      'DIMENSION_MISMATCH',
      `${spec.label}: expected ${spec.dimensions} dimensions, got ${n}. Pass exactly ${spec.dimensions} ${spec.type === 'bit' ? 'bits' : 'numbers'} (check the embedding model matches the column).`,
      { expected: spec.dimensions, actual: n, type: spec.type },
    );
  }
  const max = VECTOR_TYPES[spec.type].maxDimensions;
  if (n > max) {
    throw pgVectorError(
      'TOO_MANY_DIMENSIONS',
      `${spec.label}: ${n} dimensions exceed ${spec.type}'s limit of ${max}. Reduce the dimensions (e.g. a smaller embedding model or truncation) to at most ${max}.`,
      { actual: n, max, type: spec.type },
    );
  }
}

/** Throws unless `value` is a dense array (number[], Float32Array, Float64Array) of an allowed length. */
function denseLength(value: unknown, spec: ValueSpec): asserts value is DenseVectorInput {
  if (!isDense(value)) {
    throw pgVectorError(
      'INVALID_VECTOR_VALUE',
      `${spec.label}: expected an array of numbers (number[], Float32Array or Float64Array) for ${spec.type}, got ${describe(value)}.`,
      { type: spec.type, received: describe(value) },
    );
  }
  checkLength(value.length, spec);
}

/**
 * Validate a dense vector/halfvec value; throws a PgVectorError naming the first bad element. Cheap checks on
 * the hot path (NaN fails both comparisons); values at the edge of the range go to checkEdge, which decides
 * exactly as pgvector does.
 */
export function checkDense(value: unknown, spec: ValueSpec): asserts value is DenseVectorInput {
  denseLength(value, spec);
  const n = value.length;
  const safe = SAFE_MAGNITUDE[spec.type as 'vector' | 'halfvec'];
  for (let i = 0; i < n; i++) {
    const x: unknown = value[i];
    if (typeof x !== 'number' || !(x < safe && x > -safe)) checkEdge(x, i, spec);
  }
}

/** Slow path: throws unless `x` is a number pgvector accepts (e.g. 3.4028235e38 rounds to FLT_MAX and is fine). */
function checkEdge(x: unknown, i: number, spec: ValueSpec): void {
  if (typeof x !== 'number') {
    throw pgVectorError('INVALID_VECTOR_VALUE', `${spec.label}: element ${i} is ${describe(x)}, not a number. Pass numbers only.`, {
      index: i,
      received: describe(x),
    });
  }
  if (!Number.isFinite(x)) {
    throw pgVectorError(
      'NON_FINITE_VALUE',
      `${spec.label}: element ${i} is ${x}; pgvector stores finite numbers only (JSON would silently turn it into null). Replace NaN/Infinity before sending.`,
      { index: i, value: x },
    );
  }
  const problem = rangeProblem(x, spec.type as NumericVectorType);
  if (problem !== undefined) throw rangeError(spec.label, `element ${i}`, x, spec.type as NumericVectorType, problem, i);
}

/**
 * Validate and encode a dense value as pgvector's text literal `[1,2,3]`, each element validated and written
 * in one pass (read once). Elements are written as the shortest decimal that PostgreSQL reads as the float4 it
 * would store anyway (see `dense-text-encoder.ts`); `-0` is sent as `-0` (pgvector keeps the sign).
 */
export function encodeDense(value: unknown, spec: ValueSpec): string {
  denseLength(value, spec);
  return encodeDenseText(value, value.length, spec, SAFE_MAGNITUDE[spec.type as 'vector' | 'halfvec'], checkEdge);
}

/** Decode pgvector's `[1,2,3]` text (vector or halfvec output) to a number array. */
export function decodeDense(value: unknown): number[] {
  if (typeof value === 'string') return decodeDenseText(value);
  if (Array.isArray(value)) return value as number[];
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  throw pgVectorError('INVALID_VECTOR_VALUE', `cannot decode a vector from ${describe(value)}; expected pgvector text like [1,2,3].`, {
    received: describe(value),
  });
}

/**
 * Validate a sparse value: our SparseVector, pgvector-node's, `{dimensions, indices, values}`, or pgvector's text
 * form `'{1:1.5,3:2}/5'` (what drizzle-orm's own `sparsevec` column takes).
 */
export function toSparse(value: unknown, spec: ValueSpec): SparseVector {
  let sv: SparseVector;
  if (value instanceof SparseVector) sv = value;
  else if (typeof value === 'string') sv = parseSparseVector(value, spec.label);
  else if (value !== null && typeof value === 'object' && 'dimensions' in value && 'indices' in value && 'values' in value) {
    const v = value as SparseVectorLike;
    sv = SparseVector.fromChecked(checkSparse(v.dimensions, v.indices, v.values, spec.label));
  } else {
    throw pgVectorError(
      'INVALID_SPARSE_VECTOR',
      `${spec.label}: expected a SparseVector (or { dimensions, indices, values }, or text like '{1:1.5,3:2}/5'), got ${describe(value)}. Build one with new SparseVector(dims, indices, values) or SparseVector.fromDense(array).`,
      { received: describe(value) },
    );
  }
  if (spec.dimensions !== undefined && sv.dimensions !== spec.dimensions) {
    throw pgVectorError(
      'DIMENSION_MISMATCH',
      `${spec.label}: expected ${spec.dimensions} dimensions, got a sparse vector of ${sv.dimensions}. Build it with dimensions ${spec.dimensions}.`,
      { expected: spec.dimensions, actual: sv.dimensions, type: 'sparsevec' },
    );
  }
  return sv;
}

/** Validate and encode a sparse value as `{1:1.5,3:2}/5`. */
export function encodeSparse(value: unknown, spec: ValueSpec): string {
  return toSparse(value, spec).toString();
}

/** Decode pgvector's sparsevec text to a SparseVector. */
export function decodeSparse(value: unknown): SparseVector {
  if (value instanceof SparseVector) return value;
  if (typeof value === 'string') return parseSparseVector(value);
  if (value !== null && typeof value === 'object' && 'dimensions' in value) return SparseVector.from(value as SparseVectorLike);
  throw pgVectorError('INVALID_SPARSE_VECTOR', `cannot decode a sparse vector from ${describe(value)}; expected pgvector text like {1:1.5}/3.`, {
    received: describe(value),
  });
}

const BIT_STRING = /^[01]*$/;

/** Validate a bit string (`'0101'`) against the spec and return it. */
export function encodeBit(value: unknown, spec: ValueSpec): string {
  if (typeof value !== 'string') {
    throw pgVectorError('INVALID_BIT_STRING', `${spec.label}: expected a string of 0 and 1 characters, got ${describe(value)}.`, {
      received: describe(value),
    });
  }
  if (!BIT_STRING.test(value)) {
    const at = [...value].findIndex((c) => c !== '0' && c !== '1');
    throw pgVectorError(
      'INVALID_BIT_STRING',
      `${spec.label}: character ${JSON.stringify(value[at])} at position ${at} is not 0 or 1. Bit strings contain only 0 and 1.`,
      { position: at, character: value[at] },
    );
  }
  if (value.length === 0 || (spec.dimensions !== undefined && value.length !== spec.dimensions)) {
    throw pgVectorError(
      'INVALID_BIT_STRING',
      `${spec.label}: bit string has ${value.length} bits, expected ${spec.dimensions ?? 'at least 1'}. Pass exactly ${spec.dimensions ?? 'one or more'} 0/1 characters.`,
      { expected: spec.dimensions, actual: value.length },
    );
  }
  return value;
}

/**
 * Validate and encode any value for `spec.type` as its pgvector text literal. Besides what the columns take, a
 * `vector` / `halfvec` value may be pgvector's text form `'[1,0.5,-2]'` (read, then checked like the array it
 * spells): the form a query vector often arrives in.
 */
export function encodeValue(value: unknown, spec: ValueSpec): string {
  switch (spec.type) {
    case 'vector':
    case 'halfvec':
      return encodeDense(typeof value === 'string' ? readDenseText(value, spec.label, spec.type) : value, spec);
    case 'sparsevec':
      return encodeSparse(value, spec);
    case 'bit':
      return encodeBit(value, spec);
  }
}

