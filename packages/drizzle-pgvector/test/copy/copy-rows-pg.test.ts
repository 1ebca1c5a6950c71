import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  rowsOf,
  servePgliteWithCopy,
  startTestDatabase,
  type PgliteCopyServer,
  type PgvectorDrizzleDatabase,
  type PgvectorTestDatabase,
} from '@drizzle-pgvector/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows } from '../../src/pg.js';
import { DDL, itemRows, items } from './fixtures.js';
import { defineScenarios, type Harness } from './scenarios.js';

// node-postgres against the test backend: PGlite served over loopback (a COPY-aware server,
// servePgliteWithCopy from @drizzle-pgvector/testing) by default, or DATABASE_URL with PGVECTOR_TEST_BACKEND=url.
let database: PgvectorTestDatabase;
let server: PgliteCopyServer | undefined;
let pool: pg.Pool;
let url: string;
let harness: Harness;

beforeAll(async () => {
  database = await startTestDatabase();
  await database.reset();
  await database.query(DDL.join(';\n'));
  server = database.backend === 'pglite' ? await servePgliteWithCopy((database.db as unknown as { $client: unknown }).$client) : undefined;
  url = server?.url ?? database.url!;
  // One connection: served PGlite has a single session, and the broken-connection test needs to know which one.
  pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  const db = drizzle({ client: pool }) as unknown as PgvectorDrizzleDatabase;
  harness = {
    db,
    copy: (table, rows, options) => copyRows(pool, table, rows as never, options as never),
    inTransaction: async (body, outcome) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await body(
          (table: PgTable, rows, options) => copyRows(client, table, rows as never, options as never),
          async (text) => {
            await client.query(text);
          },
        );
        await client.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
      } finally {
        client.release();
      }
    },
  };
});

afterAll(async () => {
  await pool?.end();
  await server?.close();
  await database?.close();
});

describe(`copyRows (drizzle-pgvector/pg) on ${process.env.PGVECTOR_TEST_BACKEND ?? 'the default backend'}`, () => {
  defineScenarios(() => harness);

  it('takes a pg.Client and a drizzle node-postgres db too', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('truncate copy_items');
      expect((await copyRows(client, items, [...itemRows(10)])).rows).toBe(10);
      expect(client.getTransactionStatus()).toBe('I');
    } finally {
      await client.end();
    }
    expect((await copyRows(harness.db as never, items, itemRows(5, 10))).rows).toBe(5);
    expect(await harness.db.$count(items)).toBe(15);
  });

  it('a connection the server drops rejects with its error (SQLSTATE kept), is released as broken, and does not crash', async () => {
    await pool.query('truncate copy_items');
    const pid = rowsOf<{ pid: number }>(await pool.query('select pg_backend_pid() as pid'))[0]!.pid;
    let killing: Promise<unknown> | undefined;
    const kill = async (): Promise<void> => {
      if (server) return server.terminate();
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await other.query('select pg_terminate_backend($1)', [pid]);
      // Wait until the backend is gone (it sends its FATAL before it exits).
      for (let i = 0; i < 500; i++) {
        const { rows } = await other.query('select count(*)::int as n from pg_stat_activity where pid = $1', [pid]);
        if (rows[0].n === 0) break;
      }
      await other.end();
    };
    // Rows come lazily; past the first chunk the source waits for the kill, so the load is still running when it lands.
    async function* source() {
      for (const row of itemRows(50_000, 100)) {
        if (row.id === 20_000) await killing;
        yield row;
      }
    }
    let error: (Error & { code?: string }) | undefined;
    try {
      await copyRows(pool, items, source(), {
        onProgress: () => {
          killing ??= kill();
        },
      });
    } catch (e) {
      error = e as Error & { code?: string };
    }
    await killing;
    expect(error?.code).toBe('57P01');
    // The pool dropped the broken client and hands out a working one.
    expect(pool.totalCount).toBe(0);
    expect(rowsOf<{ n: number }>(await pool.query('select count(*)::int as n from copy_items'))[0]!.n).toBe(0);
  });
});
