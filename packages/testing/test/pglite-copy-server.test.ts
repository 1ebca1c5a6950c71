import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { servePgliteWithCopy, startTestDatabase, type PgliteCopyServer, type PgVectorTestDatabase } from '../src/index.js';

// COPY with data is exercised by drizzle-pgvector's copyRows tests (test/copy/copy-rows-pg.test.ts), which
// stream through this server with pg-copy-streams; here: pass-through, a COPY the client aborts, terminate().
describe('servePgliteWithCopy()', () => {
  let database: PgVectorTestDatabase;
  let server: PgliteCopyServer;

  beforeAll(async () => {
    database = await startTestDatabase({ backend: 'pglite' });
    server = await servePgliteWithCopy((database.db as unknown as { $client: unknown }).$client);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('serves the PGlite instance to node-postgres on a loopback URL', async () => {
    expect(server.url).toMatch(/^postgres(ql)?:\/\/.*127\.0\.0\.1:\d+/);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query('create table if not exists served_items (id int primary key, embedding vector(2))');
      await client.query('insert into served_items values ($1, $2)', [1, '[1,2]']);
      // The same database: the row is visible through PGlite's own API.
      expect(await database.query('select id, embedding::text as e from served_items')).toEqual([{ id: 1, e: '[1,2]' }]);
    } finally {
      await client.end();
    }
  });

  it('a COPY FROM STDIN the client fails (no data source) reports the failure and leaves the session usable', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      // node-postgres answers CopyInResponse with CopyFail when the query has no stream.
      await expect(client.query('copy served_items (id) from stdin')).rejects.toThrow();
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from served_items');
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('terminate() ends connections with 57P01, as pg_terminate_backend() does', async () => {
    const client = new pg.Client({ connectionString: server.url });
    const failed = new Promise<{ code?: string }>((resolve) => client.on('error', (error) => resolve(error as { code?: string })));
    await client.connect();
    server.terminate();
    expect((await failed).code).toBe('57P01');
    await client.end().catch(() => undefined);
  });
});
