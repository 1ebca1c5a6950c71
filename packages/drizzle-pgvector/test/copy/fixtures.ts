import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  customType,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { bit, halfvec, SparseVector, sparsevec, vector } from '../../src/index.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array)),
});

export const mood = pgEnum('copy_mood', ['sad', 'ok', 'happy']);

function allTypes(name: string) {
  return pgTable(name, {
    id: integer('id').primaryKey(),
    small: smallint('small'),
    big: bigint('big', { mode: 'bigint' }),
    bigNumber: bigint('big_number', { mode: 'number' }),
    r: real('r'),
    d: doublePrecision('d'),
    t: text('t'),
    vc: varchar('vc', { length: 20 }),
    ch: char('ch', { length: 3 }),
    flag: boolean('flag'),
    u: uuid('u'),
    ts: timestamp('ts', { precision: 6 }),
    tstz: timestamp('tstz', { withTimezone: true, precision: 6 }),
    tsString: timestamp('ts_string', { mode: 'string', withTimezone: true }),
    j: jsonb('j'),
    bin: bytea('bin'),
    m: mood('m'),
    v: vector('v', { dimensions: 3 }),
    h: halfvec('h', { dimensions: 4 }),
    s: sparsevec('s', { dimensions: 6 }),
    b: bit('b', { dimensions: 10 }),
  });
}

/** Every supported type; `allTypesRef` has the same shape and is filled with db.insert() to compare against. */
export const allTypesTable = allTypes('copy_all');
export const allTypesRef = allTypes('copy_all_ref');

export const items = pgTable('copy_items', {
  id: integer('id').primaryKey(),
  embedding: vector('embedding', { dimensions: 16 }).notNull(),
});

let generated = 0;
export const withDefaults = pgTable('copy_defaults', {
  id: serial('id').primaryKey(),
  label: text('label').notNull().default('plain'),
  tag: text('tag').$defaultFn(() => `gen-${++generated}`),
  embedding: vector('embedding', { dimensions: 2 }),
});

export const unsupported = pgTable('copy_unsupported', {
  id: integer('id').primaryKey(),
  price: numeric('price'),
});

export const DDL = [
  `create type copy_mood as enum ('sad', 'ok', 'happy')`,
  ...['copy_all', 'copy_all_ref'].map(
    (t) =>
      `create table ${t} (id integer primary key, small smallint, big bigint, big_number bigint, r real, d double precision, t text, ` +
      `vc varchar(20), ch char(3), flag boolean, u uuid, ts timestamp(6), tstz timestamptz(6), ts_string timestamptz, j jsonb, bin bytea, m copy_mood, ` +
      `v vector(3), h halfvec(4), s sparsevec(6), b bit(10))`,
  ),
  `create table copy_items (id integer primary key, embedding vector(16) not null)`,
  `create table copy_defaults (id serial primary key, label text not null default 'plain', tag text, embedding vector(2))`,
  `create table copy_unsupported (id integer primary key, price numeric)`,
];

/** Rows covering every type, edge values and NULLs. */
export function allTypesRows(): (typeof allTypesTable.$inferInsert)[] {
  const rows: (typeof allTypesTable.$inferInsert)[] = [];
  for (let i = 0; i < 40; i++) {
    const nulls = i % 10 === 9;
    rows.push({
      id: i,
      small: nulls ? null : [-32768, 32767, 0, i][i % 4]!,
      big: nulls ? null : [-(2n ** 63n), 2n ** 63n - 1n, 0n, BigInt(i) * 1234567890123n][i % 4]!,
      bigNumber: nulls ? null : Number.MAX_SAFE_INTEGER - i,
      r: nulls ? null : [0.1, -3.4e38, 1e-40, i / 7][i % 4]!,
      d: nulls ? null : [Math.PI, -1e308, 5e-324, i / 3][i % 4]!,
      t: nulls ? null : ['', 'héllo wörld ✓', 'tab\tnew\nline "q" \\', 'x'.repeat(300)][i % 4]!,
      vc: nulls ? null : `vc ${i} ✓`,
      ch: nulls ? null : ['a', 'ab', 'abc', 'é'][i % 4]!,
      flag: nulls ? null : i % 2 === 0,
      u: nulls ? null : `0b0e6a3c-1d2f-4e5a-9b8c-${String(i).padStart(12, '0')}`,
      ts: nulls ? null : new Date(Date.UTC(1999 + (i % 30), i % 12, 1 + (i % 28), i % 24, i, i, i)),
      tstz: nulls ? null : new Date(Date.UTC(2024, 4, 1, 12, 0, 0, 123) + i * 86_400_000),
      tsString: nulls ? null : ['2024-05-01 12:00:00.123456+00', '1970-01-01T00:00:00Z', '2030-12-31 23:59:59.5-05:30', 'infinity'][i % 4]!,
      j: nulls ? null : [{ a: 1, b: [true, null, 'x'] }, 'just a string', [1, 2, 3], { nested: { deep: 'é✓' } }][i % 4]!,
      bin: nulls ? null : Buffer.from([0, 255, i, 10, 13]),
      m: nulls ? null : (['sad', 'ok', 'happy'] as const)[i % 3]!,
      v: nulls ? null : [0.1 * i, -1.5, 3.4e38][i % 3] === undefined ? [1, 2, 3] : [0.1 * i, -1.5, i % 3 === 0 ? 3.4e38 : 1e-30],
      h: nulls ? null : [0.1, 65504, -6e-5, 1e-7 * i],
      // i % 4 === 3: pgvector's text form (what drizzle-orm's own sparsevec takes), accepted at run time like a SparseVector.
      s: nulls ? null : i % 4 === 0 ? new SparseVector(6, [], []) : i % 4 === 3 ? (`{6:${-0.5 * i},1:1.5}/6` as unknown as SparseVector) : new SparseVector(6, [0, 5], [1.5, -0.3 * i]),
      b: nulls ? null : (i * 37).toString(2).padStart(10, '0').slice(-10),
    });
  }
  return rows;
}

/** `n` rows of copy_items, produced lazily. */
export function* itemRows(n: number, start = 0): Generator<typeof items.$inferInsert> {
  for (let i = start; i < start + n; i++) yield { id: i, embedding: Array.from({ length: 16 }, (_, j) => Math.sin(i + j)) };
}

export const countItems = sql`select count(*)::int as n from copy_items`;
