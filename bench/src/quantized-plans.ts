/**
 * Shared by the quantized-search benchmarks: the table (one `vector(d)` column, every index declared with the
 * library's targets and built with `buildIndex`), the hand-written re-rank query for each `via`, the exact query,
 * and loading with `copyRows`.
 *
 * The hand-written re-rank (what a user writes without `nearest`'s `rerank` option):
 * ```sql
 * BEGIN; SET LOCAL hnsw.ef_search = <max(40, C)>;
 * SELECT id, embedding <=> $1::vector(d) AS distance
 *   FROM (SELECT id, embedding FROM t ORDER BY <via expression> <op> <via of $1> LIMIT C) c
 *  ORDER BY distance LIMIT k;
 * COMMIT;
 * ```
 */
import { sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { asHalfvec, binaryQuantize, buildIndex, hnswIndex, subvector, vector, type BuildIndexResult } from 'drizzle-pgvector';
import type { BenchDatabase } from './bench-database.js';
import { drizzleTemplate } from './sql-template.js';

export const HNSW = { m: 16, efConstruction: 64 } as const;
/** pgvector's ceiling for hnsw.ef_search. */
export const MAX_EF_SEARCH = 1000;
/** pgvector's default hnsw.ef_search. */
export const DEFAULT_EF_SEARCH = 40;

export type ViaKind = 'binaryQuantize' | 'asHalfvec' | 'subvector';

/** One way to search: an index on the column or on an expression of it. */
export interface Via {
  /** `binaryQuantize`, `asHalfvec`, `subvector 1/4`, … (table and chart label). */
  readonly label: string;
  readonly kind: ViaKind | 'full';
  /** The index's name (`<table>_<suffix>`). */
  readonly index: string;
  /** ORDER BY of the inner query, with the query vector as `$1`. */
  readonly orderBy: string;
}

export function qsTable(name: string, dims: number) {
  return pgTable(name, { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: dims }).notNull() }, (t) => [
    hnswIndex(`${name}_full`).on(t.embedding, 'cosine').with(HNSW),
    hnswIndex(`${name}_half`).on(asHalfvec(t.embedding), 'cosine').with(HNSW),
    hnswIndex(`${name}_bq`).on(binaryQuantize(t.embedding), 'hamming').with(HNSW),
    hnswIndex(`${name}_sub4`).on(subvector(t.embedding, 1, dims / 4), 'cosine').with(HNSW),
    hnswIndex(`${name}_sub2`).on(subvector(t.embedding, 1, dims / 2), 'cosine').with(HNSW),
  ]);
}

export type QsTable = ReturnType<typeof qsTable>;

/** The searches on table `name` (dims divisible by 4). */
export function vias(name: string, d: number): Record<'full' | 'bq' | 'half' | 'sub4' | 'sub2', Via> {
  const q = `$1::vector(${d})`;
  const sub = (n: number): string => `(subvector(embedding, 1, ${n})::vector(${n})) <=> subvector(${q}, 1, ${n})::vector(${n})`;
  return {
    full: { label: 'full precision', kind: 'full', index: `${name}_full`, orderBy: `embedding <=> ${q}` },
    bq: { label: 'binaryQuantize', kind: 'binaryQuantize', index: `${name}_bq`, orderBy: `(binary_quantize(embedding)::bit(${d})) <~> binary_quantize(${q})::bit(${d})` },
    half: { label: 'asHalfvec', kind: 'asHalfvec', index: `${name}_half`, orderBy: `(embedding::halfvec(${d})) <=> $1::halfvec(${d})` },
    sub4: { label: `subvector 1/4 (${d / 4})`, kind: 'subvector', index: `${name}_sub4`, orderBy: sub(d / 4) },
    sub2: { label: `subvector 1/2 (${d / 2})`, kind: 'subvector', index: `${name}_sub2`, orderBy: sub(d / 2) },
  };
}

/** `hnsw.ef_search` for C candidates: at least pgvector's default, at most its ceiling. */
export const efSearchFor = (candidates: number): number => Math.min(MAX_EF_SEARCH, Math.max(DEFAULT_EF_SEARCH, candidates));

