/**
 * Changing a vector index without downtime (issue 18): the schema's HNSW `m`, IVFFlat `lists` and a partial
 * index's WHERE change, real `drizzle-kit generate` writes `DROP INDEX "x"; CREATE INDEX "x" …`, and migrate()
 * builds the new definition CONCURRENTLY under a temporary name, checks it, drops the old one CONCURRENTLY and
 * renames the new one into place.
 *
 * On a server (DATABASE_URL / PGVECTOR_TEST_BACKEND=url) each migration runs while another pool searches (every
 * search's plan sampled with EXPLAIN) and inserts in a loop, and a build is killed with pg_terminate_backend. On
 * PGlite (one connection: nothing runs beside the migration) the result and the statement sequence are checked,
 * and the build is cancelled instead.
 */
import { join } from 'node:path';
import { onServer, rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { sql } from 'drizzle-orm';
import { PgVectorError } from 'drizzle-pgvector';
import { migrate, type MigrateConfig, type MigrateResult } from 'drizzle-pgvector/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzleKit, FIXTURES, onKitLine, tempDir, writeConfig } from './helpers/drizzle-kit.js';

const SCHEMA = join(FIXTURES, 'zero-downtime.ts');
const migrationsTable = '__zd_migrations';
/** Whether this runs on a server (a backend there can be terminated; builds are slower). */
const server = onServer();
/** Enough rows on a server that a build takes seconds (the load and the kill need time); fewer on PGlite. */
const ROWS = server ? 6_000 : 2_000;
/** A shared 2-core machine builds 10,000 × 32-d HNSW in ~15 s under load. */
const TIMEOUT = 300_000;
const VECTOR = `'[${Array.from({ length: 32 }, (_, i) => ((i * 7) % 10) / 10).join(',')}]'`;
const RANDOM_VECTOR = `array(SELECT random() FROM generate_series(1, 32) WHERE g > 0)::vector`;

let database: PgVectorTestDatabase;
const work = tempDir('zero-downtime');
const out = join(work.path, 'drizzle');

async function query<T extends Record<string, unknown>>(text: string): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(sql.raw(text)));
}

/** The schema moves to `state` (see fixtures/zero-downtime.ts) and drizzle-kit generates the migration. */
async function generate(state: string): Promise<string[]> {
  process.env['PGVECTOR_TEST_ZD_STATE'] = state;
  const run = await drizzleKit(['generate', '--name', state], writeConfig(work.path, { schema: SCHEMA, out }));
  expect(run.code, run.output).toBe(0);
  return run.output.split('\n');
}

