/**
 * Issue 20 item 8: `NearestQuery` allows a string, so `nearest(db, col, '[1,0,0]')` compiles; it must also run.
 * pgvector's text form is a query like the array it spells (validated and dimension-checked the same way) for
 * vector / halfvec / sparsevec targets; a bit target takes a string of 0/1.
 */
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asHalfvec, binaryQuantize, bit, halfvec, nearest, nearestSql, SparseVector, sparsevec, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';

const points = pgTable('text_query_points', {
  id: integer('id').primaryKey(),
  embedding: vector('embedding', { dimensions: 3 }),
  half: halfvec('half', { dimensions: 3 }),
  sparse: sparsevec('sparse', { dimensions: 3 }),
  code: bit('code', { dimensions: 3 }),
});

let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  await database.query('drop table if exists text_query_points');
  await database.query('create table text_query_points (id integer primary key, embedding vector(3), half halfvec(3), sparse sparsevec(3), code bit(3))');
  await database.db.insert(points).values([
    { id: 1, embedding: [1, 0, 0], half: [1, 0, 0], sparse: new SparseVector(3, [0], [1]), code: '100' },
    { id: 2, embedding: [0, 1, 0], half: [0, 1, 0], sparse: new SparseVector(3, [1], [1]), code: '010' },
    { id: 3, embedding: [0, 0, 1], half: [0, 0, 1], sparse: new SparseVector(3, [2], [1]), code: '001' },
  ]);
});

afterAll(async () => {
  await database?.query('drop table if exists text_query_points').catch(() => undefined);
  await database?.close();
});

const ids = (rows: { id: unknown }[]) => rows.map((r) => r.id);

describe('nearest with a text query', () => {
  it('runs like the array it spells: vector, halfvec, sparsevec, an expression target, bit', async () => {
    const opts = { k: 3, metric: 'l2' as const, select: { id: points.id } };
    expect(ids(await nearest(database.db, points.embedding, '[0, 0.9, 0.1]', opts))).toEqual(ids(await nearest(database.db, points.embedding, [0, 0.9, 0.1], opts)));
    expect(ids(await nearest(database.db, points.embedding, '[0,0.9,0.1]', opts))).toEqual([2, 3, 1]);
    expect(ids(await nearest(database.db, points.half, '[0,0.2,0.9]', opts))).toEqual([3, 2, 1]);
    expect(ids(await nearest(database.db, asHalfvec(points.embedding, 3), '[0.9,0.2,0]', opts))).toEqual([1, 2, 3]);
    expect(ids(await nearest(database.db, points.sparse, '{2:1}/3', { ...opts, k: 1 }))).toEqual([2]);
    expect(ids(await nearest(database.db, binaryQuantize(points.embedding, 3), '[-1,-1,2]', { k: 1, metric: 'hamming', select: { id: points.id } }))).toEqual([3]);
    expect(ids(await nearest(database.db, points.code, '010', { k: 1, metric: 'hamming', select: { id: points.id } }))).toEqual([2]);
  });

  it('binds the re-encoded value, so the SQL is the one an array gives', async () => {
    const fromText = await nearestSql(database.db, points.embedding, ' [ 1, .5, 0 ] ', { k: 2, metric: 'l2' });
    const fromArray = await nearestSql(database.db, points.embedding, [1, 0.5, 0], { k: 2, metric: 'l2' });
    expect(fromText.sql).toBe(fromArray.sql);
    expect(fromText.params).toEqual(fromArray.params);
    expect(fromText.params[0]).toBe('[1,0.5,0]');
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['not a vector text', () => nearest(database.db, points.embedding, '1,0,0', { k: 1, metric: 'l2' }), 'INVALID_VECTOR_VALUE'],
    ['a bad element', () => nearest(database.db, points.embedding, '[1,a,0]', { k: 1, metric: 'l2' }), 'INVALID_VECTOR_VALUE'],
    ['wrong dimensions', () => nearest(database.db, points.embedding, '[1,0]', { k: 1, metric: 'l2' }), 'DIMENSION_MISMATCH'],
    ['NaN', () => nearest(database.db, points.half, '[1,NaN,0]', { k: 1, metric: 'l2' }), 'NON_FINITE_VALUE'],
    ['beyond halfvec', () => nearest(database.db, points.half, '[1,70000,0]', { k: 1, metric: 'l2' }), 'VALUE_OUT_OF_RANGE'],
    ['sparse of the wrong dimensions', () => nearest(database.db, points.sparse, '{1:1}/4', { k: 1, metric: 'l2' }), 'DIMENSION_MISMATCH'],
    ['sparse with a 0 index', () => nearest(database.db, points.sparse, '{0:1}/3', { k: 1, metric: 'l2' }), 'INVALID_SPARSE_VECTOR'],
    ['a bit string of the wrong length', () => nearest(database.db, points.code, '01', { k: 1, metric: 'hamming' }), 'INVALID_BIT_STRING'],
  ])('rejects %s before any SQL, with its code', async (_name, run, code) => {
    await expectCodeAsync(run, code as never);
  });
});
