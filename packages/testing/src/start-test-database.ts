import { chooseBackend, nonEmpty } from './backend.js';
import { startPglite } from './backends/pglite.js';
import { startTestcontainers } from './backends/testcontainers.js';
import { startUrl } from './backends/url.js';
import { createHandle } from './handle.js';
import { checkPositiveInteger, DEFAULT_IMAGE } from './support.js';
import type { PgVectorTestDatabase, Primary, StartOptions } from './types.js';

/**
 * Start a pgvector database for tests and return a Drizzle client for it plus a connection URL where one exists.
 *
 * Backend choice: `options.backend`, else `PGVECTOR_TEST_BACKEND`, else `auto` — which is `url` when a URL is
 * known (`options.url` / `DATABASE_URL`), `testcontainers` when testcontainers finds a container runtime, `pglite` otherwise.
 *
 * - `pglite`: an in-process PGlite (PostgreSQL + pgvector, WASM; ~3 s to start). `db` uses `drizzle-orm/pglite`.
 *   With `serve: true` it is also served on `127.0.0.1:<random port>` so `url` and URL-based drivers work.
 *   PGlite is a single backend process: connections over the socket share one session (see README).
 * - `url`: an existing server; `db` uses `drizzle-orm/node-postgres` over a `pg.Pool`.
 * - `testcontainers`: a fresh `pgvector/pgvector:pg17` (or `image` / `PGVECTOR_TEST_IMAGE`) container; like `url` after that.
 *
 * Unless `createExtension: false`, `CREATE EXTENSION IF NOT EXISTS vector` runs before this resolves.
 *
 * @throws {@link PgVectorTestError} `INVALID_TEST_BACKEND` for an unknown backend name, `TEST_BACKEND_UNAVAILABLE`
 *   when the chosen backend cannot start (no container runtime, no URL, server unreachable, no pgvector on the server).
 *
 * @example
 * ```ts
 * import { sql } from 'drizzle-orm';
 * import { startTestDatabase } from '@drizzle-pgvector/testing';
 *
 * const database = await startTestDatabase({ backend: 'pglite', serve: true });
 * const result = await database.db.execute(sql`select '[1,2,3]'::vector <-> '[1,2,4]' as distance`);
 * const other = await database.connect('postgres-js'); // same data, other driver, via database.url
 * await database.close();
 * ```
 */
export async function startTestDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: StartOptions<TSchema> = {},
): Promise<PgVectorTestDatabase<TSchema>> {
  const env = process.env;
  checkPositiveInteger('maxConnections', options.maxConnections);
  const createExtension = options.createExtension ?? true;
  const url = nonEmpty(options.url) ?? nonEmpty(env.DATABASE_URL);
  const fromOptions = options.backend !== undefined;
  const backend = await chooseBackend(
    fromOptions ? String(options.backend) : (nonEmpty(env.PGVECTOR_TEST_BACKEND) ?? 'auto'),
    fromOptions ? 'options.backend' : 'PGVECTOR_TEST_BACKEND',
    url,
  );
  const untyped = options as StartOptions<Record<string, unknown>>;

  let primary: Primary;
  switch (backend) {
    case 'pglite':
      primary = await startPglite(untyped, createExtension);
      break;
    case 'url':
      primary = await startUrl(url, untyped, createExtension);
      break;
    case 'testcontainers':
      primary = await startTestcontainers(
        nonEmpty(options.image) ?? nonEmpty(env.PGVECTOR_TEST_IMAGE) ?? DEFAULT_IMAGE,
        untyped,
        createExtension,
      );
      break;
  }
  return createHandle<TSchema>(primary, untyped, createExtension);
}
