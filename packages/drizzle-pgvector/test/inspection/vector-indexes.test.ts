import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { index, integer, pgSchema, pgTable, text } from 'drizzle-orm/pg-core';
import { onKitLine } from '../../../../test/helpers/drizzle-kit.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { asHalfvec, binaryQuantize, hnswIndex, ivfflatIndex, schemaTables, vector, vectorIndexes, type IndexDrift } from '../../src/index.js';
import * as schemaModule from './fixtures/schema-module.js';
import { expectCodeAsync } from '../helpers.js';

/**
 * One table per drift kind is overkill: one table declares an index per kind, and the database is set up so that
 * each differs from its declaration in exactly one way.
 */
const drifted = pgTable(
  'vi_drift',
  {
    id: integer('id').primaryKey(),
    tag: integer('tag').notNull(),
    embedding: vector('embedding', { dimensions: 3 }).notNull(),
  },
  (t) => [
    hnswIndex('vi_options').on(t.embedding, 'cosine').with({ m: 8 }), //           live: m = 12
    ivfflatIndex('vi_opclass').on(t.embedding, 'l2').with({ lists: 2 }), //       live: vector_ip_ops
    hnswIndex('vi_predicate').on(t.embedding, 'l2').where(sql`${t.tag} = 1`), //  live: WHERE tag = 2
    hnswIndex('vi_expression').on(t.embedding, 'l1'), //                          live: (subvector(embedding, 1, 3)::vector(3))
    hnswIndex('vi_method').on(t.embedding, 'l2'), //                              live: ivfflat
    hnswIndex('vi_missing').on(t.embedding, 'innerProduct'), //                   live: not there
    hnswIndex('vi_new_name').on(asHalfvec(t.embedding, 3), 'cosine'), //          live: the same as "vi_old_name"
    // A plain Drizzle index is declared too (same as live: no drift).
    index('vi_plain').using('hnsw', t.embedding.op('vector_l2_ops')).with({ m: 4, ef_construction: 10 }),
  ],
);

/** What the database has for `vi_drift` (undeclared: `vi_extra`). */
const LIVE = [
  'CREATE INDEX vi_options ON vi_drift USING hnsw (embedding vector_cosine_ops) WITH (m = 12)',
  'CREATE INDEX vi_opclass ON vi_drift USING ivfflat (embedding vector_ip_ops) WITH (lists = 2)',
  'CREATE INDEX vi_predicate ON vi_drift USING hnsw (embedding vector_l2_ops) WHERE tag = 2',
  'CREATE INDEX vi_expression ON vi_drift USING hnsw ((subvector(embedding, 1, 3)::vector(3)) vector_l1_ops)',
  'CREATE INDEX vi_method ON vi_drift USING ivfflat (embedding vector_l2_ops) WITH (lists = 1)',
  'CREATE INDEX vi_old_name ON vi_drift USING hnsw ((embedding::halfvec(3)) halfvec_cosine_ops)',
  'CREATE INDEX vi_plain ON vi_drift USING hnsw (embedding vector_l2_ops) WITH (m = 4, ef_construction = 10)',
  'CREATE INDEX vi_extra ON vi_drift USING hnsw ((binary_quantize(embedding)::bit(3)) bit_hamming_ops) WITH (m = 6) WHERE tag > 0',
];

/** The line `undeclared` suggests for vi_extra, declared by hand: with it the table has no drift for vi_extra. */
const declaresExtra = pgTable(
  'vi_drift',
  { id: integer('id').primaryKey(), tag: integer('tag').notNull(), embedding: vector('embedding', { dimensions: 3 }).notNull() },
  (t) => [hnswIndex('vi_extra').on(binaryQuantize(t.embedding, 3), 'hamming').with({ m: 6 }).where(sql`tag > 0`)],
);

const notCreated = pgTable('vi_not_created', { id: integer('id'), embedding: vector('embedding', { dimensions: 3 }) }, (t) => [
  hnswIndex('vi_not_created_hnsw').on(t.embedding, 'l2'),
]);
const plainTable = pgTable('vi_plain_table', { id: integer('id'), name: text('name') });

