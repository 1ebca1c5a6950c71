import { sql } from 'drizzle-orm';
import { index, integer, pgTable, serial, text, vector as drizzleVector } from 'drizzle-orm/pg-core';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { generateDrizzleJson, generateMigration } from '../drizzle-kit-api.js';
import { drizzleLine } from '../../src/internal.js';
import { onKitLine } from '../../../../test/helpers/drizzle-kit.js';

/** The parts of drizzle-kit's snapshot read here: 0.31 (`tables`) and 1.0 (`ddl` entries). */
interface KitSnapshot {
  tables?: Record<string, { indexes: Record<string, { with: unknown }> }>;
  ddl?: { entityType: string; name: string; with?: unknown }[];
}
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import {
  asHalfvec,
  asVector,
  binaryQuantize,
  bit,
  declaredVectorIndexes,
  halfvec,
  hnswIndex,
  ivfflatIndex,
  sparsevec,
  subvector,
  vector,
  VectorIndexBuilder,
} from '../../src/index.js';
import { expectCode, serverError } from '../helpers.js';

const cols = {
  id: serial('id').primaryKey(),
  lang: text('lang'),
  embedding: vector('embedding', { dimensions: 3 }),
  anyDims: vector('any_dims'),
  big: vector('big', { dimensions: 3072 }),
  huge: vector('huge', { dimensions: 5000 }),
  half: halfvec('half', { dimensions: 4 }),
  sparse: sparsevec('sparse', { dimensions: 10 }),
  code: bit('code', { dimensions: 8 }),
  one: vector('one', { dimensions: 1 }),
  n: integer('n'),
};

/** Build a one-index table and return the validation error (if any) the extra config throws. */
function define(build: (t: Record<string, any>) => unknown) {
  const table = pgTable('v', cols, (t) => [build(t) as never]);
  return () => getTableConfig(table);
}

async function ddl(table: PgTable): Promise<string[]> {
  return generateMigration(generateDrizzleJson({}), generateDrizzleJson({ table }));
}

