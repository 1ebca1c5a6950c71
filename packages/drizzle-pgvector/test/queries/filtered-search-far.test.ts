import { eq, inArray, or } from 'drizzle-orm';
import { integer, pgTable, index } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { FILTERED_SEARCH } from '../../src/catalog/index.js';
import { ivfflatIndex, nearest, nearestSql, vector } from '../../src/index.js';
import { cosine } from './fixtures.js';

/**
 * The IVFFlat far check on real data built so that it matters. IVFFlat (lists 2) is trained on two groups of rows,
 * at 0° and 180° in a plane; rows added after the build go to the nearer list. The query lies at 60° (list 0°), with
 * a few rows around it. The filter `grp = 1` keeps 2,400 rows: half at −80° (in the query's list, 140° away from
 * it) and half at 100° (in the other list, 40° away). The right answer is the 100° rows; an index scan of the
 * query's list finds k rows at −80° and does not come back short — the far check must send it to the exact search.
 */
const far = pgTable('fs_far', { id: integer('id').primaryKey(), grp: integer('grp').notNull(), embedding: vector('embedding', { dimensions: 3 }).notNull() }, (t) => [
  ivfflatIndex('fs_far_embedding').on(t.embedding, 'cosine').with({ lists: 2 }),
  index('fs_far_grp').on(t.grp),
]);

const at = (degrees: number, i: number): number[] => {
  const a = ((degrees + ((i % 41) - 20) * 0.1) * Math.PI) / 180;
  return [Math.cos(a), Math.sin(a), ((i % 13) - 6) * 0.002];
};
const query = at(60, 20);
/** [id, grp, vector] of every row. */
const rows: [number, number, number[]][] = [];

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  await database.query('drop table if exists fs_far');
  await database.query('create table fs_far (id integer primary key, grp integer not null, embedding vector(3) not null)');
  const insert = async (from: number, count: number, degrees: number, grp: number) => {
    const values: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = from + i;
      const v = at(degrees, i).map((x) => Math.fround(x));
      rows.push([id, grp, v]);
      values.push(`(${id}, ${grp}, '[${v.join(',')}]')`);
    }
    await database.query(`insert into fs_far (id, grp, embedding) values ${values.join(', ')}`);
  };
  await insert(1, 400, 0, 0);
  await insert(401, 400, 180, 0);
  await database.query('create index fs_far_embedding on fs_far using ivfflat (embedding vector_cosine_ops) with (lists = 2)');
  await insert(801, 30, 60, 0); // the query's neighbourhood
  await insert(1001, 1200, -80, 1); // the filter's rows in the query's list, far from it
  await insert(3001, 1200, 100, 1); // the filter's rows in the other list, nearer
  await database.query('create index fs_far_grp on fs_far (grp)');
  await database.query('analyze fs_far');
}, 300_000);

afterAll(async () => {
  await database?.query('drop table if exists fs_far').catch(() => undefined);
  await database?.close();
});

const truth = (): number[] =>
  rows
    .filter((r) => r[1] === 1)
    .map((r) => [cosine(r[2], query), r[0]] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, 10)
    .map((r) => r[1]);
const recall = (found: readonly { id: number }[], expected: readonly number[]): number => expected.filter((id) => found.some((r) => r.id === id)).length / expected.length;