/** The hand-written re-rank: inner LIMIT `candidates` on the via's index, outer exact cosine LIMIT k. */
export function rerankSql(table: string, d: number, via: Via, candidates: number, k: number): string {
  return (
    `select id, embedding <=> $1::vector(${d}) as distance from (select id, embedding from ${table} order by ${via.orderBy} limit ${candidates}) c ` +
    `order by distance limit ${k}`
  );
}

/** A plain index search (full precision): `ORDER BY embedding <=> $1 LIMIT k`. */
export const indexSql = (table: string, d: number, k: number): string => `select id, embedding <=> $1::vector(${d}) as distance from ${table} order by embedding <=> $1::vector(${d}) limit ${k}`;

/** The exact answer: `+ 0` keeps any index on the column out of the plan. */
export const exactSql = (table: string, d: number, k: number): string =>
  `select id, (embedding <=> $1::vector(${d})) + 0 as distance from ${table} order by (embedding <=> $1::vector(${d})) + 0 limit ${k}`;

/** Run `text` with `$1` = the vector, after `SET LOCAL` statements in one transaction (none: no transaction). */
export async function run(bench: BenchDatabase, settings: readonly string[], text: string, vector: readonly number[]): Promise<{ id: number; distance: number }[]> {
  const query = drizzleTemplate(text)([JSON.stringify(vector)]);
  const exec = async (db: Pick<BenchDatabase['db'], 'execute'>) => ((await db.execute(query)) as unknown as { rows: { id: number; distance: number }[] }).rows;
  if (settings.length === 0) return exec(bench.db);
  return bench.db.transaction(async (tx) => {
    for (const s of settings) await tx.execute(sql.raw(s));
    return exec(tx);
  });
}

/** Run SQL text with positional parameters (what nearestSql() returns) after its statements, in one transaction if any. */
export async function runPlan(bench: BenchDatabase, statements: readonly string[], text: string, params: readonly unknown[]): Promise<{ id: number; distance: number }[]> {
  const query = drizzleTemplate(text)(params);
  const exec = async (db: Pick<BenchDatabase['db'], 'execute'>) => ((await db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  const rows = statements.length === 0 ? await exec(bench.db) : await bench.db.transaction(async (tx) => {
    for (const s of statements) await tx.execute(sql.raw(s));
    return exec(tx);
  });
  // nearest()'s select list: "distance", then the selected columns as "_0", …
  return rows.map((r) => ({ id: Number(r['_0'] ?? r['id']), distance: Number(r['distance']) }));
}

/** The inner plan uses `via.index`? (EXPLAIN of the hand-written query.) */
export async function usesIndex(bench: BenchDatabase, settings: readonly string[], text: string, vector: readonly number[], index: string): Promise<boolean> {
  const rows = await run(bench, settings, `explain (format json) ${text}`, vector);
  return JSON.stringify(rows).includes(`"${index}"`);
}

/** Create the table and load it with copyRows (lazily generated chunks). Returns the load time in ms. */
export async function loadTable(
  bench: BenchDatabase,
  table: QsTable,
  name: string,
  d: number,
  rows: number,
  rowsAt: (from: number, count: number) => { id: number; embedding: number[] }[],
): Promise<number> {
  await bench.db.execute(sql`drop table if exists ${sql.identifier(name)}`);
  await bench.db.execute(sql`create table ${sql.identifier(name)} (id integer primary key, embedding vector(${sql.raw(String(d))}) not null)`);
  const started = performance.now();
  function* source() {
    for (let from = 0; from < rows; from += 1000) yield* rowsAt(from, 1000);
  }
  await bench.copy(table, source());
  await bench.db.execute(sql`analyze ${sql.identifier(name)}`);
  return performance.now() - started;
}

/** Build one declared index with buildIndex (maintenance_work_mem from the library's estimate, serial). */
export async function build(bench: BenchDatabase, table: QsTable, index: string): Promise<BuildIndexResult & { indexBytes: number }> {
  const result = await buildIndex(bench.db, table, index, { maintenanceWorkMem: 'auto', parallelWorkers: 0 });
  const [size] = await bench.rows<{ n: string }>(sql`select pg_relation_size(${index}::regclass) as n`);
  return { ...result, indexBytes: Number(size?.n ?? 0) };
}

export const recallOf = (found: readonly { id: number }[], truth: readonly { id: number }[]): number => {
  const set = new Set(found.map((r) => Number(r.id)));
  return truth.filter((r) => set.has(Number(r.id))).length / Math.max(1, truth.length);
};
