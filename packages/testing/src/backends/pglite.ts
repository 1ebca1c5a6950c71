import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import { describeError, PgVectorTestError } from '../errors.js';
import { DEFAULT_MAX_CONNECTIONS, runAll } from '../support.js';
import type { PgVectorDrizzleDatabase, Primary, StartOptions } from '../types.js';
import { drizzleConfig } from '../drizzle-config.js';

/**
 * @internal Start the `pglite` backend: an in-process PGlite with the vector extension, optionally served on a
 * loopback port through pglite-socket so URL-based drivers can connect.
 */
export async function startPglite(options: StartOptions<Record<string, unknown>>, createExtension: boolean): Promise<Primary> {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  let pglite: PGlite;
  try {
    const [{ PGlite }, { vector }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite-pgvector'),
    ]);
    pglite = await PGlite.create({ extensions: { vector } });
  } catch (error) {
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not start the pglite backend: ${describeError(error)}. ` +
        'Check that @electric-sql/pglite and @electric-sql/pglite-pgvector are installed, or set DATABASE_URL / PGVECTOR_TEST_BACKEND=url.',
      { cause: error },
    );
  }

  let server: PGLiteSocketServer | undefined;
  try {
    if (createExtension) await pglite.exec('CREATE EXTENSION IF NOT EXISTS vector');
    let url: string | undefined;
    if (options.serve) {
      const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
      server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections });
      await server.start();
      url = `postgres://postgres@${server.getServerConn()}/postgres`;
    }
    const { drizzle } = await import('drizzle-orm/pglite');
    const db = drizzle(drizzleConfig(pglite, options.schema) as never) as unknown as PgVectorDrizzleDatabase<
      Record<string, unknown>
    >;
    const instance = pglite;
    const socketServer = server;
    return {
      backend: 'pglite',
      url,
      driver: 'pglite',
      db,
      pglite: instance,
      ...(socketServer ? { server: socketServer, maxConnections } : {}),
      query: async (text, params) => {
        if (params && params.length > 0) return (await instance.query(text, params)).rows;
        // Simple-query protocol: allows several statements; the last statement's rows are returned.
        const results = await instance.exec(text);
        return results[results.length - 1]?.rows ?? [];
      },
      close: () => runAll([() => socketServer?.stop(), () => instance.close()]),
    };
  } catch (error) {
    await runAll([() => server?.stop(), () => pglite.close()]).catch(() => {});
    throw new PgVectorTestError(
      'TEST_BACKEND_UNAVAILABLE',
      `Could not prepare the pglite backend: ${describeError(error)}.`,
      { cause: error },
    );
  }
}
