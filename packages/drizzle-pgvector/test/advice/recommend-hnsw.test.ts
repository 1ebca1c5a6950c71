import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { HNSW_PRESETS, INDEX_OPTIONS, SETTINGS } from '../../src/catalog/public.js';
import { recommendHnsw } from '../../src/index.js';
import { expectCode } from '../helpers.js';

const range = (key: string) => INDEX_OPTIONS.find((o) => o.key === key) ?? SETTINGS.find((o) => o.key === key);

describe('recommendHnsw', () => {
  it("defaults to pgvector's own defaults for recall 0.9", () => {
    const r = recommendHnsw({ rows: 100_000, dimensions: 768 });
    expect([r.m, r.efConstruction, r.efSearch]).toEqual([16, 64, 40]);
  });

  it('raises ef_search first, then the graph, as the recall target rises', () => {
    const at = (recallTarget: number) => recommendHnsw({ rows: 1_000_000, dimensions: 1536, recallTarget });
    expect(at(0.95)).toMatchObject({ m: 16, efConstruction: 64, efSearch: 100 });
    expect(at(0.98).m).toBeGreaterThan(16);
    expect(at(0.99).efSearch).toBeGreaterThan(at(0.98).efSearch);
    expect(at(1)).toMatchObject({ m: 48, efConstruction: 400, efSearch: 800 });
  });

  it("stays within pgvector's ranges, with ef_construction ≥ 2·m, for every target", () => {
    const m = range('m');
    const ef = range('efConstruction');
    const search = range('efSearch');
    for (const recallTarget of [0.01, 0.5, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 1]) {
      const r = recommendHnsw({ rows: 10_000, dimensions: 128, recallTarget, k: 5000 });
      expect(r.m).toBeGreaterThanOrEqual(m?.min ?? Infinity);
      expect(r.m).toBeLessThanOrEqual(m?.max ?? -Infinity);
      expect(r.efConstruction).toBeGreaterThanOrEqual(2 * r.m);
      expect(r.efConstruction).toBeLessThanOrEqual(ef?.max ?? -Infinity);
      expect(r.efSearch).toBeLessThanOrEqual(search?.max ?? -Infinity);
    }
  });

  it('raises ef_search to the query k, and says why', () => {
    const r = recommendHnsw({ rows: 10_000, dimensions: 128, k: 200 });
    expect(r.efSearch).toBe(200);
    expect(r.why).toContain('at most ef_search rows');
  });

  it('gives the build memory in its reasons', () => {
    const r = recommendHnsw({ rows: 1_000_000, dimensions: 1536 });
    expect(r.maintenanceWorkMem).toMatch(/^\d+MB$/);
    expect(r.why).toContain(`maintenance_work_mem ≈ ${r.maintenanceWorkMem}`);
  });

  it('rejects bad input naming the value, the range and the fix', () => {
    expect(expectCode(() => recommendHnsw({ rows: 10, dimensions: 8, recallTarget: 1.5 }), 'INVALID_ADVICE_INPUT').message).toMatch(
      /recallTarget must be a fraction in \(0, 1\].*got 1\.5/,
    );
    expect(expectCode(() => recommendHnsw({ rows: 10, dimensions: 8, recallTarget: 0 }), 'INVALID_ADVICE_INPUT').details).toMatchObject({ recallTarget: 0 });
    expect(expectCode(() => recommendHnsw({ rows: -5, dimensions: 8 }), 'INVALID_ADVICE_INPUT').message).toContain('got -5');
    const dims = expectCode(() => recommendHnsw({ rows: 10, dimensions: 3072 }), 'INVALID_ADVICE_INPUT');
    expect(dims.message).toMatch(/at most 2000.*asHalfvec.*binaryQuantize.*subvector/);
    expect(recommendHnsw({ rows: 10, dimensions: 3072, type: 'halfvec' }).m).toBe(16);
    expectCode(() => recommendHnsw({ rows: 10, dimensions: 8, type: 'float' as never }), 'INVALID_ADVICE_INPUT');
  });
});

describe('recommendHnsw on pgvector', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await database.db.execute(sql`create table adv_presets (v vector(4))`);
    await database.db.execute(sql`insert into adv_presets select array[i, i + 1, i + 2, i + 3]::vector from generate_series(1, 50) i`);
  });
  afterAll(async () => {
    await database.db.execute(sql`drop table if exists adv_presets`);
    await database.close();
  });

  it('every preset is accepted by pgvector (index options and ef_search)', async () => {
    for (const preset of HNSW_PRESETS) {
      const r = recommendHnsw({ rows: 50, dimensions: 4, recallTarget: preset.maxRecall });
      await database.db.transaction(async (tx) => {
        await tx.execute(sql.raw(`SET LOCAL hnsw.ef_search = ${r.efSearch}`));
        await tx.execute(sql.raw(`CREATE INDEX adv_presets_hnsw ON adv_presets USING hnsw (v vector_l2_ops) WITH (m = ${r.m}, ef_construction = ${r.efConstruction})`));
        await tx.execute(sql`DROP INDEX adv_presets_hnsw`);
      });
    }
    expect(HNSW_PRESETS.length).toBeGreaterThan(3);
  });
});