/** A table in another schema, declared with a WHERE that names the table. */
const other = pgSchema('vi_other');
const elsewhere = other.table('vi_items', { id: integer('id').primaryKey(), tag: integer('tag'), embedding: vector('embedding', { dimensions: 3 }) }, (t) => [
  hnswIndex('vi_other_hnsw').on(t.embedding, 'l2').with({ m: 10 }).where(sql`${t.tag} is not null`),
  ivfflatIndex('vi_other_ivf').on(t.embedding, 'cosine').with({ lists: 1 }),
]);

/** IVFFlat health: 3000 rows (advice: lists = 3). */
const health = pgTable('vi_health', { id: integer('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }).notNull() });

let database: PgVectorTestDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  await database.query('drop table if exists vi_drift, vi_health, vi_not_created, vi_plain_table cascade');
  await database.query('create table vi_drift (id integer primary key, tag integer not null, embedding vector(3) not null)');
  await database.query(
    "insert into vi_drift select g, g % 3, ('[' || (g % 7) || ',' || (g % 5 + 1) || ',' || (g % 3 - 1) || ']')::vector from generate_series(1, 200) g",
  );
  for (const statement of LIVE) await database.query(statement);
  await database.query('create table vi_health (id integer primary key, embedding vector(3) not null)');
  await database.query(
    "insert into vi_health select g, ('[' || sin(g) || ',' || cos(g) || ',' || (g % 11) || ']')::vector from generate_series(1, 3000) g",
  );
  await database.query('create index vi_health_many on vi_health using ivfflat (embedding vector_l2_ops) with (lists = 60)');
  await database.query('create index vi_health_few on vi_health using ivfflat (embedding vector_cosine_ops) with (lists = 1)');
  await database.query('create index vi_health_ok on vi_health using ivfflat (embedding vector_ip_ops) with (lists = 3)');
  await database.query('analyze vi_health');
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists vi_drift, vi_health, vi_not_created, vi_plain_table cascade').catch(() => undefined);
  await database?.close();
});

function byKind(drift: readonly IndexDrift[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of drift) (out[d.kind] ??= []).push(d.index);
  return out;
}

describe('vectorIndexes: drift', () => {
  it('reports each kind of difference once, on the index that has it', async () => {
    const { drift, indexes } = await vectorIndexes(database.db, { tables: [drifted] });
    console.log(drift.map((d) => `${d.kind} ${d.index}: ${d.sql.join(' ')}`).join('\n'));
    expect(byKind(drift)).toEqual({
      options: ['vi_options'],
      opclass: ['vi_opclass'],
      predicate: ['vi_predicate'],
      expression: ['vi_expression'],
      method: ['vi_method'],
      renamed: ['vi_old_name'],
      undeclared: ['vi_extra'],
      missing: ['vi_missing'],
    });
    expect(indexes.map((i) => i.name).sort()).toEqual(
      ['vi_expression', 'vi_extra', 'vi_method', 'vi_old_name', 'vi_opclass', 'vi_options', 'vi_plain', 'vi_predicate'].sort(),
    );
    const get = (kind: string) => drift.find((d) => d.kind === kind)!;
    expect(get('options').message).toContain('m = 8, efConstruction = 64');
    expect(get('options').message).toContain('m = 12, efConstruction = 64');
    // Every definition drift is fixed by replaceIndex's swap: build CONCURRENTLY under <name>_pgv_new, drop, rename.
    expect(get('options').message).toContain("replaceIndex(db, vi_drift, 'vi_options')");
    expect(get('options').sql).toEqual([
      onKitLine(['CREATE INDEX CONCURRENTLY "vi_options_pgv_new" ON "vi_drift" USING hnsw ("embedding" vector_cosine_ops) WITH (m=8);'])[0],
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."vi_options";',
      'ALTER INDEX "public"."vi_options_pgv_new" RENAME TO "vi_options";',
    ]);
    expect(get('opclass').message).toContain('vector_l2_ops');
    expect(get('opclass').message).toContain('vector_ip_ops');
    expect(get('predicate').message).toContain('tag = 1');
    expect(get('predicate').message).toContain('tag = 2');
    expect(get('expression').live).toContain('subvector(embedding, 1, 3)');
    expect(get('method').sql).toEqual([
      'CREATE INDEX CONCURRENTLY "vi_method_pgv_new" ON "vi_drift" USING hnsw ("embedding" vector_l2_ops);',
      'DROP INDEX CONCURRENTLY IF EXISTS "public"."vi_method";',
      'ALTER INDEX "public"."vi_method_pgv_new" RENAME TO "vi_method";',
    ]);
    expect(get('missing').sql).toEqual(['CREATE INDEX "vi_missing" ON "vi_drift" USING hnsw ("embedding" vector_ip_ops);']);
    expect(get('missing').live).toBeUndefined();
    expect(get('missing').declared).toBe('CREATE INDEX vi_missing ON public.vi_drift USING hnsw (embedding vector_ip_ops)');
    expect(get('renamed').sql).toEqual(['ALTER INDEX "public"."vi_old_name" RENAME TO "vi_new_name";']);
    const extra = get('undeclared');
    expect(extra.sql).toEqual(['DROP INDEX IF EXISTS "public"."vi_extra";']);
    expect(extra.schemaLine).toBe("hnswIndex('vi_extra').on(binaryQuantize(t.embedding, 3), 'hamming').with({ m: 6 }).where(sql`tag > 0`)");
    // Everything but the plain Drizzle index (declared exactly as it is) drifted.
    expect(drift.some((d) => d.index === 'vi_plain')).toBe(false);
  });

  it('declaring the undeclared index with the suggested schema line ends its drift', async () => {
    const { drift } = await vectorIndexes(database.db, { tables: [declaresExtra] });
    expect(drift.filter((d) => d.index === 'vi_extra')).toEqual([]);
    // The other live indexes are now undeclared on this table definition.
    expect(drift.every((d) => d.kind === 'undeclared')).toBe(true);
  });

  it('reports a table that is not in the database, and accepts a schema module (skipping tables without vector columns)', async () => {
    const { drift } = await vectorIndexes(database.db, { tables: { notCreated, plainTable, relations: { not: 'a table' } } });
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ kind: 'table-missing', table: 'vi_not_created', sql: [] });
    expect(drift[0]!.message).toContain('migrations');
  });

  it('accepts a real ES module namespace (import * as schema: no prototype), nested namespaces and prototype-less values in it', async () => {
    expect(Object.getPrototypeOf(schemaModule)).toBeNull();
    await database.query('create table vi_ns_items (id integer primary key, embedding vector(3))');
    try {
      await database.query('create index vi_ns_items_hnsw on vi_ns_items using hnsw (embedding vector_l2_ops)');
      const { indexes, drift } = await vectorIndexes(database.db, { tables: schemaModule });
      expect(indexes.map((i) => i.name)).toEqual(['vi_ns_items_hnsw']);
      expect(drift).toEqual([]);
      expect(schemaTables(schemaModule).map((t) => t.exportName)).toEqual(['nsItems', 'nsUsers']);
      // A namespace where one table is expected: the usual error, not drizzle-orm's TypeError.
      const e = await expectCodeAsync(() => vectorIndexes(database.db, { tables: [schemaModule as never] }), 'INVALID_OPERATION_OPTION');
      expect(e.message).toContain('got module namespace');
    } finally {
      await database.query('drop table vi_ns_items');
    }
  });

  it('applying the fix SQL of every drift makes the drift disappear', async () => {
    const before = await vectorIndexes(database.db, { tables: [drifted] });
    expect(before.drift.length).toBeGreaterThan(0);
    for (const d of before.drift.filter((x) => x.kind !== 'undeclared')) for (const statement of d.sql) await database.query(statement);
    // The undeclared one: drop it (the other choice, declaring it, is the test above).
    for (const statement of before.drift.find((x) => x.kind === 'undeclared')!.sql) await database.query(statement);
    const after = await vectorIndexes(database.db, { tables: [drifted] });
    expect(after.drift).toEqual([]);
    expect(after.indexes.map((i) => i.name).sort()).toEqual(
      ['vi_expression', 'vi_method', 'vi_missing', 'vi_new_name', 'vi_opclass', 'vi_options', 'vi_plain', 'vi_predicate'].sort(),
    );
    expect(after.indexes.find((i) => i.name === 'vi_options')!.options).toEqual({ m: 8, efConstruction: 64 });
  }, 120_000);

  it('leaves nothing behind: no temporary copy, no extra index', async () => {
    await vectorIndexes(database.db, { tables: [drifted] });
    const [row] = await database.query<{ n: number }>("select count(*)::int as n from pg_class where relname = 'vi_drift' and relpersistence = 't'");
    expect(row!.n).toBe(0);
  });
});

