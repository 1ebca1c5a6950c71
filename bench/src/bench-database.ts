/**
 * The database a benchmark runs on: embedded PGlite (in-process, drizzle-orm/pglite) by default, or the server
 * in `DATABASE_URL` (drizzle-orm/node-postgres, one connection). Everything goes through public Drizzle APIs.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector as vectorExtension } from '@electric-sql/pglite-pgvector';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgTable } from 'drizzle-orm/pg-core';
import { copyRows as copyRowsPg } from 'drizzle-pgvector/pg';
import { copyRows as copyRowsPglite } from 'drizzle-pgvector/pglite';
import pg from 'pg';

export type Db = PgDatabase<PgQueryResultHKT>;

export interface BenchDatabase {
  /** `PGlite` or `DATABASE_URL`. */
  readonly kind: 'PGlite' | 'DATABASE_URL';
  /** e.g. `PGlite 0.5.14 (PostgreSQL 18.6, pgvector 0.8.7)`. */
  readonly label: string;
  readonly serverMajor: number;
  readonly db: Db;
  /** Server messages (NOTICE, DEBUG…) received so far; DATABASE_URL only (PGlite reports them per query). */
  readonly notices: string[];
  /** Rows of a statement, as objects. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Load rows with the library's `copyRows` (drizzle-pgvector/pg or /pglite): binary COPY. Returns the rows written. */
  copy(table: PgTable, rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>): Promise<number>;
  close(): Promise<void>;
}

/** Open PGlite, or `url` when given (pgvector must be installable there: `create extension if not exists vector`). */
export async function openBenchDatabase(url: string | undefined): Promise<BenchDatabase> {
  let db: Db;
  let close: () => Promise<void>;
  let kind: BenchDatabase['kind'];
  let copy: BenchDatabase['copy'];
  const notices: string[] = [];
  if (url) {
    const client = new pg.Client({ connectionString: url });
    client.on('notice', (notice) => notices.push(notice.message ?? ''));
    await client.connect();
    db = drizzleNodePg({ client }) as unknown as Db;
    close = () => client.end();
    copy = async (table, rows) => (await copyRowsPg(client, table, rows as never)).rows;
    kind = 'DATABASE_URL';
  } else {
    const client = await PGlite.create({ extensions: { vector: vectorExtension } });
    db = drizzlePglite({ client }) as unknown as Db;
    close = () => client.close();
    copy = async (table, rows) => (await copyRowsPglite(client, table, rows as never)).rows;
    kind = 'PGlite';
  }
  const rows = async <T>(query: SQL): Promise<T[]> => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
  await rows(sql`create extension if not exists vector`);
  const [info] = await rows<{ server: string; num: string; vector: string }>(
    sql`select current_setting('server_version') as server, current_setting('server_version_num') as num,
          (select extversion from pg_extension where extname = 'vector') as vector`,
  );
  const server = info?.server ?? '?';
  const where = kind === 'PGlite' ? 'PGlite in-process' : 'DATABASE_URL';
  return {
    kind,
    label: `${where} (PostgreSQL ${server.split(' ')[0]}, pgvector ${info?.vector ?? '?'})`,
    serverMajor: Math.floor(Number(info?.num ?? 0) / 10_000),
    db,
    notices,
    rows,
    copy,
    close,
  };
}
