/**
 * src/text-search: the `tsvector` column and `searchDocument` (issue 17 item 1). The SQL is checked against what
 * PostgreSQL stores for the generated column (it must print back unchanged so drizzle-kit finds no difference), the
 * column against real inserts and `@@ websearch_to_tsquery` queries, and every bad input against its code.
 * drizzle-kit's CLI (generate / push twice) runs in test/text-search.test.ts at the workspace root.
 */
import { desc, sql, type SQL } from 'drizzle-orm';
import { PgDialect, getTableConfig, index, integer, pgTable, serial, text, varchar } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { PgVectorError, searchDocument, tsvector } from '../../src/index.js';
import { QUOTED_KEYWORDS } from '../../src/text-search/quoted-keywords.js';
import { drizzleLine } from '../../src/internal.js';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import { expectCode } from '../helpers.js';

const articles = pgTable(
  'ts_doc_articles',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    body: varchar('body', { length: 500 }),
    order: text('order'),
    rank: integer('rank'),
    subTitle: text('Sub Title'),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL => searchDocument({ config: 'english', weights: { A: articles.title, B: articles.body, C: articles.subTitle, D: articles.order } }),
    ),
    plain: tsvector('plain'),
  },
  (t) => [index('ts_doc_articles_search').using('gin', t.search)],
);
const other = pgTable('ts_doc_other', { id: serial('id').primaryKey(), note: text('note') });

const compile = (expression: SQL) => new PgDialect().sqlToQuery(expression);
const A = `setweight(to_tsvector('english'::regconfig, COALESCE(title, ''::text)), 'A'::"char")`;
const B = `setweight(to_tsvector('english'::regconfig, (COALESCE(body, ''::character varying))::text), 'B'::"char")`;
const C = `setweight(to_tsvector('english'::regconfig, COALESCE("Sub Title", ''::text)), 'C'::"char")`;
const D = `setweight(to_tsvector('english'::regconfig, COALESCE("order", ''::text)), 'D'::"char")`;

describe('searchDocument SQL', () => {
  it('weights each column with setweight, in A → D order, inlined (no parameters), as PostgreSQL prints it', () => {
    const { sql: text, params } = compile(searchDocument({ config: 'english', weights: { D: articles.order, B: articles.body, A: articles.title } }));
    expect(text).toBe(`((${A} || ${B}) || ${D})`);
    expect(params).toEqual([]);
  });

  it('one column: no parentheses; columns without weights: to_tsvector alone; several columns under one weight', () => {
    expect(compile(searchDocument({ config: 'simple', columns: [articles.title] })).sql).toBe(`to_tsvector('simple'::regconfig, COALESCE(title, ''::text))`);
    expect(compile(searchDocument({ config: 'english', weights: { A: [articles.title, articles.order] } })).sql).toBe(
      `(${A} || setweight(to_tsvector('english'::regconfig, COALESCE("order", ''::text)), 'A'::"char"))`,
    );
    expectTypeOf(searchDocument({ config: 'english', columns: [articles.title] })).toEqualTypeOf<SQL<string>>();
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a weight other than A–D', () => searchDocument({ config: 'english', weights: { E: articles.title } as never }), /weight "E" is not one of A, B, C, D/],
    ['a lowercase weight', () => searchDocument({ config: 'english', weights: { a: articles.title } as never }), /Did you mean 'A'\?/],
    ['no columns', () => searchDocument({ config: 'english', weights: {} }), /no columns given/],
    ['an empty column list', () => searchDocument({ config: 'english', columns: [] }), /no columns given/],
    ['an empty list for a weight', () => searchDocument({ config: 'english', weights: { A: [] } }), /weight A has an empty column list/],
    ['a column given twice', () => searchDocument({ config: 'english', weights: { A: articles.title, B: [articles.title] } }), /"ts_doc_articles"."title" is given twice/],
    ['a non-text column', () => searchDocument({ config: 'english', columns: [articles.rank] }), /"ts_doc_articles"."rank" is integer, not text/],
    ['columns of two tables', () => searchDocument({ config: 'english', columns: [articles.title, other.note] }), /belongs to another table than "ts_doc_articles"/],
    ['not a column', () => searchDocument({ config: 'english', weights: { A: 'title' as never } }), /weights.A is string "title", not a column/],
    ['a config that is not a name', () => searchDocument({ config: "english'); drop table x; --", columns: [articles.title] }), /is not a text search configuration name/],
    ['an uppercase config', () => searchDocument({ config: 'English', columns: [articles.title] }), /lowercase configuration name/],
    ['weights and columns together', () => searchDocument({ config: 'english', weights: { A: articles.title }, columns: [articles.body] } as never), /either weights or columns/],
    ['an unknown option', () => searchDocument({ config: 'english', columns: [articles.title], weight: {} } as never), /searchDocument\(\): unknown option 'weight'\. Did you mean 'weights'\?/],
  ])('rejects %s with INVALID_SEARCH_DOCUMENT', (_name, fn, message) => {
    expect(expectCode(fn, 'INVALID_SEARCH_DOCUMENT').message).toMatch(message);
  });
});

