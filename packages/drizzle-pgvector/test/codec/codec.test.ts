import { SparseVector as PgvectorNodeSparse } from 'pgvector';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { SparseVector, decodeDense, decodeSparse, encodeValue, type ValueSpec } from '../../src/index.js';
import { expectCode, serverError } from '../helpers.js';

const spec = (type: ValueSpec['type'], dimensions?: number): ValueSpec => ({ type, dimensions, label: 'value' });

describe('dense vectors (vector, halfvec)', () => {
  it('encodes number[], Float32Array and Float64Array as pgvector text', () => {
    expect(encodeValue([1, 2.5, -3], spec('vector', 3))).toBe('[1,2.5,-3]');
    expect(encodeValue(new Float32Array([1, 0.5]), spec('vector', 2))).toBe('[1,0.5]');
    expect(encodeValue(new Float64Array([1e-3, 2]), spec('halfvec', 2))).toBe('[0.001,2]');
  });

  it('rejects wrong dimension counts, naming both counts', () => {
    const e = expectCode(() => encodeValue([1, 2], spec('vector', 3)), 'DIMENSION_MISMATCH');
    expect(e.message).toMatch(/expected 3 dimensions, got 2/);
    expect(e.details).toMatchObject({ expected: 3, actual: 2 });
  });

  it('rejects empty vectors and more than 16000 dimensions', () => {
    expectCode(() => encodeValue([], spec('vector')), 'EMPTY_VECTOR');
    const e = expectCode(() => encodeValue(new Array(16001).fill(0), spec('vector')), 'TOO_MANY_DIMENSIONS');
    expect(e.message).toMatch(/16001 dimensions exceed vector's limit of 16000/);
    expect(encodeValue(new Array(16000).fill(0), spec('vector'))).toHaveLength(16000 * 2 + 1);
  });

  it.each([NaN, Infinity, -Infinity])('rejects %s (JSON.stringify would silently send null)', (bad) => {
    const e = expectCode(() => encodeValue([1, bad, 3], spec('vector', 3)), 'NON_FINITE_VALUE');
    expect(e.details).toMatchObject({ index: 1 });
    expect(e.message).toContain('element 1');
  });

  it('rejects non-numbers, holes and non-arrays', () => {
    expectCode(() => encodeValue([1, '2', 3], spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expectCode(() => encodeValue([1, null, 3], spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expectCode(() => encodeValue([1, , 3], spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expectCode(() => encodeValue('1,2,3', spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expectCode(() => encodeValue({ 0: 1 }, spec('vector', 1)), 'INVALID_VECTOR_VALUE');
  });

  it('rejects values pgvector rejects: beyond float4 for vector, rounding past 65504 for halfvec', () => {
    expectCode(() => encodeValue([4e38], spec('vector', 1)), 'VALUE_OUT_OF_RANGE');
    expect(encodeValue([65504, -65504], spec('halfvec', 2))).toBe('[65504,-65504]');
    // 65505 rounds to 65504 (pgvector accepts it); 65520 is the first magnitude that rounds to infinity
    expect(encodeValue([65505], spec('halfvec', 1))).toBe('[65505]');
    const e = expectCode(() => encodeValue([1, 65520], spec('halfvec', 2)), 'VALUE_OUT_OF_RANGE');
    expect(e.details).toMatchObject({ index: 1, max: 65504 });
  });

  it('decodes pgvector text output', () => {
    expect(decodeDense('[1,2.5,-3]')).toEqual([1, 2.5, -3]);
    expect(decodeDense('[1.5e+38,0]')).toEqual([1.5e38, 0]);
  });
});

describe('SparseVector', () => {
  it('stores 0-based sorted indices, prints 1-based literals and round-trips dense arrays', () => {
    const v = new SparseVector(5, [2, 0], [2, 1.5]);
    expect(v.indices).toEqual([0, 2]);
    expect(v.values).toEqual([1.5, 2]);
    expect(v.toString()).toBe('{1:1.5,3:2}/5');
    expect(v.toDense()).toEqual([1.5, 0, 2, 0, 0]);
    expect(SparseVector.fromDense([1.5, 0, 2, 0, 0])).toEqual(v);
    expect(SparseVector.parse('{1:1.5,3:2}/5')).toEqual(v);
    expect(SparseVector.fromMap(new Map([[2, 2], [0, 1.5]]), 5)).toEqual(v);
    expect(Object.isFrozen(v)).toBe(true);
  });

  it('drops zero values like pgvector text input', () => {
    expect(new SparseVector(3, [0, 1, 2], [0, 1, 0]).toString()).toBe('{2:1}/3');
  });

  it('rejects out-of-range, duplicated and non-integer indices', () => {
    expectCode(() => new SparseVector(3, [3], [1]), 'INVALID_SPARSE_VECTOR');
    expectCode(() => new SparseVector(3, [-1], [1]), 'INVALID_SPARSE_VECTOR');
    expectCode(() => new SparseVector(3, [1.5], [1]), 'INVALID_SPARSE_VECTOR');
    const dup = expectCode(() => new SparseVector(3, [2, 1, 2], [1, 1, 1]), 'INVALID_SPARSE_VECTOR');
    expect(dup.message).toMatch(/index 2 appears more than once/);
    expectCode(() => new SparseVector(3, [1, 1], [1, 1]), 'INVALID_SPARSE_VECTOR');
    expectCode(() => new SparseVector(3, [0, 1], [1]), 'INVALID_SPARSE_VECTOR');
  });

  it('rejects bad dimensions, values and more than 16000 non-zeros', () => {
    expectCode(() => new SparseVector(0, [], []), 'EMPTY_VECTOR');
    expectCode(() => new SparseVector(1_000_000_001, [], []), 'TOO_MANY_DIMENSIONS');
    expectCode(() => new SparseVector(3, [0], [NaN]), 'NON_FINITE_VALUE');
    expectCode(() => new SparseVector(3, [0], [5e38]), 'VALUE_OUT_OF_RANGE');
    const n = 16001;
    const e = expectCode(
      () => new SparseVector(n, Array.from({ length: n }, (_, i) => i), new Array(n).fill(1)),
      'INVALID_SPARSE_VECTOR',
    );
    expect(e.message).toMatch(/16001 non-zero elements exceed sparsevec's limit of 16000/);
  });

  it("accepts pgvector-node's SparseVector and plain objects as input", () => {
    const theirs = new PgvectorNodeSparse([0, 1.5, 0, 2]);
    expect(encodeValue(theirs, spec('sparsevec', 4))).toBe('{2:1.5,4:2}/4');
    expect(encodeValue({ dimensions: 4, indices: [3, 1], values: [2, 1.5] }, spec('sparsevec', 4))).toBe('{2:1.5,4:2}/4');
    expectCode(() => encodeValue(theirs, spec('sparsevec', 5)), 'DIMENSION_MISMATCH');
    expectCode(() => encodeValue([1, 2], spec('sparsevec', 2)), 'INVALID_SPARSE_VECTOR');
    expect(decodeSparse('{2:1.5,4:2}/4').toDense()).toEqual([0, 1.5, 0, 2]);
  });
});

describe("pgvector's text forms as input", () => {
  it('reads dense text for vector / halfvec (whitespace and strtof numbers as pgvector reads them)', () => {
    expect(encodeValue('[1,2.5,-3]', spec('vector', 3))).toBe('[1,2.5,-3]');
    expect(encodeValue(' [ 1. , .5 ,+2e1 ] ', spec('halfvec', 3))).toBe('[1,0.5,20]');
  });

  it('checks dense text like the array it spells', () => {
    expectCode(() => encodeValue('[1,2]', spec('vector', 3)), 'DIMENSION_MISMATCH');
    expectCode(() => encodeValue('[]', spec('vector')), 'EMPTY_VECTOR');
    expect(expectCode(() => encodeValue('[1,inf]', spec('vector', 2)), 'NON_FINITE_VALUE').message).toMatch(/element 1 is Infinity/);
    expectCode(() => encodeValue('[1,4e38]', spec('vector', 2)), 'VALUE_OUT_OF_RANGE');
    expectCode(() => encodeValue('[65520]', spec('halfvec', 1)), 'VALUE_OUT_OF_RANGE');
    const e = expectCode(() => encodeValue('[1,,3]', spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expect(e.message).toMatch(/element 1 of "\[1,,3\]" is "", not a number/);
    expectCode(() => encodeValue('[1,2,3]9', spec('vector', 3)), 'INVALID_VECTOR_VALUE');
    expectCode(() => encodeValue('[0x10]', spec('vector', 1)), 'INVALID_VECTOR_VALUE');
  });

  it("reads sparse text ('{1:1,2:1,3:1}/3', drizzle-orm's and pgvector-node's form), sorted, zeros dropped", () => {
    expect(encodeValue('{1:1,2:1,3:1}/3', spec('sparsevec', 3))).toBe('{1:1,2:1,3:1}/3');
    expect(encodeValue(new PgvectorNodeSparse([0, 1.5, 0, 2]).toString(), spec('sparsevec', 4))).toBe('{2:1.5,4:2}/4');
    expect(encodeValue(' { 3 : 2 , 1 : 1.5, 2:0 } / 5 ', spec('sparsevec'))).toBe('{1:1.5,3:2}/5');
    expect(encodeValue('{}/5', spec('sparsevec', 5))).toBe('{}/5');
    expect(SparseVector.parse('{2:1.5}/3').toDense()).toEqual([0, 1.5, 0]);
  });

  it.each<[string, string, string, RegExp]>([
    ['index 0 (1-based)', '{0:1}/3', 'INVALID_SPARSE_VECTOR', /index 0 in "\{0:1\}\/3" is out of range 1\.\.3/],
    ['index past dimensions', '{4:1}/3', 'INVALID_SPARSE_VECTOR', /index 4 .* out of range 1\.\.3/],
    ['repeated index', '{2:1,2:3}/3', 'INVALID_SPARSE_VECTOR', /index 2 appears more than once/],
    ['no dimensions', '{1:1}', 'INVALID_SPARSE_VECTOR', /must be \{…\}\/dimensions/],
    ['dimensions not an integer', '{1:1}/3.5', 'INVALID_SPARSE_VECTOR', /dimension count "3\.5" is not an integer/],
    ['element without a colon', '{1}/3', 'INVALID_SPARSE_VECTOR', /element 1 "1" is not index:value/],
    ['fractional index', '{1.5:1}/3', 'INVALID_SPARSE_VECTOR', /element 1 "1\.5:1" is not index:value/],
    ['wrong dimensions', '{1:1}/4', 'DIMENSION_MISMATCH', /expected 3 dimensions, got a sparse vector of 4/],
    ['zero dimensions', '{}/0', 'EMPTY_VECTOR', /at least 1 dimension/],
    ['NaN value', '{1:nan}/3', 'NON_FINITE_VALUE', /value at index 0 is NaN/],
    ['underflow', '{1:1e-46}/3', 'VALUE_OUT_OF_RANGE', /1e-46/],
  ])('rejects sparse text with %s', (_name, text, code, message) => {
    expect(expectCode(() => encodeValue(text, spec('sparsevec', _name === 'zero dimensions' ? undefined : 3)), code as never).message).toMatch(message);
  });
});

describe('bit strings', () => {
  it('accepts 0/1 strings of the right length', () => {
    expect(encodeValue('0101', spec('bit', 4))).toBe('0101');
  });
  it('rejects other characters and wrong lengths', () => {
    const e = expectCode(() => encodeValue('01x1', spec('bit', 4)), 'INVALID_BIT_STRING');
    expect(e.message).toMatch(/"x" at position 2/);
    expectCode(() => encodeValue('010', spec('bit', 4)), 'INVALID_BIT_STRING');
    expectCode(() => encodeValue('', spec('bit')), 'INVALID_BIT_STRING');
    expectCode(() => encodeValue([0, 1], spec('bit', 2)), 'INVALID_BIT_STRING');
  });
});

describe('codec agrees with pgvector', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('pgvector parses our encodings back to the same values', async () => {
    const v = encodeValue([1, 2.5, -3, 1e-7, 123456.789], spec('vector', 5));
    const h = encodeValue([1, 0.5, 65504], spec('halfvec', 3));
    const s = encodeValue(new SparseVector(5, [4, 0], [2, 1.5]), spec('sparsevec', 5));
    const rows = await database.query<{ v: string; h: string; s: string; b: string }>(
      'select $1::vector(5)::text as v, $2::halfvec(3)::text as h, $3::sparsevec(5)::text as s, $4::bit(4)::text as b',
      [v, h, s, '0101'],
    );
    // pgvector prints the shortest text that round-trips float4
    expect(decodeDense(rows[0]!.v).map(Math.fround)).toEqual([1, 2.5, -3, 1e-7, 123456.789].map(Math.fround));
    expect(decodeDense(rows[0]!.h)).toEqual([1, 0.5, 65504]);
    expect(decodeSparse(rows[0]!.s).toString()).toBe('{1:1.5,5:2}/5');
    expect(rows[0]!.b).toBe('0101');
  });

  it('text forms: what we accept pgvector reads to the same value; what we reject, pgvector rejects', async () => {
    const accepted: [string, 'vector' | 'sparsevec'][] = [
      [' [ 1. , .5 ,+2e1 ] ', 'vector'],
      ['[1e-46,-1e-46,3]', 'vector'],
      [' { 3 : 2 , 1 : 1.5, 2:0 } / 5 ', 'sparsevec'],
      ['{1:1,2:1,3:1}/3', 'sparsevec'],
      ['{}/5', 'sparsevec'],
    ];
    for (const [text, type] of accepted) {
      const ours = encodeValue(text, spec(type));
      const rows = await database.query<{ theirs: string; back: string }>(`select $1::${type}::text as theirs, $2::${type}::text as back`, [text, ours]);
      expect(rows[0]!.back, text).toBe(rows[0]!.theirs);
    }
    for (const [text, type] of [
      ['[1,,3]', 'vector'],
      ['[1,2,3]9', 'vector'],
      ['{0:1}/3', 'sparsevec'],
      ['{2:1,2:3}/3', 'sparsevec'],
      ['{1:1}', 'sparsevec'],
      ['{1:1e-46}/3', 'sparsevec'],
    ] as const) {
      expect(() => encodeValue(text, spec(type)), text).toThrow();
      expect(await serverError(() => database.query(`select $1::${type}`, [text])), text).toMatch(/sparsevec|vector/);
    }
  });

  it('the limits we enforce are the ones pgvector enforces', async () => {
    // 16000 dims accepted, 16001 rejected, by both
    const ok = await database.query<{ n: number }>(`select vector_dims(array_fill(0, array[16000])::real[]::vector) as n`);
    expect(Number(ok[0]!.n)).toBe(16000);
    expect(await serverError(() => database.query(`select array_fill(0, array[16001])::real[]::vector`))).toMatch(
      /cannot have more than 16000 dimensions/,
    );
    // halfvec: 65504 ok, 65520 out of range
    expect(await serverError(() => database.query(`select '[65520]'::halfvec`))).toMatch(/out of range for type halfvec/);
    expect((await database.query<{ h: string }>(`select '[65504]'::halfvec::text as h`))[0]!.h).toBe('[65504]');
    // sparse: 16001 non-zeros rejected
    expect(
      await serverError(() => database.query(`select array_fill(1, array[16001])::real[]::sparsevec`)),
    ).toMatch(/cannot have more than 16000 non-zero elements/);
    // NaN rejected
    expect(await serverError(() => database.query(`select '[NaN]'::vector`))).toMatch(/NaN not allowed in vector/);
    void sql;
  });
});
