import { eq, sql, type SQL } from 'drizzle-orm';
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { seededRandom, gaussian } from '@drizzle-pgvector/testing/data';
import { hnswIndex, hybridSearch, hybridSearchSql, nearest, searchDocument, tsvector, vector } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { ddl, explain } from './fixtures.js';

/**
 * A small labelled corpus: 8 topics × 40 documents. Each document has words from its topic's vocabulary, a unique
 * product code, and an embedding near its topic's centre. Two kinds of labelled queries, each with one relevant
 * document: a *code* query (the words are the document's code, the vector only knows the topic) that only the text
 * branch can answer, and a *paraphrase* query (words no document contains, the vector close to the document) that
 * only the vector branch can answer. Fusion must find the relevant document at least as often as either branch.
 */
const DIMS = 16;
const TOPICS = 8;
const PER_TOPIC = 40;
const WORDS = ['apple', 'river', 'engine', 'violin', 'garden', 'planet', 'castle', 'bridge', 'winter', 'forest', 'ocean', 'rocket', 'pepper', 'marble', 'silver', 'thunder'];

const docs = pgTable(
  'hy_docs',
  {
    id: integer('id').primaryKey(),
    topic: integer('topic').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    search: tsvector('search').generatedAlwaysAs((): SQL => searchDocument({ config: 'english', weights: { A: docs.title, B: docs.body } })),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
  },
  (t) => [hnswIndex('hy_docs_embedding').on(t.embedding, 'cosine'), index('hy_docs_search').using('gin', t.search), index('hy_docs_topic').on(t.topic)],
);

const random = seededRandom(77);
const unit = (v: number[]): number[] => {
  const n = Math.hypot(...v);
  return v.map((x) => Math.fround(Number((x / n).toFixed(6))));
};
const centres = Array.from({ length: TOPICS }, () => unit(Array.from({ length: DIMS }, () => gaussian(random))));
const near = (c: readonly number[], spread: number): number[] => unit(c.map((x) => x + gaussian(random) * spread));
const rows = Array.from({ length: TOPICS * PER_TOPIC }, (_, i) => {
  const topic = i % TOPICS;
  const words = [WORDS[topic * 2]!, WORDS[topic * 2 + 1]!, WORDS[(topic * 2 + 2 + (i % 5)) % WORDS.length]!];
  return { id: i + 1, topic, title: `${words[0]} ${words[1]}`, body: `${words.join(' ')} code zq${1000 + i}`, embedding: near(centres[topic]!, 0.35) };
});
const codeQueries = rows.filter((_, i) => i % 16 === 3).map((r) => ({ relevant: r.id, text: `zq${1000 + r.id - 1}`, vector: near(centres[r.topic]!, 0.35) }));
const paraphraseQueries = rows.filter((_, i) => i % 16 === 9).map((r) => ({ relevant: r.id, text: 'something entirely different', vector: near(r.embedding, 0.05) }));

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  await database.query('drop table if exists hy_docs');
  // The table as drizzle-kit generates it: the stored generated tsvector column, the HNSW and GIN indexes.
  const { tables, indexes } = await ddl(docs);
  for (const s of tables) await database.query(s);
  const values = rows.map((r) => `(${r.id}, ${r.topic}, '${r.title}', '${r.body}', '[${r.embedding.join(',')}]')`);
  await database.query(`insert into hy_docs (id, topic, title, body, embedding) values ${values.join(', ')}`);
  for (const s of indexes) await database.query(s);
  await database.query('analyze hy_docs');
}, 120_000);

afterAll(async () => {
  await database?.query('drop table if exists hy_docs').catch(() => undefined);
  await database?.close();
});

const options = (q: { text: string; vector: number[] }, extra: Record<string, unknown> = {}) => ({
  vector: { target: docs.embedding, query: q.vector },
  text: { target: docs.search, query: q.text, config: 'english' },
  k: 5,
  select: { id: docs.id, topic: docs.topic },
  ...extra,
});

async function textOnly(q: string, k: number, where = ''): Promise<{ id: number; score: number }[]> {
  const found = await database.query<{ id: number; score: number }>(
    `select id, ts_rank_cd(search, websearch_to_tsquery('english', $1))::float8 as score from hy_docs where search @@ websearch_to_tsquery('english', $1) ${where} order by 2 desc, 1 limit ${k}`,
    [q],
  );
  return found.map((r) => ({ id: Number(r.id), score: Number(r.score) }));
}