describe('vectorIndexes: the drift probe is silent', () => {
  // A pg client with a notice listener: on the server, or on PGlite through its socket server (serve: true).
  it("sends no NOTICE to the application's listener (the IVFFlat builds on the empty copy raise 'little data')", async () => {
    const client = new pg.Client({ connectionString: database.url! });
    await client.connect();
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    try {
      const db = drizzleNodePg({ client });
      // `drifted` declares IVFFlat indexes (vi_opclass, lists 2): the probe builds them on the empty copy.
      const { indexes } = await vectorIndexes(db, { tables: [drifted] });
      expect(indexes.length).toBeGreaterThan(0);
      expect(notices).toEqual([]);
      // The listener hears pgvector's notice when the application itself builds on an empty table.
      await client.query('BEGIN');
      await client.query('CREATE TEMP TABLE vi_notice (e vector(3))');
      await client.query('CREATE INDEX ON vi_notice USING ivfflat (e vector_l2_ops) WITH (lists = 2)');
      await client.query('ROLLBACK');
      expect(notices).toEqual(['ivfflat index created with little data']);
    } finally {
      await client.end();
    }
  });

  it('leaves the session at its own client_min_messages (SET LOCAL in the rolled-back probe), also inside a transaction', async () => {
    const level = async (db: typeof database.db): Promise<string> => rowsOf<{ l: string }>(await db.execute(sql`SELECT current_setting('client_min_messages') AS l`))[0]!.l;
    await vectorIndexes(database.db, { tables: [drifted] });
    expect(await level(database.db)).toBe('notice');
    const inside = await database.db.transaction(async (tx) => {
      await vectorIndexes(tx, { tables: [drifted] });
      return level(tx as never);
    });
    expect(inside).toBe('notice');
  });
});

