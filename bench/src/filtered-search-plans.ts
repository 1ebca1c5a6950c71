/**
 * The filtered-search benchmark's data, filters and hand-written plans: two tables (HNSW, IVFFlat) of clustered
 * vectors with a `cluster` and a `cat` column (each with a btree), the filters of each cell (as a Drizzle
 * condition for `nearest()` and as SQL text for the hand-written plans, the same expression), and the two
 * hand-written searches: exact over the filtered rows (`order by (<distance>) + 0`, so the vector index stays out
 * of the plan) and an index scan with iterative scan at a given `ef_search` / `probes`, in the transaction shape
 * `nearest()` uses (`BEGIN; SET LOCAL …` as one simple query, the search, `COMMIT`).
 */
import { PGlite } from '@electric-sql/pglite';
import { vector as vectorExtension } from '@electric-sql/pglite-pgvector';
import { and, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { index, integer, pgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { hnswIndex, ivfflatIndex, vector } from 'drizzle-pgvector';
import pg from 'pg';
import type { Db } from './bench-database.js';

export type Method = 'HNSW' | 'IVFFlat';

/** The tables, as Drizzle declares them (so `nearest()` knows the vector index and its options). */
export function fsTables(dims: number, lists: number) {
  const columns = () => ({
    id: integer('id').primaryKey(),
    cluster: integer('cluster').notNull(),
    /** A category 0…999 from a hash of the row number: independent of the vectors. */
    cat: integer('cat').notNull(),
    embedding: vector('embedding', { dimensions: dims }).notNull(),
  });
  const hnsw = pgTable('bench_fs_hnsw', columns(), (t) => [
    hnswIndex('bench_fs_hnsw_embedding').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 }),
    index('bench_fs_hnsw_cluster').on(t.cluster),
    index('bench_fs_hnsw_cat').on(t.cat),
  ]);
  const ivfflat = pgTable('bench_fs_ivfflat', columns(), (t) => [
    ivfflatIndex('bench_fs_ivfflat_embedding').on(t.embedding, 'cosine').with({ lists }),
    index('bench_fs_ivfflat_cluster').on(t.cluster),
    index('bench_fs_ivfflat_cat').on(t.cat),
  ]);
  return { HNSW: hnsw, IVFFlat: ivfflat };
}
export type FsTable = ReturnType<typeof fsTables>['HNSW'];

/** One filter: rows of these clusters (undefined: any) whose `cat` is below `catBelow` (undefined: any). */
export interface Filter {
  readonly clusters: readonly number[] | undefined;
  readonly catBelow: number | undefined;
}

export const NO_FILTER: Filter = { clusters: undefined, catBelow: undefined };

export const isUnfiltered = (f: Filter): boolean => f.clusters === undefined && f.catBelow === undefined;

/** The filter as a Drizzle condition for `nearest()`. */
export function drizzleWhere(t: FsTable, f: Filter): SQL | undefined {
  if (isUnfiltered(f)) return undefined;
  return and(f.clusters ? inArray(t.cluster, [...f.clusters]) : undefined, f.catBelow === undefined ? undefined : lt(t.cat, f.catBelow));
}

/** The same filter as SQL text with parameters from `$first` on (the query vector is `$1`). */
export function filterText(f: Filter, first = 2): { text: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  const p = (v: number): string => `$${first + params.push(v) - 1}`;
  if (f.clusters) parts.push(`"cluster" in (${f.clusters.map(p).join(', ')})`);
  if (f.catBelow !== undefined) parts.push(`"cat" < ${p(f.catBelow)}`);
  return { text: parts.join(' and '), params };
}

/**
 * The exact search by hand in Drizzle's query builder — what a Drizzle user writes without `nearest()`: the filter as
 * a Drizzle condition, the distance as sql`…` (bound twice, as Drizzle binds each use), rows as objects.
 */
export async function drizzleExact(db: Db, t: FsTable, dims: number, f: Filter, k: number, q: readonly number[]): Promise<unknown[][]> {
  const distance = sql<number>`${t.embedding} <=> ${JSON.stringify(q)}::vector(${sql.raw(String(dims))})`;
  const rows = await db.select({ id: t.id, distance }).from(t).where(drizzleWhere(t, f)).orderBy(sql`(${distance}) + 0`).limit(k);
  return rows.map((r) => [r.id]);
}

/** A hand-written search: `BEGIN; SET LOCAL …` (when `statements` is not empty), the query, `COMMIT`. */
export interface HandPlan {
  readonly statements: readonly string[];
  readonly text: string;
}

function select(table: string, dims: number, f: Filter, order: 'exact' | 'index', k: number): { text: string; params: number[] } {
  const distance = `"embedding" <=> $1::vector(${dims})`;
  const where = filterText(f);
  const text =
    `select "id", ${distance} as "distance" from "${table}"${where.text ? ` where ${where.text}` : ''} ` +
    `order by ${order === 'exact' ? `(${distance}) + 0` : distance} limit ${k}`;
  return { text, params: where.params };
}

