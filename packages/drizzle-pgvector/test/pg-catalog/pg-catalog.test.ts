/**
 * pg-catalog/: the one reader of the live database's catalog, on a real pgvector (PGlite or DATABASE_URL):
 * live HNSW/IVFFlat indexes and their reloptions, one index by name, table row estimates, tables by name.
 */
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverOf, rowQuery, type AnyPgDatabase } from '../../src/driver/index.js';
import {
  effectiveOptions,
  estimatedRows,
  findIndex,
  parseReloptions,
  readLiveIndexes,
  readTableStats,
  readVectorExtension,
  resolveTables,
  serverFacts,
} from '../../src/pg-catalog/index.js';

let database: PgVectorTestDatabase;
const ODD = 'pc "odd", {name}\\';

beforeAll(async () => {
  database = await startTestDatabase();
  for (const statement of [
    'DROP SCHEMA IF EXISTS pc_s CASCADE',
    'DROP TABLE IF EXISTS pc_items, pc_plain',
    `DROP TABLE IF EXISTS "${ODD.replace(/"/g, '""')}"`,
    'CREATE SCHEMA pc_s',
    'CREATE TABLE pc_items (id serial PRIMARY KEY, embedding vector(3), half halfvec(4))',
    'CREATE TABLE pc_s.pc_items (id serial PRIMARY KEY, embedding vector(3))',
    'CREATE TABLE pc_plain (id int)',
    `CREATE TABLE "${ODD.replace(/"/g, '""')}" (id int)`,
    'INSERT INTO pc_items (embedding, half) SELECT ARRAY[i, i + 1, i + 2]::vector, ARRAY[i, 1, 2, 3]::halfvec FROM generate_series(1, 50) i',
    'CREATE INDEX pc_items_hnsw ON pc_items USING hnsw (embedding vector_cosine_ops) WITH (m = 8, ef_construction = 40)',
    'CREATE INDEX pc_items_ivf ON pc_items USING ivfflat (embedding vector_l2_ops) WITH (lists = 3)',
    'CREATE INDEX pc_items_half ON pc_items USING hnsw ((embedding::halfvec(3)) halfvec_ip_ops) WHERE id > 10',
    'CREATE INDEX pc_items_btree ON pc_items (id)',
    'CREATE INDEX pc_items_hnsw ON pc_s.pc_items USING hnsw (embedding vector_l2_ops)',
  ]) {
    await database.query(statement);
  }
});

afterAll(async () => {
  await database?.query('DROP SCHEMA IF EXISTS pc_s CASCADE');
  await database?.query('DROP TABLE IF EXISTS pc_items, pc_plain');
  await database?.query(`DROP TABLE IF EXISTS "${ODD.replace(/"/g, '""')}"`);
  await database?.close();
});

describe('reloptions', () => {
  it('parses the text form and the array form the same way, numbers keyed by SQL name', () => {
    expect(parseReloptions('{m=8,ef_construction=40}')).toEqual({ m: 8, ef_construction: 40 });
    expect(parseReloptions(['lists=3'])).toEqual({ lists: 3 });
    expect(parseReloptions(null)).toEqual({});
    expect(parseReloptions('{}')).toEqual({});
  });

  it('fills what is not stored with pgvector defaults, per method', () => {
    expect(effectiveOptions('hnsw', { m: 8 })).toEqual({ m: 8, efConstruction: 64 });
    expect(effectiveOptions('ivfflat', {})).toEqual({ lists: 100 });
  });
});