describe('fused ranking on the labelled corpus', () => {
  it('finds the relevant document (top 5) at least as often as either branch alone, and more often than both', async () => {
    let fused = 0;
    let vectorHits = 0;
    let textHits = 0;
    for (const q of [...codeQueries, ...paraphraseQueries]) {
      const rowsFused = await hybridSearch(db, options(q));
      if (rowsFused.some((r) => r.id === q.relevant)) fused++;
      const v = await nearest(db, docs.embedding, q.vector, { k: 5, select: { id: docs.id } });
      if (v.some((r) => r.id === q.relevant)) vectorHits++;
      if ((await textOnly(q.text, 5)).some((r) => r.id === q.relevant)) textHits++;
    }
    const total = codeQueries.length + paraphraseQueries.length;
    console.log(`hybrid hit@5 on ${total} labelled queries: fused ${fused}, vector ${vectorHits}, text ${textHits}`);
    expect(fused).toBeGreaterThanOrEqual(Math.max(vectorHits, textHits));
    expect(fused).toBeGreaterThan(Math.max(vectorHits, textHits));
    expect(fused).toBe(total);
  });

  it('ranks and scores equal a reference RRF computed from the two branches run by hand', async () => {
    const q = codeQueries[0]!;
    const candidates = 20;
    const found = await hybridSearch(db, options(q, { k: 10, candidates }));
    const v = await nearest(db, docs.embedding, q.vector, { k: candidates, select: { id: docs.id } });
    const t = await textOnly(q.text, candidates);
    const score = new Map<number, { score: number; vectorRank: number | null; textRank: number | null; distance: number | null; textScore: number | null }>();
    const entry = (id: number) => score.get(id) ?? { score: 0, vectorRank: null, textRank: null, distance: null, textScore: null };
    v.forEach((r, i) => score.set(r.id, { ...entry(r.id), score: entry(r.id).score + 1 / (60 + i + 1), vectorRank: i + 1, distance: r.distance }));
    t.forEach((r, i) => score.set(r.id, { ...entry(r.id), score: entry(r.id).score + 1 / (60 + i + 1), textRank: i + 1, textScore: r.score }));
    const expected = [...score.entries()]
      .sort((a, b) => b[1].score - a[1].score || (a[1].vectorRank ?? 1e9) - (b[1].vectorRank ?? 1e9) || (a[1].textRank ?? 1e9) - (b[1].textRank ?? 1e9))
      .slice(0, 10);
    expect(found.map((r) => r.id)).toEqual(expected.map(([id]) => id));
    found.forEach((r, i) => {
      const e = expected[i]![1];
      expect(r.score).toBeCloseTo(e.score, 12);
      expect(r.vectorRank).toBe(e.vectorRank);
      expect(r.textRank).toBe(e.textRank);
      if (e.distance === null) expect(r.distance).toBeNull();
      else expect(r.distance).toBeCloseTo(e.distance, 6);
      if (e.textScore === null) expect(r.textScore).toBeNull();
      else expect(r.textScore).toBeCloseTo(e.textScore, 6);
    });
    // The code's document is first in the text branch; a tie with the vector branch's first row goes to the vector rank.
    expect(found.slice(0, 2).map((r) => r.id)).toContain(q.relevant);
  });

  it('weights change the fusion: text weight 0 gives the vector ranking', async () => {
    const q = codeQueries[1]!;
    const found = await hybridSearch(db, options(q, { k: 5, fusion: { weights: { vector: 1, text: 0 } } }));
    const v = await nearest(db, docs.embedding, q.vector, { k: 5, select: { id: docs.id } });
    expect(found.map((r) => r.id)).toEqual(v.map((r) => r.id));
  });
});

