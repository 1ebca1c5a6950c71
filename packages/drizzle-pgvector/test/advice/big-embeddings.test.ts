import { sql } from 'drizzle-orm';
import { pgTable, integer } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@drizzle-pgvector/testing';
import { asHalfvec, binaryQuantize, estimateIndexBuildMemory, hnswTuplesThatFit, vector, type VectorType } from '../../src/index.js';
import { buildWith, startBuildDatabase, type BuildDatabase } from './build-database.js';

// Big embeddings (1536 dimensions) indexed as the column, as halfvec and as bits: the estimates against pgvector's
// own figures on the backend under test — the notice "hnsw graph no longer fits into maintenance_work_mem after N
// tuples" (its N · per-tuple bytes is the memory pgvector counted) and pg_relation_size of the finished index.
// Tolerances: the notice's N within 1 %, the index size within 5 %.

const DIMS = 1536;
const items = pgTable('adv_big', { id: integer('id'), v: vector('v', { dimensions: DIMS }) });
const TARGETS = [
  { name: 'vector(1536)', type: 'vector' as VectorType, target: items.v, using: 'v vector_cosine_ops', ivf: 'v vector_cosine_ops' },
  { name: 'halfvec(1536) expression', type: 'halfvec' as VectorType, target: asHalfvec(items.v), using: `(v::halfvec(${DIMS})) halfvec_cosine_ops`, ivf: `(v::halfvec(${DIMS})) halfvec_cosine_ops` },
  { name: 'bit(1536) binary_quantize', type: 'bit' as VectorType, target: binaryQuantize(items.v), using: `(binary_quantize(v)::bit(${DIMS})) bit_hamming_ops`, ivf: `(binary_quantize(v)::bit(${DIMS})) bit_hamming_ops` },
];
// PGlite (wasm32) builds 1536-d graphs many times slower than a native server: smaller cases there.
let MWM = '4MB';
let SIZE_ROWS = 3000;
// IVFFlat builds fast everywhere: 3000 rows on every backend. Its k-means is not seeded, so where the lists' last pages
// fall moves by a page between builds; at 1000 bit(1536) rows (≈ 33 pages) one page is 3 %, at 3000 rows about 1 %.
const IVF_ROWS = 3000;

let b: BuildDatabase;
const measured: { case: string; estimate: number; pgvector: number; errorPct: string }[] = [];
const record = (name: string, estimate: number, observed: number): number => {
  const error = ((estimate - observed) / observed) * 100;
  measured.push({ case: name, estimate, pgvector: observed, errorPct: error.toFixed(2) });
  return error;
};
const noticeTuples = (notices: string[]): number | undefined =>
  notices.map((n) => /hnsw graph no longer fits into maintenance_work_mem after (\d+) tuples/.exec(n)?.[1]).map(Number).find((n) => !Number.isNaN(n));
const relationSize = async (name: string): Promise<number> =>
  Number(rowsOf<{ bytes: string }>(await b.db.execute(sql.raw(`SELECT pg_relation_size('${name}') AS bytes`)))[0]?.bytes);

beforeAll(async () => {
  b = await startBuildDatabase();
  if (b.database.backend === 'pglite') {
    MWM = '2MB';
    SIZE_ROWS = 1000;
  }
  const facts = { serverVersion: b.serverVersion, serverBits: b.serverBits, maintenanceWorkMem: MWM, dimensions: DIMS };
  const most = Math.max(...TARGETS.map((t) => hnswTuplesThatFit({ ...facts, type: t.type })));
  // Centred values (random() − 0.5): binary_quantize of all-positive values would make every row the same bits,
  // which pgvector stores as one element with many heap TIDs.
  await b.db.execute(sql.raw(`DROP TABLE IF EXISTS adv_big; CREATE TABLE adv_big (id int, v vector(${DIMS}))`));
  await b.db.execute(
    sql.raw(
      `INSERT INTO adv_big SELECT i, array(SELECT random() - 0.5 FROM generate_series(1, ${DIMS}) WHERE i > 0)::vector FROM generate_series(1, ${Math.max(Math.ceil(most * 1.1), SIZE_ROWS, IVF_ROWS)}) i`,
    ),
  );
}, 600_000);

afterAll(async () => {
  console.log(`big embeddings: estimate vs pgvector on ${b.label}\n${JSON.stringify(measured, null, 1)}`);
  await b.db.execute(sql.raw('DROP TABLE IF EXISTS adv_big, adv_big_part, adv_big_ivf'));
  await b.close();
});

