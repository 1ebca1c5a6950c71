import { integer, pgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusUrl } from '@drizzle-pgvector/testing';
import { PgVectorError, vector } from '../../src/index.js';
import { copyRows } from '../../src/pg.js';

/**
 * copyRows through a Citus coordinator (CITUS_URL; see test/settings/citus.test.ts): into a hash-distributed table
 * (the coordinator routes each row to its shard) and a reference table (every node gets every row), all or nothing
 * across shards. With DATABASE_URL as well, the same load into a plain table on that single server, for the rate.
 * Without CITUS_URL these are skipped.
 */
const url = citusUrl();
const single = process.env['DATABASE_URL'];
const ROWS = 20_000;
const DIMS = 64;

const items = pgTable('copy_citus', { tenant: integer('tenant').notNull(), id: integer('id').notNull(), embedding: vector('embedding', { dimensions: DIMS }).notNull() });
const labels = pgTable('copy_citus_ref', { id: integer('id').notNull(), embedding: vector('embedding', { dimensions: DIMS }).notNull() });

function* rows(count: number, duplicateAt?: number): Generator<{ tenant: number; id: number; embedding: number[] }> {
  for (let i = 0; i < count; i++) {
    const id = duplicateAt !== undefined && i === duplicateAt ? 0 : i; // (tenant 0, id 0) again: a unique violation on one shard
    yield { tenant: id % 16, id, embedding: Array.from({ length: DIMS }, (_, d) => ((i * 31 + d * 7) % 97) / 97) };
  }
}

async function load(pool: pg.Pool, table: typeof items, create: string[]): Promise<{ rows: number; ms: number }> {
  for (const s of create) await pool.query(s);
  const started = performance.now();
  const r = await copyRows(pool, table, rows(ROWS));
  return { rows: r.rows, ms: performance.now() - started };
}

describe.runIf(url !== undefined)('Citus: copyRows through the coordinator', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await pool.query('drop table if exists copy_citus, copy_citus_ref');
  });
  afterAll(async () => {
    await pool?.query('drop table if exists copy_citus, copy_citus_ref');
    await pool?.end();
  });

  const shardCounts = async (table: string): Promise<number[]> => {
    const { rows: r } = await pool.query<{ result: string }>(`select result from run_command_on_shards('${table}', $$select count(*) from %s$$) order by shardid`);
    return r.map((x) => Number(x.result));
  };

  it(`a distributed table: ${ROWS} rows spread over its shards; a duplicate key on one shard writes nothing anywhere`, async () => {
    const r = await load(pool, items, [
      `create table copy_citus (tenant integer not null, id integer not null, embedding vector(${DIMS}) not null, primary key (tenant, id))`,
      `select create_distributed_table('copy_citus', 'tenant')`,
    ]);
    expect(r.rows).toBe(ROWS);
    const counts = await shardCounts('copy_citus');
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ROWS);
    const rate = Math.round(r.rows / (r.ms / 1000));
    let singleRate: number | undefined;
    if (single !== undefined) {
      const local = new pg.Pool({ connectionString: single, max: 2 });
      try {
        await local.query('drop table if exists copy_citus');
        const s = await load(local, items, [`create table copy_citus (tenant integer not null, id integer not null, embedding vector(${DIMS}) not null, primary key (tenant, id))`]);
        singleRate = Math.round(s.rows / (s.ms / 1000));
        await local.query('drop table if exists copy_citus');
      } finally {
        await local.end();
      }
    }
    console.log(JSON.stringify({ citusRowsPerSecond: rate, singleServerRowsPerSecond: singleRate, rows: ROWS, dimensions: DIMS, shards: counts.length }));

    await pool.query('truncate copy_citus');
    let error: unknown;
    try {
      await copyRows(pool, items, rows(ROWS, ROWS - 10));
    } catch (e) {
      error = e;
    }
    // The shard that holds (0, 0) refuses it; the coordinator reports the worker's error (Citus 13.2: SQLSTATE XX000).
    expect(String((error as Error).message)).toMatch(/duplicate key value violates unique constraint/);
    expect(PgVectorError.is(error)).toBe(false);
    expect((await shardCounts('copy_citus')).every((n) => n === 0)).toBe(true);
  });

  it('a reference table: every row on every node', async () => {
    await pool.query(`create table copy_citus_ref (id integer not null, embedding vector(${DIMS}) not null)`);
    await pool.query(`select create_reference_table('copy_citus_ref')`);
    const r = await copyRows(pool, labels, [...rows(2000)].map(({ id, embedding }) => ({ id, embedding })));
    expect(r.rows).toBe(2000);
    const { rows: placements } = await pool.query<{ result: string }>(`select result from run_command_on_placements('copy_citus_ref', $$select count(*) from %s$$)`);
    expect(placements.length).toBeGreaterThan(1);
    expect(placements.map((p) => Number(p.result))).toEqual(placements.map(() => 2000));
  });
});