describe('index builders produce real Drizzle indexes and the right DDL', () => {
  const items = pgTable('items', cols, (t) => [
    hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 }),
    ivfflatIndex('items_embedding_ivf').on(t.embedding, 'l2').with({ lists: 100 }),
    hnswIndex('items_en').on(t.embedding, 'innerProduct').where(sql`${t.lang} = 'en'`),
    hnswIndex('items_big_half').on(asHalfvec(t.big, 3072), 'cosine'),
    hnswIndex('items_any_1536').on(asVector(t.anyDims, 1536), 'l2'),
    hnswIndex('items_any_3_en').on(asVector(t.anyDims, 3), 'l1').where(sql`${t.lang} = 'en'`),
    hnswIndex('items_bq').on(binaryQuantize(t.huge, 5000), 'hamming'),
    hnswIndex('items_sub').on(subvector(t.big, 1, 512), 'cosine').concurrently(),
    hnswIndex('items_sparse').on(t.sparse, 'innerProduct'),
    ivfflatIndex('items_code_ivf').on(t.code, 'hamming').with({ lists: 2 }),
    hnswIndex('items_code').on(t.code, 'jaccard'),
    hnswIndex('items_half_l1').on(t.half, 'l1'),
  ]);

  it('drizzle-kit generates the expected statements', async () => {
    const statements = (await ddl(items)).slice(1);
    expect(statements).toEqual(onKitLine([
      'CREATE INDEX "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);',
      'CREATE INDEX "items_embedding_ivf" ON "items" USING ivfflat ("embedding" vector_l2_ops) WITH (lists=100);',
      `CREATE INDEX "items_en" ON "items" USING hnsw ("embedding" vector_ip_ops) WHERE "items"."lang" = 'en';`,
      'CREATE INDEX "items_big_half" ON "items" USING hnsw (("big"::halfvec(3072)) halfvec_cosine_ops);',
      'CREATE INDEX "items_any_1536" ON "items" USING hnsw (("any_dims"::vector(1536)) vector_l2_ops) WHERE vector_dims("items"."any_dims") = 1536;',
      `CREATE INDEX "items_any_3_en" ON "items" USING hnsw (("any_dims"::vector(3)) vector_l1_ops) WHERE ("items"."lang" = 'en') and vector_dims("items"."any_dims") = 3;`,
      'CREATE INDEX "items_bq" ON "items" USING hnsw ((binary_quantize("huge")::bit(5000)) bit_hamming_ops);',
      'CREATE INDEX CONCURRENTLY "items_sub" ON "items" USING hnsw ((subvector("big", 1, 512)::vector(512)) vector_cosine_ops);',
      'CREATE INDEX "items_sparse" ON "items" USING hnsw ("sparse" sparsevec_ip_ops);',
      'CREATE INDEX "items_code_ivf" ON "items" USING ivfflat ("code" bit_hamming_ops) WITH (lists=2);',
      'CREATE INDEX "items_code" ON "items" USING hnsw ("code" bit_jaccard_ops);',
      'CREATE INDEX "items_half_l1" ON "items" USING hnsw ("half" halfvec_l1_ops);',
    ]));
  });

  it('metadata (method, target, metric, options) is readable back from the table', () => {
    const infos = declaredVectorIndexes(items);
    expect(infos.map((i) => [i.name, i.method, i.metric, i.target.kind, i.target.sqlType, i.operatorClass.opclass])).toEqual([
      ['items_embedding_hnsw', 'hnsw', 'cosine', 'column', 'vector(3)', 'vector_cosine_ops'],
      ['items_embedding_ivf', 'ivfflat', 'l2', 'column', 'vector(3)', 'vector_l2_ops'],
      ['items_en', 'hnsw', 'innerProduct', 'column', 'vector(3)', 'vector_ip_ops'],
      ['items_big_half', 'hnsw', 'cosine', 'asHalfvec', 'halfvec(3072)', 'halfvec_cosine_ops'],
      ['items_any_1536', 'hnsw', 'l2', 'asVector', 'vector(1536)', 'vector_l2_ops'],
      ['items_any_3_en', 'hnsw', 'l1', 'asVector', 'vector(3)', 'vector_l1_ops'],
      ['items_bq', 'hnsw', 'hamming', 'binaryQuantize', 'bit(5000)', 'bit_hamming_ops'],
      ['items_sub', 'hnsw', 'cosine', 'subvector', 'vector(512)', 'vector_cosine_ops'],
      ['items_sparse', 'hnsw', 'innerProduct', 'column', 'sparsevec(10)', 'sparsevec_ip_ops'],
      ['items_code_ivf', 'ivfflat', 'hamming', 'column', 'bit(8)', 'bit_hamming_ops'],
      ['items_code', 'hnsw', 'jaccard', 'column', 'bit(8)', 'bit_jaccard_ops'],
      ['items_half_l1', 'hnsw', 'l1', 'column', 'halfvec(4)', 'halfvec_l1_ops'],
    ]);
    expect(infos[0]!.options).toEqual({ m: 16, efConstruction: 64 });
    expect(infos[1]!.options).toEqual({ lists: 100 });
    expect(infos[7]!.concurrently).toBe(true);
    expect(infos[4]!.predicate).toBeDefined();
    expect(infos[0]!.predicate).toBeUndefined();
    expect(infos.every((i) => i.declared)).toBe(true);
    // the target of a query on items.embedding matches the index target
    expect(infos[0]!.target.key).toBe('items.embedding|column|vector|3|');
  });

  it('plain drizzle hnsw/ivfflat indexes are read back too', () => {
    const plain = pgTable('plain', { id: serial('id'), e: drizzleVector('e', { dimensions: 3 }) }, (t) => [
      index('plain_e').using('hnsw', t.e.op('vector_l2_ops')).with({ m: 8 }),
      index('plain_btree').on(t.id),
    ]);
    const infos = declaredVectorIndexes(plain);
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ name: 'plain_e', method: 'hnsw', metric: 'l2', declared: false, options: { m: 8 } });
  });

  it('switching a plain drizzle index to hnswIndex generates an empty migration', async () => {
    const before = pgTable('sw', { id: serial('id'), e: drizzleVector('e', { dimensions: 3 }) }, (t) => [
      index('sw_e').using('hnsw', t.e.op('vector_cosine_ops')),
    ]);
    const after = pgTable('sw', { id: serial('id'), e: vector('e', { dimensions: 3 }) }, (t) => [hnswIndex('sw_e').on(t.e, 'cosine')]);
    expect(await generateMigration(generateDrizzleJson({ before }), generateDrizzleJson({ after }))).toEqual([]);
  });

  it('WITH values are strings, as the catalog reports them (numeric ones recreate the index once on a switch)', async () => {
    const after = pgTable('sw', { id: serial('id'), e: vector('e', { dimensions: 3 }) }, (t) => [
      hnswIndex('sw_e').on(t.e, 'cosine').with({ m: 16 }),
    ]);
    const snapshot = (await generateDrizzleJson({ after })) as KitSnapshot;
    const numeric = pgTable('sw', { id: serial('id'), e: drizzleVector('e', { dimensions: 3 }) }, (t) => [
      index('sw_e').using('hnsw', t.e.op('vector_cosine_ops')).with({ m: 16 }),
    ]);
    const statements = await generateMigration(generateDrizzleJson({ numeric }), generateDrizzleJson({ after }));
    if (drizzleLine === '1') {
      // drizzle-kit 1.0 keeps WITH as one `k=v` string (as it introspects reloptions): 16 and '16' read the same.
      expect(snapshot.ddl!.find((e) => e.entityType === 'indexes' && e.name === 'sw_e')!.with).toBe('m=16');
      expect(statements).toEqual([]);
    } else {
      expect(snapshot.tables!['public.sw']!.indexes['sw_e']!.with).toEqual({ m: '16' });
      expect(statements).toEqual([
        'DROP INDEX "sw_e";',
        'CREATE INDEX "sw_e" ON "sw" USING hnsw ("e" vector_cosine_ops) WITH (m=16);',
      ]);
    }
  });

  it('builders are immutable: with/where/concurrently return new builders', () => {
    const t = pgTable('imm', cols).embedding;
    const base = hnswIndex('imm_e').on(t, 'cosine');
    const tuned = base.with({ m: 8 });
    const partial = tuned.where(sql`true`);
    const conc = partial.concurrently();
    expect(tuned).not.toBe(base);
    expect(base.info.options).toEqual({});
    expect(tuned.info.options).toEqual({ m: 8 });
    expect(tuned.info.where).toBeUndefined();
    expect(partial.info.where).toBeDefined();
    expect(partial.info.concurrently).toBe(false);
    expect(conc.info.concurrently).toBe(true);
    expect(conc).toBeInstanceOf(VectorIndexBuilder);
    expect(Object.isFrozen(base.info)).toBe(true);
    // options merge across calls
    expect(tuned.with({ efConstruction: 100 }).info.options).toEqual({ m: 8, efConstruction: 100 });
  });
});

