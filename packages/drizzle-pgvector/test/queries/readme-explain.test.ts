import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { hnswIndex, nearestSql, vector } from '../../src/index.js';

/** The README's `nearestSql` + EXPLAIN example, run as written (issue 10: it used to fail with "there is no parameter $1"). */
const items = pgTable('readme_items', { id: serial('id').primaryKey(), lang: text('lang').notNull(), embedding: vector('embedding', { dimensions: 3 }) }, (t) => [
  hnswIndex('readme_items_embedding_hnsw').on(t.embedding, 'cosine'),
]);

let database: PgVectorTestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  await database.query('drop table if exists readme_items');
  await database.query('create table readme_items (id serial primary key, lang text not null, embedding vector(3))');
  await database.query('create index readme_items_embedding_hnsw on readme_items using hnsw (embedding vector_cosine_ops)');
  await database.query(`insert into readme_items (lang, embedding) select case when i % 2 = 0 then 'en' else 'de' end, array[i, 1, i % 5 + 1]::vector from generate_series(1, 200) i`);
  pool = new pg.Pool({ connectionString: database.url!, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await database?.query('drop table if exists readme_items').catch(() => undefined);
  await database?.close();
});

it('runs the plan with its params bound, after its statements, in one transaction', async () => {
  const db = drizzle({ client: pool });
  const q = [1, 2, 3];
  const plan = await nearestSql(db, items.embedding, q, { k: 10, where: eq(items.lang, 'en'), strategy: 'index' });
  expect(plan.statements.length).toBeGreaterThan(0);
  const client = await pool.connect();
  let text: string;
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off'); // a 200-row table would be scanned sequentially otherwise
    for (const statement of plan.statements) await client.query(statement);
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${plan.sql}`, [...plan.params]);
    text = rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
  expect(text).toMatch(/Index Scan using readme_items_embedding_hnsw on readme_items/);
});
