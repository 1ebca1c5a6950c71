import { eq, getTableColumns, sql } from 'drizzle-orm';
import { pgTable, serial, text, vector as drizzleVector, halfvec as drizzleHalfvec } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { SparseVector, bit, halfvec, sparsevec, vector, vectorInput, PgVectorError } from '../../src/index.js';
import { expectCode } from '../helpers.js';

const items = pgTable('col_items', {
  id: serial('id').primaryKey(),
  title: text('title'),
  embedding: vector('embedding', { dimensions: 3 }),
  anyDims: vector('any_dims'),
  half: halfvec('half', { dimensions: 2 }),
  sparse: sparsevec('sparse', { dimensions: 5 }),
  code: bit('code', { dimensions: 4 }),
});

describe('column definitions', () => {
  it('emit exactly the SQL types drizzle-orm emits', () => {
    const cols = getTableColumns(items);
    expect(cols.embedding.getSQLType()).toBe('vector(3)');
    expect(cols.anyDims.getSQLType()).toBe('vector');
    expect(cols.half.getSQLType()).toBe('halfvec(2)');
    expect(cols.sparse.getSQLType()).toBe('sparsevec(5)');
    expect(cols.code.getSQLType()).toBe('bit(4)');
    const builtin = pgTable('t', { e: drizzleVector('e', { dimensions: 3 }), h: drizzleHalfvec('h', { dimensions: 2 }) });
    expect(getTableColumns(builtin).e.getSQLType()).toBe(cols.embedding.getSQLType());
    expect(getTableColumns(builtin).h.getSQLType()).toBe(cols.half.getSQLType());
  });

  it('infer select types: number[] for vector/halfvec, SparseVector, string for bit', () => {
    type Row = typeof items.$inferSelect;
    expectTypeOf<Row['embedding']>().toEqualTypeOf<number[] | null>();
    expectTypeOf<Row['half']>().toEqualTypeOf<number[] | null>();
    expectTypeOf<Row['sparse']>().toEqualTypeOf<SparseVector | null>();
    expectTypeOf<Row['code']>().toEqualTypeOf<string | null>();
  });

  it('validate the dimensions option when declared', () => {
    expectCode(() => vector('e', { dimensions: 0 }), 'EMPTY_VECTOR');
    const e = expectCode(() => vector('e', { dimensions: 16001 }), 'TOO_MANY_DIMENSIONS');
    expect(e.message).toMatch(/dimensions 16001 is invalid; use an integer from 1 to 16000/);
    expectCode(() => halfvec('e', { dimensions: 1.5 }), 'INVALID_COLUMN_OPTION');
    expectCode(() => sparsevec('e', { dimensions: 1_000_000_001 }), 'TOO_MANY_DIMENSIONS');
    expectCode(() => bit('e', {} as never), 'INVALID_COLUMN_OPTION');
    expect(vector({ dimensions: 3 })).toBeDefined();
  });

  it('switching from drizzle-orm/pg-core vector/halfvec to ours generates an empty migration', async () => {
    const before = pgTable('docs', { id: serial('id').primaryKey(), e: drizzleVector('e', { dimensions: 1536 }), h: drizzleHalfvec('h', { dimensions: 8 }) });
    const after = pgTable('docs', { id: serial('id').primaryKey(), e: vector('e', { dimensions: 1536 }), h: halfvec('h', { dimensions: 8 }) });
    const statements = await generateMigration(generateDrizzleJson({ before }), generateDrizzleJson({ after }));
    expect(statements).toEqual([]);
  });
});