/** zd_items' indexes: name → valid, definition. */
async function indexes(): Promise<Record<string, { valid: boolean; def: string }>> {
  const rows = await query<{ name: string; valid: boolean | string; def: string }>(
    `SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(c.oid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'zd_items'::regclass ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, { valid: r.valid === true || r.valid === 't', def: r.def }]));
}

async function recorded(): Promise<number> {
  return (await query<{ n: number }>(`SELECT count(*)::int AS n FROM drizzle.${migrationsTable}`))[0]!.n;
}

const run = (options: Partial<MigrateConfig> = {}): Promise<MigrateResult> =>
  migrate(database.db, { migrationsFolder: out, migrationsTable, ensureExtension: false, ...options });

interface Load {
  searches: number;
  inserts: number;
  plans: number;
  failures: string[];
  plansWithoutIndex: string[];
}

/** Run `fn` while another pool searches (EXPLAIN sampled every time) and inserts in a loop. */
async function underLoad<T>(probe: { sql: string; index: RegExp }, fn: () => Promise<T>): Promise<{ result: T; load: Load; ms: number }> {
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined);
  const load: Load = { searches: 0, inserts: 0, plans: 0, failures: [], plansWithoutIndex: [] };
  let stop = false;
  const pause = () => new Promise((r) => setTimeout(r, 5));
  const searcher = (async () => {
    while (!stop) {
      const client = await pool.connect();
      try {
        // enable_seqscan = off takes the cost model's coin tosses out; it cannot make an index appear.
        await client.query('BEGIN; SET LOCAL enable_seqscan = off');
        const plan = (await client.query(`EXPLAIN ${probe.sql}`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
        load.plans++;
        if (!probe.index.test(plan)) load.plansWithoutIndex.push(plan);
        await client.query(probe.sql);
        await client.query('COMMIT');
        load.searches++;
      } catch (error) {
        load.failures.push(`search: ${String(error)}`);
        await client.query('ROLLBACK').catch(() => undefined);
      } finally {
        client.release();
      }
      await pause();
    }
  })();
  const inserter = (async () => {
    while (!stop) {
      try {
        await pool.query(`INSERT INTO zd_items (lang, embedding) SELECT 'en', ${RANDOM_VECTOR} FROM generate_series(1, 1) g`);
        load.inserts++;
      } catch (error) {
        load.failures.push(`insert: ${String(error)}`);
      }
      await pause();
    }
  })();
  await new Promise((r) => setTimeout(r, 200)); // the load is running before the migration starts
  const started = Date.now();
  try {
    const result = await fn();
    return { result, load, ms: Date.now() - started };
  } finally {
    stop = true;
    await Promise.all([searcher, inserter]);
    await pool.end();
  }
}

beforeAll(async () => {
  database = await startTestDatabase();
  await database.reset();
  await query(`DROP SCHEMA IF EXISTS drizzle CASCADE`);
  await generate('base');
  await run();
  await query(`INSERT INTO zd_items (lang, embedding) SELECT CASE WHEN g % 2 = 0 THEN 'en' ELSE 'de' END, ${RANDOM_VECTOR} FROM generate_series(1, ${ROWS}) g`);
  await query('ANALYZE zd_items');
}, 600_000);

afterAll(async () => {
  await query('DROP TABLE IF EXISTS zd_items').catch(() => undefined);
  await database?.close();
  work.remove();
});

const CASES = [
  {
    state: 'm',
    index: 'zd_items_hnsw',
    statement: 'CREATE INDEX CONCURRENTLY "zd_items_hnsw_pgv_new" ON "zd_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=24)',
    def: /USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?24'?\)$/,
    probe: { sql: `SELECT id FROM zd_items ORDER BY embedding <=> ${VECTOR} LIMIT 10`, index: /Index Scan using zd_items_hnsw(_pgv_new)? on zd_items/ },
  },
  {
    state: 'lists',
    index: 'zd_items_ivf',
    statement: 'CREATE INDEX CONCURRENTLY "zd_items_ivf_pgv_new" ON "zd_items" USING ivfflat ("embedding" vector_l2_ops) WITH (lists=20)',
    def: /USING ivfflat \(embedding(?: vector_l2_ops)?\) WITH \(lists='?20'?\)$/,
    probe: { sql: `SELECT id FROM zd_items ORDER BY embedding <-> ${VECTOR} LIMIT 10`, index: /Index Scan using zd_items_ivf(_pgv_new)? on zd_items/ },
  },
  {
    state: 'where',
    index: 'zd_items_part',
    statement: `CREATE INDEX CONCURRENTLY "zd_items_part_pgv_new" ON "zd_items" USING hnsw ("embedding" vector_ip_ops) WHERE "zd_items"."lang" in ('en', 'de')`,
    def: /USING hnsw \(embedding vector_ip_ops\) WHERE \(lang = ANY \(ARRAY\['en'::text, 'de'::text\]\)\)$/,
    probe: { sql: `SELECT id FROM zd_items WHERE lang = 'en' ORDER BY embedding <#> ${VECTOR} LIMIT 10`, index: /Index Scan using zd_items_part(_pgv_new)? on zd_items/ },
  },
] as const;

describe('migrate() replaces a changed vector index without downtime', () => {
  it.each(CASES)('$state: drizzle-kit DROP + CREATE runs as build CONCURRENTLY, drop CONCURRENTLY, rename', async (c) => {
    await generate(c.state);
    const before = await recorded();
    const { result, load, ms } = server ? await underLoad(c.probe, () => run()) : { result: await run(), load: undefined, ms: 0 };
    const [applied] = result.applied;
    expect(applied!.tag).toMatch(new RegExp(`_${c.state}$`));
    const [replaced] = applied!.replacedIndexes;
    expect(replaced).toMatchObject({ name: c.index, temporary: `${c.index}_pgv_new`, status: 'replaced' });
    expect(replaced!.statements).toEqual([
      onKitLine([c.statement])[0],
      `DROP INDEX CONCURRENTLY IF EXISTS "public"."${c.index}"`,
      `ALTER INDEX "public"."${c.index}_pgv_new" RENAME TO "${c.index}"`,
    ]);
    // 'auto' memory sizing from the statement and the old index's dimensions.
    expect(replaced!.maintenanceWorkMem).toMatch(/^\d+(kB|MB|GB)$/);
    expect(await recorded()).toBe(before + 1);
    const after = await indexes();
    expect(after[c.index]).toMatchObject({ valid: true, def: expect.stringMatching(c.def) });
    expect(Object.keys(after)).toEqual(['zd_items_hnsw', 'zd_items_ivf', 'zd_items_part', 'zd_items_pkey']);
    expect(Object.values(after).every((i) => i.valid)).toBe(true);
    if (load !== undefined) {
      console.log(JSON.stringify({ migration: applied!.tag, ms, buildMs: replaced!.elapsedMs, searches: load.searches, inserts: load.inserts, plansSampled: load.plans }));
      expect(load.failures).toEqual([]);
      expect(load.plansWithoutIndex).toEqual([]);
      expect(load.searches).toBeGreaterThan(0);
      expect(load.inserts).toBeGreaterThan(0);
    }
  }, TIMEOUT);
});

