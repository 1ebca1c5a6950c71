import { lt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, index, serial } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorDrizzleDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { clusteredVectors } from '@drizzle-pgvector/testing/data';
import { asHalfvec, asVector, binaryQuantize, hnswIndex, nearest, nearestSql, subvector, vector, type NearestOptions } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { cosine, ddl, explain, rawRows } from './fixtures.js';

/**
 * Re-ranked searches (`rerank: { via }`): the candidates come from an index on a smaller representation of the
 * column (binary quantization, half precision, a subvector), then are re-ordered by the exact distance. Recall is
 * measured against brute force on the full vectors (computed here in float4), on 6,000 × 256-d clustered unit vectors.
 */
const ROWS = 6000;
const DIMS = 256;
const QUERIES = 30;

const columns = () => ({ id: integer('id').primaryKey(), tag: integer('tag').notNull(), embedding: vector('embedding', { dimensions: DIMS }).notNull() });
/** No index on the full vectors: one per representation. */
const items = pgTable('rr_items', columns(), (t) => [
  hnswIndex('rr_items_bq').on(binaryQuantize(t.embedding), 'hamming'),
  hnswIndex('rr_items_half').on(asHalfvec(t.embedding), 'cosine'),
  hnswIndex('rr_items_sub').on(subvector(t.embedding, 1, 128), 'cosine'),
  index('rr_items_tag').on(t.tag),
]);
/** The automatic path: the column's only vector index is binary-quantized. */
const bqOnly = pgTable('rr_bq', columns(), (t) => [hnswIndex('rr_bq_idx').on(binaryQuantize(t.embedding), 'hamming'), index('rr_bq_tag').on(t.tag)]);
const other = pgTable('rr_other', { id: serial('id').primaryKey(), e: vector('e', { dimensions: DIMS }) });

const data = clusteredVectors({ rows: ROWS + QUERIES, dimensions: DIMS, clusters: 40, seed: 23, spread: 0.08 });
const stored = data.vectors.slice(0, ROWS).map((v) => v.map((x) => Math.fround(Number(x.toFixed(6)))));
const queries = data.vectors.slice(ROWS);
const tagOf = (i: number): number => (Math.imul(i + 1, 2654435761) >>> 0) % 4;

function exactIds(q: number, k: number, keep: (i: number) => boolean = () => true): number[] {
  const scored: [number, number][] = [];
  for (let i = 0; i < ROWS; i++) if (keep(i)) scored.push([cosine(stored[i]!, queries[q]!), i + 1]);
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return scored.slice(0, k).map((s) => s[1]);
}

let database: PgVectorTestDatabase;
let db: PgVectorDrizzleDatabase;

beforeAll(async () => {
  database = await startTestDatabase({ serve: true });
  db = database.db;
  for (const table of [items, bqOnly]) {
    const { tables, indexes } = await ddl(table);
    const name = table === items ? 'rr_items' : 'rr_bq';
    await database.query(`drop table if exists ${name}`);
    for (const s of tables) await database.query(s);
    if (table === items) {
      for (let start = 0; start < ROWS; start += 500) {
        const values: string[] = [];
        for (let i = start; i < start + 500; i++) values.push(`(${i + 1}, ${tagOf(i)}, '[${stored[i]!.join(',')}]')`);
        await database.query(`insert into rr_items (id, tag, embedding) values ${values.join(', ')}`);
      }
    } else {
      await database.query('insert into rr_bq select * from rr_items');
    }
    for (const s of indexes) await database.query(s);
    await database.query(`analyze ${name}`);
  }
}, 600_000);

afterAll(async () => {
  await database?.query('drop table if exists rr_items, rr_bq').catch(() => undefined);
  await database?.close();
});

type Opts = Partial<NearestOptions<undefined>>;
async function recall(table: typeof items, options: Opts, keep?: (i: number) => boolean): Promise<number> {
  let sum = 0;
  for (let q = 0; q < QUERIES; q++) {
    const truth = exactIds(q, 10, keep);
    const rows = await nearest(db, table.embedding, queries[q]!, { k: 10, metric: 'cosine', select: { id: table.id }, ...options } as never);
    expect(rows).toHaveLength(truth.length);
    const ids = new Set(rows.map((r) => (r as unknown as { id: number }).id));
    sum += truth.filter((id) => ids.has(id)).length / truth.length;
  }
  return sum / QUERIES;
}