describe('readLiveIndexes', () => {
  it('reads every HNSW/IVFFlat index of the search_path schema, with options, key, predicate and table stats (no btree)', async () => {
    const live = await readLiveIndexes(database.db, { index: undefined, schema: undefined });
    const mine = live.filter((i) => i.table === 'pc_items');
    expect(mine.map((i) => i.name)).toEqual(['pc_items_half', 'pc_items_hnsw', 'pc_items_ivf']);
    const [half, hnsw, ivf] = mine as [(typeof mine)[0], (typeof mine)[0], (typeof mine)[0]];
    expect(hnsw).toMatchObject({ schema: 'public', method: 'hnsw', opclass: 'vector_cosine_ops', key: 'embedding', isColumn: true, typmod: 3, valid: true });
    expect(hnsw.storedOptions).toEqual({ m: 8, ef_construction: 40 });
    expect(hnsw.options).toEqual({ m: 8, efConstruction: 40 });
    expect(ivf.storedOptions).toEqual({ lists: 3 });
    expect(ivf.options).toEqual({ lists: 3 });
    expect(half).toMatchObject({ method: 'hnsw', opclass: 'halfvec_ip_ops', isColumn: false, predicate: 'id > 10' });
    expect(half.key).toBe('(embedding::halfvec(3))');
    // PostgreSQL 17 quotes the option values ('8'), 15 does not.
    expect(hnsw.definition).toMatch(/^CREATE INDEX pc_items_hnsw ON public\.pc_items USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?8'?, ef_construction='?40'?\)$/);
    expect(hnsw.sizeBytes).toBeGreaterThan(0);
    expect(hnsw.tablePages).toBeGreaterThan(0);
  });

  it('finds one index by name in a schema, all of a table by oid, and one table by regclass text', async () => {
    const inSchema = await readLiveIndexes(database.db, { index: 'pc_items_hnsw', schema: 'pc_s' });
    expect(inSchema.map((i) => [i.schema, i.name, i.opclass])).toEqual([['pc_s', 'pc_items_hnsw', 'vector_l2_ops']]);
    const oid = inSchema[0]!.tableOid;
    expect((await readLiveIndexes(database.db, { tableOids: [oid] })).map((i) => i.name)).toEqual(['pc_items_hnsw']);
    expect(await readLiveIndexes(database.db, { tableOids: [] })).toEqual([]);
    expect((await readLiveIndexes(database.db, { regclass: '"pc_items"' })).map((i) => i.name)).toEqual(['pc_items_half', 'pc_items_hnsw', 'pc_items_ivf']);
    expect(await readLiveIndexes(database.db, { regclass: '"pc_plain"' })).toEqual([]);
    const all = await readLiveIndexes(database.db, 'all');
    expect(all.filter((i) => i.name === 'pc_items_hnsw').map((i) => i.schema).sort()).toEqual(['pc_s', 'public']);
  });
});

describe('findIndex', () => {
  it('finds an index (any method) on the search_path or in a schema, with its stored options; undefined when absent', async () => {
    const query = rowQuery(database.db);
    expect(await findIndex(query, 'pc_items_hnsw')).toEqual({
      schema: 'public', name: 'pc_items_hnsw', valid: true, ready: true, table: 'pc_items', storedOptions: { m: 8, ef_construction: 40 },
    });
    expect(await findIndex(query, 'pc_items_hnsw', 'pc_s')).toMatchObject({ schema: 'pc_s', storedOptions: {} });
    expect(await findIndex(query, 'pc_items_btree')).toMatchObject({ valid: true, table: 'pc_items', storedOptions: {} });
    expect(await findIndex(query, 'pc_items_ivf', 'pc_s')).toBeUndefined();
    expect(await findIndex(query, 'pc_nope')).toBeUndefined();
  });
});

describe('table statistics', () => {
  it('a table never analysed has no estimate (reltuples −1 on PostgreSQL ≥ 14); after ANALYZE the planner estimate is the row count', async () => {
    const query = rowQuery(database.db);
    const before = await readTableStats(query, '"public"."pc_plain"');
    expect(before).toEqual({ tableReltuples: -1, tableRelpages: 0, tablePages: 0 });
    expect(estimatedRows(before)).toBeUndefined();
    await database.query('ANALYZE pc_items');
    const stats = await readTableStats(query, '"public"."pc_items"');
    expect(stats.tableReltuples).toBe(50);
    expect(stats.tablePages).toBeGreaterThan(0);
    expect(estimatedRows(stats)).toBe(50);
    expect(estimatedRows({ tableReltuples: -1, tableRelpages: 0, tablePages: 3 })).toBeUndefined();
    expect(estimatedRows({ tableReltuples: 100, tableRelpages: 2, tablePages: 4 })).toBe(200);
  });

  it('resolves table names as written in SQL, in order, with undefined for a missing one (names with quotes, commas, braces and backslashes bound as data)', async () => {
    const [items, inSchema, missing, odd] = await resolveTables(database.db, ['"pc_items"', 'pc_s.pc_items', '"pc_missing"', `"${ODD.replace(/"/g, '""')}"`]);
    expect(items).toMatchObject({ schema: 'public', reltuples: 50 });
    expect(inSchema?.schema).toBe('pc_s');
    expect(inSchema?.oid).not.toBe(items?.oid);
    expect(missing).toBeUndefined();
    expect(odd?.schema).toBe('public');
    expect(await resolveTables(database.db, [])).toEqual([]);
  });
});

describe('server facts', () => {
  it('pgvector as installed now (version, schema) is what the catalog says, and what serverFacts caches', async () => {
    const ext = await readVectorExtension(database.db);
    const [row] = await rowQuery(database.db)("SELECT extversion AS v, extnamespace::regnamespace::text AS s FROM pg_extension WHERE extname = 'vector'", []);
    expect(ext).toEqual({ version: row!['v'], schema: row!['s'] });
    expect(ext!.version).toMatch(/^\d+\.\d+\.\d+$/);
    const db = database.db as unknown as AnyPgDatabase;
    expect((await serverFacts(db, driverOf(db))).vectorVersion).toBe(ext!.version);
  });
});
