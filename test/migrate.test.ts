/**
 * drizzle-pgvector's migration path end to end on a real pgvector database (the test backend: embedded PGlite
 * served over a socket, or DATABASE_URL / PGVECTOR_TEST_BACKEND):
 *
 *   vectorExtensionMigration → real `drizzle-kit generate` → compare SQL → migrate() (CONCURRENTLY outside the
 *   transaction) → every index used by EXPLAIN → drizzle-kit push finds nothing to change.
 *
 * Plus: migrate() over every driver, CONCURRENTLY vs Drizzle's own migrate, failure + resume, and migrate() on
 * PGlite databases without pgvector (ensureVectorExtension itself: packages/drizzle-pgvector/test/extension).
 *
 * One file on purpose: on a URL backend all tests share one database, so they must not run in parallel.
 */
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { rowsOf, startTestDatabase, type DriverName, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { declaredVectorIndexes, PgVectorError } from 'drizzle-pgvector';
import { assertExtensionMigration, migrate, vectorExtensionMigration } from 'drizzle-pgvector/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { CONCURRENT_INDEXES, EXPECTED_STATEMENTS, INDEX_PROBES } from './fixtures/expected.js';
import { docs, items } from './fixtures/schema.js';
import { drizzleKit, FIXTURES, kitTag, normalizeSql, readGenerated, tempDir, writeConfig } from './helpers/drizzle-kit.js';
import { drizzleLine } from '../packages/drizzle-pgvector/src/internal.js';
import { rewriteMigration, writeMigrations } from './helpers/migrations.js';

const SCHEMA = join(FIXTURES, 'schema.ts');
const VERSION = /^\d+\.\d+\.\d+$/;

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;
const work = tempDir('migrate');
/** The folder: 0000_enable_pgvector (ours) + 0001 (drizzle-kit generate of fixtures/schema.ts). */
const out = join(work.path, 'drizzle');

async function query<T extends Record<string, unknown>>(text: string, on: PgVectorDrizzleDatabase = db): Promise<T[]> {
  return rowsOf<T>(await on.execute(sql.raw(text)));
}

async function vectorIndexes(): Promise<{ name: string; valid: boolean }[]> {
  return query<{ name: string; valid: boolean }>(`
    SELECT c.relname AS name, i.indisvalid AS valid
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    WHERE am.amname IN ('hnsw', 'ivfflat') AND i.indrelid IN ('public.items'::regclass, 'public.docs'::regclass)
    ORDER BY 1`);
}

async function caught(promise: Promise<unknown>): Promise<PgVectorError> {
  try {
    await promise;
  } catch (error) {
    if (PgVectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a PgVectorError, but the call succeeded');
}

/** Drizzle's own migrate() for the driver behind `target`. */
async function drizzleMigrate(target: PgVectorDrizzleDatabase, driver: DriverName, config: { migrationsFolder: string; migrationsTable?: string }) {
  const migrator =
    driver === 'pglite'
      ? await import('drizzle-orm/pglite/migrator')
      : driver === 'node-postgres'
        ? await import('drizzle-orm/node-postgres/migrator')
        : await import('drizzle-orm/postgres-js/migrator');
  return (migrator.migrate as (d: unknown, c: typeof config) => Promise<void>)(target, config);
}

let generateOutput = '';
let firstRun: Awaited<ReturnType<typeof migrate>>;

beforeAll(async () => {
  // Without creating the extension: on PGlite, migration 0000 has to.
  database = await startTestDatabase({ serve: true, createExtension: false });
  db = database.db;
  await database.reset(); // a URL backend may hold an earlier run's tables and bookkeeping
  expect(vectorExtensionMigration({ migrationsFolder: out }).status).toBe('created');
  const run = await drizzleKit(['generate'], writeConfig(work.path, { schema: SCHEMA, out }));
  generateOutput = run.output;
  expect(run.code, run.output).toBe(0);
  firstRun = await migrate(db, { migrationsFolder: out, ensureExtension: false });
  await query(`
    INSERT INTO items (lang, embedding, any_dims, half) VALUES
      ('en', '[1,2,3]', '[1,2,3]', '[1,2,3]'), ('de', '[3,2,1]', '[1,2]', '[3,2,1]'), ('en', '[-1,0,1]', '[0,0,1]', '[-1,0,1]')`);
  await query(`INSERT INTO docs (terms, code, code2) VALUES ('{1:1,3:2}/5', '10101010', '11110000'), ('{2:1}/5', '01010101', '00001111')`);
});

afterAll(async () => {
  await database?.close();
  work.remove();
});

describe('drizzle-kit generate → migrate', () => {
  it('drizzle-kit generates exactly the expected statements', () => {
    const migrations = readGenerated(out);
    expect(migrations.map((m) => m.tag)[0]).toMatch(kitTag(0, 'enable_pgvector'));
    expect(migrations, generateOutput).toHaveLength(2);
    expect(migrations[1]!.statements.map(normalizeSql)).toEqual(EXPECTED_STATEMENTS.map(normalizeSql));
  });

  it('the extension migration comes first and created pgvector', async () => {
    expect(assertExtensionMigration(out).extension.tag).toMatch(kitTag(0, 'enable_pgvector'));
    expect(firstRun.applied.map((m) => m.tag)).toEqual(readGenerated(out).map((m) => m.tag));
    expect(firstRun.extension).toBeUndefined();
    const [row] = await query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'vector'`);
    expect(row?.extversion).toMatch(/^\d+\.\d+/);
  });

  it('ran the CONCURRENTLY statements outside the transaction, and every index is valid', async () => {
    const outside = firstRun.applied[1]!.outsideTransaction;
    expect(outside).toHaveLength(CONCURRENT_INDEXES.length);
    CONCURRENT_INDEXES.forEach((name, i) => expect(outside[i]).toContain(`CREATE INDEX CONCURRENTLY "${name}"`));

    const indexes = await vectorIndexes();
    expect(indexes.map((i) => i.name)).toEqual(Object.keys(INDEX_PROBES).sort());
    expect(indexes.filter((i) => !i.valid)).toEqual([]);
    // The probes cover exactly the indexes the schema declares.
    expect([...declaredVectorIndexes(items), ...declaredVectorIndexes(docs)].map((i) => i.name).sort()).toEqual(Object.keys(INDEX_PROBES).sort());
  });

  it.each(Object.entries(INDEX_PROBES))('the planner uses %s', async (name, probe) => {
    const { plan, rows } = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const explain = rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql.raw(`EXPLAIN ${probe}`)));
      const result = rowsOf(await tx.execute(sql.raw(probe)));
      return { plan: explain.map((r) => r['QUERY PLAN']).join('\n'), rows: result };
    });
    expect(plan).toMatch(new RegExp(`Index (Only )?Scan using ${name} on`));
    expect(rows.length).toBeLessThanOrEqual(5);
  });

  it('a second run applies nothing, and Drizzle\'s own migrate() agrees (same bookkeeping)', async () => {
    const again = await migrate(db, { migrationsFolder: out, ensureExtension: false });
    expect(again.applied).toEqual([]);
    await drizzleMigrate(db, database.driver, { migrationsFolder: out });
    const rows = await query<{ hash: string; created_at: string }>(`SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id`);
    expect(rows.map((r) => [r.hash, Number(r.created_at)])).toEqual(readMigrationFiles({ migrationsFolder: out }).map((m) => [m.hash, m.folderMillis]));
    // No non-transactional statement failed, so no progress is left behind.
    expect(await query(`SELECT * FROM drizzle.__drizzle_migrations_pgvector_progress`)).toEqual([]);
  });
});

describe('drizzle-kit push', () => {
  const push = async () => {
    const run = await drizzleKit(['push', '--force'], writeConfig(work.path, { schema: SCHEMA, url: database.url! }));
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toMatch(/\berror\b/i);
    return run.output;
  };

  it('finds no changes on the migrated database', async () => {
    expect(await push()).toContain('No changes detected');
  });

  it('run twice on an empty database: the second push finds no changes', async () => {
    await database.reset();
    const first = await push();
    expect(first).toContain('Changes applied');
    expect(first).toContain('CREATE INDEX CONCURRENTLY "items_sub"');
    expect((await vectorIndexes()).map((i) => i.name)).toEqual(Object.keys(INDEX_PROBES).sort());
    expect(await push()).toContain('No changes detected');
  });
});

describeEachDriver(
  'migrate() over every driver',
  (ctx) => {
    it('migrates from nothing (extension first, CONCURRENTLY outside the transaction), then applies nothing', async () => {
      await database.reset();
      const result = await migrate(ctx.db, { migrationsFolder: out });
      expect(result.applied).toHaveLength(2);
      expect(result.extension?.version).toMatch(VERSION);
      expect(result.applied[1]!.outsideTransaction).toHaveLength(CONCURRENT_INDEXES.length);
      const indexes = await vectorIndexes();
      expect(indexes).toHaveLength(Object.keys(INDEX_PROBES).length);
      expect(indexes.every((i) => i.valid)).toBe(true);
      expect((await migrate(ctx.db, { migrationsFolder: out })).applied).toEqual([]);
    });
  },
  { database: () => database },
);

describe('CREATE INDEX CONCURRENTLY in a migration', () => {
  const folder = join(work.path, 'concurrent');
  const migrationsTable = '__concurrent_migrations';

  beforeAll(() => {
    // The installed line's layout: Drizzle's own migrate() reads only that one (1.0 refuses a journal).
    writeMigrations(folder, [
      {
        tag: '0000_concurrent',
        statements: [
          'CREATE TABLE "conc" ("id" serial PRIMARY KEY, "v" vector(3));',
          `INSERT INTO "conc" ("v") VALUES ('[1,2,3]'), ('[3,2,1]');`,
          'CREATE INDEX CONCURRENTLY "conc_v_hnsw" ON "conc" USING hnsw ("v" vector_l2_ops);',
          // Runs after the concurrent build (order is kept): the index must exist by then.
          `COMMENT ON INDEX "conc_v_hnsw" IS 'built concurrently';`,
        ],
      },
    ], drizzleLine === '1' ? 'folders' : 'journal');
  });

  it('fails under Drizzle\'s own migrate(), which wraps everything in one transaction', async () => {
    let error: unknown;
    try {
      await drizzleMigrate(db, database.driver, { migrationsFolder: folder, migrationsTable });
    } catch (e) {
      error = e;
    }
    const messages = [error, (error as { cause?: unknown })?.cause].map((e) => (e instanceof Error ? e.message : '')).join(' | ');
    expect(messages).toMatch(/CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
    expect(await query(`SELECT to_regclass('conc') AS t`)).toEqual([{ t: null }]);
  });

  it('succeeds with drizzle-pgvector\'s migrate(), in file order', async () => {
    const result = await migrate(db, { migrationsFolder: folder, migrationsTable });
    expect(result.applied.map((m) => m.outsideTransaction)).toEqual([['CREATE INDEX CONCURRENTLY "conc_v_hnsw" ON "conc" USING hnsw ("v" vector_l2_ops);']]);
    const [row] = await query<{ valid: boolean; comment: string }>(
      `SELECT i.indisvalid AS valid, obj_description('conc_v_hnsw'::regclass, 'pg_class') AS comment FROM pg_index i WHERE i.indexrelid = 'conc_v_hnsw'::regclass`,
    );
    expect(row).toEqual({ valid: true, comment: 'built concurrently' });
  });
});

describe('a failing CREATE INDEX CONCURRENTLY', () => {
  const folder = join(work.path, 'resume');
  const migrationsTable = '__resume_migrations';
  const progress = `drizzle.${migrationsTable}_pgvector_progress`;
  const second = (index: string) => ({
    tag: '0001_index',
    statements: ['CREATE TABLE "resume_log" ("id" serial PRIMARY KEY);', index, 'CREATE INDEX "resume_log_id" ON "resume_log" ("id");'],
  });

  beforeAll(() => {
    writeMigrations(folder, [
      { tag: '0000_table', statements: ['CREATE TABLE "resume_t" ("v" vector(3));', `INSERT INTO "resume_t" VALUES ('[1,2,3]');`] },
      // Building this index casts 3-dimensional rows to vector(2): it fails half-way and leaves an INVALID index.
      second('CREATE INDEX CONCURRENTLY "resume_bad" ON "resume_t" USING hnsw (("v"::vector(2)) vector_l2_ops);'),
    ]);
  });

  it('throws MIGRATION_FAILED naming the migration, the statement and the leftover index', async () => {
    const error = await caught(migrate(db, { migrationsFolder: folder, migrationsTable }));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toContain('Migration "0001_index" failed at statement 2 of 3');
    expect(error.message).toContain('CREATE INDEX CONCURRENTLY "resume_bad"');
    // The INVALID index the failed build left is dropped, and the message says so (issue 11 #2).
    expect(error.message).toContain('was dropped (DROP INDEX CONCURRENTLY IF EXISTS "public"."resume_bad";)');
    expect(error.details).toMatchObject({ migration: '0001_index', statementIndex: 1, invalidIndex: '"resume_bad"', droppedInvalidIndex: 'resume_bad', phase: 'outside-transaction' });
    expect((error.cause as Error).message).toMatch(/expected 2 dimensions, not 3/);

    // 0000 is recorded; 0001's first statement committed and is remembered as progress; the INVALID index is gone.
    expect(await query(`SELECT count(*)::int AS n FROM drizzle.${migrationsTable}`)).toEqual([{ n: 1 }]);
    expect(await query(`SELECT statements_done FROM ${progress}`)).toEqual([{ statements_done: 1 }]);
    expect(await query(`SELECT to_regclass('resume_log') IS NOT NULL AS t`)).toEqual([{ t: true }]);
    expect(await query(`SELECT to_regclass('resume_bad') IS NULL AS gone`)).toEqual([{ gone: true }]);
  });

  it('refuses to resume when a committed statement was edited', async () => {
    const edited = second('CREATE INDEX CONCURRENTLY "resume_ok" ON "resume_t" USING hnsw ("v" vector_l2_ops);');
    edited.statements[0] = 'CREATE TABLE "resume_journal" ("id" serial PRIMARY KEY);';
    rewriteMigration(folder, edited);
    const error = await caught(migrate(db, { migrationsFolder: folder, migrationsTable }));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toContain('cannot be resumed safely');
  });

  it('resumes at the failed statement once the index is dropped and the statement fixed', async () => {
    await query('DROP INDEX CONCURRENTLY IF EXISTS "resume_bad"');
    rewriteMigration(folder, second('CREATE INDEX CONCURRENTLY IF NOT EXISTS "resume_ok" ON "resume_t" USING hnsw ("v" vector_l2_ops);'));
    const result = await migrate(db, { migrationsFolder: folder, migrationsTable });
    expect(result.applied).toMatchObject([{ tag: '0001_index', resumedAt: 1 }]);
    expect(await query(`SELECT count(*)::int AS n FROM drizzle.${migrationsTable}`)).toEqual([{ n: 2 }]);
    expect(await query(`SELECT * FROM ${progress}`)).toEqual([]);
    expect(await query(`SELECT c.relname AS name FROM pg_class c WHERE c.relname IN ('resume_ok', 'resume_log_id', 'resume_bad') ORDER BY 1`)).toEqual([
      { name: 'resume_log_id' },
      { name: 'resume_ok' },
    ]);
  });
});

// These need databases in a particular state, which only an embedded PGlite gives on every machine: one where
// pgvector is not available at all, one where it is available but not created yet. Both are real databases.
describe('on PGlite without the vector extension loaded', () => {
  let bare: PGlite;
  beforeAll(async () => {
    bare = await PGlite.create();
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('migrate() stops before touching anything', async () => {
    const error = await caught(migrate(drizzlePglite({ client: bare }), { migrationsFolder: out }));
    expect(error.code).toBe('EXTENSION_MISSING');
    expect((await bare.query(`SELECT to_regnamespace('drizzle') AS s`)).rows).toEqual([{ s: null }]);
  });
});

describe('on PGlite with pgvector available but not created, migrations without an extension migration', () => {
  let fresh: PGlite;
  const plain = join(work.path, 'plain');
  beforeAll(async () => {
    const { vector } = await import('@electric-sql/pglite-pgvector');
    fresh = await PGlite.create({ extensions: { vector } });
    const run = await drizzleKit(['generate'], writeConfig(work.path, { schema: SCHEMA, out: plain }));
    expect(run.code, run.output).toBe(0);
  });
  afterAll(async () => {
    await fresh?.close();
  });

  it('ensureExtension: false → the first migration fails (type "vector" does not exist) and is rolled back', async () => {
    const error = await caught(migrate(drizzlePglite({ client: fresh }), { migrationsFolder: plain, ensureExtension: false }));
    expect(error.code).toBe('MIGRATION_FAILED');
    expect(error.message).toMatch(/type "(sparsevec|vector|halfvec)" does not exist/);
    expect(error.details).toMatchObject({ phase: 'transaction' });
    expect((await fresh.query(`SELECT to_regclass('items') AS t`)).rows).toEqual([{ t: null }]);
  });

  it('ensureExtension (default) → creates the extension first, then migrates', async () => {
    const result = await migrate(drizzlePglite({ client: fresh }), { migrationsFolder: plain });
    expect(result.extension).toMatchObject({ created: true });
    expect(result.extension?.version).toMatch(VERSION);
    expect(result.applied).toHaveLength(1);
  });
});
