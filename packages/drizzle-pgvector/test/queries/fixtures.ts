import { sql } from 'drizzle-orm';
import { integer, pgTable, serial, text, timestamp, type PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import type { PgVectorDrizzleDatabase, PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import {
  asHalfvec,
  asVector,
  binaryQuantize,
  bit,
  halfvec,
  hnswIndex,
  ivfflatIndex,
  sparsevec,
  subvector,
  vector,
  type NearestPlan,
} from '../../src/index.js';
import { driverOf } from '../../src/internal.js';
import { gaussian, seededRandom } from '@drizzle-pgvector/testing/data';

/** The shared seeded generator (mulberry32) and its normal samples, so every run loads the same data. */
export { gaussian, seededRandom as prng } from '@drizzle-pgvector/testing/data';

/** Round to float4-ish precision text so JS and the database see the same numbers. */
export function vec(values: readonly number[]): number[] {
  return values.map((v) => Math.fround(Number(v.toFixed(4))));
}

/**
 * One table with every query shape nearest must keep index-usable: each vector type, each metric, expression
 * targets, a mixed-dimension column with partial indexes, and a partial index with a user condition.
 */
export const docs = pgTable(
  'q_docs',
  {
    id: serial('id').primaryKey(),
    lang: text('lang').notNull(),
    tag: integer('tag').notNull(),
    embedding: vector('embedding', { dimensions: 3 }),
    half: halfvec('half', { dimensions: 3 }),
    sparse: sparsevec('sparse', { dimensions: 5 }),
    code: bit('code', { dimensions: 8 }),
    big: vector('big', { dimensions: 4 }),
    anyd: vector('anyd'),
    enEmb: vector('en_emb', { dimensions: 3 }),
    /** No index on this one. */
    spare: vector('spare', { dimensions: 3 }),
    /** A type Drizzle's drivers parse specially (selected through Drizzle's own query path). */
    created: timestamp('created', { mode: 'string' }).notNull().default('2024-01-02 03:04:05'),
  },
  (t) => [
    hnswIndex('q_docs_embedding_cosine').on(t.embedding, 'cosine'),
    hnswIndex('q_docs_embedding_ip').on(t.embedding, 'innerProduct'),
    hnswIndex('q_docs_embedding_l1').on(t.embedding, 'l1'),
    ivfflatIndex('q_docs_embedding_l2_ivf').on(t.embedding, 'l2').with({ lists: 4 }),
    hnswIndex('q_docs_half_l2').on(t.half, 'l2'),
    hnswIndex('q_docs_sparse_cosine').on(t.sparse, 'cosine'),
    hnswIndex('q_docs_code_hamming').on(t.code, 'hamming'),
    hnswIndex('q_docs_code_jaccard').on(t.code, 'jaccard'),
    hnswIndex('q_docs_embedding_half').on(asHalfvec(t.embedding, 3), 'cosine'),
    hnswIndex('q_docs_embedding_bq').on(binaryQuantize(t.embedding, 3), 'hamming'),
    hnswIndex('q_docs_big_sub').on(subvector(t.big, 1, 2), 'l2'),
    hnswIndex('q_docs_any3').on(asVector(t.anyd, 3), 'l2'),
    hnswIndex('q_docs_any2').on(asVector(t.anyd, 2), 'l2'),
    hnswIndex('q_docs_en_emb').on(t.enEmb, 'l2').where(sql`${t.lang} = 'en'`),
  ],
);

export const DOCS_ROWS = 240;

export interface DocRow {
  id: number;
  lang: string;
  tag: number;
  embedding: number[];
  half: number[];
  sparse: { indices: number[]; values: number[] };
  code: string;
  big: number[];
  anyd: number[];
  enEmb: number[];
}

/** The rows loaded into {@link docs} (ids 1..DOCS_ROWS, in order). */
export function docRows(): DocRow[] {
  const random = seededRandom(42);
  const rows: DocRow[] = [];
  for (let i = 1; i <= DOCS_ROWS; i++) {
    const embedding = vec([gaussian(random), gaussian(random), gaussian(random)]);
    const dims = i % 2 === 0 ? 3 : 2;
    rows.push({
      id: i,
      lang: i % 4 === 0 ? 'en' : 'de',
      tag: i % 50,
      embedding,
      half: vec(embedding.map((x) => x / 2)),
      sparse: { indices: [0, 2, 4], values: vec([Math.abs(embedding[0]!) + 0.1, embedding[1]!, embedding[2]!]) },
      code: Array.from({ length: 8 }, () => (random() < 0.5 ? '0' : '1')).join(''),
      big: vec([embedding[0]!, embedding[1]!, gaussian(random), gaussian(random)]),
      anyd: vec(Array.from({ length: dims }, () => gaussian(random))),
      enEmb: vec([gaussian(random), gaussian(random), gaussian(random)]),
    });
  }
  return rows;
}

function literal(values: readonly number[]): string {
  return `'[${values.join(',')}]'`;
}

/** DDL for `table` exactly as drizzle-kit generates it, split into CREATE TABLE and CREATE INDEX statements. */
export async function ddl(table: PgTable): Promise<{ tables: string[]; indexes: string[] }> {
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ table }));
  const indexes = statements.filter((s) => /^CREATE INDEX/i.test(s.trim()));
  const tables = statements.filter((s) => /^CREATE TABLE/i.test(s.trim()));
  return { tables, indexes };
}