describe('columns against pgvector', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.query(`drop table if exists col_items`);
    await database.query(
      `create table col_items (id serial primary key, title text, embedding vector(3), any_dims vector, half halfvec(2), sparse sparsevec(5), code bit(4))`,
    );
  });
  afterAll(async () => {
    await database?.query(`drop table if exists col_items`).catch(() => undefined);
    await database?.close();
  });

  it('round-trip every type with the declared select types', async () => {
    const { db } = database;
    await db.insert(items).values({
      title: 'a',
      embedding: [1, 2, 3],
      anyDims: [1, 2, 3, 4, 5],
      half: [0.5, -1],
      sparse: new SparseVector(5, [1, 4], [1.5, -2]),
      code: '0110',
    });
    const [row] = await db.select().from(items).where(eq(items.title, 'a'));
    expect(row!.embedding).toEqual([1, 2, 3]);
    expect(row!.anyDims).toEqual([1, 2, 3, 4, 5]);
    expect(row!.half).toEqual([0.5, -1]);
    expect(row!.sparse).toBeInstanceOf(SparseVector);
    expect(row!.sparse!.toDense()).toEqual([0, 1.5, 0, 0, -2]);
    expect(row!.code).toBe('0110');
  });

  it('accept Float32Array / Float64Array and pgvector-node SparseVector on insert', async () => {
    const { SparseVector: Theirs } = await import('pgvector');
    await database.db.insert(items).values({
      title: 'typed',
      embedding: vectorInput(new Float32Array([0.25, 0.5, 1])),
      half: vectorInput(new Float64Array([2, 4])),
      sparse: new Theirs([0, 0, 3, 0, 0]) as unknown as SparseVector,
    });
    const [row] = await database.db.select().from(items).where(eq(items.title, 'typed'));
    expect(row!.embedding).toEqual([0.25, 0.5, 1]);
    expect(row!.half).toEqual([2, 4]);
    expect(row!.sparse!.toString()).toBe('{3:3}/5');
  });

  it('a multi-row insert with one bad row throws before anything is written', async () => {
    const count = async () => Number((await database.query<{ n: string }>(`select count(*) as n from col_items`))[0]!.n);
    const before = await count();
    const rows = Array.from({ length: 50 }, (_, i) => ({ title: `batch-${i}`, embedding: [i, i, i] }));
    rows[37] = { title: 'bad', embedding: [1, NaN, 3] };
    let error: unknown;
    try {
      await database.db.insert(items).values(rows);
    } catch (e) {
      error = e;
    }
    expect(PgVectorError.is(error, 'NON_FINITE_VALUE')).toBe(true);
    expect((error as Error).message).toContain('column "col_items"."embedding" (vector(3))');
    expect(await count()).toBe(before);
  });

  it('every invalid value is rejected client-side with its code', async () => {
    const { db } = database;
    const cases: [Partial<typeof items.$inferInsert>, string][] = [
      [{ embedding: [1, 2] }, 'DIMENSION_MISMATCH'],
      [{ embedding: [] }, 'EMPTY_VECTOR'],
      [{ anyDims: new Array(16001).fill(1) }, 'TOO_MANY_DIMENSIONS'],
      [{ embedding: [1, Infinity, 2] }, 'NON_FINITE_VALUE'],
      [{ embedding: [1, 'x' as unknown as number, 2] }, 'INVALID_VECTOR_VALUE'],
      [{ half: [1, 70000] }, 'VALUE_OUT_OF_RANGE'],
      [{ sparse: { dimensions: 5, indices: [1, 1], values: [1, 2] } as unknown as SparseVector }, 'INVALID_SPARSE_VECTOR'],
      [{ sparse: { dimensions: 5, indices: [5], values: [1] } as unknown as SparseVector }, 'INVALID_SPARSE_VECTOR'],
      [{ code: '01a1' }, 'INVALID_BIT_STRING'],
      [{ code: '011' }, 'INVALID_BIT_STRING'],
    ];
    for (const [values, code] of cases) {
      let error: unknown;
      try {
        await db.insert(items).values({ title: 'never', ...values });
      } catch (e) {
        error = e;
      }
      expect(PgVectorError.is(error), `${JSON.stringify(values).slice(0, 60)} should fail with ${code}`).toBe(true);
      expect((error as PgVectorError).code).toBe(code);
    }
    const never = await database.query(`select 1 from col_items where title = 'never'`);
    expect(never).toHaveLength(0);
  });

  it('update and where params are validated too', async () => {
    expect(() => database.db.update(items).set({ embedding: [1, 2] }).where(eq(items.title, 'a')).toSQL()).toThrow(PgVectorError);
    await database.db.update(items).set({ embedding: [3, 2, 1] }).where(eq(items.title, 'a'));
    const rows = await database.db.select({ e: items.embedding }).from(items).where(sql`${items.title} = 'a'`);
    expect(rows[0]!.e).toEqual([3, 2, 1]);
  });
});
