import { asc, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PgVectorDrizzleDatabase } from '@drizzle-pgvector/testing';
import { rowsOf } from '@drizzle-pgvector/testing';
import { expect, it } from 'vitest';
import { PgVectorError } from '../../src/index.js';
import type { CopyProgress, CopyResult, CopyRowsOptions } from '../../src/copy/load-rows.js';
import { allTypesRef, allTypesRows, allTypesTable, countItems, itemRows, items, unsupported, withDefaults } from './fixtures.js';

type Copy = (table: PgTable, rows: Iterable<unknown> | AsyncIterable<unknown>, options?: CopyRowsOptions) => Promise<CopyResult>;

/** One entry (pg or pglite) on one database, as the shared scenarios need it. */
export interface Harness {
  db: PgVectorDrizzleDatabase;
  copy: Copy;
  /** Run `body` inside a transaction the caller holds (a pg client after BEGIN, a PGlite Transaction). */
  inTransaction(body: (copy: Copy, exec: (text: string) => Promise<void>) => Promise<void>, outcome: 'commit' | 'rollback'): Promise<void>;
}

async function count(db: PgVectorDrizzleDatabase): Promise<number> {
  return rowsOf<{ n: number }>(await db.execute(countItems))[0]!.n;
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the load to fail');
}

/** 20k rows with a bad one in the middle. */
function* withBadRow(bad: number): Generator<typeof items.$inferInsert> {
  for (const row of itemRows(20_000, 100)) yield row.id === 100 + bad ? { ...row, embedding: [1, 2, 3] } : row;
}

