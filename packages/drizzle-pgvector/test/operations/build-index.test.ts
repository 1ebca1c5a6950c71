/**
 * buildIndex on the current backend (PGlite by default, a server with PGVECTOR_TEST_BACKEND=url): drizzle-kit's
 * DDL plus IF NOT EXISTS, 'auto' maintenance_work_mem and its cap, settings scoped to the build, progress,
 * CONCURRENTLY, INVALID leftovers, and bad input rejected before any SQL.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { describeEachDriver } from '@drizzle-pgvector/testing/vitest';
import { asHalfvec, buildIndex, estimateIndexBuildMemory, hnswIndex, ivfflatIndex, rebuildIndex, replaceIndex, vector, type PgVectorErrorCode } from '../../src/index.js';
import { migrate } from '../../src/migrations/index.js';
import { expectCodeAsync } from '../helpers.js';
import { onKitLine } from '../../../../test/helpers/drizzle-kit.js';
import { createFilled, indexState, kitIndexStatement, lowMemoryDb, progressLog } from './fixtures.js';

const items = pgTable(
  'op_items',
  { id: serial('id').primaryKey(), lang: text('lang'), embedding: vector('embedding', { dimensions: 16 }) },
  (t) => [
    hnswIndex('op_items_hnsw').on(t.embedding, 'cosine').with({ m: 8, efConstruction: 32 }),
    ivfflatIndex('op_items_ivf').on(t.embedding, 'l2').with({ lists: 50 }),
    hnswIndex('op_items_half').on(asHalfvec(t.embedding), 'l2').where(sql`${t.lang} is null`),
    ivfflatIndex('op_items_ivf_conc').on(t.embedding, 'innerProduct').with({ lists: 50 }).concurrently(),
  ],
);
const plain = pgTable('op_plain', { id: integer('id'), label: text('label') });

let database: PgVectorTestDatabase;
beforeAll(async () => {
  database = await startTestDatabase({ serve: true }); // served: the driver loop below reaches it over a socket too
  await createFilled(database, items, 'op_items', 'embedding', 16, 5000);
}, 300_000);
afterAll(async () => {
  await database?.query('DROP TABLE IF EXISTS op_items');
  await database?.close();
});

describe('buildIndex: the schema’s index, drizzle-kit’s DDL', () => {
  it('builds HNSW with drizzle-kit’s statement plus IF NOT EXISTS; a second call finds it and runs nothing', async () => {
    const kit = await kitIndexStatement(items, 'op_items_hnsw');
    const log = progressLog();
    const r = await buildIndex(database.db, items, 'op_items_hnsw', { onProgress: log.onProgress });
    expect(r.status).toBe('built');
    expect(r.sql).toBe(kit.replace('CREATE INDEX ', 'CREATE INDEX IF NOT EXISTS '));
    expect(r.sql).toBe(onKitLine(['CREATE INDEX IF NOT EXISTS "op_items_hnsw" ON "op_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=8,ef_construction=32);'])[0]);
    expect(await indexState(database, 'op_items_hnsw')).toMatchObject({ valid: true, method: 'hnsw' });
    expect(r.maintenanceWorkMem).toBeUndefined();
    expect(r.elapsedMs).toBeGreaterThan(0);
    // Progress: first 'start', last 'done' at 1; on PGlite (one connection) nothing in between.
    expect(log.events[0]).toMatchObject({ phase: 'start', fraction: 0 });
    expect(log.events.at(-1)).toMatchObject({ phase: 'done', fraction: 1, etaMs: 0 });
    if (database.backend === 'pglite') expect(log.events.map((e) => e.phase)).toEqual(['start', 'done']);
    expect(r.progressEvents).toBe(log.events.length);
    // HNSW reports no tuples_total: the table's row estimate is the total from the start, and 'done' completes the
    // counts (before: tuplesTotal 0 throughout and 'done' back at tuplesDone 0).
    expect(log.events[0]).toMatchObject({ tuplesDone: 0, tuplesTotal: 5000 });
    expect(log.events.at(-1)).toMatchObject({ tuplesDone: 5000, tuplesTotal: 5000 });
    for (const e of log.events) expect(e.tuplesTotal).toBeGreaterThanOrEqual(e.tuplesDone);
    for (let i = 1; i < log.events.length; i++) expect(log.events[i]!.tuplesDone).toBeGreaterThanOrEqual(log.events[i - 1]!.tuplesDone);

    const again = await buildIndex(database.db, items, 'op_items_hnsw', { onProgress: log.onProgress });
    expect(again).toMatchObject({ status: 'exists', progressEvents: 0, elapsedMs: 0 });
    expect(log.events.length).toBe(r.progressEvents);
  });

  it('builds IVFFlat and a partial halfvec expression index exactly as declared', async () => {
    const ivf = await buildIndex(database.db, items, 'op_items_ivf');
    expect(ivf.sql).toBe((await kitIndexStatement(items, 'op_items_ivf')).replace('CREATE INDEX ', 'CREATE INDEX IF NOT EXISTS '));
    expect((await indexState(database, 'op_items_ivf'))?.def).toMatch(/USING ivfflat \(embedding(?: vector_l2_ops)?\) WITH \(lists='?50'?\)$/);
    const half = await buildIndex(database.db, items, 'op_items_half');
    expect(half.sql).toBe((await kitIndexStatement(items, 'op_items_half')).replace('CREATE INDEX ', 'CREATE INDEX IF NOT EXISTS '));
    expect((await indexState(database, 'op_items_half'))?.def).toMatch(/USING hnsw \(\(\(?embedding\)?::halfvec\(16\)\) halfvec_l2_ops\) WHERE \(lang IS NULL\)/);
  });
});

// The paths where drivers differ: a connection held outside a transaction (CONCURRENTLY), a savepoint in the caller's
// transaction. Each driver's client has one connection, so its session is the one the build used.
describeEachDriver(
  'buildIndex through each driver',
  (ctx) => {
    it('CONCURRENTLY (declared with .concurrently(), or asked for) runs outside a transaction on one connection and resets its settings', async () => {
      await database.query('DROP INDEX IF EXISTS op_items_ivf_conc');
      const settings = `SELECT current_setting('maintenance_work_mem') AS mwm, current_setting('max_parallel_maintenance_workers') AS w`;
      const [before] = await database.query<{ mwm: string; w: string }>(settings);
      const r = await buildIndex(ctx.db, items, 'op_items_ivf_conc', { maintenanceWorkMem: '32MB', parallelWorkers: 1 });
      expect(r.sql).toMatch(/^CREATE INDEX CONCURRENTLY IF NOT EXISTS "op_items_ivf_conc" ON "op_items" USING ivfflat \("embedding" vector_ip_ops\) WITH \(lists=50\);$/);
      expect(r).toMatchObject({ status: 'built', maintenanceWorkMem: '32MB', parallelWorkers: 1 });
      expect((await indexState(database, 'op_items_ivf_conc'))?.valid).toBe(true);
      await database.query('DROP INDEX IF EXISTS op_items_hnsw');
      const forced = await buildIndex(ctx.db, items, 'op_items_hnsw', { concurrently: true, maintenanceWorkMem: '48MB' });
      expect(forced.sql.startsWith('CREATE INDEX CONCURRENTLY IF NOT EXISTS "op_items_hnsw"')).toBe(true);
      expect((await indexState(database, 'op_items_hnsw'))?.valid).toBe(true);
      // The session-level SET on the held connection was RESET: the server's value again (no pooled leftovers), on
      // the driver's own connection and on the test database's.
      expect(before?.mwm).not.toBe('32MB');
      expect(await database.query(settings)).toEqual([before]);
      expect(rowsOf(await ctx.db.execute(sql.raw(settings)))).toEqual([before]);
    });

    it('inside a transaction: builds (in a savepoint) and commits with the caller; CONCURRENTLY there is refused before any SQL', async () => {
      await database.query('DROP INDEX IF EXISTS op_items_ivf');
      const r = await ctx.db.transaction(async (tx) => {
        const e = await expectCodeAsync(() => buildIndex(tx, items, 'op_items_ivf_conc'), 'TRANSACTION_NOT_ALLOWED');
        expect(e.message).toMatch(/"op_items_ivf_conc" is built CONCURRENTLY, which PostgreSQL cannot run inside a transaction/);
        await expectCodeAsync(() => rebuildIndex(tx, 'op_items_ivf_conc', { concurrently: true }), 'TRANSACTION_NOT_ALLOWED');
        return buildIndex(tx, items, 'op_items_ivf', { maintenanceWorkMem: '16MB' });
      });
      expect(r.status).toBe('built');
      expect((await indexState(database, 'op_items_ivf'))?.valid).toBe(true);
    });
  },
  { database: () => database },
);

describe("buildIndex: maintenance_work_mem 'auto', its cap, and settings scoped to the build", () => {
  const small = pgTable('op_small', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 16 }) }, (t) => [
    ivfflatIndex('op_small_ivf').on(t.embedding, 'l2').with({ lists: 50 }),
    hnswIndex('op_small_hnsw').on(t.embedding, 'l2'),
  ]);
  let low: Awaited<ReturnType<typeof lowMemoryDb>>;
  let serverVersion: number;
  beforeAll(async () => {
    await createFilled(database, small, 'op_small', 'embedding', 16, 5000);
    low = await lowMemoryDb(database);
    serverVersion = Number((await database.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0]!.v);
  });
  afterAll(async () => {
    await low?.close();
    await database.query('DROP TABLE IF EXISTS op_small');
  });

  it('IVFFlat: with the session’s 1MB pgvector refuses; auto sizes it from the estimate and the row count and builds', async () => {
    expect(await low.show('maintenance_work_mem')).toEqual(expect.arrayContaining(['1MB']));
    const refused = await expectCodeAsync(() => buildIndex(low.db, small, 'op_small_ivf'), 'INDEX_BUILD_FAILED');
    expect(refused.message).toMatch(/memory required is 2 MB, maintenance_work_mem is 1 MB/);
    expect(refused.details).toMatchObject({ index: 'op_small_ivf', sqlState: '54000', droppedInvalidIndex: null });
    expect(await indexState(database, 'op_small_ivf')).toBeUndefined();

    const pages = Number((await database.query<{ p: string }>(`SELECT pg_relation_size('op_small') / 8192 AS p`))[0]!.p);
    const bits = database.backend === 'pglite' ? 32 : 64;
    const expected = estimateIndexBuildMemory({ method: 'ivfflat', type: 'vector', dimensions: 16, rows: 5000, lists: 50, heapPages: pages, serverVersion, serverBits: bits });
    const r = await buildIndex(low.db, small, 'op_small_ivf', { maintenanceWorkMem: 'auto' });
    expect(r.status).toBe('built');
    expect(r.maintenanceWorkMem).toBe(expected.maintenanceWorkMem);
    expect(r.maintenanceWorkMem).toBe('2MB');
    expect(r.estimate?.bytes).toBe(expected.bytes);
    expect((await indexState(database, 'op_small_ivf'))?.valid).toBe(true);
    // Scoped: every connection still has its own 1MB afterwards.
    expect(new Set(await low.show('maintenance_work_mem'))).toEqual(new Set(['1MB']));
  });

  it('HNSW: auto uses the estimate for the rows in the table (more than the session’s 1MB)', async () => {
    const bits = database.backend === 'pglite' ? 32 : 64;
    const expected = estimateIndexBuildMemory({ method: 'hnsw', type: 'vector', dimensions: 16, rows: 5000, m: 16, parallelWorkers: 1, serverVersion, serverBits: bits });
    const workers = await low.show('max_parallel_maintenance_workers');
    const r = await buildIndex(low.db, small, 'op_small_hnsw', { maintenanceWorkMem: 'auto', parallelWorkers: 1 });
    expect(r.maintenanceWorkMem).toBe(expected.maintenanceWorkMem);
    expect(r.estimate?.method).toBe('hnsw');
    expect(r.parallelWorkers).toBe(1);
    expect(workers).not.toContain('1');
    expect(new Set(await low.show('maintenance_work_mem'))).toEqual(new Set(['1MB']));
    expect(await low.show('max_parallel_maintenance_workers')).toEqual(workers);
  });

  it('an estimate above maxMaintenanceWorkMem is INDEX_BUILD_MEMORY_EXCEEDED and changes nothing', async () => {
    await database.query('DROP INDEX op_small_ivf');
    const e = await expectCodeAsync(() => buildIndex(low.db, small, 'op_small_ivf', { maintenanceWorkMem: 'auto', maxMaintenanceWorkMem: '1MB' }), 'INDEX_BUILD_MEMORY_EXCEEDED');
    expect(e.details).toMatchObject({ needed: '2MB', max: '1MB', rows: 5000, method: 'ivfflat' });
    expect(e.message).toMatch(/needs about 2MB of maintenance_work_mem, above the maximum 1MB \(maxMaintenanceWorkMem\)/);
    expect(await indexState(database, 'op_small_ivf')).toBeUndefined();
  });
});

describe('buildIndex: failed CONCURRENTLY builds and INVALID leftovers', () => {
  const t = pgTable('op_conc', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 16 }) }, (c) => [
    ivfflatIndex('op_conc_ivf').on(c.embedding, 'l2').with({ lists: 200 }),
  ]);
  beforeAll(async () => {
    await createFilled(database, t, 'op_conc', 'embedding', 16, 5000);
  });
  afterAll(async () => {
    await database.query('DROP TABLE IF EXISTS op_conc');
  });

  it('a CONCURRENTLY build the server refuses leaves an INVALID index: it is dropped and the error says so', async () => {
    const e = await expectCodeAsync(() => buildIndex(database.db, t, 'op_conc_ivf', { concurrently: true, maintenanceWorkMem: '1MB' }), 'INDEX_BUILD_FAILED');
    expect(e.details).toMatchObject({ index: 'op_conc_ivf', concurrently: true, droppedInvalidIndex: 'public.op_conc_ivf', sqlState: '54000' });
    expect(e.message).toMatch(/memory required is \d+ MB/);
    expect(e.message).toMatch(/The INVALID index public\.op_conc_ivf the failed CONCURRENTLY build left was dropped/);
    expect(await indexState(database, 'op_conc_ivf')).toBeUndefined();
  });

  it('an INVALID index of the same name (from an earlier failure) is dropped and rebuilt; IF NOT EXISTS alone would keep it', async () => {
    await database.query(`SET maintenance_work_mem = '1MB'`);
    await expect(database.query(`CREATE INDEX CONCURRENTLY op_conc_ivf ON op_conc USING ivfflat (embedding vector_l2_ops) WITH (lists = 200)`)).rejects.toThrow(
      /memory required/,
    );
    await database.query('RESET maintenance_work_mem');
    expect(await indexState(database, 'op_conc_ivf')).toMatchObject({ valid: false });
    const r = await buildIndex(database.db, t, 'op_conc_ivf', { maintenanceWorkMem: 'auto' });
    expect(r).toMatchObject({ status: 'built', droppedInvalid: true });
    expect((await indexState(database, 'op_conc_ivf'))?.valid).toBe(true);
  });
});

describe('buildIndex: bad input is rejected before any SQL', () => {
  const queries: string[] = [];
  const mock = drizzle.mock({ logger: { logQuery: (q: string) => void queries.push(q) } });
  const cases: { name: string; run: () => Promise<unknown>; code: PgVectorErrorCode; check?: (message: string, details: Record<string, unknown>) => void }[] = [
    {
      name: 'an index name the table does not declare (the declared ones are listed)',
      run: () => buildIndex(mock, items, 'op_items_nope'),
      code: 'UNKNOWN_INDEX',
      check: (m, d) => {
        expect(m).toMatch(/"op_items" declares no vector index named "op_items_nope"\. Declared vector indexes: "op_items_hnsw", "op_items_ivf", "op_items_half", "op_items_ivf_conc"/);
        expect(d['declared']).toEqual(['op_items_hnsw', 'op_items_ivf', 'op_items_half', 'op_items_ivf_conc']);
      },
    },
    { name: 'an empty index name', run: () => buildIndex(mock, items, ''), code: 'UNKNOWN_INDEX' },
    {
      name: 'a table without vector columns',
      run: () => buildIndex(mock, plain, 'op_plain_idx'),
      code: 'NO_VECTOR_COLUMNS',
      check: (m) => expect(m).toMatch(/table "op_plain" has no vector columns/),
    },
    { name: 'not a table', run: () => buildIndex(mock, {} as never, 'x'), code: 'INVALID_OPERATION_OPTION' },
    {
      name: "a maintenanceWorkMem that is not PostgreSQL's syntax",
      run: () => buildIndex(mock, items, 'op_items_hnsw', { maintenanceWorkMem: '2gb' as never }),
      code: 'INVALID_MEMORY_SIZE',
      check: (m) => expect(m).toMatch(/2gb/),
    },
    { name: 'a maintenanceWorkMem below the minimum', run: () => buildIndex(mock, items, 'op_items_hnsw', { maintenanceWorkMem: '512kB' }), code: 'INVALID_MEMORY_SIZE' },
    { name: 'a bad maxMaintenanceWorkMem', run: () => buildIndex(mock, items, 'op_items_hnsw', { maintenanceWorkMem: 'auto', maxMaintenanceWorkMem: 'lots' as never }), code: 'INVALID_MEMORY_SIZE' },
    {
      name: 'parallelWorkers not an integer 0..1024',
      run: () => buildIndex(mock, items, 'op_items_hnsw', { parallelWorkers: 1.5 }),
      code: 'INVALID_OPERATION_OPTION',
      check: (m, d) => {
        expect(m).toMatch(/parallelWorkers must be an integer from 0 to 1024 \(max_parallel_maintenance_workers\), got number 1\.5/);
        expect(d).toMatchObject({ option: 'parallelWorkers', min: 0, max: 1024 });
      },
    },
    { name: 'parallelWorkers negative', run: () => buildIndex(mock, items, 'op_items_hnsw', { parallelWorkers: -1 }), code: 'INVALID_OPERATION_OPTION' },
    { name: 'parallelWorkers above 1024', run: () => buildIndex(mock, items, 'op_items_hnsw', { parallelWorkers: 1025 }), code: 'INVALID_OPERATION_OPTION' },
    {
      name: 'a signal that has already fired',
      run: () => buildIndex(mock, items, 'op_items_hnsw', { signal: AbortSignal.abort('user left') }),
      code: 'INDEX_BUILD_CANCELLED',
      check: (m) => expect(m).toMatch(/already aborted; nothing was run/),
    },
    { name: 'a signal that is not an AbortSignal', run: () => buildIndex(mock, items, 'op_items_hnsw', { signal: {} as never }), code: 'INVALID_OPERATION_OPTION' },
    { name: 'onProgress not a function', run: () => buildIndex(mock, items, 'op_items_hnsw', { onProgress: 'log' as never }), code: 'INVALID_OPERATION_OPTION' },
    ...(
      [
        ['buildIndex', () => buildIndex(mock, items, 'op_items_hnsw', { pollIntervalMs: 5 })],
        ['replaceIndex', () => replaceIndex(mock, items, 'op_items_hnsw', { pollIntervalMs: 5 })],
        ['rebuildIndex', () => rebuildIndex(mock, 'op_items_hnsw', { pollIntervalMs: 5 })],
        ['migrate replaceIndexes', () => migrate(mock, { migrationsFolder: '/nonexistent', replaceIndexes: { pollIntervalMs: 5 } })],
      ] as const
    ).map(([fn, run]) => ({
      name: `${fn}: pollIntervalMs out of range (one rule for every build)`,
      run,
      code: 'INVALID_OPERATION_OPTION' as const,
      check: (m: string, d: Record<string, unknown>) => {
        expect(m).toContain(`${fn}: pollIntervalMs must be an integer from 10 to 60000 (milliseconds between progress reads), got number 5.`);
        expect(d).toMatchObject({ option: 'pollIntervalMs' });
      },
    })),
    { name: 'concurrently not a boolean', run: () => buildIndex(mock, items, 'op_items_hnsw', { concurrently: 'yes' as never }), code: 'INVALID_OPERATION_OPTION' },
    { name: 'options not an object', run: () => buildIndex(mock, items, 'op_items_hnsw', 'auto' as never), code: 'INVALID_OPERATION_OPTION' },
    ...(
      [
        ['concurrenty', 'concurrently'],
        ['maintenanceWorkMemory', 'maintenanceWorkMem'],
        ['onProgres', 'onProgress'],
        ['parallel_workers', 'parallelWorkers'],
      ] as const
    ).map(([typo, meant]) => ({
      name: `a misspelled option '${typo}' (did you mean '${meant}')`,
      run: () => buildIndex(mock, items, 'op_items_hnsw', { [typo]: true } as never),
      code: 'INVALID_OPERATION_OPTION' as const,
      check: (m: string, d: Record<string, unknown>) => {
        expect(m).toContain(`buildIndex: unknown option '${typo}'. Did you mean '${meant}'? Options: concurrently, onProgress, signal, pollIntervalMs, maintenanceWorkMem`);
        expect(d).toMatchObject({ option: typo, suggestion: meant });
      },
    })),
    { name: 'an unknown option nothing is near', run: () => buildIndex(mock, items, 'op_items_hnsw', { verbose: true } as never), code: 'INVALID_OPERATION_OPTION', check: (m) => expect(m).not.toContain('Did you mean') },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.code}`, async () => {
      queries.length = 0;
      const e = await expectCodeAsync(c.run, c.code);
      c.check?.(e.message, e.details as Record<string, unknown>);
      expect(queries).toEqual([]);
    });
  }

  it('on the real database an unknown name changes nothing', async () => {
    const before = await database.query<{ n: string }>(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'op_items'`);
    await expectCodeAsync(() => buildIndex(database.db, items, 'op_items_nope', { maintenanceWorkMem: 'auto' }), 'UNKNOWN_INDEX');
    expect(await database.query(`SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'op_items'`)).toEqual(before);
  });
});

describe('buildIndex: cancelled before the statement runs', () => {
  it('a signal fired from the start event cancels the build before CREATE INDEX is sent: INDEX_BUILD_CANCELLED, nothing built', async () => {
    await database.query('DROP INDEX IF EXISTS op_items_hnsw');
    const controller = new AbortController();
    const log = progressLog();
    const e = await expectCodeAsync(
      () =>
        buildIndex(database.db, items, 'op_items_hnsw', {
          signal: controller.signal,
          onProgress: (p) => {
            log.onProgress(p);
            if (p.phase === 'start') controller.abort();
          },
        }),
      'INDEX_BUILD_CANCELLED',
    );
    expect(e.message).toMatch(/buildIndex\("op_items_hnsw"\) was cancelled\. The transaction was rolled back: nothing was left behind/);
    expect(log.events.map((x) => x.phase)).toEqual(['start']);
    expect(await indexState(database, 'op_items_hnsw')).toBeUndefined();
  });
});
