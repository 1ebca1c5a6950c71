/**
 * migrate() and INVALID indexes (issue 11 #2): a failed CREATE INDEX CONCURRENTLY leaves an INVALID index; the
 * migration must never be recorded over it, the leftover is dropped before the retry, and the advice never says
 * "add IF NOT EXISTS".
 */
import { join } from 'node:path';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PgVectorError } from '../../src/index.js';
import { migrate } from '../../src/migrations/index.js';
import { rewriteMigration, writeMigrations } from '../../../../test/helpers/migrations.js';
import { tempDir } from '../../../../test/helpers/drizzle-kit.js';

let database: PgVectorTestDatabase;
const work = tempDir('invalid-index');
let folder: string;
let run = 0;

const CREATE_TABLE = 'CREATE TABLE "mi_t" ("a" integer NOT NULL);';
const DUPLICATES = 'INSERT INTO "mi_t" ("a") VALUES (1), (1), (2);';
const UNIQUE = 'CREATE UNIQUE INDEX CONCURRENTLY "mi_t_a_unique" ON "mi_t" ("a");';
const UNIQUE_IF_NOT_EXISTS = 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "mi_t_a_unique" ON "mi_t" ("a");';

async function index(): Promise<{ valid: boolean } | undefined> {
  const rows = rowsOf<{ valid: boolean }>(
    await database.db.execute(sql`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'mi_t_a_unique'`),
  );
  return rows[0];
}

async function recorded(): Promise<number> {
  const rows = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`));
  return Number(rows[0]!.n);
}

async function failure(): Promise<PgVectorError> {
  try {
    await migrate(database.db as never, { migrationsFolder: folder });
  } catch (error) {
    if (PgVectorError.is(error)) return error;
    throw error;
  }
  throw new Error('expected migrate() to fail');
}

beforeAll(async () => {
  database = await startTestDatabase();
});
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS mi_t');
  await database?.query('DROP SCHEMA IF EXISTS drizzle CASCADE');
  await database?.close();
  work.remove();
});
beforeEach(async () => {
  await database.query('DROP TABLE IF EXISTS mi_t');
  await database.query('DROP SCHEMA IF EXISTS drizzle CASCADE');
  folder = join(work.path, `run${run++}`);
  writeMigrations(folder, [
    { tag: '0000_table', statements: [CREATE_TABLE, DUPLICATES] },
    { tag: '0001_unique', statements: [UNIQUE] },
  ]);
});

describe('migrate() and a failed CREATE INDEX CONCURRENTLY', () => {
  it('drops the INVALID index the failed build left, says so, and never suggests IF NOT EXISTS', async () => {
    const e = await failure();
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(e.details['droppedInvalidIndex']).toBe('mi_t_a_unique');
    expect(e.message).toMatch(/INVALID index public\.mi_t_a_unique .* was dropped/);
    expect(e.message).not.toMatch(/IF NOT EXISTS/);
    expect(await index()).toBeUndefined();
    expect(await recorded()).toBe(1); // 0000 only
  });

  it('with IF NOT EXISTS added and the cause not fixed: fails again, the migration is not recorded', async () => {
    await failure();
    rewriteMigration(folder, { tag: '0001_unique', statements: [UNIQUE_IF_NOT_EXISTS] });
    const e = await failure();
    expect(e.code).toBe('MIGRATION_FAILED');
    expect(await recorded()).toBe(1);
    expect(await index()).toBeUndefined();
  });

  it('drops an INVALID leftover of the same name before retrying: the index is rebuilt, valid, and enforces uniqueness', async () => {
    await migrate(database.db as never, { migrationsFolder: folder }).catch(() => undefined);
    // An INVALID index left by an older run (or by hand), then the cause fixed and IF NOT EXISTS added.
    await database.query('CREATE UNIQUE INDEX CONCURRENTLY mi_t_a_unique ON mi_t (a)').catch(() => undefined);
    expect(await index()).toEqual({ valid: false });
    await database.query('DELETE FROM mi_t WHERE ctid IN (SELECT ctid FROM mi_t WHERE a = 1 LIMIT 1)');
    rewriteMigration(folder, { tag: '0001_unique', statements: [UNIQUE_IF_NOT_EXISTS] });
    const result = await migrate(database.db as never, { migrationsFolder: folder });
    expect(result.applied.map((m) => m.tag)).toEqual(['0001_unique']);
    expect(await index()).toEqual({ valid: true });
    await expect(database.query('INSERT INTO mi_t (a) VALUES (2)')).rejects.toThrow(/duplicate key/);
    expect(await recorded()).toBe(2);
  });
});
