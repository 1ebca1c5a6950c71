/**
 * vectorColumns and inspectDatabase on the current backend (PGlite by default, a server with
 * PGVECTOR_TEST_BACKEND=url): the columns of the catalog's vector types with rows and indexes, and the findings —
 * each with SQL that is then run, and gone afterwards.
 */
import { integer, pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asVector, bit, hnswIndex, inspectDatabase, vector, vectorColumns, type InspectionFinding, type VectorColumnReport } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';

const vc = pgSchema('vc');
/** Declared without dimensions; the database holds 3- and 2-dimensional rows. One partial index declared. */
const mixed = vc.table('mixed', { id: integer('id').primaryKey(), embedding: vector('embedding') }, (t) => [hnswIndex('mixed_embedding_3').on(asVector(t.embedding, 3), 'cosine')]);
/** vector(3) in the schema, vector(4) in the database. */
const drifted = vc.table('drifted', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }) });
/** A declared bit column is reported; the undeclared one of vc.codes is not. */
const flags = vc.table('flags', { id: integer('id').primaryKey(), code: bit('code', { dimensions: 8 }) });

let database: PgVectorTestDatabase;

const inVc = (columns: readonly VectorColumnReport[]) => columns.filter((c) => c.schema === 'vc');
const finding = (findings: readonly InspectionFinding[], kind: string, subject: string) => findings.find((f) => f.kind === kind && f.subject === subject);

beforeAll(async () => {
  database = await startTestDatabase();
  await database.query('DROP SCHEMA IF EXISTS vc CASCADE');
  await database.query('CREATE SCHEMA vc');
  await database.query('CREATE TABLE vc.docs (id int PRIMARY KEY, embedding vector(3072))');
  await database.query('CREATE TABLE vc.books (id int PRIMARY KEY, embedding vector(5000))');
  await database.query('CREATE TABLE vc.small (id int PRIMARY KEY, embedding vector(3))');
  await database.query('CREATE INDEX vc_small_half ON vc.small USING hnsw ((embedding::halfvec(3)) halfvec_cosine_ops)');
  await database.query('CREATE TABLE vc.mixed (id int PRIMARY KEY, embedding vector)');
  await database.query(`INSERT INTO vc.mixed VALUES (1, '[1,2,3]'), (2, '[1,0,3]'), (3, '[1,2]')`);
  await database.query('CREATE TABLE vc.drifted (id int PRIMARY KEY, embedding vector(4))');
  await database.query('CREATE TABLE vc.codes (id int PRIMARY KEY, code bit(8))');
  await database.query('CREATE TABLE vc.flags (id int PRIMARY KEY, code bit(8))');
  // The planner's statistics say a million rows: no large table to load.
  await database.query(`UPDATE pg_class SET reltuples = 1000000 WHERE oid IN ('vc.docs'::regclass, 'vc.books'::regclass)`);
}, 300_000);
afterAll(async () => {
  await database?.query('DROP SCHEMA IF EXISTS vc CASCADE').catch(() => undefined);
  await database?.close();
});

