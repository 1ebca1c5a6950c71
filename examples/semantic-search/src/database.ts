import type { SQLWrapper } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Any Drizzle PostgreSQL database (the PGlite and node-postgres drivers both fit). */
export type Db = PgDatabase<PgQueryResultHKT>;

/** Run raw SQL and return its rows (PGlite and node-postgres both answer `{ rows }`). */
export async function rowsOf<T extends Record<string, unknown>>(db: Db, query: SQLWrapper | string): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export interface Database {
  readonly db: Db;
  /** What we are connected to, for the report. */
  readonly description: string;
  /** True for the embedded database (in memory, gone when the process exits). */
  readonly embedded: boolean;
  /**
   * `EXPLAIN` SQL text with positional parameters (what `nearestSql()` returns) through the driver itself, in a
   * transaction that first runs `statements` (its `SET LOCAL …`). Returns the plan lines.
   */
  explain(plan: { sql: string; params: readonly unknown[]; statements: readonly string[] }): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * `DATABASE_URL` set: node-postgres against that server (it needs pgvector installed; the migrations run
 * `CREATE EXTENSION IF NOT EXISTS vector`). Otherwise: an in-memory PGlite (PostgreSQL compiled to WASM)
 * with pgvector loaded — nothing to install.
 */
export async function openDatabase(url = process.env.DATABASE_URL): Promise<Database> {
  if (url) {
    const { default: pg } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const db = drizzle({ client: pool });
    const { rows } = await pool.query<{ server_version: string }>('show server_version');
    return {
      db,
      description: `PostgreSQL ${rows[0]?.server_version ?? '?'} at ${redact(url)} (node-postgres)`,
      embedded: false,
      explain: async (plan) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          for (const statement of plan.statements) await client.query(statement);
          const result = await client.query<{ 'QUERY PLAN': string }>(`explain ${plan.sql}`, [...plan.params]);
          return result.rows.map((r) => r['QUERY PLAN']);
        } finally {
          await client.query('rollback');
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = await PGlite.create({ extensions: { vector } });
  const db = drizzle({ client });
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  return {
    db,
    description: `embedded PGlite (PostgreSQL ${rows[0]?.server_version ?? '?'}, WASM, in memory)`,
    embedded: true,
    explain: (plan) =>
      client.transaction(async (tx) => {
        for (const statement of plan.statements) await tx.exec(statement);
        const result = await tx.query<{ 'QUERY PLAN': string }>(`explain ${plan.sql}`, [...plan.params]);
        return result.rows.map((r) => r['QUERY PLAN']);
      }),
    close: () => client.close(),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}
