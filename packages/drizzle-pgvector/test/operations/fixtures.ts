import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { PgVectorDrizzleDatabase, PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import type { BuildProgress } from '../../src/index.js';
import { ddl } from '../tuning/data.js';

/** The index `name` as the catalog has it, or undefined. */
export async function indexState(database: PgVectorTestDatabase, name: string): Promise<{ valid: boolean; method: string; def: string } | undefined> {
  const rows = await database.query<{ valid: boolean | string; method: string; def: string }>(
    `SELECT i.indisvalid AS valid, am.amname AS method, pg_get_indexdef(c.oid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam WHERE c.relname = $1`,
    [name],
  );
  const row = rows[0];
  return row === undefined ? undefined : { valid: row.valid === true || row.valid === 't', method: row.method, def: row.def };
}

/** Create `table` with drizzle-kit's CREATE TABLE (no indexes) and fill it with `rows` random vectors in SQL. */
export async function createFilled(database: PgVectorTestDatabase, table: PgTable, name: string, column: string, dimensions: number, rows: number): Promise<void> {
  const { tables } = await ddl(table);
  await database.query(`DROP TABLE IF EXISTS "${name}"`);
  for (const s of tables) await database.query(s);
  if (rows > 0) {
    await database.query(
      `INSERT INTO "${name}" ("${column}") SELECT array(SELECT random() FROM generate_series(1, ${dimensions}) WHERE i > 0)::vector FROM generate_series(1, ${rows}) i`,
    );
  }
  await database.query(`ANALYZE "${name}"`);
}

/** drizzle-kit's CREATE INDEX statement for the index `name` of `table`. */
export async function kitIndexStatement(table: PgTable, name: string): Promise<string> {
  const { indexes } = await ddl(table);
  const found = indexes.find((s) => s.includes(`"${name}"`));
  if (!found) throw new Error(`drizzle-kit generated no index ${name}`);
  return found;
}

/**
 * A database whose sessions start with `maintenance_work_mem = 1MB` (and the session setting a scoped build must
 * leave alone): PGlite's one session gets a session-level SET; on a server, a pool whose connections start with
 * `-c maintenance_work_mem=1MB`.
 */
export async function lowMemoryDb(database: PgVectorTestDatabase): Promise<{ db: PgVectorDrizzleDatabase; show(setting: string): Promise<string[]>; close(): Promise<void> }> {
  if (database.backend === 'pglite') {
    await database.query(`SET maintenance_work_mem = '1MB'`);
    return {
      db: database.db,
      show: async (setting) => [(await database.query<Record<string, string>>(`SHOW ${setting}`))[0]![setting]!],
      close: async () => void (await database.query('RESET maintenance_work_mem')),
    };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 3, options: '-c maintenance_work_mem=1MB' });
  return {
    db: drizzleNodePg({ client: pool }) as unknown as PgVectorDrizzleDatabase,
    // Every connection of the pool: hold all three at once so each is asked.
    show: async (setting) => {
      const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      try {
        return await Promise.all(clients.map(async (c) => String((await c.query(`SHOW ${setting}`)).rows[0][setting])));
      } finally {
        for (const c of clients) c.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Collects progress reports. */
export function progressLog(): { events: BuildProgress[]; onProgress: (p: BuildProgress) => void } {
  const events: BuildProgress[] = [];
  return { events, onProgress: (p) => void events.push(p) };
}