describe('re-ranked recall against brute force on the full vectors', () => {
  it.each([
    ['binaryQuantize, 400 candidates', () => ({ via: binaryQuantize(items.embedding), candidates: 400 }), 0.9],
    ['asHalfvec, default candidates', () => ({ via: asHalfvec(items.embedding) }), 0.95],
    ['subvector(1, 128), 200 candidates', () => ({ via: subvector(items.embedding, 1, 128), candidates: 200 }), 0.9],
  ] as const)('%s', async (_name, rerank, min) => {
    const r = await recall(items, { rerank: rerank() });
    console.log(`rerank ${_name}: recall@10 ${r.toFixed(3)}`);
    expect(r).toBeGreaterThanOrEqual(min);
  });

  it('more candidates never lower recall (binary quantization: 20, 100, 400, 1000)', async () => {
    const curve: number[] = [];
    for (const candidates of [20, 100, 400, 1000]) curve.push(await recall(items, { rerank: { via: binaryQuantize(items.embedding), candidates } }));
    console.log(`rerank binaryQuantize curve: ${curve.map((r) => r.toFixed(3)).join(' ')}`);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeGreaterThanOrEqual(curve[i - 1]! - 0.005);
    expect(curve[curve.length - 1]!).toBeGreaterThan(curve[0]!);
  });

  it('distance is the exact distance on the full vector, ascending', async () => {
    const rows = await nearest(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, select: { id: items.id } });
    for (const row of rows) expect(row.distance).toBeCloseTo(cosine(stored[row.id - 1]!, queries[0]!), 5);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.distance).toBeGreaterThanOrEqual(rows[i - 1]!.distance);
  });
});

describe('nearestSql: the re-ranked query and its settings', () => {
  it('the scan orders by the via expression for `candidates` rows, the outer query by the exact distance', async () => {
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 300 }, select: { id: items.id } });
    expect(plan.sql).toContain(`order by (binary_quantize("rr_items"."embedding")::bit(${DIMS})) <~> binary_quantize($1::vector(${DIMS}))::bit(${DIMS}) limit 300`);
    expect(plan.sql).toContain(`"rr_items"."embedding" <=> $1::vector(${DIMS}) as "distance"`);
    expect(plan.sql).toMatch(/order by "nn"."distance" limit 10$/);
    expect(plan.settings['hnsw.ef_search']).toBe('300');
    expect(plan.rerank).toEqual({ via: `binaryQuantize("rr_items"."embedding", ${DIMS})`, metric: 'hamming', operator: '<~>', candidates: 300, automatic: false });
    expect(plan.indexes.map((i) => i.name)).toEqual(['rr_items_bq']);
    expect(await explain(db, plan)).toMatch(/Index Scan using rr_items_bq/);
  });

  it('halfvec and subvector: the query is typed as the full vector first, then cast', async () => {
    const half = await nearestSql(db, items.embedding, queries[0]!, { k: 5, metric: 'cosine', rerank: { via: asHalfvec(items.embedding) } });
    expect(half.sql).toContain(`<=> $1::vector(${DIMS})::halfvec(${DIMS}) limit 40`);
    expect(await explain(db, half)).toMatch(/Index Scan using rr_items_half/);
    const sub = await nearestSql(db, items.embedding, queries[0]!, { k: 5, metric: 'cosine', rerank: { via: subvector(items.embedding, 1, 128), candidates: 50 } });
    expect(sub.sql).toContain(`<=> subvector($1::vector(${DIMS}), 1, 128)::vector(128) limit 50`);
    expect(await explain(db, sub)).toMatch(/Index Scan using rr_items_sub/);
  });

  it('options with a target serialise to JSON (a target writes its label)', () => {
    const options = { k: 10, rerank: { via: binaryQuantize(items.embedding) } };
    expect(JSON.parse(JSON.stringify(options))).toEqual({ k: 10, rerank: { via: `binaryQuantize("rr_items"."embedding", ${DIMS})` } });
  });

  it('default candidates follow the catalog rule (binary quantization: 20·k, at least 100)', async () => {
    const small = await nearestSql(db, items.embedding, queries[0]!, { k: 3, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) } });
    expect(small.rerank?.candidates).toBe(100);
    const large = await nearestSql(db, items.embedding, queries[0]!, { k: 20, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) } });
    expect(large.rerank?.candidates).toBe(400);
    expect(large.settings['hnsw.ef_search']).toBe('400');
  });
});

