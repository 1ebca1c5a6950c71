/**
 * A name the root entry shares with drizzle-orm must compute the same thing, so swapping the import changes no
 * result and no order (issue 19): the distance functions build drizzle-orm's operator, the column builders declare
 * drizzle-orm's SQL type. A new shared name fails here until it is checked and added. Also: the catalog subpath and
 * the root entry export no name twice.
 */
import * as drizzle from 'drizzle-orm';
import * as pgCore from 'drizzle-orm/pg-core';
import { PgDialect, pgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as catalog from '../../src/catalog/public.js';
import * as ours from '../../src/index.js';

const dialect = new PgDialect();
const DISTANCES = ['cosineDistance', 'hammingDistance', 'innerProduct', 'jaccardDistance', 'l1Distance', 'l2Distance'] as const;
const COLUMNS = ['bit', 'halfvec', 'sparsevec', 'vector'] as const;

/** The pgvector operator in compiled SQL: `<->`, `<#>`, `<=>`, `<+>`, `<~>`, `<%>`. */
function operatorOf(expression: drizzle.SQL): string | undefined {
  return /<[-#=+~%]>/.exec(dialect.sqlToQuery(expression).sql)?.[0];
}

describe('names shared with drizzle-orm', () => {
  it('are exactly the six distance functions and the four column builders (a new one must be checked here)', () => {
    const shared = Object.keys(ours).filter((name) => name in drizzle || name in pgCore);
    expect(shared.sort()).toEqual([...DISTANCES, ...COLUMNS].sort());
  });

  it.each(DISTANCES)('%s builds the operator drizzle-orm builds', (name) => {
    const dense = pgTable('t', { e: ours.vector('e', { dimensions: 3 }), b: ours.bit('b', { dimensions: 3 }) });
    const bitwise = name === 'hammingDistance' || name === 'jaccardDistance';
    const column = bitwise ? dense.b : dense.e;
    const query = bitwise ? '101' : [1, 2, 3];
    const theirs = (drizzle[name] as (c: unknown, v: unknown) => drizzle.SQL)(column, query);
    const mine = (ours[name] as (c: unknown, v: unknown) => drizzle.SQL)(column, query);
    expect(operatorOf(theirs)).toMatch(/^<.>$/);
    expect(operatorOf(mine)).toBe(operatorOf(theirs));
    // Ours adds the cast and parentheses, nothing else: no negation, no `1 -`.
    expect(dialect.sqlToQuery(mine).sql).not.toMatch(/\* -1|1 -/);
  });

  it.each(COLUMNS)('%s declares the SQL type drizzle-orm declares', (name) => {
    const builder = (from: Record<string, unknown>) => (from[name] as (n: string, o: { dimensions: number }) => never)('e', { dimensions: 3 });
    const table = (from: Record<string, unknown>) => pgTable('t', { e: builder(from) }) as unknown as { e: { getSQLType(): string } };
    expect(table(ours).e.getSQLType()).toBe(table(pgCore).e.getSQLType());
  });
});

describe('entry points', () => {
  it('the catalog subpath and the root entry share no export', () => {
    expect(Object.keys(catalog).filter((name) => name in ours)).toEqual([]);
  });

  it('the root entry exports no UPPER_CASE catalog table (they are behind drizzle-pgvector/catalog or internal)', () => {
    const constants = Object.keys(ours).filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
    // Inputs of the API, not catalog tables: the largest k of nearest(), the default candidate list of tuneSearch.
    expect(constants.sort()).toEqual(['EF_SEARCH_CANDIDATES', 'NEAREST_MAX_K']);
  });
});
