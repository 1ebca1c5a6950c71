/**
 * The `tsvector` column and `searchDocument` through the real drizzle-kit CLI (issue 17 item 1): `generate` writes
 * a stored generated column and the GIN index, a second `generate` finds no changes; `push` twice on an empty
 * database, the second finds no changes; the migrated table answers `@@ websearch_to_tsquery` through the GIN index.
 * On the installed drizzle-kit (0.31 here, 1.0 under compat/drizzle-1/run.mjs), on PGlite (served) or a URL server.
 */
import { join } from 'node:path';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { desc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articles } from './fixtures/text-search.js';
import { drizzleKit, FIXTURES, readGenerated, tempDir, writeConfig } from './helpers/drizzle-kit.js';

const SCHEMA = join(FIXTURES, 'text-search.ts');
const DOCUMENT =
  `((setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char")` +
  ` || setweight(to_tsvector('english'::regconfig, (COALESCE(summary, ''::character varying))::text), 'B'::"char"))` +
  ` || setweight(to_tsvector('english'::regconfig, COALESCE(body, ''::text)), 'C'::"char"))`;

let database: PgVectorTestDatabase;
const work = tempDir('text-search');
const out = join(work.path, 'drizzle');

async function query<T extends Record<string, unknown>>(text: string): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(sql.raw(text)));
}

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  await database.reset();
});
afterAll(async () => {
  await database?.close();
  work.remove();
});

describe('drizzle-kit generate', () => {
  it('writes the stored generated column and the GIN index; the second run finds no changes', async () => {
    const config = writeConfig(work.path, { schema: SCHEMA, out });
    const first = await drizzleKit(['generate'], config);
    expect(first.code, first.output).toBe(0);
    const [migration] = readGenerated(out);
    const statements = migration!.statements.join('\n');
    expect(statements).toMatch(/"search" "?tsvector"? GENERATED ALWAYS AS/);
    expect(statements).toContain(`GENERATED ALWAYS AS (${DOCUMENT}) STORED`);
    expect(statements).toContain('CREATE INDEX "ts_articles_search" ON "ts_articles" USING gin ("search");');
    expect(statements).toMatch(/CREATE INDEX "ts_articles_embedding" ON "ts_articles" USING hnsw \("embedding" vector_cosine_ops\)/);

    const second = await drizzleKit(['generate'], config);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/No schema changes/);
    expect(readGenerated(out)).toHaveLength(1);
  });
});

describe('drizzle-kit push', () => {
  const push = async () => {
    const run = await drizzleKit(['push', '--force'], writeConfig(work.path, { schema: SCHEMA, url: database.url! }));
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(/\berror\b/i);
    return run.output;
  };

  it('run twice on an empty database: the second push finds no changes', async () => {
    await database.reset();
    expect(await push()).toContain('Changes applied');
    const [column] = await query<{ generated: string; expr: string; type: string }>(
      `select is_generated as generated, generation_expression as expr, udt_name as type from information_schema.columns where table_name = 'ts_articles' and column_name = 'search'`,
    );
    expect(column).toEqual({ generated: 'ALWAYS', expr: DOCUMENT, type: 'tsvector' });
    const indexes = await query<{ name: string; method: string }>(
      `select c.relname as name, am.amname as method from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam where i.indrelid = 'ts_articles'::regclass order by 1`,
    );
    expect(indexes).toEqual([
      { name: 'ts_articles_embedding', method: 'hnsw' },
      { name: 'ts_articles_pkey', method: 'btree' },
      { name: 'ts_articles_search', method: 'gin' },
    ]);
    expect(await push()).toContain('No changes detected');
  });
});

describe('the pushed table', () => {
  it('generates the document on insert and answers @@ websearch_to_tsquery through the GIN index', async () => {
    await database.db.insert(articles).values([
      { title: 'Hybrid retrieval', summary: 'keywords and vectors fused by rank', body: 'reciprocal rank fusion', embedding: [1, 0, 0] },
      { title: 'Tuning HNSW', summary: null, body: 'ef_search and recall on postgres', embedding: [0, 1, 0] },
      { title: 'Sourdough', summary: 'bread', body: null, embedding: [0, 0, 1] },
    ]);
    const q = sql`websearch_to_tsquery('english', ${'rank OR recall'})`;
    const rank = sql<number>`ts_rank_cd(${articles.search}, ${q})`;
    const found = await database.db
      .select({ title: articles.title })
      .from(articles)
      .where(sql`${articles.search} @@ ${q}`)
      .orderBy(desc(rank), articles.id);
    expect(found.map((r) => r.title)).toEqual(['Hybrid retrieval', 'Tuning HNSW']);

    const statement = database.db.select({ id: articles.id }).from(articles).where(sql`${articles.search} @@ websearch_to_tsquery('english', 'bread')`).toSQL();
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf<Record<string, string>>(await tx.execute(sql.raw(`explain ${statement.sql}`)))
        .map((r) => Object.values(r)[0])
        .join('\n');
    });
    expect(plan).toMatch(/Bitmap Index Scan on ts_articles_search/);
  });
});
