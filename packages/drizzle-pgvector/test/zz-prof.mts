import { PGlite } from '@electric-sql/pglite';
import { vector as ve } from '@electric-sql/pglite-pgvector';
import { drizzle } from 'drizzle-orm/pglite';
import { eq } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { hnswIndex, vector } from 'drizzle-pgvector';
import { prepare } from '../src/queries/nearest/compile.js';
const t = pgTable('zz_perf', { id: integer('id').primaryKey(), cat: integer('cat').notNull(), embedding: vector('embedding', { dimensions: 64 }).notNull() }, (x) => [hnswIndex('zz_perf_hnsw').on(x.embedding, 'cosine')]);
const client = await PGlite.create({ extensions: { vector: ve } });
await client.exec('create extension vector; create table zz_perf (id int primary key, cat int not null, embedding vector(64) not null); create index on zz_perf(cat); create index zz_perf_hnsw on zz_perf using hnsw (embedding vector_cosine_ops)');
await client.exec(`insert into zz_perf select i, i % 100, (select array_agg(random())::vector(64) from generate_series(1,64) where i > 0) from generate_series(1, 10000) i; analyze zz_perf`);
const db = drizzle({ client });
const q = Array.from({ length: 64 }, () => Math.random());
for (const [label, where] of [['filtered', () => eq(t.cat, 7)], ['unfiltered', () => undefined]] as const) {
  for (let i = 0; i < 2000; i++) await prepare('nearest', db as never, t.embedding, q, { k: 10, where: where(), select: { id: t.id } });
  const t0 = performance.now();
  const N = 20000;
  for (let i = 0; i < N; i++) await prepare('nearest', db as never, t.embedding, q, { k: 10, where: where(), select: { id: t.id } });
  console.log(label, ((performance.now() - t0) / N * 1000).toFixed(1), 'µs per prepare');
}
await client.close();
