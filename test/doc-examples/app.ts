// The prelude of the docs' code fragments (scripts/check-examples.mjs): a block marked
// `<!-- example: prelude=app -->` imports from here every name it uses but does not declare or import itself.
// An app on node-postgres with the tables the guides use; type-checked, never connected (a pg.Pool connects on
// its first query). Runnable blocks use ./pglite.ts, which has the same names on an embedded database.
import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { index, integer, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core';
import { binaryQuantize, hnswIndex, ivfflatIndex, searchDocument, tsvector, vector } from 'drizzle-pgvector';
import type { PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import pg from 'pg';

export * from 'drizzle-pgvector';
export * from 'drizzle-pgvector/catalog';
export { isNonTransactionalStatement, migrate, vectorExtensionMigration } from 'drizzle-pgvector/migrator';
export { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
export { drizzle } from 'drizzle-orm/node-postgres';
export { index, integer, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core';
export { default as pg } from 'pg';

export const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    title: text('title'),
    lang: text('lang'),
    tenantId: integer('tenant_id'),
    embedding: vector('embedding', { dimensions: 1536 }),
    anyModel: vector('any_model'),
    large: vector('large', { dimensions: 3072 }),
  },
  (t) => [
    hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine'),
    hnswIndex('items_bq').on(binaryQuantize(t.embedding), 'hamming'),
  ],
);

/** A table whose column has rows of several dimensions (docs/indexes.md, mixed dimensions). */
export const documents = pgTable('documents', { id: serial('id').primaryKey(), embedding: vector('embedding') });

/** A table with both an HNSW and an IVFFlat index on one column (docs/indexes.md, several indexes). */
export const docs = pgTable(
  'docs',
  { id: serial('id').primaryKey(), lang: text('lang'), embedding: vector('embedding', { dimensions: 1536 }) },
  (t) => [hnswIndex('docs_embedding_hnsw').on(t.embedding, 'cosine'), ivfflatIndex('docs_embedding_ivfflat').on(t.embedding, 'cosine').with({ lists: 100 })],
);

/** docs/hybrid-search.md's table. */
export const articles = pgTable(
  'articles',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    lang: text('lang'),
    summary: varchar('summary', { length: 300 }),
    body: text('body'),
    embedding: vector('embedding', { dimensions: 1536 }),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => searchDocument({ config: 'english', weights: { A: articles.title, B: articles.summary, C: articles.body } }),
    ),
  },
  (t) => [index('articles_search').using('gin', t.search), hnswIndex('articles_embedding_hnsw').on(t.embedding, 'cosine')],
);

export const schema = { items, documents, docs, articles };
export const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
// A variable, not a literal: drizzle-orm 1.0 takes `relations` instead of `schema` (and ignores it), 0.45 types by it.
const config = { client: pool, schema };
export const db = drizzle(config);
/** `t` in a fragment that stands inside a table's index callback: the table's columns. */
export const t = items;
/** A query embedding. */
export const q: number[] = Array.from({ length: 1536 }, (_, i) => Math.sin(i));
export const embedding = q;
export const rows: { embedding: number[] }[] = [{ embedding: q }];
export const userQueries: number[][] = [q];
export async function* readEmbeddings(): AsyncGenerator<{ id: number; embedding: number[] }> {
  yield { id: 1, embedding: q };
}
export const buffer = new Float32Array(q).buffer;
export const expression = sql`1`;

export { isContainerRuntimeAvailable, resolveBackend, rowsOf, servePgliteWithCopy, startTestDatabase } from '@drizzle-pgvector/testing';
/** The database of a test (docs/testing.md): type only, a fragment using it is not run. */
export declare const database: PgVectorTestDatabase<Record<string, never>>;