describe('IVFFlat far check', () => {
  it('an index scan of the query’s list returns k wrong rows; auto re-runs it exactly and returns the right ones', async () => {
    const expected = truth();
    expect(expected.every((id) => id >= 3001)).toBe(true); // the 100° rows are the nearest
    const plan = await nearestSql(db, far.embedding, query, { k: 10, where: eq(far.grp, 1), select: { id: far.id } });
    expect(plan.strategy).toBe('index');
    expect(plan.estimatedRows).toBeGreaterThan(FILTERED_SEARCH.exactMaxRows);
    expect(plan.notes.some((n) => n.startsWith('IVFFlat far check'))).toBe(true);
    expect(plan.sql).toContain('as "_ref"');
    // Forced index (no fallback, no far check): ten rows, the wrong ones — the trap the check is for.
    const forced = await nearest(db, far.embedding, query, { k: 10, where: eq(far.grp, 1), select: { id: far.id }, strategy: 'index' });
    expect(forced).toHaveLength(10);
    expect(recall(forced, expected)).toBeLessThan(0.5);
    const auto = await nearest(db, far.embedding, query, { k: 10, where: eq(far.grp, 1), select: { id: far.id } });
    expect(auto).toHaveLength(10);
    expect(recall(auto, expected)).toBe(1);
    expect(auto.map((r) => r.distance)).toEqual([...auto.map((r) => r.distance)].sort((a, b) => a - b));
    // The filter is remembered: the next search with it is exact from the start.
    const next = await nearestSql(db, far.embedding, query, { k: 10, where: eq(far.grp, 1), select: { id: far.id } });
    expect(next.strategy).toBe('exact');
  });

  it('a filter near the query passes the check: the index scan’s rows are kept', async () => {
    const near = at(60, 3);
    // Every row passes `grp in (0, 1)`: the nearest are the query's neighbours at 60°, in its own list.
    const where = () => inArray(far.grp, [0, 1]);
    const plan = await nearestSql(db, far.embedding, near, { k: 10, where: where(), select: { id: far.id } });
    expect(plan.strategy).toBe('index');
    expect(plan.notes.some((n) => n.startsWith('IVFFlat far check'))).toBe(true);
    const found = await nearest(db, far.embedding, near, { k: 10, where: where(), select: { id: far.id } });
    const expected = rows
      .map((r) => [cosine(r[2], near), r[0]] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .slice(0, 10)
      .map((r) => r[1]);
    expect(found).toHaveLength(10);
    expect(recall(found, expected)).toBeGreaterThanOrEqual(0.9);
    // Not remembered as short: the next search with this filter is still an index scan.
    expect((await nearestSql(db, far.embedding, near, { k: 10, where: where(), select: { id: far.id } })).strategy).toBe('index');
  });

  it('searches that do not read the reference compare with the last ones read, and still return the right rows', async () => {
    const expected = truth();
    // The near filter (grp in (0, 1)) reads references until the sample is full.
    for (let i = 0; i < FILTERED_SEARCH.farSampleFirst; i++) await nearest(db, far.embedding, at(60, i), { k: 10, where: inArray(far.grp, [0, 1]), select: { id: far.id } });
    let unsampled = 0;
    for (let i = 0; i < FILTERED_SEARCH.farSampleEvery; i++) {
      // grp in (1, 100, …, 100 + i): the far filter under a new shape each time, so no search is remembered as short
      // (neither these values nor, after a few short scans, the shape).
      const where = () => inArray(far.grp, [1, ...Array.from({ length: i + 1 }, (_, j) => 100 + j)]);
      const plan = await nearestSql(db, far.embedding, query, { k: 10, where: where(), select: { id: far.id } });
      expect(plan.strategy).toBe('index');
      if (!plan.sql.includes('"_ref"')) {
        unsampled++;
        expect(plan.notes.some((n) => n.includes('compares with the largest of the last ones read'))).toBe(true);
      }
      const found = await nearest(db, far.embedding, query, { k: 10, where: where(), select: { id: far.id } });
      expect(found).toHaveLength(10);
      expect(recall(found, expected), `search ${i}`).toBe(1);
    }
    expect(unsampled).toBeGreaterThan(FILTERED_SEARCH.farSampleEvery / 2);
  });

  it('a filter whose index scans keep coming back short: its values not seen before are searched exactly, known-good ones are not', async () => {
    const expected = truth();
    // grp = 1 or grp = <a value no row has>: the far rows under a new value each time (2,400 rows: above exactMaxRows).
    const farWhere = (i: number) => or(eq(far.grp, 1), eq(far.grp, 300 + i));
    const options = (where: ReturnType<typeof farWhere>) => ({ k: 10, where, select: { id: far.id } });
    // A value of the same shape whose index scan comes back full (grp 0 holds the query's neighbourhood).
    const nearWhere = () => or(eq(far.grp, 0), eq(far.grp, 1));
    expect(await nearest(db, far.embedding, query, options(nearWhere()))).toHaveLength(10);
    for (let i = 0; i <= FILTERED_SEARCH.shapeShortMin + 1; i++) {
      const plan = await nearestSql(db, far.embedding, query, options(farWhere(i)));
      // The shape's record before this search: the near value's full scan and i short ones. Learnt once it holds
      // shapeShortMin scans of which shapeShortShare came back short.
      const learnt = i + 1 >= FILTERED_SEARCH.shapeShortMin && i / (i + 1) >= FILTERED_SEARCH.shapeShortShare;
      if (i === FILTERED_SEARCH.shapeShortMin + 1) expect(learnt).toBe(true);
      expect(plan.strategy, `new value ${i}`).toBe(learnt ? 'exact' : 'index');
      if (learnt) expect(plan.reason).toMatch(/most index scans with this filter \(other values\) came back short in the last 60 s/);
      const found = await nearest(db, far.embedding, query, options(farWhere(i)));
      expect(recall(found, expected), `new value ${i}`).toBe(1);
    }
    // The value whose own scan came back full keeps its index scan.
    expect((await nearestSql(db, far.embedding, query, options(nearWhere()))).strategy).toBe('index');
    // Another shape is not affected.
    expect((await nearestSql(db, far.embedding, query, options(or(eq(far.grp, 1), eq(far.grp, 900), eq(far.grp, 901))))).strategy).toBe('index');
  });
});