/** An expression drizzle-pgvector has no target for: the schema line falls back to a plain Drizzle index. */
const normalised = pgTable('vi_norm', { id: integer('id'), vec: vector('vec', { dimensions: 3 }) });
const normalisedDeclared = pgTable('vi_norm', { id: integer('id'), vec: vector('vec', { dimensions: 3 }) }, () => [
  index('vi_norm_hnsw').using('hnsw', sql`(l2_normalize(vec)::vector(3)) vector_l2_ops`).with({ m: 5 }),
]);

describe('vectorIndexes: an expression without a target', () => {
  it('suggests a plain Drizzle index line, which declares it exactly', async () => {
    await database.query('create table vi_norm (id integer, vec vector(3))');
    try {
      await database.query('create index vi_norm_hnsw on vi_norm using hnsw ((l2_normalize(vec)::vector(3)) vector_l2_ops) with (m = 5)');
      const { drift } = await vectorIndexes(database.db, { tables: [normalised] });
      expect(drift.map((d) => d.kind)).toEqual(['undeclared']);
      expect(drift[0]!.schemaLine).toBe("index('vi_norm_hnsw').using('hnsw', sql`(l2_normalize(vec)::vector(3)) vector_l2_ops`).with({ m: 5 })");
      expect((await vectorIndexes(database.db, { tables: [normalisedDeclared] })).drift).toEqual([]);
    } finally {
      await database.query('drop table vi_norm');
    }
  });
});

describe('vectorIndexes: a table in another schema', () => {
  it('compares in that schema, and its fix SQL works there', async () => {
    await database.query('drop schema if exists vi_other cascade');
    await database.query('create schema vi_other');
    try {
      await database.query('create table vi_other.vi_items (id integer primary key, tag integer, embedding vector(3))');
      await database.query('create index vi_other_hnsw on vi_other.vi_items using hnsw (embedding vector_l2_ops) with (m = 10) where tag is not null');
      await database.query('create index vi_other_ivf on vi_other.vi_items using ivfflat (embedding vector_cosine_ops) with (lists = 3)');
      const { drift, indexes } = await vectorIndexes(database.db, { tables: [elsewhere] });
      expect(indexes.map((i) => `${i.schema}.${i.name}`)).toEqual(['vi_other.vi_other_hnsw', 'vi_other.vi_other_ivf']);
      expect(drift.map((d) => [d.kind, d.schema, d.index])).toEqual([['options', 'vi_other', 'vi_other_ivf']]);
      for (const statement of drift[0]!.sql) await database.query(statement);
      expect((await vectorIndexes(database.db, { tables: [elsewhere] })).drift).toEqual([]);
    } finally {
      await database.query('drop schema vi_other cascade');
    }
  });
});

