import type { PgTable } from 'drizzle-orm/pg-core';
import { startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, type PgliteLike, type PgliteQueryable } from '../../src/pglite.js';
import type { CopyRowsOptions } from '../../src/copy/load-rows.js';
import { DDL, itemRows, items } from './fixtures.js';
import { defineScenarios, type Harness } from './scenarios.js';

// The PGlite entry always runs on embedded PGlite (whatever PGVECTOR_TEST_BACKEND says): it is PGlite's API.
let database: PgVectorTestDatabase;
let pglite: PgliteLike;
let harness: Harness;
// Small batches so that the 20k-row tests span many COPY batches (and progress events).
const batch = (options?: CopyRowsOptions) => ({ batchBytes: 64 * 1024, ...options });

beforeAll(async () => {
  database = await startTestDatabase({ backend: 'pglite' });
  await database.query(DDL.join(';\n'));
  pglite = (database.db as unknown as { $client: PgliteLike }).$client;
  harness = {
    db: database.db,
    copy: (table, rows, options) => copyRows(database.db as never, table, rows as never, batch(options) as never),
    inTransaction: async (body, outcome) => {
      await pglite.transaction(async (tx) => {
        await body(
          (table: PgTable, rows, options) => copyRows(tx, table, rows as never, batch(options) as never),
          async (text) => {
            await tx.query(text);
          },
        );
        if (outcome === 'rollback') await (tx as PgliteQueryable & { rollback(): Promise<void> }).rollback();
      });
    },
  };
});

afterAll(async () => {
  await database?.close();
});

describe('copyRows (drizzle-pgvector/pglite)', () => {
  defineScenarios(() => harness);

  it('takes the PGlite instance itself, with the default batch size', async () => {
    await pglite.query('truncate copy_items');
    const progress: number[] = [];
    expect((await copyRows(pglite, items, itemRows(1000), { onProgress: (p) => progress.push(p.rows) })).rows).toBe(1000);
    expect(progress.at(-1)).toBe(1000);
    expect(await database.db.$count(items)).toBe(1000);
  });

  it('validates batchBytes', async () => {
    await expect(copyRows(pglite, items, [], { batchBytes: 10 })).rejects.toMatchObject({ code: 'INVALID_COPY_OPTION' });
  });
});