describe('a replacement that does not finish', () => {
  it(server ? 'the build killed midway (pg_terminate_backend): old index intact, not recorded; a rerun completes' : 'the build cancelled: old index intact, not recorded; a rerun completes', async () => {
    await generate('m32');
    const before = await indexes();
    const count = await recorded();
    let error: unknown;
    if (server) {
      const pending = run().catch((e: unknown) => e);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        let killed = 0;
        for (let tries = 0; tries < 600 && killed === 0; tries++) {
          const rows = await admin.query(
            `SELECT pg_terminate_backend(p.pid) AS t FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid
              WHERE a.query LIKE 'CREATE INDEX CONCURRENTLY "zd_items_hnsw_pgv_new"%' AND p.phase LIKE 'building index%' AND p.tuples_done > 0`,
          );
          killed = rows.rowCount ?? 0;
          if (killed === 0) await new Promise((r) => setTimeout(r, 20));
        }
        expect(killed, 'the build was seen running and killed').toBe(1);
      } finally {
        await admin.end();
      }
      error = await pending;
    } else {
      const controller = new AbortController();
      error = await run({ replaceIndexes: { onProgress: (_index, p) => p.phase === 'start' && controller.abort(), signal: controller.signal } }).catch((e: unknown) => e);
    }
    expect(PgVectorError.is(error, 'MIGRATION_FAILED'), String(error)).toBe(true);
    const failure = error as PgVectorError;
    expect(failure.details).toMatchObject(
      server ? { phase: 'replace-index', index: 'zd_items_hnsw', reason: 'CONNECTION_LOST', sqlState: '57P01' } : { phase: 'replace-index', index: 'zd_items_hnsw', reason: 'INDEX_BUILD_CANCELLED' },
    );
    expect(failure.message).toContain('the migration is not recorded');
    expect(await indexes()).toEqual(before); // old index intact, no INVALID zd_items_hnsw_pgv_new
    expect(await recorded()).toBe(count);

    const rerun = await run();
    expect(rerun.applied.map((m) => m.replacedIndexes.map((r) => r.status))).toEqual([['replaced']]);
    expect((await indexes())['zd_items_hnsw']).toMatchObject({ valid: true, def: expect.stringMatching(/WITH \(m='?32'?\)$/) });
    expect(await recorded()).toBe(count + 1);
  }, TIMEOUT);

  it('replaceIndexes: false runs drizzle-kit\'s statements as written', async () => {
    await generate('m8');
    const result = await run({ replaceIndexes: false });
    expect(result.applied[0]).toMatchObject({ outsideTransaction: [], replacedIndexes: [] });
    expect((await indexes())['zd_items_hnsw']).toMatchObject({ valid: true, def: expect.stringMatching(/WITH \(m='?8'?\)$/) });
  }, TIMEOUT);

  it('a cancelled replacement resumed with replaceIndexes: false runs the DROP it had left to the swap, then the CREATE', async () => {
    await generate('m12');
    const controller = new AbortController();
    const cancelled = await run({ replaceIndexes: { onProgress: (_index, p) => p.phase === 'start' && controller.abort(), signal: controller.signal } }).catch((e: unknown) => e);
    expect(PgVectorError.is(cancelled, 'MIGRATION_FAILED') && cancelled.details['reason']).toBe('INDEX_BUILD_CANCELLED');
    const result = await run({ replaceIndexes: false });
    expect(result.applied[0]).toMatchObject({ resumedAt: 1, outsideTransaction: [], replacedIndexes: [] });
    expect((await indexes())['zd_items_hnsw']).toMatchObject({ valid: true, def: expect.stringMatching(/WITH \(m='?12'?\)$/) });
  }, TIMEOUT);

  it('rejects unknown replaceIndexes options before any SQL', async () => {
    const error = await run({ replaceIndexes: { maintenanceWorkMemory: 'auto' } as never }).catch((e: unknown) => e);
    expect(PgVectorError.is(error, 'INVALID_OPERATION_OPTION')).toBe(true);
    expect((error as Error).message).toMatch(/unknown option 'maintenanceWorkMemory'\. Did you mean 'maintenanceWorkMem'\?/);
  });
});
