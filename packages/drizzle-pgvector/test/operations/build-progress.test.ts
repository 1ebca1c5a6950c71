/**
 * Progress and cancellation of real builds on a server (url backend only: PGlite has one connection, so nothing can
 * read pg_stat_progress_create_index while it builds — there the other files pin the start and end events).
 * 30,000 × 128-d rows: long enough (seconds) for progress to be seen to move.
 */
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { pgTable, serial } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onServer, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { buildIndex, hnswIndex, ivfflatIndex, rebuildIndex, vector, type BuildProgress } from '../../src/index.js';
import { expectCodeAsync } from '../helpers.js';
import { createFilled, indexState, progressLog } from './fixtures.js';

const ROWS = 30_000;
const DIMS = 128;
const big = pgTable('op_big', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: DIMS }) }, (t) => [
  hnswIndex('op_big_hnsw').on(t.embedding, 'cosine'),
  hnswIndex('op_big_hnsw_l2').on(t.embedding, 'l2'),
  ivfflatIndex('op_big_ivf').on(t.embedding, 'l2').with({ lists: 100 }),
]);

/** HNSW phases (pgvector src/hnsw.c) and IVFFlat phases (src/ivfflat.c), plus PostgreSQL's own CONCURRENTLY phases. */
const HNSW_PHASES = ['initializing', 'loading tuples'];
const IVFFLAT_PHASES = ['initializing', 'performing k-means', 'assigning tuples', 'loading tuples'];

/** At most ~12 lines: the first, every n-th and the last report. */
function summary(events: readonly BuildProgress[]): string {
  const step = Math.max(1, Math.ceil(events.length / 10));
  return events
    .filter((_, i) => i % step === 0 || i === events.length - 1)
    .map((e) => `${e.phase} ${(e.fraction * 100).toFixed(1)}% t=${e.tuplesDone}/${e.tuplesTotal} b=${e.blocksDone}/${e.blocksTotal} @${e.elapsedMs}ms`).join('\n');
}

function expectMonotonic(events: readonly BuildProgress[]): void {
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.fraction).toBeGreaterThanOrEqual(events[i - 1]!.fraction);
    expect(events[i]!.elapsedMs).toBeGreaterThanOrEqual(events[i - 1]!.elapsedMs);
  }
}

