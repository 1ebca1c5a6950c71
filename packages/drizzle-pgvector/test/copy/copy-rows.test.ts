import type { PgTable } from 'drizzle-orm/pg-core';
import { onServer, rowsOf, servePgliteWithCopy, type PgliteCopyServer, type PgVectorDrizzleDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import pg from 'pg';
import { beforeAll, expect, it } from 'vitest';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import type { CopyRowsOptions } from '../../src/copy/load-rows.js';
import { vector } from '../../src/index.js';
import { copyRows } from '../../src/pg.js';
import { copyRows as copyPglite, type PgliteLike, type PgliteQueryable } from '../../src/pglite.js';
import { DDL, itemRows, items } from './fixtures.js';
import { defineScenarios, type Harness } from './scenarios.js';

// copyRows through each driver that has it: the PGlite entry (drizzle-pgvector/pglite) on PGlite's own client, the
// pg entry (drizzle-pgvector/pg) on node-postgres — over PGlite served with COPY FROM STDIN (servePgliteWithCopy)
// by default, or over DATABASE_URL with PGVECTOR_TEST_BACKEND=url. postgres.js has no COPY entry.
// Small PGlite batches so that the 20k-row tests span many COPY batches (and progress events).
const batch = (options?: CopyRowsOptions) => ({ batchBytes: 64 * 1024, ...options });

function pgliteHarness(db: PgVectorDrizzleDatabase): Harness {
  const pglite = (db as unknown as { $client: PgliteLike }).$client;
  return {
    db,
    copy: (table, rows, options) => copyPglite(db as never, table, rows as never, batch(options) as never),
    inTransaction: async (body, outcome) => {
      await pglite.transaction(async (tx) => {
        await body(
          (table: PgTable, rows, options) => copyPglite(tx, table, rows as never, batch(options) as never),
          async (text) => {
            await tx.query(text);
          },
        );
        if (outcome === 'rollback') await (tx as PgliteQueryable & { rollback(): Promise<void> }).rollback();
      });
    },
  };
}

function pgHarness(db: PgVectorDrizzleDatabase): Harness {
  const pool = (db as unknown as { $client: pg.Pool }).$client;
  return {
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
}

describeEachDriver(
  'copyRows',
  (ctx) => {
    let harness: Harness;
    beforeAll(async () => {
      await ctx.database.reset();
      await ctx.database.query(DDL.join(';\n'));
      harness = ctx.driver === 'pglite' ? pgliteHarness(ctx.db) : pgHarness(ctx.db);
    });

    defineScenarios(() => harness);

    if (ctx.driver === 'pglite') {
      it('takes the PGlite instance itself, with the default batch size', async () => {
        const pglite = (ctx.db as unknown as { $client: PgliteLike }).$client;
        await pglite.query('truncate copy_items');
        const progress: number[] = [];
        expect((await copyPglite(pglite, items, itemRows(1000), { onProgress: (p) => progress.push(p.rows) })).rows).toBe(1000);
        expect(progress.at(-1)).toBe(1000);
        expect(await ctx.db.$count(items)).toBe(1000);
      });

      it('validates batchBytes', async () => {
        const pglite = (ctx.db as unknown as { $client: PgliteLike }).$client;
        await expect(copyPglite(pglite, items, [], { batchBytes: 10 })).rejects.toMatchObject({ code: 'INVALID_COPY_OPTION' });
      });
      return;
    }

    it('takes a pg.Client and a drizzle node-postgres db too', async () => {
      const client = new pg.Client({ connectionString: ctx.url });
      await client.connect();
      try {
        await client.query('truncate copy_items');
        expect((await copyRows(client, items, [...itemRows(10)])).rows).toBe(10);
        expect(client.getTransactionStatus()).toBe('I');
      } finally {
        await client.end();
      }
      expect((await copyRows(ctx.db as never, items, itemRows(5, 10))).rows).toBe(5);
      expect(await ctx.db.$count(items)).toBe(15);
    });

    it('a connection the server drops rejects with CONNECTION_LOST (SQLSTATE kept), is released as broken, and does not crash', async () => {
      // A pool of its own connection, so the test knows which backend it ends: on PGlite through a COPY-aware server of
      // its own, whose terminate() ends the connection the way pg_terminate_backend() does.
      const server = ctx.backend === 'pglite' ? await servePgliteWithCopy((ctx.database.db as unknown as { $client: unknown }).$client) : undefined;
      const url = server?.url ?? ctx.url!;
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      pool.on('error', () => {});
      try {
        await dropMidway(pool, url, server);
      } finally {
        await pool.end();
        await server?.close();
      }
    });

    // Back-pressure from the socket, on a real server (served PGlite buffers a whole COPY by design): while another
    // session holds a lock on the table, the server cannot start reading the COPY, the socket fills, and copyRows
    // must stop pulling rows from the source instead of buffering them — memory bounded by socket buffers, not rows.
    const DIMENSIONS = 1536;
    const TOTAL = 20_000; // ~124 MB of binary COPY data: far more than any socket buffer
    const wide = pgTable('copy_backpressure', {
      id: integer('id').primaryKey(),
      embedding: vector('embedding', { dimensions: DIMENSIONS }).notNull(),
    });

    it.runIf(onServer())('on a server: stops pulling the source while the server does not read, and finishes once it does', async () => {
      const pool = (ctx.db as unknown as { $client: pg.Pool }).$client;
      const url = ctx.url!;
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
  },
  { drivers: ['pglite', 'node-postgres'], copy: true },
);

/** Load 50k rows lazily through `pool` and end its connection midway (server.terminate() on PGlite, else pg_terminate_backend). */
async function dropMidway(pool: pg.Pool, url: string, server: PgliteCopyServer | undefined): Promise<void> {
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
}
