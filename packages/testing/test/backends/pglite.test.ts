import { asc, l2Distance, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rowsOf, startTestDatabase, type DriverName, type PgVectorTestDatabase } from '../../src/index.js';
import { expectTestError } from '../helpers.js';
import { CREATE_ITEMS, items, schema } from '../schema.js';

// pglite-specific: always explicit backend 'pglite', whatever PGVECTOR_TEST_BACKEND says.
describe('startTestDatabase({ backend: "pglite" })', () => {
  let database: PgVectorTestDatabase<typeof schema>;

  beforeAll(async () => {
    database = await startTestDatabase({ backend: 'pglite', schema });
  });

  afterAll(async () => {
    await database?.close();
  });

  it('reports the pglite backend and driver, and no URL when not served', () => {
    expect(database.backend).toBe('pglite');
    expect(database.driver).toBe('pglite');
    expect(database.url).toBeUndefined();
  });

  it('has the vector extension installed', async () => {
    const rows = await database.query<{ extname: string; extversion: string }>(
      `select extname, extversion from pg_extension where extname = 'vector'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.extversion).toMatch(/^\d+\.\d+/);
  });

  it("computes '[1,2,3]'::vector <-> '[1,2,4]' = 1 through db.execute", async () => {
    const result = await database.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
    expect(rowsOf<{ distance: number }>(result)).toEqual([{ distance: 1 }]);
  });

  it("computes '[1,2,3]'::vector <-> '[1,2,4]' = 1 through query()", async () => {
    const rows = await database.query<{ distance: number }>(`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
    expect(rows).toEqual([{ distance: 1 }]);
  });

  it('query() binds parameters', async () => {
    const rows = await database.query<{ distance: number }>('select $1::vector <-> $2::vector as distance', [
      '[0,0,0]',
      '[3,4,0]',
    ]);
    expect(rows).toEqual([{ distance: 5 }]);
  });

  it('query() without params runs several statements and returns the last rows', async () => {
    const rows = await database.query<{ n: number }>('create temporary table tmp_multi (n int); insert into tmp_multi values (7); select n from tmp_multi');
    expect(rows).toEqual([{ n: 7 }]);
  });

  it('stores and searches vectors through the typed Drizzle db (schema option enables db.query)', async () => {
    await database.query(CREATE_ITEMS);
    await database.db.insert(items).values([
      { label: 'near', embedding: [1, 2, 3] },
      { label: 'far', embedding: [10, 10, 10] },
      { label: 'mid', embedding: [2, 2, 2] },
    ]);
    const ordered = await database.db
      .select({ label: items.label, embedding: items.embedding })
      .from(items)
      .orderBy(asc(l2Distance(items.embedding, [1, 2, 3])));
    expect(ordered.map((row) => row.label)).toEqual(['near', 'mid', 'far']);
    expect(ordered[0]?.embedding).toEqual([1, 2, 3]);

    const viaRelational = await database.db.query.items.findMany({ orderBy: (t, { asc: up }) => [up(t.id)] });
    expect(viaRelational.map((row) => row.label)).toEqual(['near', 'far', 'mid']);
  });

  it("connect('pglite') gives another Drizzle db on the same data", async () => {
    const extra = await database.connect('pglite');
    expect(extra.driver).toBe('pglite');
    const rows = await extra.db.select({ label: items.label }).from(items).orderBy(asc(items.id));
    expect(rows.map((row) => row.label)).toEqual(['near', 'far', 'mid']);
    await extra.close();
    // closing the extra must not close the shared PGlite instance
    await expect(database.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
  });

  it('URL drivers need serve: true → NO_CONNECTION_URL', async () => {
    for (const driver of ['node-postgres', 'postgres-js'] as const) {
      const error = await expectTestError(database.connect(driver), 'NO_CONNECTION_URL');
      expect(error.message).toContain(driver);
      expect(error.message).toContain('serve: true');
    }
  });

  it('rejects an unknown driver with INVALID_DRIVER', async () => {
    const error = await expectTestError(database.connect('mysql' as DriverName), 'INVALID_DRIVER');
    expect(error.message).toContain('"mysql"');
  });

  it('reset() drops tables, views, types, functions and the drizzle schema but keeps vector', async () => {
    await database.query(`create type mood as enum ('happy', 'sad')`);
    await database.query(`create view near_items as select * from items where label = 'near'`);
    await database.query(`create function add_one(x int) returns int language sql as 'select x + 1'`);
    await database.query(`create index items_embedding_idx on items using hnsw (embedding vector_l2_ops)`);
    await database.query(`create sequence standalone_seq`);
    await database.query(`create schema drizzle; create table drizzle.__drizzle_migrations (id serial primary key, hash text)`);

    await database.reset();

    const relations = await database.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'i')`,
    );
    expect(relations).toEqual([]);
    expect(await database.query(`select 1 from pg_type where typname = 'mood'`)).toEqual([]);
    expect(await database.query(`select 1 from pg_proc where proname = 'add_one'`)).toEqual([]);
    expect(await database.query(`select 1 from pg_namespace where nspname = 'drizzle'`)).toEqual([]);
    expect(await database.query(`select extname from pg_extension where extname = 'vector'`)).toEqual([
      { extname: 'vector' },
    ]);
    // the vector type and operators still work, and the table can be created again
    await database.query(CREATE_ITEMS);
    await database.db.insert(items).values({ label: 'again', embedding: [0, 0, 1] });
    expect(await database.db.$count(items)).toBe(1);
    await database.reset();
    expect(await database.query(`select 1 from pg_class where relname = 'items'`)).toEqual([]);
  });

  it('reset() re-creates the vector extension if a test dropped it', async () => {
    await database.query('drop extension vector cascade');
    expect(await database.query(`select 1 from pg_extension where extname = 'vector'`)).toEqual([]);
    await database.reset();
    const rows = await database.query<{ distance: number }>(`select '[0,0]'::vector <-> '[0,1]' as distance`);
    expect(rows).toEqual([{ distance: 1 }]);
  });
});

describe('startTestDatabase({ backend: "pglite", createExtension: false }) and close()', () => {
  it('does not create the extension, and refuses use after close()', async () => {
    const database = await startTestDatabase({ backend: 'pglite', createExtension: false });
    try {
      expect(await database.query(`select 1 from pg_extension where extname = 'vector'`)).toEqual([]);
      // the extension is still available to create
      const available = await database.query<{ name: string }>(
        `select name from pg_available_extensions where name = 'vector'`,
      );
      expect(available).toEqual([{ name: 'vector' }]);
      await database.reset(); // reset does not create it either
      expect(await database.query(`select 1 from pg_extension where extname = 'vector'`)).toEqual([]);
    } finally {
      await database.close();
    }
    await database.close(); // idempotent
    await expectTestError(database.query('select 1'), 'DATABASE_CLOSED');
    await expectTestError(database.reset(), 'DATABASE_CLOSED');
    await expectTestError(database.connect('pglite'), 'DATABASE_CLOSED');
    await expect(database.db.execute(sql`select 1`)).rejects.toThrow();
  });
});