describe('validation at definition time', () => {
  it('HNSW options: m 2..100, efConstruction 4..1000 and >= 2*m, integers only', () => {
    expect(expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 1 })), 'INVALID_INDEX_OPTION').message).toMatch(
      /m must be an integer from 2 to 100.*got 1/,
    );
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 101 })), 'INVALID_INDEX_OPTION');
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 16.5 })), 'INVALID_INDEX_OPTION');
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: '16' as never })), 'INVALID_INDEX_OPTION');
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ efConstruction: 3 })), 'INVALID_INDEX_OPTION');
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ efConstruction: 1001 })), 'INVALID_INDEX_OPTION');
    const e = expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 16, efConstruction: 31 })), 'INVALID_INDEX_OPTION');
    expect(e.message).toMatch(/efConstruction \(31\) must be at least 2 \* m = 32/);
    // the default efConstruction (64) counts too
    expect(expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 40 })), 'INVALID_INDEX_OPTION').message).toMatch(
      /64, the default.*at least 2 \* m = 80/,
    );
    expect(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ m: 16, efConstruction: 32 }))()).toBeDefined();
  });

  it('IVFFlat lists 1..32768; options of the other method are rejected by name', () => {
    expectCode(define((t) => ivfflatIndex('i').on(t.embedding, 'l2').with({ lists: 0 })), 'INVALID_INDEX_OPTION');
    expectCode(define((t) => ivfflatIndex('i').on(t.embedding, 'l2').with({ lists: 32769 })), 'INVALID_INDEX_OPTION');
    expect(
      expectCode(define((t) => ivfflatIndex('i').on(t.embedding, 'l2').with({ m: 16 } as never)), 'INVALID_INDEX_OPTION').message,
    ).toMatch(/'m' is an HNSW option; IVFFlat takes lists/);
    expect(
      expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ lists: 10 } as never)), 'INVALID_INDEX_OPTION').message,
    ).toMatch(/'lists' is an IVFFlat option; HNSW takes m, efConstruction/);
    expect(
      expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').with({ ef_construction: 10 } as never)), 'INVALID_INDEX_OPTION').message,
    ).toMatch(/use 'efConstruction' instead of 'ef_construction'/);
  });

  it('metric × type × method compatibility', () => {
    expect(expectCode(define((t) => ivfflatIndex('i').on(t.sparse, 'l2')), 'UNSUPPORTED_METRIC').message).toMatch(/IVFFlat cannot index sparsevec/);
    expect(expectCode(define((t) => ivfflatIndex('i').on(t.embedding, 'l1')), 'UNSUPPORTED_METRIC').message).toMatch(/Use hnswIndex/);
    expectCode(define((t) => ivfflatIndex('i').on(t.code, 'jaccard')), 'UNSUPPORTED_METRIC');
    expect(expectCode(define((t) => hnswIndex('i').on(t.embedding, 'hamming')), 'UNSUPPORTED_METRIC').message).toMatch(/binaryQuantize/);
    expectCode(define((t) => hnswIndex('i').on(t.code, 'cosine')), 'UNSUPPORTED_METRIC');
    expectCode(define((t) => hnswIndex('i').on(t.sparse, 'jaccard')), 'UNSUPPORTED_METRIC');
    expectCode(define((t) => hnswIndex('i').on(t.embedding, 'dot' as never)), 'UNSUPPORTED_METRIC');
    expect(expectCode(define((t) => ivfflatIndex('i').on(t.one, 'cosine')), 'INDEX_DIMENSIONS_TOO_FEW').message).toMatch(/needs at least 2 dimensions/);
    expect(define((t) => ivfflatIndex('i').on(t.one, 'l2'))()).toBeDefined();
  });

  it('dimension limits per type and method, with advice', () => {
    const big = expectCode(define((t) => hnswIndex('i').on(t.big, 'cosine')), 'INDEX_DIMENSIONS_EXCEEDED');
    expect(big.message).toMatch(/HNSW indexes vector up to 2000/);
    expect(big.message).toMatch(/asHalfvec\(t\.big, 3072\)/);
    const huge = expectCode(define((t) => ivfflatIndex('i').on(t.huge, 'l2')), 'INDEX_DIMENSIONS_EXCEEDED');
    expect(huge.message).toMatch(/binaryQuantize\(t\.huge, 5000\)/);
    const halfHuge = expectCode(define((t) => hnswIndex('i').on(asHalfvec(t.huge), 'l2')), 'INDEX_DIMENSIONS_EXCEEDED');
    // Past halfvec's limit only binary quantization (or a subvector) is left: the advice does not offer halfvec again.
    expect(halfHuge.message).toMatch(/Index binaryQuantize\(t\.huge, 5000\) with 'hamming' and re-rank with the full vectors \(bit up to 64000\), or subvector\(t\.huge, 1, n\) with n ≤ 4000/);
    expect(halfHuge.message).not.toMatch(/Index asHalfvec/);
    expect(define((t) => hnswIndex('i').on(asHalfvec(t.big), 'l2'))()).toBeDefined();
  });

  it('a column without fixed dimensions needs asVector(col, n)', () => {
    const e = expectCode(define((t) => hnswIndex('i').on(t.anyDims, 'l2')), 'COLUMN_HAS_NO_DIMENSIONS');
    expect(e.message).toMatch(/asVector\(t\.any_dims, 1536\)/);
    expectCode(() => asHalfvec(pgTable('x', cols).anyDims), 'COLUMN_HAS_NO_DIMENSIONS');
  });

  it('targets validate their arguments', () => {
    const t = pgTable('x', cols);
    expectCode(() => asVector(t.embedding, 4), 'DIMENSION_MISMATCH');
    expectCode(() => asVector(t.anyDims, 0), 'INVALID_TARGET');
    expectCode(() => asVector(t.anyDims, 16001), 'INVALID_TARGET');
    expectCode(() => subvector(t.big, 0, 10), 'INVALID_TARGET');
    expectCode(() => subvector(t.big, 3000, 100), 'INVALID_TARGET');
    expectCode(() => binaryQuantize(t.code), 'INVALID_TARGET');
    expectCode(() => asVector(t.lang as never, 3), 'INVALID_TARGET');
    expectCode(() => hnswIndex('i').on(t.n as never, 'l2'), 'INVALID_TARGET');
  });

  it('index names and predicates', () => {
    expectCode(() => hnswIndex(''), 'INVALID_INDEX_DEFINITION');
    expectCode(() => hnswIndex('x'.repeat(64)), 'INVALID_INDEX_DEFINITION');
    const e = expectCode(define((t) => hnswIndex('i').on(t.embedding, 'l2').where(sql`${t.lang} = ${'en'}`)), 'INVALID_INDEX_DEFINITION');
    expect(e.message).toMatch(/bound parameter/);
    const other = pgTable('other', cols);
    expectCode(define(() => hnswIndex('i').on(other.embedding, 'l2')), 'INVALID_INDEX_DEFINITION');
  });
});

