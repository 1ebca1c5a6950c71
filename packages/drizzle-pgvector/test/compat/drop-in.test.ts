/**
 * Issue 20 item 13: drizzle-pgvector's columns and distance functions are a drop-in for drizzle-orm's built-ins.
 * scenario-drizzle.ts is code written for drizzle-orm's `vector` / `halfvec` / `sparsevec` / `bit` and its distance
 * functions; scenario-ours.ts is the same code with only the imports changed. Both run on one real database and
 * must return the same rows in the same order with the same SQL (ours adds parentheses and a cast to the column's
 * type on the query side; the operators, operands and parameters are the same).
 */
import { readFileSync } from 'node:fs';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { SparseVector, l2Distance } from '../../src/index.js';
import { expectCode } from '../helpers.js';
import * as theirs from './drop-in/scenario-drizzle.js';
import * as ours from './drop-in/scenario-ours.js';

type Scenario = typeof theirs | typeof ours;
type Outcome = Record<string, { rows: unknown[]; sql: string; params: unknown[] }>;

const DDL = 'create table drop_in_items (id integer primary key, title text not null, embedding vector(3), half halfvec(3), sparse sparsevec(3), code bit(4))';

/** Rows with SparseVector values written as their text form (drizzle-orm selects sparsevec as text). */
function plain(rows: unknown[]): unknown[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([k, v]) => [k, v instanceof SparseVector ? v.toString() : v])),
  );
}

/**
 * SQL without parentheses, casts and table qualifiers (drizzle-orm drops the table name of a column that is a
 * direct chunk of a selected expression; ours sits one level down): what is left are the operators and operands.
 */
function shape(text: string): string {
  return text.replace(/::[a-z]+(\(\d+\))?/g, '').replace(/"drop_in_items"\./g, '').replace(/[()]/g, '').replace(/\s+/g, ' ');
}

describe('drop-in for drizzle-orm built-ins: the same code with only the imports changed', () => {
  let database: PgVectorTestDatabase;
  const outcomes = new Map<Scenario, Outcome>();

  beforeAll(async () => {
    database = await startTestDatabase();
    for (const scenario of [theirs, ours]) {
      await database.query('drop table if exists drop_in_items');
      await database.query(DDL);
      await scenario.insertRows(database.db);
      const outcome: Outcome = {};
      for (const [name, query] of Object.entries(scenario.queries(database.db))) {
        const { sql, params } = query.toSQL();
        outcome[name] = { rows: plain(await query), sql, params };
      }
      outcomes.set(scenario, outcome);
    }
  });
  afterAll(async () => {
    await database?.query('drop table if exists drop_in_items').catch(() => undefined);
    await database?.close();
  });

  it('the two scenario files differ only in their imports', () => {
    const body = (file: string) => readFileSync(new URL(`./drop-in/${file}`, import.meta.url), 'utf8').split('// ---- end of imports ----')[1];
    expect(body('scenario-ours.ts')).toBe(body('scenario-drizzle.ts'));
    expect(body('scenario-ours.ts')).toContain('innerProduct(items.embedding, q)');
  });

  it('the columns have the same SQL types and names', () => {
    const columns = (s: Scenario) => getTableConfig(s.items).columns.map((c) => [c.name, c.getSQLType(), c.notNull]);
    expect(columns(ours)).toEqual(columns(theirs));
  });

  it('every query returns the same rows in the same order (sparsevec text inserted and queried as drizzle-orm takes it)', () => {
    const a = outcomes.get(theirs)!;
    const b = outcomes.get(ours)!;
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const name of Object.keys(a)) expect(b[name]!.rows, name).toEqual(a[name]!.rows);
    // The data are what the scenarios inserted, and the orders are not trivial.
    expect(a['all']!.rows).toHaveLength(5);
    expect((a['all']!.rows[0] as { sparse: string }).sparse).toBe('{1:1,2:1,3:1}/3');
    expect(a['byInnerProduct']!.rows).toEqual([{ id: 1 }, { id: 4 }, { id: 2 }, { id: 3 }, { id: 5 }]);
    expect(a['subSelect']!.rows[0]).toEqual({ id: 3 });
  });

  it('innerProduct is <#> (the negative inner product) in both, never (… ) * -1', () => {
    const a = outcomes.get(theirs)!['distances']!;
    const b = outcomes.get(ours)!['distances']!;
    // q = [1, 0.5, 0]: inner products 1, 0.75, 0, 0.95 (as float4), 0 — negated
    expect(b.rows.map((r) => (r as { innerProduct: number }).innerProduct)).toEqual([-1, -0.75, -0, -Math.fround(0.95), -0].map((x) => expect.closeTo(x, 6)));
    expect(b.rows).toEqual(a.rows);
    expect(b.sql).toContain('("drop_in_items"."embedding" <#> $4::vector(3))');
    expect(b.sql).not.toContain('* -1');
  });

  it('the SQL is the same statement: same operators, operands and parameters', () => {
    const a = outcomes.get(theirs)!;
    const b = outcomes.get(ours)!;
    for (const name of Object.keys(a)) {
      expect(shape(b[name]!.sql), name).toBe(shape(a[name]!.sql));
      expect(b[name]!.params, name).toEqual(a[name]!.params);
    }
    expect(b['sparseByL2']!.sql).toContain('<-> $1::sparsevec(3)');
    expect(b['textQuery']!.params[0]).toBe('[0,1,0]');
  });

  it('what drizzle-orm sends to the server unchecked, ours rejects before any SQL, with a code', () => {
    expectCode(() => l2Distance(ours.items.embedding, [1, 2]), 'DIMENSION_MISMATCH');
    expectCode(() => l2Distance(ours.items.embedding, '[1,x,0]'), 'INVALID_VECTOR_VALUE');
    expectCode(() => l2Distance(ours.items.sparse, '{0:1}/3'), 'INVALID_SPARSE_VECTOR');
    expectCode(() => ours.items.sparse.mapToDriverValue('{1:1,1:2}/3'), 'INVALID_SPARSE_VECTOR');
    expect(ours.items.sparse.mapToDriverValue('{3:1,1:2}/3')).toBe('{1:2,3:1}/3');
  });
});