describe.runIf(onServer())('index builds on a server: progress is seen to move; a cancelled CONCURRENTLY build is cleaned up', () => {
  let database: PgVectorTestDatabase;
  beforeAll(async () => {
    database = await startTestDatabase();
    await createFilled(database, big, 'op_big', 'embedding', DIMS, ROWS);
  }, 300_000);
  afterAll(async () => {
    await database?.query('DROP TABLE IF EXISTS op_big');
    await database?.close();
  });

  it(`HNSW over ${ROWS} × ${DIMS}: several reports whose fraction and tuplesDone rise, phases from pg_stat_progress_create_index`, async () => {
    const log = progressLog();
    const r = await buildIndex(database.db, big, 'op_big_hnsw', { maintenanceWorkMem: 'auto', parallelWorkers: 0, pollIntervalMs: 50, onProgress: log.onProgress });
    console.log(`HNSW ${ROWS}×${DIMS}: ${r.elapsedMs} ms, ${r.progressEvents} events, maintenance_work_mem ${r.maintenanceWorkMem}\n${summary(log.events)}`);
    expect(r.status).toBe('built');
    const phases = new Set(log.events.map((e) => e.phase));
    for (const p of phases) expect(['start', 'done', ...HNSW_PHASES]).toContain(p);
    expect(phases.has('loading tuples')).toBe(true);
    const loading = log.events.filter((e) => e.phase === 'loading tuples');
    expect(loading.length).toBeGreaterThanOrEqual(5);
    const between = new Set(loading.map((e) => e.fraction).filter((f) => f > 0 && f < 1));
    expect(between.size).toBeGreaterThanOrEqual(3);
    // tuplesDone climbs towards the row count; blocks are the heap's.
    expect(loading.at(-1)!.tuplesDone).toBeGreaterThan(loading[0]!.tuplesDone);
    for (let i = 1; i < loading.length; i++) expect(loading[i]!.tuplesDone).toBeGreaterThanOrEqual(loading[i - 1]!.tuplesDone);
    expect(loading.at(-1)!.tuplesDone).toBeLessThanOrEqual(ROWS);
    expect(loading[0]!.blocksTotal).toBeGreaterThan(0);
    expect(loading.some((e) => e.etaMs !== undefined && e.etaMs > 0)).toBe(true);
    expectMonotonic(log.events);
    expect(log.events.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    // pgvector's HNSW build reports no tuples_total: the total is the table's row estimate (ANALYZEd: exact), in
    // every report; 'done' keeps the count at the total instead of going back to 0.
    for (const e of log.events) expect(e.tuplesTotal).toBe(ROWS);
    expect(log.events.at(-1)).toMatchObject({ tuplesDone: ROWS, tuplesTotal: ROWS });
    for (let i = 1; i < log.events.length; i++) expect(log.events[i]!.tuplesDone).toBeGreaterThanOrEqual(log.events[i - 1]!.tuplesDone);
  });

  it('a CONCURRENTLY build cancelled through its signal leaves an INVALID index, which is dropped and reported', async () => {
    const controller = new AbortController();
    const log = progressLog();
    const e = await expectCodeAsync(
      () =>
        buildIndex(database.db, big, 'op_big_hnsw_l2', {
          concurrently: true,
          maintenanceWorkMem: '256MB',
          pollIntervalMs: 50,
          signal: controller.signal,
          onProgress: (p) => {
            log.onProgress(p);
            if (p.phase === 'loading tuples' && p.tuplesDone > 1000) controller.abort();
          },
        }),
      'INDEX_BUILD_CANCELLED',
    );
    console.log(`cancelled CONCURRENTLY build: ${e.message}\n${summary(log.events)}`);
    expect(e.details).toMatchObject({ index: 'op_big_hnsw_l2', concurrently: true, sqlState: '57014', droppedInvalidIndex: 'public.op_big_hnsw_l2' });
    expect(e.message).toMatch(/was cancelled\. The INVALID index public\.op_big_hnsw_l2 the failed CONCURRENTLY build left was dropped/);
    expect(log.events.some((p) => p.phase === 'loading tuples')).toBe(true);
    expect(log.events.at(-1)?.phase).not.toBe('done');
    expect(await indexState(database, 'op_big_hnsw_l2')).toBeUndefined();
    // The held connection's SET maintenance_work_mem did not reach the pool (it was discarded or RESET).
    const values = await Promise.all(Array.from({ length: 4 }, () => database.query<{ m: string }>(`SELECT current_setting('maintenance_work_mem') AS m`)));
    for (const v of values) expect(v[0]?.m).not.toBe('256MB');
  });

  it('postgres.js reads progress over a second connection too; a single pg.Client reports start and end only', async () => {
    const viaPostgresJs = await database.connect('postgres-js', { max: 3 });
    const log = progressLog();
    await database.query('DROP INDEX IF EXISTS op_big_ivf');
    const r = await buildIndex(viaPostgresJs.db, big, 'op_big_ivf', { pollIntervalMs: 20, onProgress: log.onProgress });
    console.log(`postgres.js IVFFlat: ${r.elapsedMs} ms, ${r.progressEvents} events\n${summary(log.events)}`);
    expect(log.events.some((e) => e.phase === 'loading tuples' || e.phase === 'assigning tuples')).toBe(true);
    expectMonotonic(log.events);
    await viaPostgresJs.close();

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const single = progressLog();
      const again = await rebuildIndex(drizzleNodePg({ client }), 'op_big_ivf', { onProgress: single.onProgress });
      expect(single.events.map((e) => e.phase)).toEqual(['start', 'done']);
      expect(again.progressEvents).toBe(2);
    } finally {
      await client.end();
    }
    await database.query('DROP INDEX op_big_ivf');
  });

  it('IVFFlat build and REINDEX CONCURRENTLY report pgvector’s IVFFlat phases', async () => {
    const build = progressLog();
    const r = await buildIndex(database.db, big, 'op_big_ivf', { maintenanceWorkMem: 'auto', pollIntervalMs: 20, onProgress: build.onProgress });
    console.log(`IVFFlat lists=100 ${ROWS}×${DIMS}: ${r.elapsedMs} ms, ${r.progressEvents} events\n${summary(build.events)}`);
    const rebuild = progressLog();
    const re = await rebuildIndex(database.db, 'op_big_ivf', { concurrently: true, maintenanceWorkMem: 'auto', pollIntervalMs: 20, onProgress: rebuild.onProgress });
    console.log(`REINDEX CONCURRENTLY IVFFlat: ${re.elapsedMs} ms, ${re.progressEvents} events\n${summary(rebuild.events)}`);
    for (const log of [build, rebuild]) {
      const vectorPhases = log.events.map((e) => e.phase).filter((p) => IVFFLAT_PHASES.includes(p));
      expect(vectorPhases).toContain('loading tuples');
      // In pgvector's order.
      const order = vectorPhases.map((p) => IVFFLAT_PHASES.indexOf(p));
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const moving = new Set(log.events.map((e) => e.fraction).filter((f) => f > 0 && f < 1));
      expect(moving.size).toBeGreaterThanOrEqual(2);
      expectMonotonic(log.events);
      expect(log.events.at(-1)).toMatchObject({ phase: 'done', fraction: 1 });
    }
    const loading = rebuild.events.filter((e) => e.phase === 'loading tuples');
    expect(loading.at(-1)!.tuplesTotal).toBe(ROWS);
    expect((await indexState(database, 'op_big_ivf'))?.valid).toBe(true);
  });
});
