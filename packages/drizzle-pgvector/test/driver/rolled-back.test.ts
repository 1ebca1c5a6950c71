/**
 * driver/: the one way to run work that must leave nothing behind (rolledBack), to read booleans (booleanOf) and
 * to run `$n` statement text with bound values (rowQuery), on a real pgvector database.
 */
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanOf, driverOf, queryRows, rolledBack, rowQuery, type AnyPgDatabase } from '../../src/driver/index.js';

let database: PgVectorTestDatabase;
let db: AnyPgDatabase;

const count = async (): Promise<number> => Number((await queryRows<{ n: unknown }>(db, sql`SELECT count(*)::int AS n FROM rb_t`))[0]!.n);

beforeAll(async () => {
  database = await startTestDatabase();
  db = database.db as unknown as AnyPgDatabase;
  await database.query('DROP TABLE IF EXISTS rb_t');
  await database.query('CREATE TABLE rb_t (a int)');
});
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS rb_t');
  await database?.close();
});

describe('rolledBack', () => {
  it("returns the work's result and leaves nothing behind (rows, temp tables, SET LOCAL), on a database and through its Driver", async () => {
    const seen = await rolledBack(db, async (tx: AnyPgDatabase) => {
      await tx.execute(sql`INSERT INTO rb_t VALUES (1), (2)`);
      await tx.execute(sql.raw('CREATE TEMP TABLE rb_copy (b int)'));
      await tx.execute(sql.raw('SET LOCAL enable_seqscan = off'));
      return Number((await queryRows<{ n: unknown }>(tx, sql`SELECT count(*)::int AS n FROM rb_t`))[0]!.n);
    });
    expect(seen).toBe(2);
    expect(await count()).toBe(0);
    expect((await queryRows<{ r: unknown }>(db, sql`SELECT to_regclass('pg_temp.rb_copy') IS NULL AS r`))[0]!.r).toBe(true);
    expect((await queryRows<{ s: unknown }>(db, sql`SELECT current_setting('enable_seqscan') AS s`))[0]!.s).toBe('on');
    expect(await rolledBack(driverOf(db), async (tx: AnyPgDatabase) => (await tx.execute(sql`INSERT INTO rb_t VALUES (3)`), 'done'))).toBe('done');
    expect(await count()).toBe(0);
  });

  it("inside a caller's transaction it rolls back only its savepoint, and the caller's work stays", async () => {
    await db.transaction(async (tx) => {
      const t = tx as unknown as AnyPgDatabase;
      await t.execute(sql`INSERT INTO rb_t VALUES (10)`);
      await rolledBack(t, (sp: AnyPgDatabase) => sp.execute(sql`INSERT INTO rb_t VALUES (11)`));
      expect((await queryRows<{ a: unknown }>(t, sql`SELECT a FROM rb_t`)).map((r) => Number(r.a))).toEqual([10]);
    });
    expect(await count()).toBe(1);
    await database.query('DELETE FROM rb_t');
  });

  it("rethrows the work's own error unchanged, after rolling back", async () => {
    const own = new Error('own');
    await expect(rolledBack(db, async (tx: AnyPgDatabase) => {
      await tx.execute(sql`INSERT INTO rb_t VALUES (1)`);
      throw own;
    })).rejects.toBe(own);
    await expect(rolledBack(db, (tx: AnyPgDatabase) => tx.execute(sql`SELECT * FROM rb_missing`))).rejects.toThrow(/rb_missing/);
    expect(await count()).toBe(0);
  });
});

describe('booleanOf and rowQuery', () => {
  it('reads booleans as every driver returns them, and binds $n values (never spliced into the text)', async () => {
    expect([booleanOf(true), booleanOf('t'), booleanOf(false), booleanOf('f'), booleanOf(null), booleanOf(undefined)]).toEqual([true, true, false, false, false, false]);
    const query = rowQuery(db);
    const [row] = await query('SELECT $1::text AS a, $2::int + 1 AS b, $1::text = $3::text AS same, $4::text IS NULL AS none', ["it's $2", 41, "it's $2", null]);
    expect(row!['a']).toBe("it's $2");
    expect(Number(row!['b'])).toBe(42);
    expect(booleanOf(row!['same'])).toBe(true);
    expect(booleanOf(row!['none'])).toBe(true);
  });
});
