import { asc, l2Distance, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '../../src/index.js';
import { closedPort, expectTestError } from '../helpers.js';
import { CREATE_ITEMS, items, schema } from '../schema.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

// The url backend is exercised against a real pgvector server that always exists here:
// a PGlite served over loopback by this package (pglite backend, serve: true).
describe('backend "url" (against a served PGlite)', () => {
  let host: PgVectorTestDatabase;
  let database: PgVectorTestDatabase<typeof schema>;

  beforeAll(async () => {
    host = await startTestDatabase({ backend: 'pglite', serve: true, createExtension: false, maxConnections: 24 });
    database = await startTestDatabase({ backend: 'url', url: host.url, schema });
  });

  afterAll(async () => {
    await database?.close();
    await host?.close();
  });

  it('uses node-postgres over the given URL', () => {
    expect(database.backend).toBe('url');
    expect(database.driver).toBe('node-postgres');
    expect(database.url).toBe(host.url);
  });

  it('ran CREATE EXTENSION IF NOT EXISTS vector on the server', async () => {
    expect(await host.query(`select extname from pg_extension where extname = 'vector'`)).toEqual([{ extname: 'vector' }]);
  });

  it("computes '[1,2,3]'::vector <-> '[1,2,4]' = 1 through db.execute and query()", async () => {
    const result = await database.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
    expect(rowsOf(result)).toEqual([{ distance: 1 }]);
    expect(await database.query(`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`)).toEqual([{ distance: 1 }]);
    expect(await database.query('select $1::vector <-> $2::vector as distance', ['[0,0]', '[3,4]'])).toEqual([
      { distance: 5 },
    ]);
    expect(await database.query('select 1 as a; select 2 as b')).toEqual([{ b: 2 }]);
  });

  it('writes through the primary db and reads through postgres-js; pglite driver is refused', async () => {
    await database.query(CREATE_ITEMS);
    await database.db.insert(items).values([
      { label: 'x', embedding: [1, 0, 0] },
      { label: 'y', embedding: [0, 1, 0] },
    ]);
    const extra = await database.connect('postgres-js', { max: 2 });
    const rows = await extra.db
      .select({ label: items.label })
      .from(items)
      .orderBy(asc(l2Distance(items.embedding, [0, 1, 0])));
    expect(rows.map((row) => row.label)).toEqual(['y', 'x']);
    await extra.close();

    const error = await expectTestError(database.connect('pglite'), 'DRIVER_UNAVAILABLE');
    expect(error.message).toContain('"url"');
  });

  it('reset() drops the tables on the server', async () => {
    expect(await host.query(`select to_regclass('public.items') is not null as present`)).toEqual([{ present: true }]);
    await database.reset();
    expect(await host.query(`select to_regclass('public.items') is not null as present`)).toEqual([{ present: false }]);
    expect(await host.query(`select extname from pg_extension where extname = 'vector'`)).toEqual([{ extname: 'vector' }]);
  });

  it("auto picks 'url' when options.url is given", async () => {
    vi.stubEnv('PGVECTOR_TEST_BACKEND', '');
    const auto = await startTestDatabase({ backend: 'auto', url: host.url });
    try {
      expect(auto.backend).toBe('url');
      expect(await auto.query(`select '[1,1]'::vector <=> '[1,1]' as distance`)).toEqual([{ distance: 0 }]);
    } finally {
      await auto.close();
    }
  });
});

describe('backend "url" failures', () => {
  it('without DATABASE_URL or url → TEST_BACKEND_UNAVAILABLE saying what to set', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const error = await expectTestError(startTestDatabase({ backend: 'url' }), 'TEST_BACKEND_UNAVAILABLE');
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('PGVECTOR_TEST_BACKEND=pglite');
  });

  it('unreachable server → TEST_BACKEND_UNAVAILABLE naming the URL without its password', async () => {
    const url = `postgres://tester:s3cret-pw@127.0.0.1:${await closedPort()}/db`;
    const error = await expectTestError(startTestDatabase({ backend: 'url', url }), 'TEST_BACKEND_UNAVAILABLE');
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('tester:***@');
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.cause).toBeDefined();
  });
});