describe('vectorColumns', () => {
  it('without tables: every vector column with its type, dimensions, rows and indexes (an expression index counts); no undeclared bit column', async () => {
    const { columns } = await vectorColumns(database.db);
    expect(inVc(columns).map((c) => `${c.table}.${c.column}`)).toEqual(['books.embedding', 'docs.embedding', 'drifted.embedding', 'mixed.embedding', 'small.embedding']);
    expect(inVc(columns).find((c) => c.table === 'docs')).toEqual({
      schema: 'vc',
      table: 'docs',
      column: 'embedding',
      type: 'vector',
      dimensions: 3072,
      declared: false,
      declaredDimensions: undefined,
      rows: 1_000_000,
      indexes: [],
      distribution: undefined,
    });
    expect(inVc(columns).find((c) => c.table === 'small')).toMatchObject({ dimensions: 3, rows: 0, indexes: ['vc_small_half'] });
    expect(inVc(columns).find((c) => c.table === 'mixed')).toMatchObject({ dimensions: undefined, declared: false, distribution: undefined });
  });

  it("unindexed large columns: chooseIndex's index as DDL and schema line — halfvec past 2000, bits with re-rank past 4000; the SQL runs and the finding is gone", async () => {
    const { findings } = await vectorColumns(database.db);
    const docs = finding(findings, 'unindexed-column', 'docs.embedding')!;
    expect(docs).toMatchObject({ severity: 'warning', schemaLine: "hnswIndex('docs_embedding_hnsw').on(asHalfvec(t.embedding, 3072), 'cosine')" });
    expect(docs.sql).toEqual(['CREATE INDEX CONCURRENTLY "docs_embedding_hnsw" ON "vc"."docs" USING hnsw (("embedding"::halfvec(3072)) halfvec_cosine_ops);']);
    expect(docs.message).toMatch(/^docs\.embedding \(1000000 rows of vector\(3072\)\) has no vector index/);
    expect(docs.message).toMatch(/Build memory \/ index size: asHalfvec → halfvec \d+MB \/ \d+MB; binaryQuantize → bit \d+MB \/ \d+MB\.$/);
    const books = finding(findings, 'unindexed-column', 'books.embedding')!;
    expect(books.schemaLine).toBe("hnswIndex('books_embedding_hnsw').on(binaryQuantize(t.embedding, 5000), 'hamming')");
    expect(books.sql).toEqual(['CREATE INDEX CONCURRENTLY "books_embedding_hnsw" ON "vc"."books" USING hnsw ((binary_quantize("embedding")::bit(5000)) bit_hamming_ops);']);
    expect(books.message).toContain('rerank: { via: binaryQuantize(books.embedding) }');
    expect(finding(findings, 'unindexed-column', 'small.embedding')).toBeUndefined(); // indexed, and small

    for (const statement of [...docs.sql, ...books.sql]) await database.query(statement);
    const after = await vectorColumns(database.db);
    expect(after.findings.filter((f) => f.subject === 'docs.embedding' || f.subject === 'books.embedding')).toEqual([]);
    expect(inVc(after.columns).find((c) => c.table === 'docs')?.indexes).toEqual(['docs_embedding_hnsw']);
  });

  it('with the schema: its tables only; mixed dimensions with the partial index not declared yet; dimensions that differ, with the ALTER that fixes them', async () => {
    const { columns, findings } = await vectorColumns(database.db, { tables: [mixed, drifted, flags] });
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(['drifted.embedding', 'flags.code', 'mixed.embedding']);
    const m = columns.find((c) => c.table === 'mixed')!;
    expect(m).toMatchObject({ declared: true, declaredDimensions: undefined, rows: 3 });
    expect(m.distribution?.dimensions).toEqual([
      { dimensions: 3, rows: 2 },
      { dimensions: 2, rows: 1 },
    ]);
    const mixedFinding = finding(findings, 'mixed-dimensions', 'mixed.embedding')!;
    expect(mixedFinding).toMatchObject({ severity: 'warning', schemaLine: "hnswIndex('mixed_embedding_2').on(asVector(t.embedding, 2), 'cosine')" });
    expect(mixedFinding.message).toContain('2 rows of 3, 1 rows of 2');
    expect(mixedFinding.sql).toHaveLength(1);
    expect(columns.find((c) => c.table === 'flags')).toMatchObject({ type: 'bit', dimensions: 8, declaredDimensions: 8 });

    const differ = finding(findings, 'column-dimensions-differ', 'drifted.embedding')!;
    expect(differ).toMatchObject({ severity: 'action', sql: ['ALTER TABLE "vc"."drifted" ALTER COLUMN "embedding" TYPE vector(3);'] });
    expect(differ.message).toContain('as vector(3), the database has vector(4)');
    await database.query(mixedFinding.sql[0]!);
    await database.query(differ.sql[0]!);
    // The schema line declared, the ALTER run: nothing left to change.
    const declared = vc.table('mixed', { id: integer('id').primaryKey(), embedding: vector('embedding') }, (t) => [
      hnswIndex('mixed_embedding_3').on(asVector(t.embedding, 3), 'cosine'),
      hnswIndex('mixed_embedding_2').on(asVector(t.embedding, 2), 'cosine'),
    ]);
    const after = await vectorColumns(database.db, { tables: [declared, drifted, flags] });
    expect(after.findings).toEqual([]);
    expect(after.columns.find((c) => c.table === 'drifted')?.dimensions).toBe(3);
  });

  it("rows: 'count' counts; bad options fail before any SQL with INVALID_OPERATION_OPTION", async () => {
    await database.query(`UPDATE pg_class SET reltuples = 50 WHERE oid = 'vc.mixed'::regclass`);
    expect((await vectorColumns(database.db, { tables: [mixed], rows: 'count' })).columns[0]?.rows).toBe(3);
    await expectCodeAsync(() => vectorColumns(database.db, { rows: 'all' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorColumns(database.db, { tabels: [mixed] } as never), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorColumns(database.db, { tables: mixed as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorColumns(database.db, { indexes: 'x' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorColumns({} as never), 'INVALID_DATABASE');
  });
});

describe('inspectDatabase', () => {
  it("the server, pgvector's and the build settings, columns, indexes and drift, and every finding, action first", async () => {
    const [extension] = await database.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
    await database.query('CREATE TABLE IF NOT EXISTS vc.pending (id int PRIMARY KEY, embedding vector(3))');
    const pending = vc.table('pending', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }) }, (t) => [
      hnswIndex('pending_embedding_hnsw').on(t.embedding, 'cosine'),
    ]);
    const report = await inspectDatabase(database.db, { tables: { pending, notATable: 1 } });
    expect(report.server.extension.installed).toBe(extension!.extversion);
    expect(report.server.versionNum).toBeGreaterThanOrEqual(140000);
    expect(report.settings.find((s) => s.name === 'hnsw.ef_search')).toMatchObject({ value: '40', default: '40' });
    expect(report.settings.find((s) => s.name === 'maintenance_work_mem')?.value).toMatch(/B$/);
    expect(report.columns.map((c) => `${c.schema}.${c.table}.${c.column}`)).toEqual(['vc.pending.embedding']);
    expect(report.drift.map((d) => [d.kind, d.index])).toEqual([['missing', 'pending_embedding_hnsw']]);
    const missing = finding(report.findings, 'drift-missing', 'pending_embedding_hnsw')!;
    expect(missing).toMatchObject({ severity: 'action', sql: ['CREATE INDEX "pending_embedding_hnsw" ON "vc"."pending" USING hnsw ("embedding" vector_cosine_ops);'] });
    const order = { action: 0, warning: 1, info: 2 };
    expect(report.findings.map((f) => order[f.severity])).toEqual([...report.findings.map((f) => order[f.severity])].sort());
    expect(report.summary).toEqual({
      action: report.findings.filter((f) => f.severity === 'action').length,
      warning: report.findings.filter((f) => f.severity === 'warning').length,
      info: report.findings.filter((f) => f.severity === 'info').length,
    });

    await database.query(missing.sql[0]!);
    const after = await inspectDatabase(database.db, { tables: [pending] });
    expect(after.drift).toEqual([]);
    expect(after.columns[0]?.indexes).toEqual(['pending_embedding_hnsw']);
    // Left: at most the advice to update an old pgvector (PGlite's) with an HNSW index now there.
    expect(after.findings.filter((f) => f.severity === 'action').map((f) => f.kind)).toEqual(after.findings.some((f) => f.kind === 'hnsw-vacuum-fixes') ? ['hnsw-vacuum-fixes'] : []);
  });

  it('bad options fail before any SQL', async () => {
    await expectCodeAsync(() => inspectDatabase(database.db, { rows: 'exact' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => inspectDatabase(database.db, { schema: 'vc' } as never), 'INVALID_OPERATION_OPTION');
  });
});
