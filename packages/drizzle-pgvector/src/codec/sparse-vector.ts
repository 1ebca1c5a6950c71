import { FLOAT4_MIN_SUBNORMAL, FLOAT4_OVERFLOW_THRESHOLD, VECTOR_TYPES } from '../catalog/index.js';
import { rangeError, rangeProblem } from './element-range.js';
import { pgVectorError } from '../errors/index.js';
import { readSparseText } from './vector-text.js';

const SPARSE = VECTOR_TYPES.sparsevec;

/** Output of {@link checkSparse}: validated, sorted, zero-free parts. */
export interface CheckedParts {
  dimensions: number;
  indices: number[];
  values: number[];
}

/** Marks constructor input that {@link checkSparse} already validated. */
const TRUSTED: ArrayLike<number> = Object.freeze({ length: 0 });

/** Anything shaped like a sparse vector: ours, or pgvector-node's `SparseVector` (0-based indices). */
export interface SparseVectorLike {
  readonly dimensions: number;
  readonly indices: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/**
 * An immutable sparse vector: `dimensions`, 0-based strictly ascending `indices` and their non-zero `values`.
 * Construction validates everything pgvector would reject, sorts unsorted input and drops zero values (as
 * pgvector's text input does).
 *
 * @example
 * ```ts
 * const v = new SparseVector(5, [0, 2], [1.5, 2]);
 * v.toString();                                  // '{1:1.5,3:2}/5'  (pgvector literal, 1-based)
 * SparseVector.fromDense([1.5, 0, 2, 0, 0]);     // same vector
 * v.toDense();                                   // [1.5, 0, 2, 0, 0]
 * ```
 */
export class SparseVector implements SparseVectorLike {
  readonly dimensions: number;
  readonly indices: readonly number[];
  readonly values: readonly number[];

  /**
   * @param dimensions total dimension count, 1 ..= 1,000,000,000
   * @param indices 0-based positions of the non-zero values (any order; sorted here; no duplicates)
   * @param values the values at those positions (finite float4 numbers; zeros are dropped)
   * @throws PgVectorError `INVALID_SPARSE_VECTOR`, `NON_FINITE_VALUE`, `VALUE_OUT_OF_RANGE`, `TOO_MANY_DIMENSIONS`, `EMPTY_VECTOR`
   */
  constructor(dimensions: number, indices: ArrayLike<number>, values: ArrayLike<number>) {
    const checked =
      indices === TRUSTED ? (values as unknown as CheckedParts) : checkSparse(dimensions, indices, values, 'sparse vector');
    this.dimensions = checked.dimensions;
    this.indices = Object.freeze(checked.indices);
    this.values = Object.freeze(checked.values);
    Object.freeze(this);
  }

  /** @internal Wrap parts already validated by {@link checkSparse} without checking them again. */
  static fromChecked(parts: CheckedParts): SparseVector {
    return new SparseVector(parts.dimensions, TRUSTED, parts as unknown as ArrayLike<number>);
  }