describe('the automatic path: a column whose only index is quantized is searched through it, re-ranked', () => {
  it('nearest goes through the binary-quantized index (EXPLAIN ANALYZE shows it scanned) and keeps recall', async () => {
    const plan = await nearestSql(db, bqOnly.embedding, queries[1]!, { k: 10, metric: 'cosine', select: { id: bqOnly.id } });
    expect(plan.rerank).toMatchObject({ via: `binaryQuantize("rr_bq"."embedding", ${DIMS})`, automatic: true, candidates: 200 });
    expect(plan.notes.join(' ')).toMatch(/automatic/);
    const analyzed = await rawRows(db, `explain (analyze, costs off) ${plan.sql}`, plan.params).then(async (rows) => rows.map((r) => String(r[0])).join('\n'));
    // Without the plan's SET LOCAL, ef_search is 40: still the index, so the scan counters are the point here.
    expect(analyzed).toMatch(/Index Scan using rr_bq_idx on rr_bq .*\(actual .* rows=\d+/);
    expect(await recall(bqOnly as unknown as typeof items, {})).toBeGreaterThanOrEqual(0.9);
  });

  it('the metric must be given when the only index is binary (it says nothing about the full vector)', async () => {
    const e = await expectCodeAsync(() => nearest(db, bqOnly.embedding, queries[0]!, { k: 5 }), 'METRIC_REQUIRED');
    expect(e.message).toMatch(/only vector index is rr_bq_idx/);
  });

  it("strategy 'exact' searches the full vectors, no re-rank", async () => {
    const plan = await nearestSql(db, bqOnly.embedding, queries[0]!, { k: 5, metric: 'cosine', strategy: 'exact' });
    expect(plan.rerank).toBeUndefined();
    expect(plan.sql).not.toContain('binary_quantize');
  });
});

describe('filters and thresholds with re-rank', () => {
  it('a filter applies in the scan; recall against the exact filtered answer', async () => {
    // Three tags of four (75 %): too many rows for an exact search, so the re-ranked index scan runs, filtered.
    const keep = (i: number): boolean => tagOf(i) < 3;
    const r = await recall(items, { rerank: { via: binaryQuantize(items.embedding), candidates: 400 }, where: lt(items.tag, 3) }, keep);
    console.log(`rerank binaryQuantize, 75 % filter: recall@10 ${r.toFixed(3)}`);
    expect(r).toBeGreaterThanOrEqual(0.9);
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 400 }, where: lt(items.tag, 3) });
    expect(plan.strategy).toBe('index');
    expect(plan.settings['hnsw.iterative_scan']).toBe('strict_order');
    expect(plan.sql).toMatch(/where \("rr_items"."tag" < \$2\) order by \(binary_quantize/); // embedding is notNull: no "is not null"
  });

  it('a selective filter is searched exactly over its rows (no re-rank needed)', async () => {
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, where: lt(items.id, 300) });
    expect(plan.strategy).toBe('exact');
    expect(plan.rerank).toBeUndefined();
    const rows = await nearest(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, where: lt(items.id, 300), select: { id: items.id } });
    expect(rows.map((r) => r.id)).toEqual(exactIds(0, 10, (i) => i + 1 < 300));
  });

  it('maxDistance / minSimilarity bound the exact distance, after the re-order', async () => {
    const all = await nearest(db, items.embedding, queries[2]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, select: { id: items.id } });
    const bound = all[4]!.distance;
    const near = await nearest(db, items.embedding, queries[2]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, maxDistance: bound, select: { id: items.id } });
    expect(near.map((r) => r.id)).toEqual(all.filter((r) => r.distance <= bound).map((r) => r.id));
    const similar = await nearest(db, items.embedding, queries[2]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, minSimilarity: 1 - bound, select: { id: items.id } });
    expect(similar.length).toBeGreaterThanOrEqual(4);
    for (const row of similar) expect(row.distance).toBeLessThanOrEqual(bound + 1e-6);
  });

  it('explicit settings win over the raised ef_search', async () => {
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 300 }, settings: { efSearch: 500 } });
    expect(plan.settings['hnsw.ef_search']).toBe('500');
  });
});

