// The prelude of the docs' runnable fragments (scripts/check-examples.mjs): a block marked
// `<!-- example: prelude=pglite run -->` imports from here the names it uses but does not declare, and runs.
// The names of ./app.ts on an embedded database (PGlite + pgvector): the same tables with 3 dimensions, created
// and seeded here, so a fragment such as `await nearest(db, items.embedding, q, { k: 10 })` really runs.
import { PGlite } from '@electric-sql/pglite';
import { vector as vectorExtension } from '@electric-sql/pglite-pgvector';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { index, integer, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core';
import { hnswIndex, searchDocument, tsvector, vector } from 'drizzle-pgvector';

export * from 'drizzle-pgvector';
export { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';

export const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    title: text('title'),
    lang: text('lang'),
    tenantId: integer('tenant_id'),
    embedding: vector('embedding', { dimensions: 3 }),
  },
  (t) => [hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine')],
);

export const articles = pgTable(
  'articles',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    lang: text('lang'),
    summary: varchar('summary', { length: 300 }),
    body: text('body'),
    embedding: vector('embedding', { dimensions: 3 }),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => searchDocument({ config: 'english', weights: { A: articles.title, B: articles.summary, C: articles.body } }),
    ),
  },
  (t) => [index('articles_search').using('gin', t.search), hnswIndex('articles_embedding_hnsw').on(t.embedding, 'cosine')],
);

export const client = await PGlite.create({ extensions: { vector: vectorExtension } });
// A variable, not a literal: drizzle-orm 1.0 takes `relations` instead of `schema` (and ignores it), 0.45 types by it.
const config = { client, schema: { items, articles } };
export const db = drizzle(config);
await db.execute(sql`CREATE EXTENSION IF NOT EXISTS vector`);
await db.execute(sql`CREATE TABLE items (id serial PRIMARY KEY, title text, lang text, tenant_id integer, embedding vector(3))`);
await db.execute(sql`CREATE INDEX items_embedding_hnsw ON items USING hnsw (embedding vector_cosine_ops)`);
await db.execute(sql`CREATE TABLE articles (id serial PRIMARY KEY, title text NOT NULL, lang text, summary varchar(300), body text,
  embedding vector(3), search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(summary, '')), 'B') || setweight(to_tsvector('english', coalesce(body, '')), 'C')) STORED)`);

/** A query embedding. */
export const q: number[] = [1, 0.05, 0];
export const embedding = q;
export const rows = [
  { title: 'cat', lang: 'en', tenantId: 7, embedding: [1, 0, 0] },
  { title: 'dog', lang: 'en', tenantId: 7, embedding: [0.9, 0.1, 0] },
  { title: 'car', lang: 'de', tenantId: 8, embedding: [0, 0, 1] },
];
await db.insert(items).values(rows);
await db.insert(articles).values([
  { title: 'pgvector iterative scan', lang: 'en', body: 'recall under filters', embedding: [1, 0, 0] },
  { title: 'rank or recall', lang: 'en', body: 'hybrid search fuses two rankings', embedding: [0, 1, 0] },
]);
/** `t` in a fragment that stands inside a table's index callback: the table's columns. */
export const t = items;
export const buffer = new Float32Array([0.1, 0.2, 0.3]).buffer;
