import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { pgTable, serial } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import {
  asHalfvec,
  asVector,
  binaryQuantize,
  nearest,
  nearestSql,
  SparseVector,
  subvector,
  vector,
  type NearestOptions,
  type NearestSelection,
  type VectorTargetInput,
} from '../../src/index.js';
import { versionAtLeast } from '../../src/internal.js';
import { expectCodeAsync } from '../helpers.js';
import { cosine, docs, explain, l2, loadDocs, rawRows, runPlan, type DocRow } from './fixtures.js';

type AnyOptions = NearestOptions<NearestSelection | undefined>;

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;
let rows: DocRow[];
let iterative: boolean;

const q = [0.3, -0.2, 0.9];

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  rows = await loadDocs(database);
  const [row] = await database.query<{ extversion: string }>(`select extversion from pg_extension where extname = 'vector'`);
  iterative = versionAtLeast(row!.extversion, '0.8.0');
});

afterAll(async () => {
  await database?.query('drop table if exists q_docs').catch(() => undefined);
  await database?.close();
});

const ORDER_BY = /order by (.+?) limit (\d+)/;

/** nearest's ORDER BY must be the operator expression itself, ascending, identical to the selected distance. */
function checkOrderBy(text: string, k: number): void {
  const m = ORDER_BY.exec(text);
  expect(m, text).not.toBeNull();
  expect(m![2]).toBe(String(k));
  expect(m![1]).not.toMatch(/\bdesc\b|\+ 0|"distance"/i);
  expect(text).toContain(`${m![1]} as "distance"`);
}

describe('every query shape is an index scan of the expected index (EXPLAIN of exactly what nearest runs)', () => {
  const cases: [string, () => VectorTargetInput, unknown, AnyOptions, string][] = [
    ['vector cosine', () => docs.embedding, q, { k: 5, metric: 'cosine' }, 'q_docs_embedding_cosine'],
    ['vector cosine, filtered', () => docs.embedding, q, { k: 5, metric: 'cosine', where: eq(docs.tag, 3), strategy: 'index' }, 'q_docs_embedding_cosine'],
    ['vector inner product, minSimilarity', () => docs.embedding, q, { k: 5, metric: 'innerProduct', minSimilarity: 0.1 }, 'q_docs_embedding_ip'],
    ['vector L1, maxDistance', () => docs.embedding, q, { k: 5, metric: 'l1', maxDistance: 2 }, 'q_docs_embedding_l1'],
    ['vector L2 on IVFFlat', () => docs.embedding, q, { k: 5, metric: 'l2' }, 'q_docs_embedding_l2_ivf'],
    ['vector L2 on IVFFlat, filtered', () => docs.embedding, q, { k: 5, metric: 'l2', where: eq(docs.lang, 'en'), strategy: 'index' }, 'q_docs_embedding_l2_ivf'],
    [
      'relaxed order with a threshold',
      () => docs.embedding,
      q,
      { k: 5, metric: 'cosine', maxDistance: 1, settings: { iterativeScan: 'relaxed_order', efSearch: 100 } },
      'q_docs_embedding_cosine',
    ],
    ['halfvec column', () => docs.half, q, { k: 5 }, 'q_docs_half_l2'],
    ['sparsevec column', () => docs.sparse, new SparseVector(5, [0, 2], [1, 2]), { k: 5 }, 'q_docs_sparse_cosine'],
    ['bit column, Hamming', () => docs.code, '01010101', { k: 5, metric: 'hamming' }, 'q_docs_code_hamming'],
    ['bit column, Jaccard', () => docs.code, '01010101', { k: 5, metric: 'jaccard' }, 'q_docs_code_jaccard'],
    ['asHalfvec expression', () => asHalfvec(docs.embedding, 3), q, { k: 5 }, 'q_docs_embedding_half'],
    ['binaryQuantize expression', () => binaryQuantize(docs.embedding, 3), q, { k: 5 }, 'q_docs_embedding_bq'],
    ['subvector expression', () => subvector(docs.big, 1, 2), [0.1, 0.2], { k: 5 }, 'q_docs_big_sub'],
    ['mixed dimensions, 3-d partial index', () => asVector(docs.anyd, 3), q, { k: 5 }, 'q_docs_any3'],
    ['mixed dimensions, 2-d partial index', () => asVector(docs.anyd, 2), [0.1, 0.2], { k: 5, maxDistance: 3 }, 'q_docs_any2'],
    ['partial index with a user condition', () => docs.enEmb, q, { k: 5, where: eq(docs.lang, 'en') }, 'q_docs_en_emb'],
    [
      'sql fields + filter + threshold',
      () => docs.embedding,
      q,
      { k: 4, metric: 'cosine', select: { id: docs.id, twice: sql<number>`${docs.tag} * ${2}` }, where: eq(docs.lang, 'de'), minSimilarity: 0, strategy: 'index' },
      'q_docs_embedding_cosine',
    ],
  ];

  it.each(cases)('%s', async (_name, target, query, options, index) => {
    const plan = await nearestSql(db, target(), query as never, options);
    const text = await explain(db, plan, { setup: ['set local enable_seqscan = off'] });
    expect(text).toMatch(new RegExp(`Index Scan using ${index} on q_docs`));
    expect(plan.indexes.map((i) => i.name)).toContain(index);
    checkOrderBy(plan.sql, options.k);
    if (options.maxDistance !== undefined || options.minSimilarity !== undefined) {
      // The bound is applied to the scan's output, never inside the ordered index scan.
      expect(plan.sql).toMatch(new RegExp(`limit ${options.k}\\)( as "nn")? (select .* from "nn" )?where "nn"\\."distance" <= \\$2`));
      expect(plan.sql.slice(0, plan.sql.indexOf(`limit ${options.k}`))).not.toContain('$2');
    }
    if (plan.resorted) {
      expect(plan.sql).toMatch(/^with "nn" as materialized \(.*\) select .* order by "nn"\."distance" \+ 0$/);
      expect(text).toMatch(/Sort Key: \(\(nn\.distance \+ '0'::double precision\)\)/);
    }
  });

  it('mixed-dimension targets carry the partial-index predicate and only return rows of that dimension', async () => {
    const plan = await nearestSql(db, asVector(docs.anyd, 3), q, { k: 500, select: { id: docs.id, anyd: docs.anyd } });
    expect(plan.sql).toContain('vector_dims("q_docs"."anyd") = 3');
    const found = await nearest(db, asVector(docs.anyd, 3), q, { k: 500, select: { id: docs.id, anyd: docs.anyd } });
    expect(found.length).toBe(rows.filter((r) => r.anyd.length === 3).length);
    expect(found.every((r) => r.anyd!.length === 3)).toBe(true);
  });
});