describe('filters, empty text results, rows', () => {
  it('the where applies to both branches', async () => {
    const q = codeQueries[2]!;
    const other = (rows.find((r) => r.id === q.relevant)!.topic + 1) % TOPICS;
    const found = await hybridSearch(db, options(q, { k: 10, where: eq(docs.topic, other) }));
    expect(found.length).toBe(10);
    expect(found.every((r) => r.topic === other)).toBe(true);
    expect(found.some((r) => r.id === q.relevant)).toBe(false); // the text branch's match is filtered out too
    expect(found.every((r) => r.textRank === null)).toBe(true);
  });

  it('a text query that matches nothing returns the vector branch alone, textRank null', async () => {
    const q = paraphraseQueries[0]!;
    const found = await hybridSearch(db, options({ text: 'nothingmatchesthis', vector: q.vector }, { k: 5 }));
    const v = await nearest(db, docs.embedding, q.vector, { k: 5, select: { id: docs.id } });
    expect(found.map((r) => r.id)).toEqual(v.map((r) => r.id));
    expect(found.every((r) => r.textRank === null && r.textScore === null && r.vectorRank !== null)).toBe(true);
    expect(found.map((r) => r.vectorRank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a plain text column is searched with to_tsvector on the fly; an sql tsquery is accepted', async () => {
    const q = codeQueries[3]!;
    const viaText = await hybridSearch(db, { ...options(q), text: { target: docs.body, query: q.text, config: 'english' } });
    expect(viaText.find((r) => r.textRank === 1)!.id).toBe(q.relevant);
    const viaSql = await hybridSearch(db, { ...options(q), text: { target: docs.search, query: sql`to_tsquery('english', ${q.text})` } });
    expect(viaSql.find((r) => r.textRank === 1)!.id).toBe(q.relevant);
  });

  it('rows are typed as the selection plus the scores; without select, as the table', async () => {
    const typed = await hybridSearch(db, options(codeQueries[0]!));
    expectTypeOf(typed[0]!).toEqualTypeOf<{ id: number; topic: number } & { score: number; vectorRank: number | null; textRank: number | null; distance: number | null; textScore: number | null }>();
    const all = await hybridSearch(db, { ...options(codeQueries[0]!), select: docs });
    expectTypeOf(all[0]!.title).toEqualTypeOf<string>();
    expect(all[0]!.title).toMatch(/\w+ \w+/);
  });

  it('hybridSearchSql is one statement; EXPLAIN shows the vector index and the GIN index', async () => {
    const plan = await hybridSearchSql(db, options(codeQueries[0]!, { candidates: 40 }));
    expect(plan.sql).toMatch(/^with "hv" as materialized \(.*\), "ht" as materialized \(.*\) select .* from "hv" full join "ht" on "hv"."key" = "ht"."key" order by "fused" desc/);
    expect(plan.candidates).toBe(40);
    const text = await explain(db, plan, { setup: ['set local enable_seqscan = off'] });
    expect(text).toMatch(/Index Scan using hy_docs_embedding/);
    expect(text).toMatch(/Bitmap Index Scan on hy_docs_search/);
  });
});

describe('bad input, before any SQL', () => {
  const q = codeQueries[0]!;
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['wrong query dimensions', { vector: { target: docs.embedding, query: [1, 2, 3] } }, 'DIMENSION_MISMATCH', /expected 16 dimensions/],
    ['k 0', { k: 0 }, 'INVALID_QUERY_OPTION', /k must be an integer from 1 to 1000/],
    ['candidates below k', { k: 10, candidates: 5 }, 'INVALID_QUERY_OPTION', /candidates must be an integer from 10 to 10000/],
    ['empty text query', { text: { target: docs.search, query: '  ' } }, 'INVALID_TEXT_SEARCH', /non-empty string/],
    ['a number as text query', { text: { target: docs.search, query: 42 } }, 'INVALID_TEXT_SEARCH', /non-empty string/],
    ['an integer column as text target', { text: { target: docs.topic, query: 'x' } }, 'INVALID_TEXT_SEARCH', /is integer; it must be a tsvector column/],
    ['a bad config', { text: { target: docs.search, query: 'x', config: "english'; drop" } }, 'INVALID_TEXT_SEARCH', /text.config must be a text search configuration name/],
    ['unknown fusion option', { fusion: { method: 'rrf', kk: 60 } }, 'INVALID_QUERY_OPTION', /\(…\)\.fusion: unknown option 'kk'\. Did you mean 'k'\?/],
    ['fusion method', { fusion: { method: 'linear' } }, 'INVALID_QUERY_OPTION', /fusion.method must be 'rrf'/],
    ['negative weight', { fusion: { weights: { text: -1 } } }, 'INVALID_QUERY_OPTION', /fusion.weights.text must be a finite number ≥ 0/],
    ['both weights 0', { fusion: { weights: { text: 0, vector: 0 } } }, 'INVALID_QUERY_OPTION', /both 0/],
    ['select.score', { select: { score: docs.id } }, 'INVALID_QUERY_OPTION', /select.score clashes/],
    ['unknown option', { limit: 5 }, 'INVALID_QUERY_OPTION', /unknown option 'limit'\. Did you mean 'k'\?/],
  ];
  it.each(cases)('%s', async (_name, extra, code, message) => {
    const error = await expectCodeAsync(() => hybridSearch(db, { ...options(q), ...extra } as never), code as never);
    expect(error.message).toMatch(message);
  });
});