export function defineScenarios(harness: () => Harness): void {
  const seed = async (): Promise<void> => {
    const { db } = harness();
    await db.execute(sql`truncate copy_items`);
    await db.insert(items).values([...itemRows(3)]);
  };

  it('round-trips every supported type, NULLs included, exactly as db.insert() stores them', async () => {
    const { db, copy } = harness();
    const rows = allTypesRows();
    const result = await copy(allTypesTable, rows);
    expect(result.rows).toBe(rows.length);
    await db.insert(allTypesRef).values(rows);
    const copied = await db.select().from(allTypesTable).orderBy(asc(allTypesTable.id));
    const inserted = await db.select().from(allTypesRef).orderBy(asc(allTypesRef.id));
    expect(copied).toHaveLength(rows.length);
    expect(copied).toEqual(inserted);
    expect(copied[9]).toEqual({ ...Object.fromEntries(Object.keys(copied[9]!).map((k) => [k, null])), id: 9 });
    expect(copied[1]!.big).toBe(2n ** 63n - 1n);
    expect(copied[1]!.h![1]).toBe(65504);
    expect(copied[2]!.tsString).toBe(inserted[2]!.tsString);
  });

  it('applies $defaultFn per row and leaves database defaults to the server', async () => {
    const { db, copy } = harness();
    await db.execute(sql`truncate copy_defaults restart identity`);
    await copy(withDefaults, [{ embedding: [1, 2] }, { embedding: null }, { tag: 'own' }]);
    const rows = await db.select().from(withDefaults).orderBy(asc(withDefaults.id));
    expect(rows.map((r) => [r.id, r.label, r.embedding])).toEqual([
      [1, 'plain', [1, 2]],
      [2, 'plain', null],
      [3, 'plain', null],
    ]);
    expect(rows[0]!.tag).toMatch(/^gen-\d+$/);
    expect(rows[1]!.tag).toMatch(/^gen-\d+$/);
    expect(rows[0]!.tag).not.toBe(rows[1]!.tag);
    expect(rows[2]!.tag).toBe('own');
  });

  it('rejects a row that gives a value to a column the load left to its database default', async () => {
    const { db, copy } = harness();
    await db.execute(sql`truncate copy_defaults restart identity`);
    const error = await rejection(copy(withDefaults, [{ label: 'a' }, { id: 7, label: 'b' }]));
    expect(PgVectorError.is(error, 'INVALID_COPY_ROW')).toBe(true);
    expect(error.message).toContain('row 1');
    expect(error.message).toContain('"id"');
    expect(await db.$count(withDefaults)).toBe(0);
    const other = await rejection(copy(withDefaults, [{ id: 1, label: 'a' }, { label: 'b' }]));
    expect(PgVectorError.is(other, 'INVALID_COPY_ROW')).toBe(true);
    expect(other.message).toMatch(/^row 1: no value for column "id", which has a database default/);
  });

  it('rejects a bad row in the middle of a 20k-row stream and writes nothing', async () => {
    await seed();
    const { db, copy } = harness();
    const error = await rejection(copy(items, withBadRow(10_000)));
    expect(PgVectorError.is(error, 'DIMENSION_MISMATCH')).toBe(true);
    expect(error.message).toMatch(/^row 10000: column "copy_items"\."embedding" \(vector\(16\)\): expected 16 dimensions, got 3/);
    expect(error.details).toMatchObject({ row: 10_000, column: 'embedding', expected: 16, actual: 3 });
    expect(await count(db)).toBe(3);
    // The connection is usable afterwards and the table takes a good load.
    expect((await copy(items, itemRows(20_000, 100))).rows).toBe(20_000);
    expect(await count(db)).toBe(20_003);
  });

  it('rolls back when the source iterator throws, and rejects with its error', async () => {
    await seed();
    const { db, copy } = harness();
    const failure = new Error('source broke');
    let finalized = false;
    async function* source() {
      try {
        yield* itemRows(15_000, 100);
        throw failure;
      } finally {
        finalized = true;
      }
    }
    expect(await rejection(copy(items, source()))).toBe(failure);
    expect(finalized).toBe(true);
    expect(await count(db)).toBe(3);
  });

  it('rolls back on an aborted signal and rejects with COPY_ABORTED', async () => {
    await seed();
    const { db, copy } = harness();
    const controller = new AbortController();
    let events = 0;
    const error = await rejection(
      copy(items, itemRows(20_000, 100), {
        signal: controller.signal,
        onProgress: () => {
          if (++events === 2) controller.abort(new Error('user cancelled'));
        },
      }),
    );
    expect(PgVectorError.is(error, 'COPY_ABORTED')).toBe(true);
    expect(error.message).toContain('user cancelled');
    expect(await count(db)).toBe(3);
    const before = await rejection(copy(items, itemRows(5, 100), { signal: AbortSignal.abort() }));
    expect(PgVectorError.is(before, 'COPY_ABORTED')).toBe(true);
    expect(await count(db)).toBe(3);
  });

  it('consumes a lazy async source incrementally (back-pressure)', async () => {
    await seed();
    const { db, copy } = harness();
    let yielded = 0;
    const seen: { yielded: number; progress: CopyProgress }[] = [];
    async function* source() {
      for (const row of itemRows(20_000, 100)) {
        yielded++;
        yield row;
      }
    }
    const result = await copy(items, source(), { onProgress: (progress) => seen.push({ yielded, progress: { ...progress } }) });
    expect(result.rows).toBe(20_000);
    const first = seen[0]!;
    expect(first.progress.rows).toBeGreaterThan(0);
    expect(first.progress.rows).toBeLessThan(20_000);
    // When the first chunk was accepted, the generator had been read one row past it, no further.
    expect(first.yielded).toBe(first.progress.rows + 1);
    for (const s of seen.slice(0, -1)) expect(s.yielded - s.progress.rows).toBeLessThanOrEqual(1);
    expect(seen.at(-1)!.progress).toMatchObject({ rows: 20_000, bytes: result.bytes });
    expect(seen.at(-1)!.progress.rowsPerSecond).toBeGreaterThan(0);
    expect(await count(db)).toBe(20_003);
  });

  it('keeps the table as it was on a server error (unique violation), with the SQLSTATE', async () => {
    await seed();
    const { db, copy } = harness();
    const error = await rejection(copy(items, itemRows(5_000, 2)));
    expect(error.code).toBe('23505');
    expect(await count(db)).toBe(3);
  });

  it('keeps the table as it was on a server error in the middle of a 20k-row stream (duplicate key at row 10,000)', async () => {
    await seed();
    const { db, copy } = harness();
    function* rows(): Generator<typeof items.$inferInsert> {
      for (const row of itemRows(20_000, 100)) yield row.id === 10_100 ? { ...row, id: 2 } : row; // id 2 is seeded
    }
    const error = await rejection(copy(items, rows()));
    expect(error.code).toBe('23505');
    expect(await count(db)).toBe(3);
    expect((await copy(items, itemRows(10, 100))).rows).toBe(10);
  });

  it('in a transaction the caller holds: a savepoint, committed or rolled back with the caller', async () => {
    await seed();
    const { db, inTransaction } = harness();
    await inTransaction(async (copy, exec) => {
      await exec(`insert into copy_items values (1000, '[${Array(16).fill(1).join(',')}]')`);
      await copy(items, itemRows(100, 2000));
    }, 'rollback');
    expect(await count(db)).toBe(3);
    await inTransaction(async (copy, exec) => {
      await exec(`insert into copy_items values (1000, '[${Array(16).fill(1).join(',')}]')`);
      const error = await rejection(copy(items, withBadRow(50)));
      expect(PgVectorError.is(error, 'DIMENSION_MISMATCH')).toBe(true);
      // The caller's transaction is still usable: only the load was rolled back.
      await exec(`insert into copy_items values (1001, '[${Array(16).fill(2).join(',')}]')`);
      await copy(items, itemRows(10, 3000));
    }, 'commit');
    expect(await count(db)).toBe(3 + 2 + 10);
  });

  it('refuses a column type it cannot encode before sending anything, and checks scalar values per row', async () => {
    const { copy, db } = harness();
    const error = await rejection(copy(unsupported, [{ id: 1, price: '1.5' }]));
    expect(PgVectorError.is(error, 'UNSUPPORTED_COPY_COLUMN')).toBe(true);
    expect(error.message).toContain('"copy_unsupported"."price" (numeric)');
    expect((await copy(unsupported, [{ id: 1 }, { id: 2 }], { columns: ['id'] })).rows).toBe(2);
    expect(await db.$count(unsupported)).toBe(2);
    const bad = await rejection(copy(allTypesTable, [{ id: 100 }, { id: 101, small: 1.5 }], { columns: ['id', 'small'] }));
    expect(PgVectorError.is(bad, 'INVALID_COPY_ROW')).toBe(true);
    expect(bad.message).toMatch(/^row 1: column "copy_all"\."small" \(smallint\): expected an integer from -32768 to 32767/);
    const notNull = await rejection(copy(items, [{ id: 1, embedding: null as unknown as number[] }]));
    expect(PgVectorError.is(notNull, 'INVALID_COPY_ROW')).toBe(true);
    expect((await copy(items, [])).rows).toBe(0);
  });
}
