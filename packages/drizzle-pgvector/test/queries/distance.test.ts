import { sql, type SQL } from 'drizzle-orm';
import { PgDialect, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import {
  asHalfvec,
  binaryQuantize,
  bit,
  cosineDistance,
  cosineSimilarity,
  distance,
  hammingDistance,
  hnswIndex,
  innerProduct,
  innerProductSimilarity,
  jaccardDistance,
  l1Distance,
  l2Distance,
  maxInnerProduct,
  SparseVector,
  sparsevec,
  vector,
} from '../../src/index.js';
import { expectCode } from '../helpers.js';
import { cosine, ddl, l2, rawRows } from './fixtures.js';

const things = pgTable(
  'q_things',
  {
    id: serial('id').primaryKey(),
    name: text('name'),
    n: integer('n'),
    embedding: vector('embedding', { dimensions: 3 }),
    sparse: sparsevec('sparse', { dimensions: 4 }),
    code: bit('code', { dimensions: 4 }),
  },
  (t) => [hnswIndex('q_things_embedding_cosine').on(t.embedding, 'cosine'), hnswIndex('q_things_embedding_bq').on(binaryQuantize(t.embedding, 3), 'hamming')],
);

const dialect = new PgDialect();
const compile = (expression: SQL) => dialect.sqlToQuery(expression);

describe('distance expressions compile to the indexed operator with one cast parameter', () => {
  const q = [1, 2, 3];
  it.each<[string, SQL, string]>([
    ['l2Distance', l2Distance(things.embedding, q), '("q_things"."embedding" <-> $1::vector(3))'],
    ['cosineDistance', cosineDistance(things.embedding, q), '("q_things"."embedding" <=> $1::vector(3))'],
    ['maxInnerProduct', maxInnerProduct(things.embedding, q), '("q_things"."embedding" <#> $1::vector(3))'],
    ['innerProduct (drizzle-orm\'s <#>)', innerProduct(things.embedding, q), '("q_things"."embedding" <#> $1::vector(3))'],
    ['innerProductSimilarity', innerProductSimilarity(things.embedding, q), '(("q_things"."embedding" <#> $1::vector(3)) * -1)'],
    ['cosineSimilarity', cosineSimilarity(things.embedding, q), '(1 - ("q_things"."embedding" <=> $1::vector(3)))'],
    ['l1Distance', l1Distance(things.embedding, q), '("q_things"."embedding" <+> $1::vector(3))'],
    ['distance(cosine)', distance(things.embedding, q, 'cosine'), '("q_things"."embedding" <=> $1::vector(3))'],
    ['asHalfvec', cosineDistance(asHalfvec(things.embedding, 3), q), '(("q_things"."embedding"::halfvec(3)) <=> $1::halfvec(3))'],
    [
      'binaryQuantize',
      hammingDistance(binaryQuantize(things.embedding, 3), [1, -2, 3]),
      '((binary_quantize("q_things"."embedding")::bit(3)) <~> binary_quantize($1::vector(3))::bit(3))',
    ],
  ])('%s', (_name, expression, expected) => {
    const { sql: text, params } = compile(expression);
    expect(text).toBe(expected);
    expect(params).toHaveLength(1);
  });

  it('binds the validated pgvector text once: vector, sparsevec and bit', () => {
    expect(compile(l2Distance(things.embedding, new Float32Array([1, 0.5, -2]))).params).toEqual(['[1,0.5,-2]']);
    const sparse = compile(l2Distance(things.sparse, new SparseVector(4, [0, 3], [1.5, 2])));
    // (0.45's compiled query also has per-parameter `typings`; 1.0's has none.)
    expect({ sql: sparse.sql, params: sparse.params }).toEqual({ sql: '("q_things"."sparse" <-> $1::sparsevec(4))', params: ['{1:1.5,4:2}/4'] });
    const code = compile(jaccardDistance(things.code, '0101'));
    expect(code.sql).toBe('("q_things"."code" <%> $1::bit(4))');
    expect(code.params).toEqual(['0101']);
  });

  it("reads pgvector's text forms as the query, validated and re-encoded like arrays", () => {
    expect(compile(l2Distance(things.embedding, ' [ 1, .5 ,-2e0 ] ')).params).toEqual(['[1,0.5,-2]']);
    expect(compile(l2Distance(asHalfvec(things.embedding, 3), '[1,0.5,-2]')).params).toEqual(['[1,0.5,-2]']);
    expect(compile(hammingDistance(binaryQuantize(things.embedding, 3), '[1,-2,3]')).params).toEqual(['[1,-2,3]']);
    expect(compile(l2Distance(things.sparse, '{4:2,1:1.5}/4')).params).toEqual(['{1:1.5,4:2}/4']);
  });

  it('is typed SQL<number> and maps driver strings to numbers', () => {
    const d = cosineDistance(things.embedding, [1, 2, 3]);
    expectTypeOf(d).toEqualTypeOf<SQL<number>>();
    const decoder = (d as unknown as { decoder: { mapFromDriverValue(v: unknown): unknown } }).decoder;
    expect(decoder.mapFromDriverValue('0.25')).toBe(0.25);
  });

  it('takes SQL or a column as the query side, cast to the target type', () => {
    const sub = compile(l2Distance(things.embedding, sql`(select ${things.embedding} from ${things} where ${things.id} = ${1})`));
    expect(sub.sql).toBe('("q_things"."embedding" <-> (select "q_things"."embedding" from "q_things" where "q_things"."id" = $1)::vector(3))');
  });
});

describe('distance expressions validate before building SQL', () => {
  it.each<[string, () => unknown, string, RegExp]>([
    ['wrong dimensions', () => l2Distance(things.embedding, [1, 2]), 'DIMENSION_MISMATCH', /query vector for "q_things"."embedding": expected 3 dimensions, got 2/],
    ['NaN', () => cosineDistance(things.embedding, [1, NaN, 3]), 'NON_FINITE_VALUE', /element 1 is NaN/],
    ['Infinity', () => cosineDistance(things.embedding, [1, 2, Infinity]), 'NON_FINITE_VALUE', /element 2 is Infinity/],
    ['empty', () => cosineDistance(things.embedding, []), 'EMPTY_VECTOR', /empty vector/],
    ['text that is not a vector', () => l2Distance(things.embedding, '1,2,3'), 'INVALID_VECTOR_VALUE', /cannot read "1,2,3" as vector text/],
    ['text with a bad element', () => l2Distance(things.embedding, '[1,x,3]'), 'INVALID_VECTOR_VALUE', /element 1 of "\[1,x,3\]" is "x", not a number/],
    ['text of the wrong dimensions', () => l2Distance(things.embedding, '[1,2]'), 'DIMENSION_MISMATCH', /expected 3 dimensions, got 2/],
    ['text with NaN', () => l2Distance(things.embedding, '[1,NaN,3]'), 'NON_FINITE_VALUE', /element 1 is NaN/],
    ['sparse text of the wrong dimensions', () => l2Distance(things.sparse, '{1:1}/5'), 'DIMENSION_MISMATCH', /expected 4 dimensions/],
    ['sparse text with a 0 index', () => l2Distance(things.sparse, '{0:1}/4'), 'INVALID_SPARSE_VECTOR', /index 0 .* out of range 1\.\.4/],
    ['an array for a bit column', () => hammingDistance(things.code, [1, 0, 1, 0] as unknown as string), 'INVALID_BIT_STRING', /expected a string of 0 and 1/],
    ['wrong bit length', () => hammingDistance(things.code, '01'), 'INVALID_BIT_STRING', /has 2 bits, expected 4/],
    ['a dense array for a sparsevec column', () => l2Distance(things.sparse, [1, 2, 3, 4]), 'INVALID_SPARSE_VECTOR', /expected a SparseVector/],
    ['L2 on bit', () => l2Distance(things.code, '0101'), 'UNSUPPORTED_METRIC', /no Euclidean \(L2\) distance for bit\. bit supports 'hamming', 'jaccard'/],
    ['Hamming on vector', () => hammingDistance(things.embedding, [1, 2, 3]), 'UNSUPPORTED_METRIC', /use binaryQuantize\(column, n\)/],
    ['jaccard on sparsevec', () => distance(things.sparse, new SparseVector(4, [0], [1]), 'jaccard'), 'UNSUPPORTED_METRIC', /sparsevec supports 'l2', 'innerProduct', 'cosine', 'l1'/],
    ['unknown metric', () => distance(things.embedding, [1, 2, 3], 'dot' as never), 'UNSUPPORTED_METRIC', /unknown metric "dot"/],
    ['not a vector column', () => l2Distance(things.name as never, [1, 2, 3]), 'INVALID_TARGET', /not a pgvector column/],
  ])('%s', (_name, fn, code, message) => {
    expect(expectCode(fn, code as never).message).toMatch(message);
  });
});

describe('distance expressions on a real pgvector', () => {
  let database: PgVectorTestDatabase;
  let db: PgVectorDrizzleDatabase;
  const rows = [
    { id: 1, embedding: [1, 0, 0], sparse: '{1:1}/4', code: '1100' },
    { id: 2, embedding: [0.5, 0.5, 0], sparse: '{2:1,4:2}/4', code: '1010' },
    { id: 3, embedding: [-1, 2, 0.5], sparse: '{3:3}/4', code: '0001' },
    { id: 4, embedding: [0.9, 0.1, 0.2], sparse: '{1:2,2:1}/4', code: '1110' },
  ];

  beforeAll(async () => {
    database = await startTestDatabase();
    db = database.db;
    const { tables, indexes } = await ddl(things);
    await database.query('drop table if exists q_things');
    for (const s of [...tables, ...indexes]) await database.query(s);
    for (const r of rows) {
      await database.query(`insert into q_things (id, name, n, embedding, sparse, code) values ($1, $2, $3, $4, $5, $6)`, [
        r.id,
        `t${r.id}`,
        r.id,
        JSON.stringify(r.embedding),
        r.sparse,
        r.code,
      ]);
    }
  });
  afterAll(async () => {
    await database?.query('drop table if exists q_things').catch(() => undefined);
    await database?.close();
  });

  it('computes the same values as the definitions (L2, cosine, inner product, L1, Hamming, Jaccard)', async () => {
    const q = [1, 2, 3];
    const result = await db
      .select({
        id: things.id,
        l2: l2Distance(things.embedding, q),
        cos: cosineDistance(things.embedding, q),
        sim: cosineSimilarity(things.embedding, q),
        negIp: maxInnerProduct(things.embedding, q),
        negIpDrizzle: innerProduct(things.embedding, q),
        ip: innerProductSimilarity(things.embedding, q),
        l1: l1Distance(things.embedding, q),
        ham: hammingDistance(things.code, '1000'),
        jac: jaccardDistance(things.code, '1000'),
      })
      .from(things)
      .orderBy(things.id);
    expect(result).toHaveLength(rows.length);
    for (const [i, r] of result.entries()) {
      const v = rows[i]!.embedding;
      const dot = v.reduce((s, x, j) => s + x * q[j]!, 0);
      const bits = rows[i]!.code;
      const ones = (s: string) => [...s].filter((c) => c === '1').length;
      const both = [...bits].filter((c, j) => c === '1' && '1000'[j] === '1').length;
      expect(r.l2).toBeCloseTo(l2(v, q), 5);
      expect(r.cos).toBeCloseTo(cosine(v, q), 5);
      expect(r.sim).toBeCloseTo(1 - cosine(v, q), 5);
      expect(r.negIp).toBeCloseTo(-dot, 5);
      expect(r.negIpDrizzle).toBeCloseTo(-dot, 5);
      expect(r.ip).toBeCloseTo(dot, 5);
      expect(r.l1).toBeCloseTo(v.reduce((s, x, j) => s + Math.abs(x - q[j]!), 0), 5);
      expect(r.ham).toBe([...bits].filter((c, j) => c !== '1000'[j]).length);
      expect(r.jac).toBeCloseTo(1 - both / (ones(bits) + 1 - both), 5);
      expect(typeof r.l2).toBe('number');
    }
  });

  it('composes with the query builder: ORDER BY … LIMIT is an index scan, rows in distance order', async () => {
    const q = [1, 0.1, 0.1];
    const query = db.select({ id: things.id }).from(things).orderBy(cosineDistance(things.embedding, q)).limit(2);
    const expected = [...rows].sort((a, b) => cosine(a.embedding, q) - cosine(b.embedding, q)).map((r) => r.id);
    expect((await query).map((r) => r.id)).toEqual(expected.slice(0, 2));
    const { sql: text, params } = query.toSQL();
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql.raw('set local enable_seqscan = off'));
      return (await rawRows(tx as unknown as PgVectorDrizzleDatabase, `explain ${text}`, params)).map((r) => String(r[0])).join('\n');
    });
    expect(plan).toMatch(/Index Scan using q_things_embedding_cosine on q_things/);

    const bq = db.select({ id: things.id }).from(things).orderBy(hammingDistance(binaryQuantize(things.embedding, 3), q)).limit(2);
    const bqSql = bq.toSQL();
    const bqPlan = await db.transaction(async (tx) => {
      await tx.execute(sql.raw('set local enable_seqscan = off'));
      return (await rawRows(tx as unknown as PgVectorDrizzleDatabase, `explain ${bqSql.sql}`, bqSql.params)).map((r) => String(r[0])).join('\n');
    });
    expect(bqPlan).toMatch(/Index Scan using q_things_embedding_bq on q_things/);
  });

  it('runs with a sparse query and with a sub-select as the query', async () => {
    const sparse = await db
      .select({ id: things.id, d: l2Distance(things.sparse, new SparseVector(4, [0], [1])) })
      .from(things)
      .orderBy(things.id);
    expect(sparse.map((r) => r.d)).toEqual([0, Math.sqrt(1 + 1 + 4), Math.sqrt(1 + 9), Math.sqrt(1 + 1)].map((x) => expect.closeTo(x, 5)));
    const sub = await db
      .select({ id: things.id, d: l2Distance(things.embedding, sql`(select ${things.embedding} from ${things} where ${things.id} = ${1})`) })
      .from(things)
      .orderBy(things.id);
    expect(sub[0]!.d).toBe(0);
    expect(sub[1]!.d).toBeCloseTo(l2(rows[1]!.embedding, rows[0]!.embedding), 5);
  });
});