describe('vectorIndexes: health', () => {
  it('lists every vector index with method, opclass, metric, options, size and rows', async () => {
    const { indexes, drift } = await vectorIndexes(database.db);
    expect(drift).toEqual([]);
    const many = indexes.find((i) => i.name === 'vi_health_many')!;
    expect(many).toMatchObject({
      schema: 'public',
      table: 'vi_health',
      method: 'ivfflat',
      opclass: 'vector_l2_ops',
      type: 'vector',
      metric: 'l2',
      dimensions: 3,
      column: 'embedding',
      expression: undefined,
      options: { lists: 60 },
      storedOptions: { lists: 60 },
      predicate: undefined,
      valid: true,
      rows: 3000,
      rowsSource: 'estimate',
    });
    for (const i of indexes) expect(i.sizeBytes).toBeGreaterThan(0);
    const half = indexes.find((i) => i.name === 'vi_new_name');
    expect(half).toMatchObject({ type: 'halfvec', metric: 'cosine', column: undefined, expression: '(embedding::halfvec(3))', options: { m: 16, efConstruction: 64 }, storedOptions: {} });
  });

  it('flags IVFFlat lists far from the advice for today\'s rows, with the SQL that rebuilds it', async () => {
    const { indexes } = await vectorIndexes(database.db, { tables: [health], rows: 'count' });
    const [few, many, ok] = ['vi_health_few', 'vi_health_many', 'vi_health_ok'].map((n) => indexes.find((i) => i.name === n)!);
    console.log(many!.reason);
    expect(many!.rowsSource).toBe('count');
    expect(many!.ivfflat).toEqual({ lists: 60, advisedLists: 3, advisedProbes: 2, tooSmall: true });
    expect(many!.needsRebuild).toBe(true);
    expect(many!.problems.map((p) => p.kind)).toEqual(['lists-too-many', 'too-few-rows']);
    expect(many!.problems[0]!.sql).toEqual(['ALTER INDEX "public"."vi_health_many" SET (lists = 3);', 'REINDEX INDEX CONCURRENTLY "public"."vi_health_many";']);
    expect(few!.needsRebuild).toBe(true);
    expect(few!.problems.map((p) => p.kind)).toEqual(['lists-too-few', 'too-few-rows']);
    expect(ok!.needsRebuild).toBe(false);
    expect(ok!.reason).toBeUndefined();
    // too-few-rows alone is a warning, not a rebuild: rebuilding a still-small table does not help. One health word
    // agrees with the problems' severities (doctor renders these), and the SQL for later is there.
    expect(ok!.problems.map((p) => [p.kind, p.severity])).toEqual([['too-few-rows', 'warning']]);
    expect(ok!.health).toBe('warning');
    expect(ok!.problems[0]!.sql).toEqual(['REINDEX INDEX CONCURRENTLY "public"."vi_health_ok";']);
    expect(ok!.problems[0]!.message).toContain('3000 rows is too few to train IVFFlat well: pgvector trains its k-means centres on a sample of max(50 × lists, 10000) rows (10000 for lists = 3)');
    expect(ok!.problems[0]!.message).toContain('at least 10000 rows');
    expect(ok!.problems[0]!.message).not.toMatch(/few thousand/);
    expect(many!.health).toBe('needs-rebuild');
    expect(many!.problems.map((p) => p.severity)).toEqual(['action', 'warning']);
    for (const statement of many!.problems[0]!.sql) await database.query(statement);
    const after = (await vectorIndexes(database.db, { tables: [health] })).indexes.find((i) => i.name === 'vi_health_many')!;
    expect(after.options.lists).toBe(3);
    expect(after.needsRebuild).toBe(false);
  });

  it('sees an IVFFlat index built on an empty table that was loaded afterwards (no ANALYZE since)', async () => {
    await database.query('create table vi_grown (id integer, embedding vector(3))');
    try {
      await database.query('create index vi_grown_ivf on vi_grown using ivfflat (embedding vector_l2_ops) with (lists = 1)');
      await database.query("insert into vi_grown select g, ('[' || sin(g) || ',' || cos(g) || ',1]')::vector from generate_series(1, 6000) g");
      const grown = (await vectorIndexes(database.db)).indexes.find((i) => i.name === 'vi_grown_ivf')!;
      expect(grown.rows).toBe(6000);
      expect(grown.ivfflat).toMatchObject({ lists: 1, advisedLists: 6 });
      expect(grown.needsRebuild).toBe(true);
      expect(grown.problems.map((p) => p.kind)).toEqual(['lists-too-few', 'too-few-rows']);
      // After an ANALYZE of part of the data, the estimate scales reltuples by the pages added since.
      await database.query('analyze vi_grown');
      await database.query("insert into vi_grown select g, ('[' || sin(g) || ',' || cos(g) || ',1]')::vector from generate_series(6001, 12000) g");
      const later = (await vectorIndexes(database.db)).indexes.find((i) => i.name === 'vi_grown_ivf')!;
      expect(later.rowsSource).toBe('estimate');
      expect(later.rows).toBeGreaterThan(11_000);
      expect(later.rows).toBeLessThan(13_000);
    } finally {
      await database.query('drop table vi_grown');
    }
  });

  it('reports an INVALID index (a failed CREATE INDEX CONCURRENTLY) with the SQL that drops and rebuilds it', async () => {
    await database.query('create table vi_invalid (id integer, v vector)');
    try {
      await database.query("insert into vi_invalid values (1, '[1,2,3]'), (2, '[1,2]')");
      await expect(database.query('create index concurrently vi_invalid_hnsw on vi_invalid using hnsw ((v::vector(3)) vector_l2_ops)')).rejects.toThrow(/expected 3 dimensions/);
      const { indexes } = await vectorIndexes(database.db);
      const bad = indexes.find((i) => i.name === 'vi_invalid_hnsw')!;
      expect(bad.valid).toBe(false);
      expect(bad.needsRebuild).toBe(true);
      expect(bad.problems[0]!.kind).toBe('invalid');
      expect(bad.problems[0]!.sql[0]).toBe('DROP INDEX CONCURRENTLY IF EXISTS "public"."vi_invalid_hnsw";');
      expect(bad.problems[0]!.sql[1]).toMatch(/^CREATE INDEX CONCURRENTLY vi_invalid_hnsw ON public.vi_invalid USING hnsw/);
      await database.query('delete from vi_invalid where id = 2');
      for (const statement of bad.problems[0]!.sql) await database.query(statement);
      const fixed = (await vectorIndexes(database.db)).indexes.find((i) => i.name === 'vi_invalid_hnsw')!;
      expect(fixed.valid).toBe(true);
      expect(fixed.problems).toEqual([]);
    } finally {
      await database.query('drop table vi_invalid');
    }
  });
});

