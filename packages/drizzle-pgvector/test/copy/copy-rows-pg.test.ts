import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  rowsOf,
  servePgliteWithCopy,
  startTestDatabase,
  type PgliteCopyServer,
  type PgVectorDrizzleDatabase,
  type PgVectorTestDatabase,
} from '@drizzle-pgvector/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { vector } from '../../src/index.js';
import { copyRows } from '../../src/pg.js';
import { DDL, itemRows, items } from './fixtures.js';
import { defineScenarios, type Harness } from './scenarios.js';

// node-postgres against the test backend: PGlite served over loopback (a COPY-aware server,
// servePgliteWithCopy from @drizzle-pgvector/testing) by default, or DATABASE_URL with PGVECTOR_TEST_BACKEND=url.
let database: PgVectorTestDatabase;
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
  const db = drizzle({ client: pool }) as unknown as PgVectorDrizzleDatabase;
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

  it('a connection the server drops rejects with CONNECTION_LOST (SQLSTATE kept), is released as broken, and does not crash', async () => {
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
    let error: (Error & { code?: string; details?: Record<string, unknown> }) | undefined;
    try {
      await copyRows(pool, items, source(), {
        onProgress: () => {
          killing ??= kill();
        },
      });
    } catch (e) {
      error = e as Error & { code?: string; details?: Record<string, unknown> };
    }
    await killing;
    expect(error?.code).toBe('CONNECTION_LOST');
    expect(error?.details?.['sqlState']).toBe('57P01');
    expect((error?.cause as { code?: string } | undefined)?.code).toBe('57P01');
    // The pool dropped the broken client and hands out a working one.
    expect(pool.totalCount).toBe(0);
    expect(rowsOf<{ n: number }>(await pool.query('select count(*)::int as n from copy_items'))[0]!.n).toBe(0);
  });
});

// Back-pressure from the socket, on a real server (served PGlite buffers a whole COPY by design): while another
// session holds a lock on the table, the server cannot start reading the COPY, the socket fills, and copyRows
// must stop pulling rows from the source instead of buffering them — memory bounded by socket buffers, not rows.
const onServer = process.env.PGVECTOR_TEST_BACKEND === 'url' && process.env.DATABASE_URL !== undefined;
describe.runIf(onServer)('copyRows (drizzle-pgvector/pg) back-pressure on DATABASE_URL', () => {
  const DIMENSIONS = 1536;
  const TOTAL = 20_000; // ~124 MB of binary COPY data: far more than any socket buffer
  const wide = pgTable('copy_backpressure', {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: DIMENSIONS }).notNull(),
  });

  it('stops pulling the source while the server does not read, and finishes once it does', async () => {
    await pool.query(`drop table if exists copy_backpressure; create table copy_backpressure (id int primary key, embedding vector(${DIMENSIONS}) not null)`);
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table copy_backpressure in access exclusive mode');
      let yielded = 0;
      async function* source() {
        for (let id = 0; id < TOTAL; id++) {
          yielded++;
          yield { id, embedding: Array.from({ length: DIMENSIONS }, (_, i) => ((id + i) % 97) / 97) };
        }
      }
      const load = copyRows(pool, wide, source());
      load.catch(() => {});
      // Wait until the COPY is blocked on the lock, then until the source is no longer pulled.
      for (let i = 0; i < 200; i++) {
        const { rows } = await locker.query<{ n: number }>(
          "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'copy%copy_backpressure%'",
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      let previous = -1;
      while (yielded !== previous) {
        previous = yielded;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(yielded).toBeGreaterThan(0);
      expect(yielded, `rows pulled while the server was not reading (of ${TOTAL})`).toBeLessThan(TOTAL / 4);
      await locker.query('commit');
      expect((await load).rows).toBe(TOTAL);
      expect(yielded).toBe(TOTAL);
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from copy_backpressure');
      expect(rows[0]!.n).toBe(TOTAL);
    } finally {
      await locker.query('rollback').catch(() => {});
      await locker.end();
      await pool.query('drop table if exists copy_backpressure');
    }
  }, 120_000);
});