describe('results equal an exact scan', () => {
  const exactCases: [string, () => VectorTargetInput, unknown, AnyOptions, ((r: DocRow) => number) | undefined][] = [
    ['cosine (HNSW)', () => docs.embedding, q, { k: 10, metric: 'cosine', settings: { efSearch: 400 } }, (r) => cosine(r.embedding, q)],
    ['L2 (IVFFlat, all lists)', () => docs.embedding, q, { k: 10, metric: 'l2', settings: { probes: 4 } }, (r) => l2(r.embedding, q)],
    [
      'inner product with minSimilarity',
      () => docs.embedding,
      q,
      { k: 10, metric: 'innerProduct', minSimilarity: 1, settings: { efSearch: 400 } },
      (r) => -r.embedding.reduce((s, x, i) => s + x * q[i]!, 0),
    ],
    [
      'L1 with maxDistance',
      () => docs.embedding,
      q,
      { k: 10, metric: 'l1', maxDistance: 1.5, settings: { efSearch: 400 } },
      (r) => r.embedding.reduce((s, x, i) => s + Math.abs(x - q[i]!), 0),
    ],
    [
      'cosine, filtered (iterative scan)',
      () => docs.embedding,
      q,
      { k: 6, metric: 'cosine', where: eq(docs.lang, 'en'), settings: { efSearch: 400 } },
      undefined,
    ],
    [
      'relaxed order, re-sorted',
      () => docs.embedding,
      q,
      { k: 10, metric: 'cosine', maxDistance: 0.9, settings: { efSearch: 400, iterativeScan: 'relaxed_order' } },
      (r) => cosine(r.embedding, q),
    ],
    ['mixed dimensions', () => asVector(docs.anyd, 3), q, { k: 10, settings: { efSearch: 400 } }, undefined],
  ];

  it.each(exactCases)('%s', async (_name, target, query, options, jsDistance) => {
    const opts = { ...options, select: { id: docs.id } };
    const found = await nearest(db, target(), query as never, opts);
    const plan = await nearestSql(db, target(), query as never, opts);
    const exact = await runPlan(db, plan, { setup: ['set local enable_indexscan = off', 'set local enable_bitmapscan = off'] });
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((r) => r.id)).toEqual(exact.map((r) => Number(r[1])));
    for (const [i, r] of found.entries()) expect(r.distance).toBeCloseTo(Number(exact[i]![0]), 6);
    // Ascending, and within the bound.
    for (let i = 1; i < found.length; i++) expect(found[i]!.distance).toBeGreaterThanOrEqual(found[i - 1]!.distance);
    const bound = options.maxDistance ?? (options.minSimilarity === undefined ? undefined : -options.minSimilarity);
    if (bound !== undefined) expect(found.every((r) => r.distance <= bound)).toBe(true);
    if (jsDistance) {
      // And an independent brute force over the loaded data agrees.
      const all = rows.map((r) => ({ id: r.id, d: jsDistance(r) })).sort((a, b) => a.d - b.d);
      const expected = all.slice(0, options.k).filter((r) => bound === undefined || r.d <= bound + 1e-6);
      expect(found.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      for (const [i, r] of found.entries()) expect(r.distance).toBeCloseTo(expected[i]!.d, 4);
    }
  });

  it('a nullable column is searched with `is not null` (a null vector never comes back); a notNull one without it', async () => {
    const nullable = await nearestSql(db, docs.embedding, q, { k: 5, metric: 'cosine' });
    expect(nullable.sql).toContain('where "q_docs"."embedding" is not null order by');
    const strict = pgTable('q_strict', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 3 }).notNull() });
    const plan = await nearestSql(db, strict.embedding, q, { k: 5, metric: 'cosine' });
    expect(plan.sql).not.toContain('is not null');
    expect(plan.sql).toMatch(/from "q_strict" order by "q_strict"."embedding" <=> \$1::vector\(3\) limit 5$/);
    await database.query('drop table if exists q_strict');
    await database.query('create table q_strict (id serial primary key, embedding vector(3) not null)');
    await database.query("insert into q_strict (embedding) values ('[1,0,0]'), ('[0,1,0]')");
    expect(await nearest(db, strict.embedding, q, { k: 5, metric: 'cosine', select: { id: strict.id } })).toHaveLength(2);
    await database.query('drop table q_strict');
  });

  it('a filter that matches few rows still returns every match (k rows when there are k)', async () => {
    const tag3 = rows.filter((r) => r.tag === 3).map((r) => r.id);
    expect(tag3.length).toBeGreaterThanOrEqual(4);
    const found = await nearest(db, docs.embedding, q, { k: 4, metric: 'cosine', where: eq(docs.tag, 3), select: { id: docs.id, tag: docs.tag } });
    expect(found).toHaveLength(4);
    expect(found.every((r) => r.tag === 3)).toBe(true);
    const best = rows
      .filter((r) => r.tag === 3)
      .sort((a, b) => cosine(a.embedding, q) - cosine(b.embedding, q))
      .slice(0, 4)
      .map((r) => r.id);
    expect(found.map((r) => r.id)).toEqual(best);
  });
});

