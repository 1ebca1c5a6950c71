import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asVector, columnDimensions, halfvec, hnswIndex, nearest, sparsevec, vector, vectorIndexes } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { onKitLine } from '../../../../test/helpers/drizzle-kit.js';

const mixed = pgTable('cd_mixed', {
  id: integer('id').primaryKey(),
  label: text('label'),
  embedding: vector('embedding'),
  half: halfvec('half'),
  sparse: sparsevec('sparse'),
  fixed: vector('fixed', { dimensions: 3 }),
  /** Declared without dimensions, but vector(3) in the database. */
  drifted: vector('drifted'),
});
/** The schema lines columnDimensions suggests for cd_mixed.embedding, declared. */
const declared = pgTable(
  'cd_mixed',
  { id: integer('id').primaryKey(), embedding: vector('embedding') },
  (t) => [hnswIndex('cd_mixed_embedding_3').on(asVector(t.embedding, 3), 'cosine'), hnswIndex('cd_mixed_embedding_2').on(asVector(t.embedding, 2), 'cosine')],
);
const plain = pgTable('cd_plain', { id: integer('id'), name: text('name') });
const absent = pgTable('cd_absent', { id: integer('id'), embedding: vector('embedding') });

let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase();
  await database.query('drop table if exists cd_mixed cascade');
  await database.query(
    'create table cd_mixed (id integer primary key, label text, embedding vector, half halfvec, sparse sparsevec, fixed vector(3), drifted vector(3))',
  );
  // embedding: 5 × 3-d, 3 × 2-d, 1 × 2500-d, 2 NULL.
  await database.query(
    `insert into cd_mixed (id, embedding, half, sparse) values
       (1, '[1,2,3]', '[1,2,3]', '{1:1}/3'), (2, '[1,0,3]', '[1,2]', '{1:1}/3'), (3, '[0,2,3]', '[1,2]', '{2:1}/5'),
       (4, '[1,2,0]', null, '{1:1}/5'), (5, '[3,2,1]', null, '{1:1}/5'),
       (6, '[1,2]', null, null), (7, '[2,1]', null, null), (8, '[0,1]', null, null),
       (9, array_fill(0.5::real, ARRAY[2500])::vector, null, null), (10, null, null, null), (11, null, null, null)`,
  );
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists cd_mixed cascade').catch(() => undefined);
  await database?.close();
});

describe('columnDimensions', () => {
  it('reads the distribution of a mixed-dimension column and suggests one partial index per count', async () => {
    const report = await columnDimensions(database.db, mixed, mixed.embedding);
    console.log(JSON.stringify(report, null, 2));
    expect(report).toMatchObject({ schema: 'public', table: 'cd_mixed', column: 'embedding', type: 'vector', nulls: 2, rows: 11, note: undefined });
    expect(report.dimensions).toEqual([
      { dimensions: 3, rows: 5 },
      { dimensions: 2, rows: 3 },
      { dimensions: 2500, rows: 1 },
    ]);
    expect(report.indexes.map((i) => i.schemaLine)).toEqual([
      "hnswIndex('cd_mixed_embedding_3').on(asVector(t.embedding, 3), 'cosine')",
      "hnswIndex('cd_mixed_embedding_2').on(asVector(t.embedding, 2), 'cosine')",
      "hnswIndex('cd_mixed_embedding_2500').on(asHalfvec(t.embedding, 2500), 'cosine')",
    ]);
    expect(report.indexes[0]!.sql).toBe(
      onKitLine(['CREATE INDEX "cd_mixed_embedding_3" ON "cd_mixed" USING hnsw (("embedding"::vector(3)) vector_cosine_ops) WHERE vector_dims("cd_mixed"."embedding") = 3;'])[0],
    );
    expect(report.indexes[2]!.note).toContain('half precision');
    expect(report.indexes[0]!.note).toBeUndefined();
    // The suggested SQL builds, and equals what the schema lines declare (no drift for them).
    for (const i of report.indexes) await database.query(i.sql);
    const { drift } = await vectorIndexes(database.db, { tables: [declared] });
    expect(drift.filter((d) => d.index === 'cd_mixed_embedding_3' || d.index === 'cd_mixed_embedding_2')).toEqual([]);
    // A query through the same target is answered from the rows of that dimension count.
    const hits = await nearest(database.db, asVector(declared.embedding, 2), [1, 2], { k: 5, metric: 'cosine' });
    expect(hits).toHaveLength(3);
  });

  it('takes the column by name (SQL name or key), other methods and metrics, halfvec and sparsevec columns', async () => {
    const half = await columnDimensions(database.db, mixed, 'half', { method: 'ivfflat', metric: 'l2' });
    expect(half.dimensions).toEqual([
      { dimensions: 2, rows: 2 },
      { dimensions: 3, rows: 1 },
    ]);
    expect(half.nulls).toBe(8);
    expect(half.indexes[0]!.schemaLine).toBe("ivfflatIndex('cd_mixed_half_2').on(asHalfvec(t.half, 2), 'l2')");
    expect(half.indexes[0]!.sql).toContain(onKitLine(['USING ivfflat (("half"::halfvec(2)) halfvec_l2_ops) WHERE vector_dims("cd_mixed"."half") = 2'])[0]);
    const sparse = await columnDimensions(database.db, mixed, 'sparse');
    expect(sparse.dimensions).toEqual([
      { dimensions: 5, rows: 3 },
      { dimensions: 3, rows: 2 },
    ]);
    expect(sparse.indexes).toEqual([]);
    expect(sparse.note).toContain('sparsevec');
  });

  it('rejects bad arguments before any SQL, with codes', async () => {
    const e1 = await expectCodeAsync(() => columnDimensions(database.db, mixed, mixed.fixed), 'COLUMN_HAS_FIXED_DIMENSIONS');
    expect(e1.message).toContain('vector(3)');
    expect(e1.message).toContain('index the column directly');
    await expectCodeAsync(() => columnDimensions(database.db, mixed, 'label'), 'NOT_A_VECTOR_COLUMN');
    const e2 = await expectCodeAsync(() => columnDimensions(database.db, mixed, 'nope'), 'UNKNOWN_COLUMN');
    expect(e2.message).toContain('embedding, half, sparse, fixed, drifted');
    await expectCodeAsync(() => columnDimensions(database.db, mixed, declared.embedding), 'UNKNOWN_COLUMN');
    await expectCodeAsync(() => columnDimensions(database.db, plain, 'name'), 'NO_VECTOR_COLUMNS');
    await expectCodeAsync(() => columnDimensions(database.db, 'cd_mixed' as never, 'embedding'), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => columnDimensions(database.db, mixed, 'embedding', { metric: 'euclid' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => columnDimensions(database.db, mixed, 'embedding', { method: 'btree' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => columnDimensions(database.db, mixed, 'embedding', { k: 1 } as never), 'INVALID_OPERATION_OPTION');
  });

  it('checks the database side: a missing table, a column with fixed dimensions there', async () => {
    const e1 = await expectCodeAsync(() => columnDimensions(database.db, absent, 'embedding'), 'TABLE_NOT_FOUND');
    expect(e1.message).toContain('"cd_absent"');
    const e2 = await expectCodeAsync(() => columnDimensions(database.db, mixed, 'drifted'), 'COLUMN_HAS_FIXED_DIMENSIONS');
    expect(e2.message).toContain('vector(3)');
  });
});
