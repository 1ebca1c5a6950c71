/**
 * `drizzle-pgvector tune` on a clustered 20,000-row data set (128-d, 40 clusters) on a real server: the setting it
 * returns must reach the target recall on held-out queries — its own validation half, and three fresh samples
 * measured here with `measureRecall` (each at least the target − 0.005). Needs DATABASE_URL (the data set and the HNSW build take a while on PGlite).
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { clusteredVectors } from '@drizzle-pgvector/testing/data';
import { measureRecall } from 'drizzle-pgvector';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddings } from './fixtures/clustered-schema.js';
import { CLI_ROOT, interruptCli, runCli } from './helpers/cli.js';

const url = process.env['DATABASE_URL'];
const SCHEMA = join(CLI_ROOT, 'test', 'fixtures', 'clustered-schema.ts');
const ROWS = 20_000;
const TARGET = 0.95;

describe.runIf(url !== undefined)('tune on 20,000 clustered vectors (server)', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await pool.query('create extension if not exists vector');
    await pool.query('drop schema if exists cli_tune cascade; create schema cli_tune; create table cli_tune.embeddings (id integer primary key, embedding vector(128) not null)');
    const { vectors } = clusteredVectors({ rows: ROWS, dimensions: 128, clusters: 40, seed: 11, spread: 0.25 });
    for (let start = 0; start < ROWS; start += 1000) {
      const batch = vectors.slice(start, start + 1000);
      await pool.query('insert into cli_tune.embeddings select * from unnest($1::int[], $2::vector[])', [
        batch.map((_, i) => start + i + 1),
        batch.map((v) => `[${v.join(',')}]`),
      ]);
    }
    await pool.query('analyze cli_tune.embeddings');
  }, 300_000);
  afterAll(async () => {
    await pool?.query('drop schema if exists cli_tune cascade');
    await pool?.end();
  });

  it('Ctrl-C during build cancels it: INDEX_BUILD_CANCELLED, exit 2, no index left', async () => {
    const run = await interruptCli(['build', 'embeddings_embedding_hnsw', '--url', url!, '--schema', SCHEMA], /loading tuples/);
    expect(run.interrupted, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('error INDEX_BUILD_CANCELLED');
    const { rows } = await pool.query(`select indexname from pg_indexes where schemaname = 'cli_tune' and indexname = 'embeddings_embedding_hnsw'`);
    expect(rows).toEqual([]);
  }, 600_000);

  it(`build, then tune --recall ${TARGET}: met on the held-out half and on three fresh held-out samples`, async () => {
    const built = await runCli(['build', 'embeddings_embedding_hnsw', '--url', url!, '--schema', SCHEMA, '--maintenance-work-mem', 'auto', '--json'], { timeoutMs: 600_000 });
    expect(built.code, built.stderr).toBe(0);
    const text = await runCli(['tune', 'cli_tune.embeddings.embedding', '--recall', String(TARGET), '--k', '10', '--sample', '400', '--url', url!, '--schema', SCHEMA], { timeoutMs: 600_000 });
    console.log(text.stdout);
    expect(text.code, text.stderr).toBe(0);
    const run = await runCli(['tune', 'cli_tune.embeddings.embedding', '--recall', String(TARGET), '--k', '10', '--sample', '400', '--url', url!, '--schema', SCHEMA, '--json'], { timeoutMs: 600_000 });
    const result = (run.json as { result: { met: boolean; value: number; recall: number; lowerBound: number; validationRecall: number; settings: { efSearch: number } } }).result;
    expect(result.met).toBe(true);
    expect(result.validationRecall).toBeGreaterThanOrEqual(TARGET);
    expect(result.lowerBound).toBeGreaterThanOrEqual(TARGET);
    expect(text.stdout).toContain(`settings: { efSearch: ${result.value} }`);
    // Three fresh samples (other seeds, 200 queries each) at the chosen setting: tuneSearch picks the smallest value
    // whose lower confidence bound reaches the target, so each must read at least the target − 0.005.
    const db = drizzle({ client: pool });
    const rows: string[] = [];
    const fresh: number[] = [];
    for (const seed of [99, 100, 101]) {
      const report = await measureRecall(db, embeddings.embedding, { sampleSize: 200, k: 10, seed, settings: result.settings });
      expect(report.usedIndexes).toEqual(['embeddings_embedding_hnsw']);
      fresh.push(report.recall);
      rows.push(`| ${seed} | 200 | ${report.recall.toFixed(4)} | ${report.standardError.toFixed(4)} | ${report.lowerBound.toFixed(4)} |`);
    }
    console.log(
      [
        `tuneSearch at ${TARGET} (400 sampled: 200 tuning + 200 validation): efSearch ${result.value}, tuning recall ${result.recall.toFixed(4)}, lower bound ${result.lowerBound.toFixed(4)}, validation ${result.validationRecall.toFixed(4)}`,
        '| fresh seed | queries | recall@10 | standard error | lower bound |',
        '|---|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
    for (const recall of fresh) expect(recall).toBeGreaterThanOrEqual(TARGET - 0.005);
  }, 900_000);
});
