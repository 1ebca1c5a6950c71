/**
 * Differential test: every edge value goes (a) through our client (column inserts and query vectors, via the
 * public API) and (b) straight to the server as a SQL literal. pgvector's parser is the oracle: both must
 * accept or both reject (22003), and when accepted, store / compute exactly the same thing.
 */
import { eq, sql } from 'drizzle-orm';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { PgVectorError, halfvec, l1Distance, sparsevec, vector } from '../../src/index.js';

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
/** The adjacent double towards +Infinity (`dir` 1) or towards 0 (`dir` -1) of a positive double. */
function adjacent(x: number, dir: 1 | -1): number {
  F64[0] = x;
  U64[0] = U64[0]! + BigInt(dir);
  return F64[0]!;
}

const FLT_MAX = 3.4028234663852886e38;
const OVERFLOW_TIE = 2 ** 128 - 2 ** 103;
const HALF_TIE = 65520 - 2 ** -9;
const positive = [
  1,
  0.1,
  1e-7,
  123456.789,
  1e10,
  FLT_MAX,
  3.4028235e38,
  adjacent(OVERFLOW_TIE, -1),
  OVERFLOW_TIE,
  adjacent(OVERFLOW_TIE, 1),
  3.4028236e38,
  1e39,
  Number.MAX_VALUE,
  1.1754943508222875e-38, // FLT_MIN
  1.1754942e-38, // a float4 subnormal
  1.401298464324817e-45, // smallest float4 subnormal
  1e-45,
  2 ** -149 * 1.5, // tie between the two smallest subnormals
  2 ** -150, // underflow tie
  adjacent(2 ** -150, 1),
  adjacent(2 ** -150, -1),
  1e-46,
  1e-50,
  Number.MIN_VALUE,
  1 + 2 ** -24, // a float4 tie whose shortest text is above the tie
  16777217, // a float4 tie whose text is exact
  65504,
  65505,
  65519,
  65519.99,
  adjacent(HALF_TIE, -1),
  HALF_TIE,
  adjacent(HALF_TIE, 1),
  65520,
  65536,
  1e-8,
  2 ** -25, // binary16 underflow tie
  6e-8,
];
const VALUES = [0, -0, ...positive, ...positive.map((x) => -x)];

/** What we write into a literal: the shortest round-trip decimal, with the sign of -0. */
const literal = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

const fe = pgTable('codec_float_edges', {
  id: integer('id').primaryKey(),
  v: vector('v', { dimensions: 1 }),
  h: halfvec('h', { dimensions: 1 }),
  s: sparsevec('s', { dimensions: 1 }),
});
type Column = 'v' | 'h' | 's';
const TYPES: Record<Column, string> = { v: 'vector', h: 'halfvec', s: 'sparsevec' };
const inputOf = (column: Column, x: number) => (column === 's' ? { dimensions: 1, indices: [0], values: [x] } : [x]);
const literalOf = (column: Column, x: number) => (column === 's' ? `{1:${literal(x)}}/1` : `[${literal(x)}]`);
const zeroOf = (column: Column) => (column === 's' ? `{}/1` : `[0]`);

/** `accepted: <text>` or `rejected: <SQLSTATE or client code>` */
type Outcome = string;

function sqlState(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.cause?.code ?? err.code ?? String(e);
}

describe('float4 / binary16 edges: client validation agrees with pgvector', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.query('drop table if exists codec_float_edges');
    await database.query('create table codec_float_edges (id integer primary key, v vector(1), h halfvec(1), s sparsevec(1))');
    await database.query(`insert into codec_float_edges (id, v, h, s) values (0, '[0]', '[0]', '{}/1')`);
  });
  afterAll(async () => {
    await database?.query('drop table if exists codec_float_edges').catch(() => undefined);
    await database?.close();
  });

  async function server(column: Column, x: number): Promise<{ stored: Outcome; distance: Outcome }> {
    const type = TYPES[column];
    try {
      const [row] = await database.query<{ t: string; d: number }>(
        `select '${literalOf(column, x)}'::${type}(1)::text as t, '${zeroOf(column)}'::${type}(1) <+> '${literalOf(column, x)}'::${type}(1) as d`,
      );
      return { stored: `accepted: ${row!.t}`, distance: `accepted: ${String(row!.d)}` };
    } catch (e) {
      return { stored: `rejected: ${sqlState(e)}`, distance: `rejected: ${sqlState(e)}` };
    }
  }

  async function client(column: Column, x: number, id: number): Promise<{ stored: Outcome; distance: Outcome }> {
    const db = database.db;
    let stored: Outcome;
    try {
      await db.insert(fe).values({ id, [column]: inputOf(column, x) } as never);
      const [row] = await database.query<{ t: string }>(`select ${column}::text as t from codec_float_edges where id = $1`, [id]);
      stored = `accepted: ${row!.t}`;
    } catch (e) {
      if (!(e instanceof PgVectorError)) throw new Error(`the client accepted ${literal(x)} for ${TYPES[column]} and the server rejected it: ${String(e)}`);
      stored = `rejected: ${e.code}`;
    }
    let distance: Outcome;
    try {
      const [row] = await db
        .select({ d: l1Distance(fe[column], inputOf(column, x) as never) })
        .from(fe)
        .where(eq(fe.id, 0));
      distance = `accepted: ${String(row!.d)}`;
    } catch (e) {
      if (!(e instanceof PgVectorError)) throw new Error(`the client accepted query ${literal(x)} for ${TYPES[column]} and the server rejected it: ${String(e)}`);
      distance = `rejected: ${e.code}`;
    }
    return { stored, distance };
  }

  const expected = (outcome: Outcome) => outcome.replace('rejected: 22003', 'rejected: VALUE_OUT_OF_RANGE');

  it.each(['v', 'h', 's'] as const)('%s: column values and query vectors', async (column) => {
    const mismatches: string[] = [];
    let id = { v: 1000, h: 2000, s: 3000 }[column];
    for (const x of VALUES) {
      const oracle = await server(column, x);
      const ours = await client(column, x, id++);
      if (ours.stored !== expected(oracle.stored)) mismatches.push(`${TYPES[column]} value ${literal(x)}: server ${oracle.stored}, client ${ours.stored}`);
      if (ours.distance !== expected(oracle.distance)) {
        mismatches.push(`${TYPES[column]} query ${literal(x)}: server ${oracle.distance}, client ${ours.distance}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('the edges the issue names land where pgvector puts them', async () => {
    const outcome = async (column: Column, x: number) => (await server(column, x)).stored;
    expect(await outcome('v', 3.4028235e38)).toBe('accepted: [3.4028235e+38]');
    expect(await outcome('v', OVERFLOW_TIE)).toBe('accepted: [3.4028235e+38]');
    expect(await outcome('v', 3.4028236e38)).toBe('rejected: 22003');
    expect(await outcome('v', 1e-46)).toBe('accepted: [0]');
    expect(await outcome('v', -1e-46)).toBe('accepted: [-0]');
    expect(await outcome('v', -0)).toBe('accepted: [-0]');
    expect(await outcome('s', 1e-50)).toBe('rejected: 22003');
    expect(await outcome('s', 1e-45)).toBe('accepted: {1:1e-45}/1');
    expect(await outcome('h', 65519)).toBe('accepted: [65504]');
    expect(await outcome('h', 65520)).toBe('rejected: 22003');
    expect(await outcome('h', 1e-8)).toBe('accepted: [0]');
    expect(await outcome('v', 1 + 2 ** -24)).toBe('accepted: [1.0000001]');
  });
});

void sql;
