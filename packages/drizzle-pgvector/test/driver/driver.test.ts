import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { hnswIndex, nearest, nearestSql, subvector, validateVectorSettings, vector, withVectorSettings } from '../../src/index.js';
import {
  cachedContexts,
  cachedSelections,
  cachedShapes,
  driverOf,
  MAX_CONTEXTS_PER_COLUMN,
  MAX_SELECTIONS_PER_TABLE,
  MAX_SHAPES_PER_DB,
  settingsStatements,
} from '../../src/internal.js';
import { expectCode, expectCodeAsync } from '../helpers.js';

const items = pgTable(
  'drv_items',
  { id: serial('id').primaryKey(), tag: integer('tag').notNull(), embedding: vector('embedding', { dimensions: 8 }) },
  (t) => [hnswIndex('drv_items_hnsw').on(t.embedding, 'l2')],
);

let database: PgVectorTestDatabase;
beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  await database.query('drop table if exists drv_items'); // a server database may keep it from an earlier run
  await database.query('create table drv_items (id serial primary key, tag integer not null, embedding vector(8))');
  await database.query('create index drv_items_hnsw on drv_items using hnsw (embedding vector_l2_ops)');
  await database.query(`insert into drv_items (tag, embedding) select i % 5, array(select (i * j) % 7 from generate_series(1, 8) j)::vector from generate_series(1, 40) i`);
});
afterAll(() => database?.close());

describeEachDriver(
  'driverOf',
  (ctx) => {
    it('picks the driver by its Drizzle session class and runs parameterized SQL through it', async () => {
      const kind = { pglite: 'pglite', 'node-postgres': 'node-postgres', 'postgres-js': 'postgres.js' }[ctx.driver];
      expect(driverOf(ctx.db).kind).toBe(kind);
      const rows = await driverOf(ctx.db).query('select $1::int + 1', [41], (r) => r);
      expect(rows[0]![0]).toBe(42);
      // Inside a transaction too.
      expect(await ctx.db.transaction(async (tx) => driverOf(tx).kind)).toBe(kind);
    });
  },
  { database: () => database },
);

describe('driverOf', () => {
  it("Drizzle's mock has no client: the generic Drizzle path serves it", () => {
    expect(driverOf(drizzle.mock()).kind).toBe('drizzle');
  });

  it('rejects what is not a Drizzle database with INVALID_DATABASE, before any SQL', async () => {
    for (const bad of [undefined, null, 42, {}, { dialect: {} }, new pg.Pool()]) {
      const e = await expectCodeAsync(() => nearest(bad as never, items.embedding, [1, 2, 3, 4, 5, 6, 7, 8], { k: 3 }), 'INVALID_DATABASE');
      expect(e.message).toMatch(/drizzle\(/);
      await expectCodeAsync(() => withVectorSettings(bad as never, { efSearch: 10 }, async () => 1), 'INVALID_DATABASE');
    }
  });
});

describe('one pg.Client shared by concurrent calls', () => {
  it('our settings transactions are serialized on it: 30 concurrent calls each see their own ef_search', async () => {
    const client = new pg.Client({ connectionString: database.url! });
    await client.connect();
    const db = drizzle({ client });
    try {
      const seen = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          withVectorSettings(db, { efSearch: 100 + i }, async (tx) => {
            const first = await tx.execute(sql`select current_setting('hnsw.ef_search') as v`);
            await tx.execute(sql`select pg_sleep(0.001)`);
            const second = await tx.execute(sql`select current_setting('hnsw.ef_search') as v`);
            return [first.rows[0]!['v'], second.rows[0]!['v']];
          }),
        ),
      );
      seen.forEach(([a, b], i) => {
        expect(a).toBe(String(100 + i));
        expect(b).toBe(String(100 + i));
      });
      // nearest's direct transaction path too (filter → automatic settings), interleaved with the above kind.
      const found = await Promise.all(Array.from({ length: 10 }, () => nearest(db, items.embedding, [1, 2, 3, 4, 5, 6, 7, 8], { k: 4, where: sql`${items.tag} >= 0` })));
      for (const rows of found) expect(rows).toHaveLength(4);
      const after = await client.query(`select current_setting('hnsw.ef_search') as v`);
      expect(after.rows[0].v).toBe('40');
    } finally {
      await client.end();
    }
  });
});