describe('bad rerank options fail before any SQL', () => {
  const q = queries[0]!;
  const bad: [string, () => [unknown, unknown], RegExp][] = [
    ['rerank not an object', () => [items.embedding, { k: 5, metric: 'cosine', rerank: binaryQuantize(items.embedding) }], /rerank must be \{ via: … \}, not the target itself: write rerank: \{ via: binaryQuantize/],
    ['rerank as a string', () => [items.embedding, { k: 5, metric: 'cosine', rerank: 'bq' }], /rerank must be an object/],
    ['unknown rerank key', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidate: 50 } }], /unknown option 'candidate'\. Did you mean 'candidates'\?/],
    ['via missing', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { candidates: 50 } }], /rerank.via must be an expression target/],
    ['via a column', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: items.embedding } }], /rerank.via must be an expression target/],
    ['via on another column', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: binaryQuantize(other.e) } }], /rerank.via must be binaryQuantize, asHalfvec or subvector of the searched column "rr_items"."embedding", got binaryQuantize\("rr_other"."e"/],
    ['via full precision', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: asVector(items.embedding) } }], /got asVector/],
    ['candidates below k', () => [items.embedding, { k: 50, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 10 } }], /rerank.candidates must be an integer from k \(50\) to 10000, got number 10/],
    ['candidates above the limit', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 20000 } }], /from k \(5\) to 10000, got number 20000/],
    ['candidates not an integer', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding), candidates: 12.5 } }], /got number 12.5/],
    ['rerank with strategy exact', () => [items.embedding, { k: 5, metric: 'cosine', strategy: 'exact', rerank: { via: binaryQuantize(items.embedding) } }], /rerank has no effect with strategy: 'exact'/],
    ['searching the quantized target itself', () => [binaryQuantize(items.embedding), { k: 5, rerank: { via: asHalfvec(items.embedding) } }], /search the column itself/],
    ['an index that is not on via', () => [items.embedding, { k: 5, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) }, index: 'rr_items_half' }], /index "rr_items_half" is not a vector index declared on this target \(it is on asHalfvec/],
  ];
  it.each(bad)('%s', async (_name, args, message) => {
    const sent: string[] = [];
    const recording = drizzle.mock({ logger: { logQuery: (query: string) => void sent.push(query) } });
    const [target, options] = args();
    const e = await expectCodeAsync(() => nearest(recording, target as never, q, options as never), 'INVALID_QUERY_OPTION');
    expect(e.message).toMatch(message);
    expect(sent).toEqual([]);
  });
});

describe('re-rank through a named index', () => {
  it("index: names the quantized index to go through when the column has several (automatic re-rank)", async () => {
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine', index: 'rr_items_sub' });
    expect(plan.rerank).toMatchObject({ via: 'subvector("rr_items"."embedding", 1, 128)', automatic: true, candidates: 100 });
    expect(await explain(db, plan)).toMatch(/Index Scan using rr_items_sub/);
  });

  it('without rerank or index, the most exact representation is preferred (halfvec)', async () => {
    const plan = await nearestSql(db, items.embedding, queries[0]!, { k: 10, metric: 'cosine' });
    expect(plan.rerank).toMatchObject({ via: `asHalfvec("rr_items"."embedding", ${DIMS})`, automatic: true });
    expect(await explain(db, plan)).toMatch(/Index Scan using rr_items_half/);
  });
});
