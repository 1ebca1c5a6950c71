/**
 * migrate() reads both folder layouts — drizzle-kit 0.x's `meta/_journal.json` + `NNNN_name.sql` and 1.0's
 * `<timestamp>_name/migration.sql` — and keeps Drizzle's bookkeeping the way the table it finds expects: by
 * `created_at` in a table without `name` (0.45's), by `name` in one with it (1.0's). A new table gets the
 * installed line's columns.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertExtensionMigration, migrate, vectorExtensionMigration } from '../../src/migrations/index.js';
import { drizzleLine } from '../../src/internal.js';
import { readMigrations } from '../../src/migrations/migration-folder.js';
import { writeMigrations } from '../../../../test/helpers/migrations.js';
import { tempDir } from '../../../../test/helpers/drizzle-kit.js';

let database: PgVectorTestDatabase;
const work = tempDir('migration-folder');
let run = 0;

/** A drizzle-kit 1.0 migration folder: `<stamp>_<name>/migration.sql` (statements joined by breakpoints). */
function writeFolder(folder: string, name: string, statements: string[]): void {
  mkdirSync(join(folder, name), { recursive: true });
  writeFileSync(join(folder, name, 'migration.sql'), statements.join('--> statement-breakpoint\n'));
}

async function bookkeeping(): Promise<{ columns: string[]; rows: Record<string, unknown>[] }> {
  const columns = rowsOf<{ c: string }>(
    await database.db.execute(
      sql`select column_name as c from information_schema.columns where table_schema = 'drizzle' and table_name = '__drizzle_migrations' order by ordinal_position`,
    ),
  ).map((r) => r.c);
  const named = columns.includes('name');
  const rows = rowsOf<Record<string, unknown>>(
    await database.db.execute(named ? sql`select created_at::text as created_at, name from drizzle.__drizzle_migrations order by id` : sql`select created_at::text as created_at from drizzle.__drizzle_migrations order by id`),
  );
  return { columns, rows };
}

beforeAll(async () => {
  database = await startTestDatabase();
});
afterAll(async () => {
  await database?.close();
  work.remove();
});
beforeEach(async () => {
  await database.db.execute(sql.raw('DROP SCHEMA IF EXISTS drizzle CASCADE'));
  await database.db.execute(sql.raw('DROP TABLE IF EXISTS mf_a, mf_b, mf_c CASCADE'));
});