describe('tsvector column', () => {
  it('is a tsvector, selected as its text form, generated when declared so', () => {
    const config = getTableConfig(articles);
    const search = config.columns.find((c) => c.name === 'search')!;
    expect(search.getSQLType()).toBe('tsvector');
    expect(search.generated?.type).toBe('always');
    expect(config.indexes[0]!.config.method).toBe('gin');
    expectTypeOf<typeof articles.$inferSelect.plain>().toEqualTypeOf<string | null>();
  });

  it('rejects a value that is not a string before any SQL', () => {
    const e = expectCode(() => articles.plain.mapToDriverValue(['cat'] as never), 'INVALID_TSVECTOR_VALUE');
    expect(e.message).toMatch(/expected PostgreSQL's text form .* got array of length 1/);
    expect(PgVectorError.is(e)).toBe(true);
  });

  it('drizzle-kit (programmatic API) emits the generated column and the GIN index, and nothing on the second diff', async () => {
    const first = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ articles }));
    const ddl = first.join('\n');
    // (drizzle-kit 0.31 quotes a custom type's name, "tsvector"; PostgreSQL reads both spellings as tsvector.)
    expect(ddl).toMatch(/"search" "?tsvector"? GENERATED ALWAYS AS/);
    expect(ddl).toContain(`GENERATED ALWAYS AS ((((${A} || ${B}) || ${C}) || ${D})) STORED`);
    expect(first.join('\n')).toMatch(/CREATE INDEX "ts_doc_articles_search" ON "ts_doc_articles" USING gin \("search"\)/);
    expect(await generateMigration(generateDrizzleJson({ articles }), generateDrizzleJson({ articles }))).toEqual([]);
  });
});