describe(`HNSW build memory of ${DIMS}-dimension embeddings: estimate vs pgvector's notice`, () => {
  for (const t of TARGETS) {
    it(`${t.name}: the target's estimate predicts the notice within 1 %`, async () => {
      const facts = { serverVersion: b.serverVersion, serverBits: b.serverBits };
      const fromTarget = estimateIndexBuildMemory({ method: 'hnsw', target: t.target, rows: 1, maintenanceWorkMem: MWM, ...facts });
      // The target gives the same answer as its type and dimensions.
      expect(fromTarget.bytesPerTuple).toBe(estimateIndexBuildMemory({ method: 'hnsw', type: t.type, dimensions: DIMS, rows: 1, ...facts }).bytesPerTuple);
      const predicted = fromTarget.fit?.tuplesThatFit ?? 0;
      expect(predicted).toBeGreaterThan(250);
      // Just past the threshold, so the slow on-disk part of the build stays short.
      await b.db.execute(sql.raw(`DROP TABLE IF EXISTS adv_big_part; CREATE TABLE adv_big_part AS SELECT * FROM adv_big WHERE id <= ${Math.ceil(predicted * 1.1)}`));
      b.takeNotices();
      expect(await buildWith(b.db, MWM, `CREATE INDEX adv_big_part_hnsw ON adv_big_part USING hnsw (${t.using}) WITH (m = 16, ef_construction = 32)`)).toBeUndefined();
      const observed = noticeTuples(b.takeNotices());
      expect(observed, 'pgvector reported the graph no longer fits').toBeDefined();
      expect(Math.abs(record(`notice N: hnsw ${t.name}, ${MWM}`, predicted, observed ?? 0))).toBeLessThan(1);
    }, 600_000);
  }
});

describe(`index size of ${DIMS}-dimension embeddings (HNSW 3000 rows, 1000 on PGlite; IVFFlat 3000): estimate vs pg_relation_size`, () => {
  for (const t of TARGETS) {
    it(`${t.name}: HNSW and IVFFlat within 5 %`, async () => {
      const facts = { serverVersion: b.serverVersion, serverBits: b.serverBits };
      await b.db.execute(sql.raw(`DROP TABLE IF EXISTS adv_big_part; CREATE TABLE adv_big_part AS SELECT * FROM adv_big WHERE id <= ${SIZE_ROWS}`));
      const hnsw = estimateIndexBuildMemory({ method: 'hnsw', target: t.target, rows: SIZE_ROWS, m: 16, ...facts });
      b.takeNotices();
      // Built in memory (the estimate's maintenance_work_mem): the layout the size model describes.
      expect(await buildWith(b.db, hnsw.maintenanceWorkMem, `CREATE INDEX adv_big_part_hnsw ON adv_big_part USING hnsw (${t.using}) WITH (m = 16, ef_construction = 32)`)).toBeUndefined();
      expect(noticeTuples(b.takeNotices())).toBeUndefined();
      expect(Math.abs(record(`size: hnsw ${t.name}, ${SIZE_ROWS} rows`, hnsw.indexBytes, await relationSize('adv_big_part_hnsw')))).toBeLessThan(5);
      await b.db.execute(sql.raw(`DROP TABLE IF EXISTS adv_big_ivf; CREATE TABLE adv_big_ivf AS SELECT * FROM adv_big WHERE id <= ${IVF_ROWS}`));
      const ivf = estimateIndexBuildMemory({ method: 'ivfflat', target: t.target, rows: IVF_ROWS, lists: 10, ...facts });
      expect(await buildWith(b.db, '256MB', `CREATE INDEX adv_big_ivf_idx ON adv_big_ivf USING ivfflat (${t.ivf}) WITH (lists = 10)`)).toBeUndefined();
      expect(Math.abs(record(`size: ivfflat ${t.name}, ${IVF_ROWS} rows, lists 10`, ivf.indexBytes, await relationSize('adv_big_ivf_idx')))).toBeLessThan(5);
    }, 600_000);
  }

  it('binary quantization: ≈ 7× less build memory and a > 10× smaller index than full precision (what chooseIndex offers)', async () => {
    const facts = { serverVersion: b.serverVersion, serverBits: b.serverBits, rows: 1_000_000 };
    const full = estimateIndexBuildMemory({ method: 'hnsw', target: items.v, ...facts });
    const bits = estimateIndexBuildMemory({ method: 'hnsw', target: binaryQuantize(items.v), ...facts });
    expect(full.bytes / bits.bytes).toBeGreaterThan(5);
    expect(full.indexBytes / bits.indexBytes).toBeGreaterThan(10);
  });
});
