import { sql } from 'drizzle-orm';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asHalfvec, hnswIndex, nearest, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';

/** Rows of `nearest` without `select` are typed as the target table's select model (plus distance). */

const notes = pgTable(
  'typed_notes',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    rank: integer('rank'),
    embedding: vector('embedding', { dimensions: 3 }),
  },
  (t) => [hnswIndex('typed_notes_embedding').on(t.embedding, 'cosine')],
);
const other = pgTable('typed_other', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }) });
const schema = { notes, other };

let database: PgVectorTestDatabase<typeof schema>;

beforeAll(async () => {
  database = await startTestDatabase({ schema });
  await database.query('create table typed_notes (id serial primary key, title text not null, rank integer, embedding vector(3))');
  await database.query('create table typed_other (id serial primary key, embedding vector(3))');
  await database.query(`insert into typed_notes (title, rank, embedding) values ('a', 1, '[1,0,0]'), ('b', null, '[0,1,0]'), ('c', 3, '[0,0,1]')`);
});

afterAll(async () => {
  await database?.query('drop table if exists typed_notes, typed_other').catch(() => undefined);
  await database?.close();
});

describe('nearest rows without select', () => {
  it('are the table select model plus distance when the database has the schema', async () => {
    const rows = await nearest(database.db, notes.embedding, [1, 0.1, 0], { k: 2 });
    expect(rows.map((r) => r.title)).toEqual(['a', 'b']);
    expect(rows[0]).toEqual({ id: 1, title: 'a', rank: 1, embedding: [1, 0, 0], distance: expect.any(Number) });
    expectTypeOf(rows[0]!).toEqualTypeOf<typeof notes.$inferSelect & { distance: number }>();
    expectTypeOf(rows[0]!.title).toEqualTypeOf<string>();
    expectTypeOf(rows[0]!.rank).toEqualTypeOf<number | null>();
  });

  it('are typed through expression targets too (asHalfvec keeps the table)', async () => {
    const rows = await nearest(database.db, asHalfvec(notes.embedding, 3), [0, 0, 1], { k: 1, metric: 'cosine' });
    expect(rows[0]!.title).toBe('c');
    expectTypeOf(rows[0]!.embedding).toEqualTypeOf<number[] | null>();
  });

  it('select: table types rows without a schema-aware database, and checks it is the searched table', async () => {
    // The same database typed as one created without `schema` (drizzle({ client })).
    const plain = database.db as unknown as PgVectorDrizzleDatabase;
    const untyped = await nearest(plain, notes.embedding, [1, 0, 0], { k: 1 });
    expectTypeOf(untyped[0]!).toEqualTypeOf<Record<string, unknown> & { distance: number }>();
    expect(untyped[0]!['title']).toBe('a');

    const rows = await nearest(plain, notes.embedding, [1, 0, 0], { k: 1, select: notes });
    expectTypeOf(rows[0]!).toEqualTypeOf<typeof notes.$inferSelect & { distance: number }>();
    expect(rows[0]).toMatchObject({ id: 1, title: 'a', rank: 1 });

    const error = await expectCodeAsync(() => nearest(plain, notes.embedding, [1, 0, 0], { k: 1, select: other }), 'INVALID_QUERY_OPTION');
    expect(error.message).toContain('"typed_other"');
    expect(error.message).toContain('"typed_notes"');
  });

  it('a select object still types exactly its fields', async () => {
    const rows = await nearest(database.db, notes.embedding, [1, 0, 0], { k: 1, select: { t: notes.title, r: sql<number>`${notes.rank} * 2`.mapWith(Number) } });
    expect(rows[0]).toEqual({ t: 'a', r: 2, distance: expect.any(Number) });
    expectTypeOf(rows[0]!).toEqualTypeOf<{ t: string; r: number } & { distance: number }>();
  });
});