describe("drizzle-kit 1.0's folder layout", () => {
  it('refuses a transaction before reading the folder: TRANSACTION_NOT_ALLOWED', async () => {
    const error = await database.db.transaction((tx) => migrate(tx as never, { migrationsFolder: join(work.path, 'none') })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PgVectorError', code: 'TRANSACTION_NOT_ALLOWED' });
    expect((error as Error).message).toMatch(/not a transaction/);
  });

  it('is read in folder-name order, created_at from the UTC timestamp, the file split at breakpoints', () => {
    const folder = join(work.path, `read-${run++}`);
    writeFolder(folder, '20260102030405_second', ['SELECT 2;', 'SELECT 3;']);
    writeFolder(folder, '20260101000000_first', ['SELECT 1;']);
    mkdirSync(join(folder, 'not_a_migration'));
    const files = readMigrations(folder);
    expect(files.map((f) => [f.tag, f.folderMillis, f.chunks.length])).toEqual([
      ['20260101000000_first', Date.UTC(2026, 0, 1, 0, 0, 0), 1],
      ['20260102030405_second', Date.UTC(2026, 0, 2, 3, 4, 5), 2],
    ]);
    expect(files[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('migrates, CONCURRENTLY outside the transaction, records each migration once, and applies only new folders later', async () => {
    const folder = join(work.path, `apply-${run++}`);
    writeFolder(folder, '20260101000000_tables', ['CREATE TABLE "mf_a" ("id" serial PRIMARY KEY, "e" vector(3));']);
    writeFolder(folder, '20260101000001_index', ['CREATE INDEX CONCURRENTLY "mf_a_e" ON "mf_a" USING hnsw ("e" vector_l2_ops);']);
    const first = await migrate(database.db as never, { migrationsFolder: folder });
    expect(first.applied.map((m) => [m.tag, m.outsideTransaction.length])).toEqual([
      ['20260101000000_tables', 0],
      ['20260101000001_index', 1],
    ]);
    const { columns, rows } = await bookkeeping();
    if (drizzleLine === '1') {
      expect(columns).toEqual(['id', 'hash', 'created_at', 'name', 'applied_at']);
      expect(rows.map((r) => r['name'])).toEqual(['20260101000000_tables', '20260101000001_index']);
    } else {
      expect(columns).toEqual(['id', 'hash', 'created_at']);
    }
    expect(rows.map((r) => r['created_at'])).toEqual([String(Date.UTC(2026, 0, 1, 0, 0, 0)), String(Date.UTC(2026, 0, 1, 0, 0, 1))]);

    expect((await migrate(database.db as never, { migrationsFolder: folder })).applied).toEqual([]);
    writeFolder(folder, '20260101000002_more', ['CREATE TABLE "mf_b" ("id" serial PRIMARY KEY);']);
    expect((await migrate(database.db as never, { migrationsFolder: folder })).applied.map((m) => m.tag)).toEqual(['20260101000002_more']);
    expect((await bookkeeping()).rows).toHaveLength(3);
  });
});

describe('the bookkeeping table decides the rule', () => {
  it("a table with 1.0's name column: a migration is pending while its name is not recorded (also for a journal)", async () => {
    await database.db.execute(sql.raw('CREATE SCHEMA drizzle'));
    await database.db.execute(sql.raw(`CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint, name text, applied_at timestamp with time zone DEFAULT now())`));
    const folder = join(work.path, `named-${run++}`);
    writeMigrations(folder, [
      { tag: '0000_a', statements: ['CREATE TABLE "mf_a" ("id" serial PRIMARY KEY);'] },
      { tag: '0001_b', statements: ['CREATE TABLE "mf_b" ("id" serial PRIMARY KEY);'] },
    ]);
    // 0001_b recorded already (with a newer created_at than 0000_a's: the created_at rule would skip 0000_a).
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at, name) values ('x', ${Date.now() + 60_000}, '0001_b')`);
    const result = await migrate(database.db as never, { migrationsFolder: folder });
    expect(result.applied.map((m) => m.tag)).toEqual(['0000_a']);
    expect((await bookkeeping()).rows.map((r) => r['name'])).toEqual(['0001_b', '0000_a']);
  });

  it("a table without name (0.45's): pending = created_at after the newest recorded one, whatever the line", async () => {
    await database.db.execute(sql.raw('CREATE SCHEMA drizzle'));
    await database.db.execute(sql.raw('CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)'));
    const folder = join(work.path, `plain-${run++}`);
    writeFolder(folder, '20260101000000_a', ['CREATE TABLE "mf_a" ("id" serial PRIMARY KEY);']);
    writeFolder(folder, '20260101000005_c', ['CREATE TABLE "mf_c" ("id" serial PRIMARY KEY);']);
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('x', ${Date.UTC(2026, 0, 1, 0, 0, 0)})`);
    const result = await migrate(database.db as never, { migrationsFolder: folder });
    expect(result.applied.map((m) => m.tag)).toEqual(['20260101000005_c']);
    expect((await bookkeeping()).columns).toEqual(['id', 'hash', 'created_at']);
  });
});

describe('vectorExtensionMigration / assertExtensionMigration on the 1.0 layout', () => {
  it('fills an empty --custom folder, appends a later folder with a snapshot, and the check finds it', () => {
    const folder = join(work.path, `ext-${run++}`);
    writeFolder(folder, '20260101000000_enable_pgvector', ['-- Custom SQL migration file, put your code below! --']);
    const filled = vectorExtensionMigration({ migrationsFolder: folder });
    expect(filled).toMatchObject({ status: 'filled', tag: '20260101000000_enable_pgvector' });
    expect(filled.file).toBe(join(folder, '20260101000000_enable_pgvector', 'migration.sql'));
    expect(assertExtensionMigration(folder).extension.tag).toBe('20260101000000_enable_pgvector');

    const other = join(work.path, `ext-${run++}`);
    writeFolder(other, '20260101000000_tables', ['CREATE TABLE "mf_a" ("id" serial PRIMARY KEY);']);
    const base = { type: 'base', version: '9', dialect: 'postgres', id: '11111111-1111-4111-8111-111111111111', prevIds: ['00000000-0000-0000-0000-000000000000'], footprints: [], ddl: [] };
    writeFileSync(join(other, '20260101000000_tables', 'snapshot.json'), JSON.stringify(base));
    const appended = vectorExtensionMigration({ migrationsFolder: other });
    expect(appended.status).toBe('appended');
    expect(appended.tag).toMatch(/^\d{14}_enable_pgvector$/);
    expect(appended.tag > '20260101000000_tables').toBe(true);
    expect(readMigrations(other).map((m) => m.tag)).toEqual(['20260101000000_tables', appended.tag]);
    // As drizzle-kit 1.0's --custom writes it: one base snapshot per folder, later ones are diffs chained by prevIds.
    const snapshot = JSON.parse(readFileSync(join(other, appended.tag, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    expect(snapshot).toMatchObject({ type: 'diff', version: '9', dialect: 'postgres', prevIds: [base.id], deltas: [] });
  });
});
