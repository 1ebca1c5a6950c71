import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { asHalfvec, asVector, binaryQuantize, hnswIndex, ivfflatIndex, subvector, tuneSearch, vector, type PgVectorErrorCode } from '../../src/index.js';
import { rejectedBeforeSql } from '../helpers.js';
import { clustered, load } from './data.js';

const DIMS = 8;
const items = pgTable(
  'e_rerank',
  {
    id: integer('id').primaryKey(),
    embedding: vector('embedding', { dimensions: DIMS }).notNull(),
    other: vector('other', { dimensions: DIMS }).notNull(),
  },
  (t) => [
    hnswIndex('e_rerank_bq').on(binaryQuantize(t.embedding), 'hamming'),
    hnswIndex('e_rerank_half').on(asHalfvec(t.embedding), 'cosine'),
    hnswIndex('e_rerank_sub_hnsw').on(subvector(t.embedding, 1, 4), 'cosine'),
    ivfflatIndex('e_rerank_sub_ivf').on(subvector(t.embedding, 1, 4), 'cosine').with({ lists: 2 }),
    hnswIndex('e_rerank_other_bq').on(binaryQuantize(t.other), 'hamming'),
  ],
);

const data = clustered({ dims: DIMS, clusters: 4, spread: 1, seed: 9 });
let database: PgVectorTestDatabase;


beforeAll(async () => {
  database = await startTestDatabase();
  await load(
    database,
    items,
    'e_rerank',
    data.points(40).map((embedding, id) => ({ id, embedding, other: embedding })),
  );
}, 120_000);

afterAll(async () => {
  await database?.query('drop table if exists e_rerank').catch(() => undefined);
  await database?.close();
});

const rejected = (run: (db: PgVectorDrizzleDatabase) => Promise<unknown>, code: PgVectorErrorCode, ...fragments: string[]) =>
  rejectedBeforeSql(database.db, run, code, ...fragments);

const base = { targetRecall: 0.9, k: 10, metric: 'cosine' } as const;

describe('tuneSearch rerank: bad input is rejected with a code before any SQL', () => {
  it('the rerank object: shape and unknown keys (with a suggestion)', async () => {
    const via = binaryQuantize(items.embedding);
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: 'bq' as never }), 'INVALID_TUNING_OPTION', 'rerank must be an object', 'string "bq"');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: via as never }), 'INVALID_TUNING_OPTION', 'rerank: { via: binaryQuantize(…) }');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { vai: via } as never }), 'INVALID_TUNING_OPTION', "tuneSearch(…).rerank: unknown option 'vai'", "Did you mean 'via'?");
    await rejected(
      (db) => tuneSearch(db, items.embedding, { ...base, rerank: { via, candidates: 200 } as never }),
      'INVALID_TUNING_OPTION',
      'tuneSearch chooses rerank.candidates',
      'candidates: [',
    );
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: {} as never }), 'INVALID_TUNING_OPTION', 'rerank.via must be an expression target on "e_rerank"."embedding"', 'got undefined');
  });

  it('via must be binaryQuantize / asHalfvec / subvector of the tuned column, and the target the column itself', async () => {
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: items.embedding as never } }), 'INVALID_TUNING_OPTION', 'rerank.via must be an expression target', 'binaryQuantize("e_rerank"."embedding")');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: asVector(items.embedding) } }), 'INVALID_TUNING_OPTION', 'got asVector("e_rerank"."embedding", 8)');
    await rejected(
      (db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: binaryQuantize(items.other) } }),
      'INVALID_TUNING_OPTION',
      'rerank.via binaryQuantize("e_rerank"."other", 8) is not on the tuned column "e_rerank"."embedding"',
    );
    await rejected(
      (db) => tuneSearch(db, asHalfvec(items.embedding), { ...base, rerank: { via: binaryQuantize(items.embedding) } }),
      'INVALID_TUNING_OPTION',
      'with rerank, tune the column itself',
    );
  });

  it('metric: required for a binary via when the column has no index of its own', async () => {
    await rejected((db) => tuneSearch(db, items.embedding, { targetRecall: 0.9, k: 10, rerank: { via: binaryQuantize(items.embedding) } }), 'METRIC_REQUIRED', 'pass metric', 're-ranked by');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, metric: 'dot' as never, rerank: { via: binaryQuantize(items.embedding) } }), 'UNSUPPORTED_METRIC', "'dot'");
  });

  it('the via index: none, two, an unknown name', async () => {
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: subvector(items.embedding, 1, 2) } }), 'NO_TUNABLE_INDEX', 'subvector("e_rerank"."embedding", 1, 2)', 'no HNSW or IVFFlat index');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: asHalfvec(items.embedding) }, metric: 'l2' }), 'NO_TUNABLE_INDEX', "with 'l2'");
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via: subvector(items.embedding, 1, 4) } }), 'NO_TUNABLE_INDEX', 'e_rerank_sub_hnsw', 'e_rerank_sub_ivf', 'Pass index:');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, index: 'e_rerank_half', rerank: { via: binaryQuantize(items.embedding) } }), 'UNKNOWN_INDEX', '"e_rerank_half"', '"e_rerank_bq" (hnsw \'hamming\')');
  });

  it('candidates: counts from the rows fetched per query to the via index’s limit', async () => {
    const via = binaryQuantize(items.embedding);
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via }, candidates: [5, 40] }), 'INVALID_TUNING_OPTION', 'candidates[0] must be an integer rerank candidate count from 11 to 1000');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via }, candidates: [40, 2000] }), 'INVALID_TUNING_OPTION', 'candidates[1]', 'hnsw.ef_search ≤ 1000');
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, rerank: { via }, candidates: [80, 40] }), 'INVALID_TUNING_OPTION', 'ascending');
    await rejected(
      (db) => tuneSearch(db, items.embedding, { ...base, index: 'e_rerank_sub_ivf', rerank: { via: subvector(items.embedding, 1, 4) }, candidates: [20_000] }),
      'INVALID_TUNING_OPTION',
      'from 11 to 10000',
    );
    await rejected((db) => tuneSearch(db, items.embedding, { ...base, k: 1000, rerank: { via } }), 'INVALID_TUNING_OPTION', 'lower k');
  });
});