  /** Build from a dense array, keeping the non-zero entries. */
  static fromDense(dense: ArrayLike<number>): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < dense.length; i++) {
      const x = dense[i];
      if (x !== 0) {
        indices.push(i);
        values.push(x as number);
      }
    }
    return new SparseVector(dense.length, indices, values);
  }

  /** Build from a `Map` or plain object of 0-based index → value. */
  static fromMap(entries: Map<number, number> | Record<number, number>, dimensions: number): SparseVector {
    const pairs = entries instanceof Map ? [...entries.entries()] : Object.entries(entries).map(([k, v]) => [Number(k), v] as const);
    return new SparseVector(
      dimensions,
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  /** Accept our class, pgvector-node's `SparseVector` or any `{ dimensions, indices, values }` object. */
  static from(value: SparseVectorLike): SparseVector {
    if (value instanceof SparseVector) return value;
    return new SparseVector(value.dimensions, value.indices, value.values);
  }

  /**
   * Parse pgvector's text form `{1:1.5,3:2}/5` (1-based indices; what drizzle-orm's `sparsevec` and pgvector-node's
   * `SparseVector#toString()` write).
   *
   * @throws PgVectorError `INVALID_SPARSE_VECTOR` (malformed text, an index outside 1 ..= dimensions or repeated),
   *   and the constructor's codes for the dimension count and the values
   */
  static parse(text: string): SparseVector {
    return parseSparseVector(text);
  }

  /** Number of stored (non-zero) elements. */
  get nnz(): number {
    return this.indices.length;
  }

  /** The dense array (`dimensions` long). */
  toDense(): number[] {
    const out = new Array<number>(this.dimensions).fill(0);
    for (let i = 0; i < this.indices.length; i++) out[this.indices[i]!] = this.values[i]!;
    return out;
  }

  /** pgvector's literal with 1-based indices, e.g. `{1:1.5,3:2}/5`. */
  toString(): string {
    let s = '{';
    for (let i = 0; i < this.indices.length; i++) {
      if (i > 0) s += ',';
      s += `${this.indices[i]! + 1}:${this.values[i]!}`;
    }
    return `${s}}/${this.dimensions}`;
  }

  /** Same as {@link toString}; lets drivers that look for `toPostgres` serialize it. */
  toPostgres(): string {
    return this.toString();
  }

  toJSON(): { dimensions: number; indices: number[]; values: number[] } {
    return { dimensions: this.dimensions, indices: [...this.indices], values: [...this.values] };
  }
}

function invalid(label: string, problem: string, fix: string, details: Record<string, unknown>) {
  return pgVectorError('INVALID_SPARSE_VECTOR', `${label}: ${problem}. ${fix}`, details);
}

/** Validate the parts of a sparse vector; returns sorted copies without zeros. */
export function checkSparse(
  dimensions: number,
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  label: string,
): CheckedParts {
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions)) {
    throw invalid(label, `dimensions must be an integer, got ${String(dimensions)}`, 'Pass the total dimension count as a whole number.', {
      dimensions,
    });
  }
  if (dimensions < 1) {
    throw pgVectorError('EMPTY_VECTOR', `${label}: a sparse vector needs at least 1 dimension, got ${dimensions}. Pass dimensions between 1 and ${SPARSE.maxDimensions}.`, {
      dimensions,
      min: 1,
    });
  }
  if (dimensions > SPARSE.maxDimensions) {
    throw pgVectorError(
      'TOO_MANY_DIMENSIONS',
      `${label}: ${dimensions} dimensions exceed sparsevec's limit of ${SPARSE.maxDimensions}. Use at most ${SPARSE.maxDimensions} dimensions.`,
      { dimensions, max: SPARSE.maxDimensions },
    );
  }
  if (indices == null || values == null || typeof indices.length !== 'number' || typeof values.length !== 'number') {
    throw invalid(label, 'indices and values must be arrays', 'Pass arrays of 0-based indices and their values.', {});
  }
  if (indices.length !== values.length) {
    throw invalid(label, `${indices.length} indices but ${values.length} values`, 'Pass one value per index.', {
      indices: indices.length,
      values: values.length,
    });
  }
  const pairs: [number, number][] = [];
  let sorted = true;
  let prev = -1;
  for (let i = 0; i < indices.length; i++) {
    const idx = indices[i]!;
    const val = values[i]!;
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= dimensions) {
      throw invalid(label, `index ${String(idx)} (position ${i}) is out of range 0..${dimensions - 1}`, 'Indices are 0-based and must be below dimensions.', {
        index: idx,
        position: i,
        min: 0,
        max: dimensions - 1,
      });
    }
    if (typeof val !== 'number') {
      throw pgVectorError('INVALID_VECTOR_VALUE', `${label}: value at index ${idx} is ${typeof val} ${String(val)}, not a number. Pass numbers only.`, {
        index: idx,
        value: val,
      });
    }
    if (!Number.isFinite(val)) {
      throw pgVectorError('NON_FINITE_VALUE', `${label}: value at index ${idx} is ${val}; pgvector stores finite numbers only. Replace NaN/Infinity before inserting.`, {
        index: idx,
        value: val,
      });
    }
    const magnitude = Math.abs(val);
    if (!(magnitude >= FLOAT4_MIN_SUBNORMAL && magnitude < FLOAT4_OVERFLOW_THRESHOLD) && val !== 0) {
      // Decide exactly as pgvector does: overflow to infinity and underflow to 0 are both 22003 for sparsevec.
      const problem = rangeProblem(val, 'sparsevec');
      if (problem !== undefined) throw rangeError(label, `value at index ${idx}`, val, 'sparsevec', problem, idx);
    }
    if (idx <= prev) sorted = false;
    prev = idx;
    pairs.push([idx, val]);
  }
  if (!sorted) {
    // Unsorted input is sorted (as pgvector's text input does); an index given twice is an error.
    pairs.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i]![0] === pairs[i - 1]![0]) {
        throw invalid(label, `index ${pairs[i]![0]} appears more than once`, 'Give each index once.', { index: pairs[i]![0] });
      }
    }
  }
  const kept = pairs.filter((p) => p[1] !== 0);
  if (kept.length > SPARSE.maxNonZero!) {
    throw invalid(
      label,
      `${kept.length} non-zero elements exceed sparsevec's limit of ${SPARSE.maxNonZero}`,
      `Keep at most ${SPARSE.maxNonZero} non-zero elements (at most ${SPARSE.indexMaxNonZero} if the column has an HNSW index).`,
      { nnz: kept.length, max: SPARSE.maxNonZero },
    );
  }
  return { dimensions, indices: kept.map((p) => p[0]), values: kept.map((p) => p[1]) };
}

/**
 * Parse pgvector's sparsevec text form `{1:1.5,3:2}/5` (1-based indices, any order), validated like the parts
 * given to the constructor. `label` names the value in error messages.
 */
export function parseSparseVector(text: string, label = 'sparsevec text'): SparseVector {
  const parts = readSparseText(text, label);
  return SparseVector.fromChecked(checkSparse(parts.dimensions, parts.indices, parts.values, label));
}