/** Create and fill {@link docs}, then build its indexes (IVFFlat needs the data first). */
export async function loadDocs(database: PgVectorTestDatabase): Promise<DocRow[]> {
  const { tables, indexes } = await ddl(docs);
  await database.query(`drop table if exists q_docs`);
  for (const s of tables) await database.query(s);
  const rows = docRows();
  const values = rows.map(
    (r) =>
      `(${r.id}, '${r.lang}', ${r.tag}, ${literal(r.embedding)}, ${literal(r.half)}, '{${r.sparse.indices
        .map((i, j) => `${i + 1}:${r.sparse.values[j]}`)
        .join(',')}}/5', B'${r.code}', ${literal(r.big)}, ${literal(r.anyd)}, ${literal(r.enEmb)}, ${literal(r.embedding)})`,
  );
  await database.query(
    `insert into q_docs (id, lang, tag, embedding, half, sparse, code, big, anyd, en_emb, spare) values ${values.join(', ')}`,
  );
  for (const s of indexes) await database.query(s);
  await database.query(`analyze q_docs`);
  return rows;
}

/** Run SQL text with `$n` parameters on `db` (a database or transaction) and return the rows as arrays. */
export function rawRows(db: PgVectorDrizzleDatabase, text: string, params: readonly unknown[] = []): Promise<unknown[][]> {
  return driverOf(db).query(text, [...params], (rows) => rows);
}

export interface ExplainOptions {
  /** Extra planner settings for the EXPLAIN transaction, e.g. `set local enable_seqscan = off` on small tables. */
  setup?: string[];
  /** Leave out the plan's own SET LOCAL statements (negative controls). */
  withoutSettings?: boolean;
}

const ROLLBACK = new Error('rollback');

/** EXPLAIN exactly the SQL `nearest` runs, with its SET LOCAL statements, in a transaction that is rolled back. */
export async function explain(db: PgVectorDrizzleDatabase, plan: Pick<NearestPlan, 'sql' | 'params' | 'statements'>, options: ExplainOptions = {}): Promise<string> {
  let text = '';
  await db
    .transaction(async (tx) => {
      await driverOf(tx).exec([...(options.setup ?? []), ...(options.withoutSettings ? [] : plan.statements)]);
      const rows = await rawRows(tx as unknown as PgVectorDrizzleDatabase, `explain ${plan.sql}`, plan.params);
      text = rows.map((r) => String(r[0])).join('\n');
      throw ROLLBACK;
    })
    .catch((e: unknown) => {
      if (e !== ROLLBACK) throw e;
    });
  return text;
}

/** Run `plan` (its SQL and its settings) with extra SET LOCAL statements first, in a rolled-back transaction. */
export async function runPlan(
  db: PgVectorDrizzleDatabase,
  plan: Pick<NearestPlan, 'sql' | 'params' | 'statements'>,
  options: ExplainOptions = {},
): Promise<unknown[][]> {
  let out: unknown[][] = [];
  await db
    .transaction(async (tx) => {
      await driverOf(tx).exec([...(options.setup ?? []), ...(options.withoutSettings ? [] : plan.statements)]);
      out = await rawRows(tx as unknown as PgVectorDrizzleDatabase, plan.sql, plan.params);
      throw ROLLBACK;
    })
    .catch((e: unknown) => {
      if (e !== ROLLBACK) throw e;
    });
  return out;
}

export function l2(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
  const na = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  const nb = Math.sqrt(b.reduce((s, x) => s + x * x, 0));
  return 1 - dot / (na * nb);
}