describeEachDriver(
  'vectorIndexes: drivers and transactions',
  (ctx) => {
    it('gives the same report through this driver, and inside its transaction (which it leaves usable)', async () => {
      const primary = await vectorIndexes(database.db, { tables: [health, drifted] });
      expect(await vectorIndexes(ctx.db, { tables: [health, drifted] })).toEqual(primary);
      const inside = await ctx.db.transaction(async (tx) => {
        const report = await vectorIndexes(tx, { tables: [health, drifted] });
        const [row] = rowsOf<{ one: number }>(await tx.execute(sql`select 1 as one`));
        expect(row!.one).toBe(1);
        return report;
      });
      expect(inside).toEqual(primary);
    });
  },
  { database: () => database },
);

describe('vectorIndexes: bad input (before any SQL)', () => {
  it('rejects options, tables and rows it cannot use', async () => {
    await expectCodeAsync(() => vectorIndexes(database.db, null as never), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorIndexes(database.db, { tables: drifted as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorIndexes(database.db, { tables: [drifted, 'vi_health' as never] }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorIndexes(database.db, { tables: [plainTable] }), 'NO_VECTOR_COLUMNS');
    await expectCodeAsync(() => vectorIndexes(database.db, { rows: 'exact' as never }), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorIndexes(database.db, { table: drifted } as never), 'INVALID_OPERATION_OPTION');
    await expectCodeAsync(() => vectorIndexes({} as never), 'INVALID_DATABASE');
  });
});
