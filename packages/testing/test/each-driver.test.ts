import { randomUUID } from 'node:crypto';

import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { citusUrl, onServer, PgVectorTestError, resolveBackend, rowsOf, testDrivers, type DriverName } from '../src/index.js';
import { describeEachDriver, withTestDatabase } from '../src/vitest.js';

const seen: DriverName[] = [];
const RUN = randomUUID();

describeEachDriver('describeEachDriver', (ctx) => {
  let early: unknown;
  try {
    void ctx.db;
  } catch (error) {
    early = error;
  }

  it('gives each driver its own Drizzle client on one shared database', async () => {
    seen.push(ctx.driver);
    expect(early).toBeInstanceOf(PgVectorTestError);
    expect((early as PgVectorTestError).code).toBe('NOT_STARTED');
    const client = (ctx.db as unknown as { $client: unknown }).$client;
    const isClient = {
      pglite: () => client instanceof PGlite,
      'node-postgres': () => client instanceof pg.Pool,
      'postgres-js': () => typeof client === 'function' && typeof (client as { begin?: unknown }).begin === 'function',
    }[ctx.driver];
    expect(isClient()).toBe(true);
    expect(ctx.url === undefined).toBe(ctx.driver === 'pglite');
    expect(ctx.database.backend).toBe(ctx.backend);
    const result = await ctx.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as d`);
    expect(Number(rowsOf<{ d: unknown }>(result)[0]!.d)).toBe(1);
    // The same database for every driver: what one driver's run wrote, the next one sees.
    // (Rows of this run only: a server database keeps the table from earlier runs.)
    await ctx.database.query('create table if not exists each_driver_runs (run text, driver text)');
    await ctx.db.execute(sql`insert into each_driver_runs values (${RUN}, ${ctx.driver})`);
    expect((await ctx.database.query<{ driver: string }>('select driver from each_driver_runs where run = $1', [RUN])).map((r) => r.driver)).toEqual(seen);
  });

  it('connect() opens another client of the same driver, closed after the driver’s tests', async () => {
    const other = await ctx.connect({ max: 2 });
    expect(other.driver).toBe(ctx.driver);
    expect(rowsOf<{ n: number }>(await other.db.execute(sql`select count(*)::int as n from each_driver_runs where run = ${RUN}`))[0]!.n).toBe(seen.length);
  });
});

describe('after the loop', () => {
  it('ran every driver the backend offers, in order', async () => {
    expect(seen).toEqual(testDrivers(await resolveBackend()));
  });
});

const shared = withTestDatabase({ serve: true });
const copySeen: DriverName[] = [];
describeEachDriver(
  'describeEachDriver on a given database, COPY-aware on PGlite',
  (ctx) => {
    it('uses that database and only the drivers asked for', async () => {
      copySeen.push(ctx.driver);
      expect(ctx.database).toBe(shared.get());
      expect(['pglite', 'node-postgres']).toContain(ctx.driver);
      if (ctx.backend === 'pglite' && ctx.driver === 'node-postgres') expect(ctx.url).not.toBe(shared.get().url);
      expect(rowsOf<{ one: number }>(await ctx.db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    });
  },
  { database: shared.get, drivers: ['pglite', 'node-postgres'], copy: true },
);

describe('gates', () => {
  it('the loop above ran', () => {
    expect(copySeen.length).toBeGreaterThan(0);
  });

  it('onServer: url and testcontainers, or auto with DATABASE_URL', () => {
    expect(onServer({})).toBe(false);
    expect(onServer({ DATABASE_URL: 'postgres://x/y' })).toBe(true);
    expect(onServer({ DATABASE_URL: 'postgres://x/y', PGVECTOR_TEST_BACKEND: 'pglite' })).toBe(false);
    expect(onServer({ PGVECTOR_TEST_BACKEND: 'URL' })).toBe(true);
    expect(onServer({ PGVECTOR_TEST_BACKEND: 'testcontainers' })).toBe(true);
    expect(onServer({ PGVECTOR_TEST_BACKEND: ' ', DATABASE_URL: ' ' })).toBe(false);
    expect(() => onServer({ PGVECTOR_TEST_BACKEND: 'sqlite' })).toThrow(expect.objectContaining({ code: 'INVALID_TEST_BACKEND' }));
  });

  it('citusUrl: CITUS_URL, blank is none', () => {
    expect(citusUrl({ CITUS_URL: 'postgres://coordinator/db' })).toBe('postgres://coordinator/db');
    expect(citusUrl({ CITUS_URL: '  ' })).toBeUndefined();
    expect(citusUrl({ DATABASE_URL: 'postgres://x/y' })).toBeUndefined();
  });

  it('testDrivers: per backend, narrowed by PGVECTOR_TEST_DRIVERS, unknown names rejected', () => {
    expect(testDrivers('pglite', {})).toEqual(['pglite', 'node-postgres', 'postgres-js']);
    expect(testDrivers('url', {})).toEqual(['node-postgres', 'postgres-js']);
    expect(testDrivers('pglite', { PGVECTOR_TEST_DRIVERS: 'Postgres-JS, pglite' })).toEqual(['pglite', 'postgres-js']);
    expect(testDrivers('url', { PGVECTOR_TEST_DRIVERS: 'pglite' })).toEqual([]);
    const error = (() => {
      try {
        testDrivers('url', { PGVECTOR_TEST_DRIVERS: 'node-postgres,mysql2' });
      } catch (e) {
        return e as PgVectorTestError;
      }
      throw new Error('expected INVALID_DRIVER');
    })();
    expect(error.code).toBe('INVALID_DRIVER');
    expect(error.message).toMatch(/"mysql2" in PGVECTOR_TEST_DRIVERS/);
  });
});