describe('metric inference and automatic settings', () => {
  it('infers the metric of the only index on the target', async () => {
    const plan = await nearestSql(db, docs.half, q, { k: 5 });
    expect(plan.metric).toBe('l2');
    expect(plan.operator).toBe('<->');
    expect(plan.indexes).toEqual([{ name: 'q_docs_half_l2', method: 'hnsw' }]);
    expect(plan.statements).toEqual([]);
  });

  it('METRIC_REQUIRED when the target has indexes with several metrics, listing them', async () => {
    const e = await expectCodeAsync(() => nearestSql(db, docs.embedding, q, { k: 5 }), 'METRIC_REQUIRED');
    expect(e.message).toMatch(/q_docs_embedding_cosine: hnsw 'cosine'/);
    expect(e.message).toMatch(/q_docs_embedding_l2_ivf: ivfflat 'l2'/);
    expect(e.details['candidates']).toEqual(expect.arrayContaining(['cosine', 'innerProduct', 'l1', 'l2']));
  });

  it('METRIC_REQUIRED when no index covers the target; an explicit metric then runs an exact search', async () => {
    const e = await expectCodeAsync(() => nearestSql(db, docs.spare, q, { k: 5 }), 'METRIC_REQUIRED');
    expect(e.message).toMatch(/no vector index declared on the table covers this target.*'l2', 'innerProduct', 'cosine', 'l1'/);
    const plan = await nearestSql(db, docs.spare, q, { k: 5, metric: 'l2', where: eq(docs.lang, 'en') });
    expect(plan.indexes).toEqual([]);
    expect(plan.statements).toEqual([]);
    const found = await nearest(db, docs.spare, q, { k: 3, metric: 'l2', select: { id: docs.id } });
    const expected = [...rows].sort((a, b) => l2(a.embedding, q) - l2(b.embedding, q)).slice(0, 3);
    expect(found.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('an explicit metric picks the matching index and its method decides the settings', async () => {
    const hnsw = await nearestSql(db, docs.embedding, q, { k: 5, metric: 'cosine', where: eq(docs.lang, 'en'), strategy: 'index' });
    expect(hnsw.indexes).toEqual([{ name: 'q_docs_embedding_cosine', method: 'hnsw' }]);
    const ivf = await nearestSql(db, docs.embedding, q, { k: 5, metric: 'l2', where: eq(docs.lang, 'en'), strategy: 'index' });
    expect(ivf.indexes).toEqual([{ name: 'q_docs_embedding_l2_ivf', method: 'ivfflat' }]);
    if (iterative) {
      // The filter keeps about a third of 240 rows: strict order, and the scan's budget (a limit that sends a filter
      // whose rows lie away from the query to the exact fallback).
      expect(hnsw.statements).toEqual(["SET LOCAL hnsw.iterative_scan = 'strict_order'", 'SET LOCAL hnsw.max_scan_tuples = 1024']);
      expect(hnsw.resorted).toBe(false);
      // IVFFlat (4 lists): probes so the probed lists hold ≈ 8·k of the filter's rows, max_probes ≈ 10·k.
      expect(ivf.statements[0]).toMatch(/^SET LOCAL ivfflat\.probes = [24]$/);
      expect(ivf.statements).toContain("SET LOCAL ivfflat.iterative_scan = 'relaxed_order'");
      expect(ivf.statements.filter((t) => /^SET LOCAL ivfflat\.max_probes = [24]$/.test(t))).toHaveLength(1);
      expect(ivf.resorted).toBe(true);
      expect(ivf.notes.join(' ')).toMatch(/filtered IVFFlat search/);
    } else {
      expect(hnsw.notes.join(' ')).toMatch(/no iterative scans before 0\.8/);
    }
  });

  it('k above ef_search raises ef_search to k; an explicit efSearch is kept', async () => {
    const plan = await nearestSql(db, docs.half, q, { k: 100 });
    expect(plan.statements).toEqual(['SET LOCAL hnsw.ef_search = 100']);
    expect(plan.notes.join(' ')).toMatch(/at most ef_search rows/);
    const found = await nearest(db, docs.half, q, { k: 100, select: { id: docs.id } });
    expect(found).toHaveLength(100);
    const given = await nearestSql(db, docs.half, q, { k: 30, settings: { efSearch: 200 } });
    expect(given.statements).toEqual(['SET LOCAL hnsw.ef_search = 200']);
    expect((await nearestSql(db, docs.half, q, { k: 40 })).statements).toEqual([]);
  });

  it('k above 1000 on HNSW needs an iterative scan; iterativeScan off with k > efSearch is refused', async () => {
    if (iterative) {
      const plan = await nearestSql(db, docs.half, q, { k: 1500 });
      expect(plan.statements).toEqual(["SET LOCAL hnsw.iterative_scan = 'strict_order'"]);
      const explicit = await nearestSql(db, docs.half, q, { k: 50, settings: { efSearch: 20 } });
      expect(explicit.statements).toEqual(['SET LOCAL hnsw.ef_search = 20', "SET LOCAL hnsw.iterative_scan = 'strict_order'"]);
    } else {
      await expectCodeAsync(() => nearestSql(db, docs.half, q, { k: 1500 }), 'INVALID_QUERY_OPTION');
    }
    const off = await expectCodeAsync(() => nearestSql(db, docs.half, q, { k: 60, settings: { efSearch: 20, iterativeScan: 'off' } }), 'INVALID_QUERY_OPTION');
    expect(off.message).toMatch(/k = 60 is more than HNSW can return with efSearch = 20 and iterativeScan 'off'/);
    const offDefault = await nearestSql(db, docs.half, q, { k: 60, settings: { iterativeScan: 'off' } });
    expect(offDefault.statements).toEqual(['SET LOCAL hnsw.ef_search = 60', "SET LOCAL hnsw.iterative_scan = 'off'"]);
  });

  it('explicit relaxed_order is kept and re-sorted outside the scan; the budget only adds what was not given', async () => {
    const plan = await nearestSql(db, docs.embedding, q, { k: 5, metric: 'cosine', where: eq(docs.lang, 'en'), settings: { iterativeScan: 'relaxed_order' } });
    expect(plan.statements).toEqual(["SET LOCAL hnsw.iterative_scan = 'relaxed_order'", 'SET LOCAL hnsw.max_scan_tuples = 1024']);
    expect(plan.resorted).toBe(true);
  });
});

describe('validation happens before any SQL', () => {
  const other = pgTable('q_other', { id: serial('id').primaryKey(), e: vector('e', { dimensions: 3 }) });
  const bad: [string, () => [VectorTargetInput, unknown, unknown], string, RegExp][] = [
    ['wrong dimensions', () => [docs.half, [1, 2], { k: 5 }], 'DIMENSION_MISMATCH', /expected 3 dimensions, got 2/],
    ['NaN', () => [docs.half, [1, NaN, 2], { k: 5 }], 'NON_FINITE_VALUE', /element 1 is NaN/],
    ['empty', () => [docs.half, [], { k: 5 }], 'EMPTY_VECTOR', /empty halfvec/],
    ['halfvec overflow', () => [docs.half, [1, 70000, 2], { k: 5 }], 'VALUE_OUT_OF_RANGE', /outside halfvec's range/],
    ['a string that is not vector text', () => [docs.half, '1,2,3', { k: 5 }], 'INVALID_VECTOR_VALUE', /cannot read "1,2,3" as halfvec text/],
    ['a non-string non-array for a vector', () => [docs.half, { 0: 1 }, { k: 5 }], 'INVALID_VECTOR_VALUE', /expected an array of numbers/],
    ['an array for a bit column', () => [docs.code, [1, 0, 1, 0, 1, 0, 1, 0], { k: 5, metric: 'hamming' }], 'INVALID_BIT_STRING', /expected a string of 0 and 1/],
    ['a dense array for a sparsevec', () => [docs.sparse, [1, 2, 3, 4, 5], { k: 5 }], 'INVALID_SPARSE_VECTOR', /expected a SparseVector/],
    ['k = 0', () => [docs.half, q, { k: 0 }], 'INVALID_QUERY_OPTION', /k must be an integer from 1 to 10000, got number 0/],
    ['k = 2.5', () => [docs.half, q, { k: 2.5 }], 'INVALID_QUERY_OPTION', /k must be an integer/],
    ['k = 10001', () => [docs.half, q, { k: 10001 }], 'INVALID_QUERY_OPTION', /got number 10001/],
    ['no k', () => [docs.half, q, {}], 'INVALID_QUERY_OPTION', /got undefined/],
    ['unknown option', () => [docs.half, q, { k: 5, limit: 5 }], 'INVALID_QUERY_OPTION', /unknown option 'limit'\. Did you mean 'k'\? Options: k, metric, /],
    ['a filter under another name', () => [docs.half, q, { k: 5, filter: 'x' }], 'INVALID_QUERY_OPTION', /unknown option 'filter'\. Did you mean 'where'\?/],
    ['a misspelt option', () => [docs.half, q, { k: 5, maxDistanse: 0.2 }], 'INVALID_QUERY_OPTION', /unknown option 'maxDistanse'\. Did you mean 'maxDistance'\?/],
    ['an option nothing is near', () => [docs.half, q, { k: 5, verbose: true }], 'INVALID_QUERY_OPTION', /unknown option 'verbose'\. Options: k, metric, select, where/],
    ['both thresholds', () => [docs.embedding, q, { k: 5, metric: 'cosine', maxDistance: 0.2, minSimilarity: 0.8 }], 'INVALID_QUERY_OPTION', /either maxDistance or minSimilarity/],
    ['minSimilarity for L2', () => [docs.half, q, { k: 5, minSimilarity: 0.5 }], 'INVALID_QUERY_OPTION', /minSimilarity is defined for 'cosine' and 'innerProduct' only; this search uses 'l2'/],
    ['maxDistance NaN', () => [docs.half, q, { k: 5, maxDistance: NaN }], 'INVALID_QUERY_OPTION', /maxDistance must be a finite number/],
    ['where as text', () => [docs.half, q, { k: 5, where: "lang = 'en'" }], 'INVALID_QUERY_OPTION', /where must be an SQL condition/],
    ['select.distance', () => [docs.half, q, { k: 5, select: { distance: docs.id } }], 'INVALID_QUERY_OPTION', /select\.distance is reserved/],
    ['a column of another table', () => [docs.half, q, { k: 5, select: { id: other.id } }], 'INVALID_QUERY_OPTION', /column of another table/],
    ['nested select', () => [docs.half, q, { k: 5, select: { nested: { id: docs.id } } }], 'INVALID_QUERY_OPTION', /Nested objects are not supported/],
    ['bad settings', () => [docs.half, q, { k: 5, settings: { efSearch: 5000 } }], 'INVALID_SEARCH_SETTING', /efSearch \(hnsw\.ef_search\) must be an integer from 1 to 1000/],
    ['ambiguous metric', () => [docs.embedding, q, { k: 5 }], 'METRIC_REQUIRED', /different metrics/],
    ['Hamming on a vector', () => [docs.embedding, q, { k: 5, metric: 'hamming' }], 'UNSUPPORTED_METRIC', /no Hamming distance for vector/],
    ['unknown metric', () => [docs.embedding, q, { k: 5, metric: 'dot' }], 'UNSUPPORTED_METRIC', /unknown metric/],
    ['not a vector column', () => [docs.lang as never, q, { k: 5 }], 'INVALID_TARGET', /not a pgvector column/],
  ];

  it.each(bad)('%s', async (_name, args, code, message) => {
    const queries: string[] = [];
    const recording = drizzle.mock({ logger: { logQuery: (query: string) => void queries.push(query) } });
    const [target, query, options] = args();
    const e = await expectCodeAsync(() => nearest(recording, target, query as never, options as never), code as never);
    expect(e.message).toMatch(message);
    expect(queries).toEqual([]);
  });

  it('positive control: a valid call does reach the driver', async () => {
    const queries: string[] = [];
    const recording = drizzle.mock({ logger: { logQuery: (query: string) => void queries.push(query) } });
    await nearest(recording, docs.half, q, { k: 5 }).catch(() => undefined);
    expect(queries.length).toBeGreaterThan(0);
  });
});

describe('rows', () => {
  it('default select returns every column decoded, plus distance', async () => {
    const [row] = await nearest(db, docs.half, q, { k: 1 });
    const source = rows.find((r) => r.id === row!['id'])!;
    expect(row).toMatchObject({ id: source.id, lang: source.lang, tag: source.tag, code: source.code });
    expect(row!['embedding']).toEqual(source.embedding.map((x) => expect.closeTo(x, 5)));
    expect(row!['sparse']).toBeInstanceOf(SparseVector);
    expect(typeof row!.distance).toBe('number');
  });

  it('selects sql expressions (with their decoders) and aliased expressions; types follow the selection', async () => {
    const found = await nearest(db, docs.half, q, {
      k: 3,
      select: {
        id: docs.id,
        lang: docs.lang,
        embedding: docs.embedding,
        twice: sql<number>`${docs.tag} * ${2}`.mapWith(Number),
        upper: sql<string>`upper(${docs.lang})`.as('upper_lang'),
      },
      maxDistance: 100,
    });
    expect(found).toHaveLength(3);
    for (const r of found) {
      const source = rows.find((s) => s.id === r.id)!;
      expect(r.twice).toBe(source.tag * 2);
      expect(r.upper).toBe(source.lang.toUpperCase());
    }
    expectTypeOf(found[0]!.id).toEqualTypeOf<number>();
    expectTypeOf(found[0]!.lang).toEqualTypeOf<string>();
    expectTypeOf(found[0]!.embedding).toEqualTypeOf<number[] | null>();
    expectTypeOf(found[0]!.twice).toEqualTypeOf<number>();
    expectTypeOf(found[0]!.upper).toEqualTypeOf<string>();
    expectTypeOf(found[0]!.distance).toEqualTypeOf<number>();
  });

  it('a filter with bound parameters is cached per shape and still binds the new values', async () => {
    const en = await nearest(db, docs.half, q, { k: 5, where: eq(docs.lang, 'en'), select: { id: docs.id, lang: docs.lang } });
    const de = await nearest(db, docs.half, q, { k: 5, where: eq(docs.lang, 'de'), select: { id: docs.id, lang: docs.lang } });
    expect(en.every((r) => r.lang === 'en')).toBe(true);
    expect(de.every((r) => r.lang === 'de')).toBe(true);
    expect(en).toHaveLength(5);
    expect(de).toHaveLength(5);
  });
});

const selection = { id: docs.id, lang: docs.lang, embedding: docs.embedding, half: docs.half, sparse: docs.sparse, code: docs.code };

async function gucs(target: PgVectorDrizzleDatabase): Promise<string[]> {
  const [row] = await rawRows(target, `select current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan'), current_setting('ivfflat.iterative_scan')`);
  return row!.map(String);
}

describeEachDriver(
  'every driver gives the same rows, and settings never leak',
  (ctx) => {
    it('same neighbours, decoded types, filtered search in a transaction, defaults afterwards', async () => {
      const driver = ctx.driver;
      const reference = await nearest(db, docs.embedding, q, { k: 5, metric: 'cosine', select: selection });
      const referenceFiltered = await nearest(db, docs.embedding, q, { k: 3, metric: 'cosine', where: eq(docs.tag, 3), select: { id: docs.id } });
      const found = await nearest(ctx.db, docs.embedding, q, { k: 5, metric: 'cosine', select: selection });
      expect(found.map((r) => r.id), driver).toEqual(reference.map((r) => r.id));
      for (const [i, r] of found.entries()) {
        expect(r.distance, driver).toBeCloseTo(reference[i]!.distance, 9);
        expect(r.embedding, driver).toEqual(reference[i]!.embedding);
        expect(Array.isArray(r.half) && typeof r.half[0] === 'number', driver).toBe(true);
        expect(r.sparse, driver).toBeInstanceOf(SparseVector);
        expect(r.sparse!.toString(), driver).toBe(reference[i]!.sparse!.toString());
        expect(typeof r.code, driver).toBe('string');
      }
      const filtered = await nearest(ctx.db, docs.embedding, q, {
        k: 3,
        metric: 'cosine',
        where: eq(docs.tag, 3),
        select: { id: docs.id },
        settings: { efSearch: 64 },
      });
      expect(filtered.map((r) => r.id), driver).toEqual(referenceFiltered.map((r) => r.id));
      // Selections Drizzle must parse itself (sql fields, timestamps) take Drizzle's query path, with and without settings.
      const expressions = await nearest(ctx.db, docs.half, q, {
        k: 2,
        select: { id: docs.id, twice: sql<number>`${docs.tag} * 2`.mapWith(Number), created: docs.created },
      });
      expect(expressions.map((r) => r.twice), driver).toEqual(expressions.map((r) => rows.find((s) => s.id === r.id)!.tag * 2));
      expect(expressions.map((r) => r.created), driver).toEqual(['2024-01-02 03:04:05', '2024-01-02 03:04:05']);
      const filteredExpressions = await nearest(ctx.db, docs.embedding, q, {
        k: 3,
        metric: 'cosine',
        where: eq(docs.tag, 3),
        select: { id: docs.id, created: docs.created },
      });
      expect(filteredExpressions.map((r) => r.id), driver).toEqual(referenceFiltered.map((r) => r.id));
      expect(filteredExpressions[0]!.created, driver).toBe('2024-01-02 03:04:05');
      expect(await gucs(ctx.db), driver).toEqual(['40', 'off', 'off']);
      await expect(
        nearest(ctx.db, docs.half, q, { k: 3, where: sql`1 / (${docs.tag} - ${docs.tag}) = 1`, settings: { efSearch: 99 } }),
      ).rejects.toThrow();
      expect(await gucs(ctx.db), driver).toEqual(['40', 'off', 'off']);
    });
  },
  { database: () => database },
);

describe('settings never leak', () => {
  it('inside a caller transaction, the caller keeps its own settings', async () => {
    const seen = await db.transaction(async (tx) => {
      const t = tx as unknown as PgVectorDrizzleDatabase;
      await tx.execute(sql.raw('SET LOCAL hnsw.ef_search = 55'));
      const found = await nearest(t, docs.embedding, q, { k: 3, metric: 'cosine', where: eq(docs.lang, 'en'), settings: { efSearch: 77 }, select: { id: docs.id } });
      return { found, after: await gucs(t) };
    });
    expect(seen.found).toHaveLength(3);
    expect(seen.after).toEqual(['55', 'off', 'off']);
    expect(await gucs(db)).toEqual(['40', 'off', 'off']);
  });
});