/** Exact search over the filtered rows: the filter's own plan (btree or sequential scan), then a top-k sort. */
export function exactPlan(table: string, dims: number, f: Filter, k: number): HandPlan & { params: number[] } {
  return { statements: [], ...select(table, dims, f, 'exact', k) };
}

/**
 * Index scan at `setting` (`hnsw.ef_search` / `ivfflat.probes`). Filtered: HNSW with `strict_order` and a
 * `max_scan_tuples` no filter here can exhaust, IVFFlat with `relaxed_order` and a re-sort of its k rows (as
 * pgvector's README prescribes). `forceIndex` adds `enable_sort = off` (and `jit = off`), which keeps the planner
 * from choosing the filter's btree + sort (plan (b)) over the vector index.
 */
export function indexPlan(method: Method, table: string, dims: number, f: Filter, k: number, setting: number, forceIndex: boolean): HandPlan & { params: number[] } {
  const inner = select(table, dims, f, 'index', k);
  const statements: string[] = [];
  const filtered = !isUnfiltered(f);
  if (method === 'HNSW') {
    if (setting !== 40) statements.push(`SET LOCAL hnsw.ef_search = ${setting}`);
    if (filtered) statements.push("SET LOCAL hnsw.iterative_scan = 'strict_order'", 'SET LOCAL hnsw.max_scan_tuples = 1000000');
  } else {
    if (setting !== 1) statements.push(`SET LOCAL ivfflat.probes = ${setting}`);
    if (filtered) statements.push("SET LOCAL ivfflat.iterative_scan = 'relaxed_order'");
  }
  // enable_sort = off adds a 1e10 disable cost to every plan, which would also switch on JIT (400 ms a query).
  if (forceIndex) statements.push('SET LOCAL enable_sort = off', 'SET LOCAL jit = off');
  const text = method === 'IVFFlat' && filtered ? `with "nn" as materialized (${inner.text}) select "id", "distance" from "nn" order by "distance" + 0` : inner.text;
  return { statements, text, params: inner.params };
}

/** The database with a Drizzle handle for `nearest()` and the driver's own calls for the hand-written plans. */
export interface FsDatabase {
  readonly kind: 'PGlite' | 'DATABASE_URL';
  readonly label: string;
  readonly db: Db;
  /** One statement, rows as arrays. */
  query(text: string, params?: readonly unknown[]): Promise<unknown[][]>;
  /** `BEGIN; <statements>`, the query, `COMMIT` (just the query when `statements` is empty). */
  run(statements: readonly string[], text: string, params: readonly unknown[]): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** PGlite in-process, or the server in `url` through a node-postgres `Pool` (what an application uses). */
export async function openFsDatabase(url: string | undefined): Promise<FsDatabase> {
  let base: Omit<FsDatabase, 'label'>;
  if (url) {
    const pool = new pg.Pool({ connectionString: url });
    const query = async (text: string, params: readonly unknown[] = []) => (await pool.query({ text, values: [...params], rowMode: 'array' })).rows as unknown[][];
    base = {
      kind: 'DATABASE_URL',
      db: drizzleNodePg({ client: pool }) as unknown as Db,
      query,
      async run(statements, text, params) {
        if (statements.length === 0) return query(text, params);
        const client = await pool.connect();
        try {
          await client.query(['BEGIN', ...statements].join('; '));
          const { rows } = await client.query({ text, values: [...params], rowMode: 'array' });
          await client.query('COMMIT');
          return rows as unknown[][];
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  } else {
    const client = await PGlite.create({ extensions: { vector: vectorExtension } });
    const query = async (text: string, params: readonly unknown[] = []) => (await client.query(text, [...params], { rowMode: 'array' })).rows as unknown[][];
    base = {
      kind: 'PGlite',
      db: drizzlePglite({ client }) as unknown as Db,
      query,
      run: (statements, text, params) =>
        statements.length === 0
          ? query(text, params)
          : client.transaction(async (tx) => {
              await tx.exec(statements.join('; '));
              return (await tx.query(text, [...params], { rowMode: 'array' })).rows as unknown[][];
            }),
      close: () => client.close(),
    };
  }
  await base.query('create extension if not exists vector');
  const [[server, extension] = []] = await base.query(`select current_setting('server_version'), (select extversion from pg_extension where extname = 'vector')`);
  const where = base.kind === 'PGlite' ? 'PGlite in-process' : 'DATABASE_URL, node-postgres Pool';
  return { ...base, label: `${where} (PostgreSQL ${String(server).split(' ')[0]}, pgvector ${String(extension)})` };
}
