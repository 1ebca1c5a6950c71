import { asc, eq, l2Distance, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '../../src/index.js';
import { expectTestError } from '../helpers.js';
import { CREATE_ITEMS, items, schema } from '../schema.js';

// pglite-specific (serve: true): always explicit backend 'pglite', whatever PGVECTOR_TEST_BACKEND says.
describe('startTestDatabase({ backend: "pglite", serve: true })', () => {
  let database: PgVectorTestDatabase<typeof schema>;

  beforeAll(async () => {
    database = await startTestDatabase({ backend: 'pglite', serve: true, maxConnections: 8, schema });
    await database.query(CREATE_ITEMS);
    await database.db.insert(items).values([
      { label: 'a', embedding: [1, 0, 0] },
      { label: 'b', embedding: [0, 1, 0] },
      { label: 'c', embedding: [0.9, 0.1, 0] },
    ]);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('exposes a loopback postgres:// URL that a plain pg client can use', async () => {
    expect(database.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await client.query<{ distance: number }>(`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
      expect(result.rows).toEqual([{ distance: 1 }]);
    } finally {
      await client.end();
    }
  });

  it("connect('node-postgres') reads the rows written through the primary db", async () => {
    const extra = await database.connect('node-postgres', { max: 2 });
    try {
      expect(extra.driver).toBe('node-postgres');
      const rows = await extra.db
        .select({ label: items.label, embedding: items.embedding })
        .from(items)
        .orderBy(asc(l2Distance(items.embedding, [1, 0, 0])));
      expect(rows.map((row) => row.label)).toEqual(['a', 'c', 'b']);
      expect(rows[0]?.embedding).toEqual([1, 0, 0]);
      // a burst of concurrent queries through a 2-connection pool on the single PGlite backend
      const counts = await Promise.all(Array.from({ length: 12 }, () => extra.db.$count(items)));
      expect(counts).toEqual(Array.from({ length: 12 }, () => 3));
    } finally {
      await extra.close();
    }
  });

  it("connect('postgres-js') reads the same rows, and its writes are visible to the primary db", async () => {
    const extra = await database.connect('postgres-js');
    try {
      expect(extra.driver).toBe('postgres-js');
      const rows = await extra.db
        .select({ label: items.label, embedding: items.embedding })
        .from(items)
        .orderBy(asc(l2Distance(items.embedding, [0, 1, 0])));
      expect(rows.map((row) => row.label)).toEqual(['b', 'c', 'a']);
      expect(rows[0]?.embedding).toEqual([0, 1, 0]);

      await extra.db.insert(items).values({ label: 'from-postgres-js', embedding: [0, 0, 1] });
      const seen = await database.db.select({ label: items.label }).from(items).where(eq(items.label, 'from-postgres-js'));
      expect(seen).toEqual([{ label: 'from-postgres-js' }]);

      const raw = rowsOf<{ distance: number }>(await extra.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`));
      expect(raw).toEqual([{ distance: 1 }]);
    } finally {
      await extra.close();
    }
  });

  it('transactions through postgres-js commit and roll back on the shared PGlite', async () => {
    const extra = await database.connect('postgres-js', { max: 2 });
    try {
      await extra.db.transaction(async (tx) => {
        await tx.insert(items).values({ label: 'committed', embedding: [1, 1, 1] });
      });
      await expect(
        extra.db.transaction(async (tx) => {
          await tx.insert(items).values({ label: 'rolled-back', embedding: [2, 2, 2] });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const labels = (await database.db.select({ label: items.label }).from(items)).map((row) => row.label);
      expect(labels).toContain('committed');
      expect(labels).not.toContain('rolled-back');
    } finally {
      await extra.close();
    }
  });

  it('bounds pool sizes by the socket maxConnections → CONNECTION_LIMIT, and frees slots on close', async () => {
    const error = await expectTestError(database.connect('node-postgres', { max: 9 }), 'CONNECTION_LIMIT');
    expect(error.message).toContain('maxConnections 8');

    const first = await database.connect('node-postgres', { max: 5 });
    await expectTestError(database.connect('postgres-js', { max: 4 }), 'CONNECTION_LIMIT');
    const second = await database.connect('postgres-js', { max: 3 });
    await expectTestError(database.connect('node-postgres'), 'CONNECTION_LIMIT'); // 0 free
    // use every slot at once
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => first.db.$count(items)),
      ...Array.from({ length: 6 }, () => second.db.$count(items)),
    ]);
    expect(new Set(results).size).toBe(1);
    await first.close();
    await second.close();

    const all = await database.connect('node-postgres', { max: 8 });
    const pool = (all.db as unknown as { $client: pg.Pool }).$client;
    const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
    try {
      const answers = await Promise.all(clients.map((client, i) => client.query<{ i: number }>('select $1::int as i', [i])));
      expect(answers.map((answer) => answer.rows[0]?.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    } finally {
      for (const client of clients) client.release();
      await all.close();
    }
  });

  it('postgres.js keeps working across reset() even with cached prepared statements', async () => {
    const extra = await database.connect('postgres-js', { max: 1 });
    try {
      await database.query('create table shape (v integer)');
      await database.query('insert into shape values (1)');
      expect(rowsOf(await extra.db.execute(sql`select v from shape`))).toEqual([{ v: 1 }]);
      await database.reset();
      await database.query('create table shape (v text)');
      await database.query(`insert into shape values ('one')`);
      expect(rowsOf(await extra.db.execute(sql`select v from shape`))).toEqual([{ v: 'one' }]);
    } finally {
      await extra.close();
    }
  });

  it('reset() is seen by every connection', async () => {
    const extra = await database.connect('node-postgres', { max: 1 });
    try {
      await database.query(CREATE_ITEMS);
      const before = await extra.db.execute(sql`select to_regclass('public.items') is not null as present`);
      expect(rowsOf(before)).toEqual([{ present: true }]);
      await database.reset();
      const after = await extra.db.execute(sql`select to_regclass('public.items') is not null as present`);
      expect(rowsOf(after)).toEqual([{ present: false }]);
    } finally {
      await extra.close();
    }
  });

  it('close() also closes connections returned by connect()', async () => {
    const local = await startTestDatabase({ backend: 'pglite', serve: true });
    const viaPg = await local.connect('node-postgres', { max: 1 });
    const viaJs = await local.connect('postgres-js', { max: 1 });
    expect(rowsOf(await viaPg.db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    expect(rowsOf(await viaJs.db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    await local.close();
    await expect(viaPg.db.execute(sql`select 1`)).rejects.toThrow();
    await expect(viaJs.db.execute(sql`select 1`)).rejects.toThrow();
    // the URL no longer accepts connections
    const client = new pg.Client({ connectionString: local.url, connectionTimeoutMillis: 2000 });
    client.on('error', () => {});
    await expect(client.connect()).rejects.toThrow();
  });
});