describe('what we reject, pgvector rejects too', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.query(`drop table if exists idx_check`);
    await database.query(`create table idx_check (id serial, e vector(3), a vector, s sparsevec(5), b vector(2001))`);
  });
  afterAll(async () => {
    await database?.query(`drop table if exists idx_check`).catch(() => undefined);
    await database?.close();
  });

  it.each([
    ['using hnsw (e vector_l2_ops) with (m = 1)', /out of bounds for option "m"/],
    ['using hnsw (e vector_l2_ops) with (m = 101)', /out of bounds for option "m"/],
    ['using hnsw (e vector_l2_ops) with (m = 16, ef_construction = 31)', /ef_construction must be greater than or equal to 2 \* m/],
    ['using ivfflat (e vector_l2_ops) with (lists = 32769)', /out of bounds for option "lists"/],
    ['using hnsw (e vector_l2_ops) with (lists = 10)', /unrecognized parameter "lists"/],
    ['using ivfflat (s sparsevec_l2_ops)', /does not exist for access method "ivfflat"/],
    ['using ivfflat (e vector_l1_ops)', /does not exist for access method "ivfflat"/],
    ['using hnsw (a vector_l2_ops)', /column does not have dimensions/],
    ['using hnsw (b vector_l2_ops)', /column cannot have more than 2000 dimensions for hnsw index/],
  ])('CREATE INDEX ... %s fails on the server', async (clause, message) => {
    expect(await serverError(() => database.query(`create index on idx_check ${clause}`))).toMatch(message);
  });

  it('the boundary values we accept are accepted by pgvector', async () => {
    await database.query(`create index idx_ok1 on idx_check using hnsw (e vector_l2_ops) with (m = 100, ef_construction = 1000)`);
    await database.query(`create index idx_ok2 on idx_check using hnsw (e vector_l2_ops) with (m = 16, ef_construction = 32)`);
    await database.query(`create index idx_ok3 on idx_check using ivfflat (e vector_l2_ops) with (lists = 32768)`);
    await database.query(`create index idx_ok4 on idx_check using hnsw ((b::halfvec(2001)) halfvec_l2_ops)`);
    const n = await database.query(`select 1 from pg_indexes where tablename = 'idx_check' and indexname like 'idx_ok%'`);
    expect(n).toHaveLength(4);
  }, 180_000); // four index builds (lists = 32768 among them): ~20 s alone, past 60 s on a loaded machine
});
