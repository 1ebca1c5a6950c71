import { sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { hnswIndex, ivfflatIndex, measureRecall, tuneSearch, vector, type PgVectorErrorCode } from '../../src/index.js';
import { expectCodeAsync, recordSql, rejectedBeforeSql } from '../helpers.js';
import { clustered, load } from './data.js';

const DIMS = 8;
const small = pgTable(
  'e_items',
  {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
    plain: vector('plain', { dimensions: DIMS }).notNull(),
    both: vector('both', { dimensions: DIMS }).notNull(),
  },
  (t) => [
    hnswIndex('e_items_hnsw').on(t.embedding, 'l2'),
    hnswIndex('e_items_both_hnsw').on(t.both, 'l2'),
    ivfflatIndex('e_items_both_ivf').on(t.both, 'l2').with({ lists: 2 }),
  ],
);
const keyless = pgTable('e_keyless', { name: text('name'), embedding: vector('embedding', { dimensions: DIMS }).notNull() }, (t) => [
  hnswIndex('e_keyless_hnsw').on(t.embedding, 'l2'),
]);

const data = clustered({ dims: DIMS, clusters: 4, spread: 1, seed: 5 });
let database: PgVectorTestDatabase;


beforeAll(async () => {
  database = await startTestDatabase();
  await load(
    database,
    small,
    'e_items',
    data.points(60).map((embedding, id) => ({ id, embedding, plain: embedding, both: embedding })),
  );
  await load(
    database,
    keyless,
    'e_keyless',
    data.points(20).map((embedding, i) => ({ name: `n${i}`, embedding })),
  );
}, 120_000);

afterAll(async () => {
  await database?.query('drop table if exists e_items').catch(() => undefined);
  await database?.query('drop table if exists e_keyless').catch(() => undefined);
  await database?.close();
});

async function rejected(run: (db: PgVectorDrizzleDatabase) => Promise<unknown>, code: PgVectorErrorCode, ...fragments: string[]): Promise<void> {
  const before = await database.query<{ n: number }>('select count(*)::int as n from e_items');
  await rejectedBeforeSql(database.db, run, code, ...fragments);
  expect(await database.query<{ n: number }>('select count(*)::int as n from e_items')).toEqual(before);
}

describe('bad input is rejected with a code before any SQL', () => {
  it('targetRecall outside (0, 1]', async () => {
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 1.5, k: 10 }), 'INVALID_TUNING_OPTION', 'targetRecall', '1.5', '(0, 1]', 'targetRecall: 0.95');
    for (const bad of [0, -0.5, Number.NaN, '0.9', undefined]) {
      await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: bad as number, k: 10 }), 'INVALID_TUNING_OPTION', 'targetRecall');
    }
  });

  it('k, sampleSize, queries, seed and unknown options', async () => {
    await rejected((db) => measureRecall(db, small.embedding, { k: 0 }), 'INVALID_TUNING_OPTION', 'k must be an integer from 1 to 9999', 'got 0');
    await rejected((db) => measureRecall(db, small.embedding, { k: 2.5, queries: data.points(2) }), 'INVALID_TUNING_OPTION', 'from 1 to 10000');
    await rejected((db) => measureRecall(db, small.embedding, { k: 10_000 }), 'INVALID_TUNING_OPTION', 'k + 1');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, sampleSize: 1 }), 'INVALID_TUNING_OPTION', 'sampleSize must be an integer from 2');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, sampleSize: 10, queries: data.points(2) }), 'INVALID_TUNING_OPTION', 'not both');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, queries: data.points(1) }), 'INVALID_TUNING_OPTION', 'queries must be an array of 2');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, seed: -1 }), 'INVALID_TUNING_OPTION', 'seed');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, limit: 3 } as never), 'INVALID_TUNING_OPTION', "measureRecall: unknown option 'limit'. Did you mean 'k'?");
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 0.9, k: 5, settings: { efSearch: 10 } } as never), 'INVALID_TUNING_OPTION', "unknown option 'settings'");
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, where: 'id > 3' as never }), 'INVALID_TUNING_OPTION', 'where must be an SQL condition');
    await rejected((db) => measureRecall(db, small.embedding, null as never), 'INVALID_TUNING_OPTION', 'options must be an object');
    await rejected(() => measureRecall({} as never, small.embedding, { k: 5 }), 'INVALID_DATABASE', 'db must be a Drizzle');
  });

  it('query vectors are validated by the target, naming the bad one', async () => {
    const queries = [data.points(1)[0]!, [1, 2, 3]];
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, queries }), 'DIMENSION_MISMATCH', 'queries[1]');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, queries: [queries[0]!, [Number.NaN, 0, 0, 0, 0, 0, 0, 0]] }), 'NON_FINITE_VALUE', 'queries[1]');
  });

  it('settings, metric and candidates', async () => {
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, settings: { efSearch: 0 } }), 'INVALID_SEARCH_SETTING');
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, metric: 'dot' as never }), 'UNSUPPORTED_METRIC', "'dot'");
    await rejected((db) => measureRecall(db, small.plain, { k: 5 }), 'METRIC_REQUIRED');
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 0.9, k: 10, candidates: [5, 20] }), 'INVALID_TUNING_OPTION', 'candidates[0]', 'from 11 to 1000');
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 0.9, k: 10, candidates: [40, 20] }), 'INVALID_TUNING_OPTION', 'ascending');
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 0.9, k: 10, candidates: [2000] }), 'INVALID_TUNING_OPTION', 'hnsw.ef_search');
    await rejected((db) => tuneSearch(db, small.embedding, { targetRecall: 0.9, k: 1000 }), 'INVALID_TUNING_OPTION', 'lower k');
  });

  it('no index to tune, two kinds of index, no primary key to sample with', async () => {
    await rejected((db) => tuneSearch(db, small.plain, { targetRecall: 0.9, k: 5, metric: 'l2' }), 'NO_TUNABLE_INDEX', 'no HNSW or IVFFlat index', 'hnswIndex(');
    await rejected((db) => tuneSearch(db, small.both, { targetRecall: 0.9, k: 5 }), 'NO_TUNABLE_INDEX', 'e_items_both_hnsw', 'e_items_both_ivf', "Pass index: 'e_items_both_hnsw' or 'e_items_both_ivf'");
    await rejected((db) => tuneSearch(db, keyless.embedding, { targetRecall: 0.9, k: 5 }), 'PRIMARY_KEY_REQUIRED', 'primary key', 'queries');
  });

  it('index: a name the target does not declare (listing the ones it does), or a metric the named index does not use', async () => {
    await rejected((db) => tuneSearch(db, small.both, { targetRecall: 0.9, k: 5, index: 'e_items_both_hsnw' }), 'UNKNOWN_INDEX', '"e_items_both_hsnw"', `"e_items_both_hnsw" (hnsw 'l2'), "e_items_both_ivf" (ivfflat 'l2')`);
    await rejected((db) => measureRecall(db, small.embedding, { k: 5, index: 'e_items_both_ivf' }), 'UNKNOWN_INDEX', 'not a vector index declared on this target', `"e_items_hnsw" (hnsw 'l2')`);
    await rejected((db) => measureRecall(db, small.plain, { k: 5, index: 'e_items_hnsw' }), 'UNKNOWN_INDEX', 'Declared on "e_items"."plain": none. Declare one');
    await rejected((db) => measureRecall(db, small.both, { k: 5, index: 42 as never }), 'UNKNOWN_INDEX', 'index number 42');
    await rejected((db) => tuneSearch(db, small.both, { targetRecall: 0.9, k: 5, index: 'e_items_both_ivf', metric: 'cosine' }), 'INVALID_TUNING_OPTION', "an ivfflat index for 'l2'", "metric 'cosine'");
  });

  it('an empty table cannot be sampled (an error after the read-only sample, nothing changed)', async () => {
    const error = await expectCodeAsync(
      () => database.db.transaction(async (tx) => {
        await tx.execute(sql.raw('delete from e_items'));
        return tuneSearch(tx, small.embedding, { targetRecall: 0.9, k: 3 });
      }),
      'INVALID_TUNING_OPTION',
    );
    expect(error.message).toContain('has 0 row(s)');
    expect(await database.query<{ n: number }>('select count(*)::int as n from e_items')).toEqual([{ n: 60 }]);
  });

  it('a valid call goes through the same guard (the guard itself lets SQL pass)', async () => {
    const recording = recordSql(database.db);
    const result = await tuneSearch(recording.db, small.embedding, { targetRecall: 0.5, k: 3, sampleSize: 10 });
    expect(recording.sent.length).toBeGreaterThan(0);
    expect(result.met).toBe(true);
    const [row] = await database.query<{ s: string }>(`select current_setting('enable_seqscan') as s`);
    expect(row!.s).toBe('on');
    expect(await database.db.execute(sql`select 1`)).toBeDefined();
  });
});