describe('changing the document of an indexed column', () => {
  it('drizzle-kit drops and re-adds the column; 1.0 re-creates the GIN index, 0.31 does not (the README says to add it)', async () => {
    const before = pgTable('ts_change', { id: serial('id'), title: text('title'), body: text('body'), s: tsvector('s').generatedAlwaysAs((): SQL => searchDocument({ config: 'english', columns: [before.title] })) }, (t) => [index('ts_change_s').using('gin', t.s)]);
    const after = pgTable('ts_change', { id: serial('id'), title: text('title'), body: text('body'), s: tsvector('s').generatedAlwaysAs((): SQL => searchDocument({ config: 'english', weights: { A: after.title, B: after.body } })) }, (t) => [index('ts_change_s').using('gin', t.s)]);
    const statements = await generateMigration(generateDrizzleJson({ before }), generateDrizzleJson({ after }));
    expect(statements[0]).toMatch(/^ALTER TABLE "ts_change" drop column "s";$/i);
    expect(statements[1]).toMatch(/^ALTER TABLE "ts_change" ADD COLUMN "s" "?tsvector"? GENERATED ALWAYS AS \(\(setweight\(/);
    expect(statements.slice(2)).toEqual(drizzleLine === '1' ? ['CREATE INDEX "ts_change_s" ON "ts_change" USING gin ("s");'] : []);
  });
});

describe('tsvector on a real database', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.query('drop table if exists ts_doc_articles');
    const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ articles }));
    for (const s of statements) await database.query(s);
    await database.db.insert(articles).values([
      { title: 'Postgres full-text search', body: 'Ranking documents with tsvector and GIN indexes', order: 'first', rank: 1 },
      { title: 'Vector search', body: 'Nearest neighbours with HNSW indexes in Postgres', order: null, rank: 2 },
      { title: 'Cooking pasta', body: null, order: 'search engines do not cook', rank: 3 },
      { title: 'Untitled', body: 'nothing relevant', order: null, rank: 4, plain: "'cat':2A 'sat':3 'the':1" },
    ]);
  });
  afterAll(async () => {
    await database?.query('drop table if exists ts_doc_articles').catch(() => undefined);
    await database?.close();
  });

  it('PostgreSQL stores the generated expression exactly as searchDocument writes it (a keyword and a mixed-case name quoted)', async () => {
    const rows = rowsOf<{ expr: string }>(
      await database.db.execute(sql`select generation_expression as expr from information_schema.columns where table_name = 'ts_doc_articles' and column_name = 'search'`),
    );
    expect(rows[0]!.expr).toBe(`(((${A} || ${B}) || ${C}) || ${D})`);
  });

  it('every keyword PostgreSQL quotes, we quote (the newer-version ones aside), and no other name', async () => {
    const rows = rowsOf<{ word: string }>(await database.db.execute(sql`select word from pg_get_keywords() where catcode <> 'U'`));
    const server = new Set(rows.map((r) => r.word));
    const newer = [...server].filter((w) => !QUOTED_KEYWORDS.has(w));
    expect(newer.every((w) => /^(json.*|merge_action|system_user)$/.test(w)), newer.join(' ')).toBe(true);
    expect([...QUOTED_KEYWORDS].filter((w) => !server.has(w))).toEqual([]);
  });

  it('generated on insert; @@ websearch_to_tsquery finds the rows, ts_rank_cd ranks the title (A) above the body (B)', async () => {
    const query = sql`websearch_to_tsquery('english', ${'postgres search'})`;
    const rank = sql<number>`ts_rank_cd(${articles.search}, ${query})`;
    const found = await database.db
      .select({ id: articles.id, title: articles.title, rank })
      .from(articles)
      .where(sql`${articles.search} @@ ${query}`)
      .orderBy(desc(rank), articles.id);
    expect(found.map((r) => r.title)).toEqual(['Postgres full-text search', 'Vector search']);
    expect(Number(found[0]!.rank)).toBeGreaterThan(Number(found[1]!.rank));
    const negated = await database.db.select({ id: articles.id }).from(articles).where(sql`${articles.search} @@ websearch_to_tsquery('english', ${'search -postgres'})`);
    expect(negated.map((r) => r.id)).toEqual([3]);
  });

  it('values round-trip in the tsvector text form; the generated document holds the weights', async () => {
    const rows = await database.db.select({ id: articles.id, search: articles.search, plain: articles.plain }).from(articles).orderBy(articles.id);
    expect(rows[3]!.plain).toBe("'cat':2A 'sat':3 'the':1");
    // The same document written out by hand, computed by the server from the literal texts.
    const reference = rowsOf<{ doc: string }>(
      await database.db.execute(
        sql`select (setweight(to_tsvector('english', 'Postgres full-text search'), 'A') || setweight(to_tsvector('english', 'Ranking documents with tsvector and GIN indexes'), 'B') || setweight(to_tsvector('english', 'first'), 'D'))::text as doc`,
      ),
    );
    expect(rows[0]!.search).toBe(reference[0]!.doc);
    expect(rows[0]!.search).toMatch(/'postgr':1A /);
    expect(rows[0]!.search).toMatch(/'rank':\d+B /);
    expect(rows[0]!.search).toMatch(/'first':\d+ /);
    // NULL columns read as empty text: the document of row 3 has no B part, its D part has no letter.
    expect(rows[2]!.search).toMatch(/'cook':1A/);
    expect(rows[2]!.search).toMatch(/'engin':\d+ /);
  });

  it('a bad tsvector text is refused by PostgreSQL (we pass text through), a non-string by us', async () => {
    await expect(database.db.insert(articles).values({ title: 'x', plain: "'unterminated" })).rejects.toThrow();
    expect(() => database.db.insert(articles).values({ title: 'x', plain: 42 as never }).toSQL()).toThrow(PgVectorError);
  });
});