describe('query caches are bounded', () => {
  it('distinct selections, filters and subvector targets never grow the caches past their bounds', async () => {
    const q = [1, 2, 3, 4, 5, 6, 7, 8];
    // Many distinct column selections (different result keys): the per-table selection cache stops at its bound.
    for (let i = 0; i < MAX_SELECTIONS_PER_TABLE + 50; i++) {
      await nearestSql(database.db, items.embedding, q, { k: 2, select: { [`id${i}`]: items.id } });
    }
    expect(cachedSelections(items)).toBe(MAX_SELECTIONS_PER_TABLE);
    // Many distinct filters: the per-database shape cache stops at its bound.
    for (let i = 0; i < MAX_SHAPES_PER_DB + 20; i++) {
      await nearestSql(database.db, items.embedding, q, { k: 2, select: { id: items.id }, where: sql`${items.tag} <> ${sql.raw(String(i))}` });
    }
    expect(cachedShapes(database.db)).toBe(MAX_SHAPES_PER_DB);
    // Many distinct subvector targets of one column: the per-column context cache stops at its bound.
    for (let start = 1; start <= 8; start++) {
      for (let count = 1; start + count - 1 <= 8; count++) {
        await nearestSql(database.db, subvector(items.embedding, start, count), q.slice(0, count), { k: 2, metric: 'l2', select: { id: items.id } });
      }
    }
    for (let i = 0; i < MAX_CONTEXTS_PER_COLUMN + 10; i++) {
      await nearestSql(database.db, items.embedding, q, { k: 2, metric: i % 2 ? 'l2' : 'cosine', select: { id: items.id } });
    }
    expect(cachedContexts(items.embedding)).toBeLessThanOrEqual(MAX_CONTEXTS_PER_COLUMN);
    expect(cachedContexts(items.embedding)).toBeGreaterThan(30);
    // A search still works after evictions.
    expect(await nearest(database.db, items.embedding, q, { k: 3, select: { id: items.id } })).toHaveLength(3);
  });
});

describe('Citus: settings must reach the shards', () => {
  const values = validateVectorSettings({ efSearch: 80, probes: 4 }).values;

  it("on a Citus database, a settings transaction starts with SET LOCAL citus.propagate_set_commands = 'local'", () => {
    expect(settingsStatements(values, { vectorVersion: '0.8.0', citusVersion: '13.2-1' })).toEqual([
      "SET LOCAL citus.propagate_set_commands = 'local'",
      'SET LOCAL hnsw.ef_search = 80',
      'SET LOCAL ivfflat.probes = 4',
    ]);
  });

  it('elsewhere, and without settings, nothing is added', () => {
    expect(settingsStatements(values, { vectorVersion: '0.8.0', citusVersion: undefined })).toEqual(['SET LOCAL hnsw.ef_search = 80', 'SET LOCAL ivfflat.probes = 4']);
    expect(settingsStatements([], { vectorVersion: '0.8.0', citusVersion: '13.2-1' })).toEqual([]);
  });

  it('this (non-Citus) database gets no Citus statement in nearest plans', async () => {
    const plan = await nearestSql(database.db, items.embedding, [1, 2, 3, 4, 5, 6, 7, 8], { k: 3, settings: { efSearch: 64 } });
    expect(plan.statements).toEqual(['SET LOCAL hnsw.ef_search = 64']);
    expectCode(() => validateVectorSettings({ efSearch: 0 }), 'INVALID_SEARCH_SETTING');
  });
});
