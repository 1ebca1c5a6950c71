/**
 * src/compat: the drizzle-orm line is detected by feature and agrees with the installed version; the pieces that
 * differ between 0.45 and 1.0 give the same answers on both.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { getTableConfig, halfvec as drizzleHalfvec, pgTable, serial, vector as drizzleVector } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bit, sparsevec, vector, VectorColumn } from '../../src/index.js';
import { drizzleLine } from '../../src/internal.js';
import { builtinVectorDimensions, isTransaction } from '../../src/compat/index.js';
import { vectorColumnInfo } from '../../src/targets/column-info.js';

function installedDrizzleVersion(): string {
  // drizzle-orm's exports hide package.json; its main entry sits next to it.
  const main = createRequire(import.meta.url).resolve('drizzle-orm');
  return (JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')) as { version: string }).version;
}

describe('drizzle-orm line', () => {
  it('is detected from what drizzle-orm/pg-core exports, and agrees with the installed version', () => {
    const version = installedDrizzleVersion();
    expect(drizzleLine).toBe(version.startsWith('1.') ? '1' : '0.45');
    // compat/drizzle-1/run.mjs sets this: the 1.0 run must really run on 1.0.
    const expected = process.env['PGVECTOR_EXPECT_DRIZZLE_LINE'];
    if (expected !== undefined) expect(drizzleLine).toBe(expected);
  });

  it('our columns keep the typmod as vectorDimensions; their Drizzle `dimensions` (1.0: array depth) stays unset', () => {
    const t = pgTable('cl', { id: serial('id'), e: vector('e', { dimensions: 3 }), s: sparsevec('s', { dimensions: 30 }), b: bit('b', { dimensions: 8 }) });
    expect(t.e).toBeInstanceOf(VectorColumn);
    const ours = [t.e, t.s, t.b] as unknown as VectorColumn[];
    expect(ours.map((c) => c.vectorDimensions)).toEqual([3, 30, 8]);
    expect([t.e.getSQLType(), t.s.getSQLType(), t.b.getSQLType()]).toEqual(['vector(3)', 'sparsevec(30)', 'bit(8)']);
    expect((t.e as unknown as { dimensions?: number }).dimensions ?? 0).toBe(0);
    // The mappers are the column's own (1.0 defines Column's as instance fields that would hide prototype methods).
    expect(t.e.mapToDriverValue([1, 2, 3])).toBe('[1,2,3]');
    expect(t.e.mapFromDriverValue('[1,2,3]')).toEqual([1, 2, 3]);
    expect(() => t.e.mapToDriverValue([1, 2])).toThrow(/3 dimensions/);
  });

  it("reads the typmod of Drizzle's own vector columns, built and in the extra-config callback", () => {
    let seen: number | undefined;
    const t = pgTable('cb', { id: serial('id'), e: drizzleVector('e', { dimensions: 5 }), h: drizzleHalfvec('h', { dimensions: 7 }) }, (c) => {
      seen = builtinVectorDimensions(c.e);
      return [];
    });
    getTableConfig(t);
    expect(seen).toBe(5);
    expect([builtinVectorDimensions(t.e), builtinVectorDimensions(t.h)]).toEqual([5, 7]);
    expect(vectorColumnInfo(t.h)).toMatchObject({ type: 'halfvec', dimensions: 7 });
  });
});

describe('transactions', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a transaction (and a nested one) is recognised as one on this line; the database is not', async () => {
    expect(isTransaction(database.db as never)).toBe(false);
    const seen = await database.db.transaction(async (tx) => [isTransaction(tx as never), await tx.transaction(async (inner) => isTransaction(inner as never))]);
    expect(seen).toEqual([true, true]);
  });
});
