import { sql } from 'drizzle-orm';
import { getTableConfig, pgTable, serial, text, type PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { hnswIndex, ivfflatIndex, vector } from '../../src/index.js';
import { expectCode } from '../helpers.js';

/** A table named `kx_t` with one vector index built by `index`. */
function tableWith(index: (t: { embedding: never; tag: never }) => unknown): PgTable {
  return pgTable(
    'kx_t',
    { id: serial('id').primaryKey(), tag: text('tag'), embedding: vector('embedding', { dimensions: 3 }) },
    (t) => [index(t as never) as never],
  );
}

async function ddl(table: PgTable): Promise<string[]> {
  return generateMigration(generateDrizzleJson({}), generateDrizzleJson({ table }));
}

describe('index names drizzle-kit cannot quote are rejected at definition time', () => {
  it.each([
    ['a double quote that would inject DDL', 'kx" ON "t" ("id") WITH (fillfactor=10) --', '"', 2],
    ['a semicolon (drizzle-kit splits its snapshot on ;)', 'kx;drop', ';', 2],
    ['NUL', 'kx\u0000', '\u0000', 2],
    ['a newline', 'kx\nidx', '\n', 2],
    ['a tab', '\tkx', '\t', 0],
    ['DEL', 'kx\u007f', '\u007f', 2],
  ])('%s', (_what, name, character, position) => {
    for (const build of [hnswIndex, ivfflatIndex]) {
      const e = expectCode(() => build(name), 'INVALID_INDEX_DEFINITION');
      expect(e.details).toMatchObject({ name, character, position });
      expect(e.message).toContain(JSON.stringify(name));
      expect(e.message).toMatch(/Use a name without ", ; or control characters/);
    }
  });

  it('the injected name never reaches drizzle-kit', () => {
    expectCode(
      () => getTableConfig(tableWith((t) => hnswIndex('kx" ON "t" ("id") WITH (fillfactor=10) --').on(t.embedding, 'l2'))),
      'INVALID_INDEX_DEFINITION',
    );
  });

  it('a predicate containing ; is rejected (drizzle-kit would cut it at the ;)', () => {
    const e = expectCode(
      () => getTableConfig(tableWith((t) => hnswIndex('kx_tag').on(t.embedding, 'l2').where(sql`${t.tag} = 'a;b'`))),
      'INVALID_INDEX_DEFINITION',
    );
    expect(e.message).toMatch(/contains a semicolon/);
    expect(e.message).toMatch(/chr\(59\)/);
    expect(e.details).toMatchObject({ condition: `"kx_t"."tag" = 'a;b'` });
  });
});

describe('names and predicates we accept build exactly that index', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.query('drop table if exists kx_t').catch(() => undefined);
    await database?.close();
  });

  it.each([["it's -- a name, with,, odd ∂ characters"], ['Mixed Case'], ['x'.repeat(63)]])('%s', async (name) => {
    const statements = await ddl(tableWith((t) => hnswIndex(name).on(t.embedding, 'cosine').where(sql`${t.tag} = 'a' || chr(59) || 'b'`)));
    await database.query('drop table if exists kx_t');
    for (const statement of statements) await database.query(statement);
    const rows = await database.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where tablename = 'kx_t' and indexdef like '%hnsw%'`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([name]);
    expect(rows[0]!.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\) WHERE \(tag = \(\('a'::text \|\| chr\(59\)\) \|\| 'b'::text\)\)$/);
  });
});
