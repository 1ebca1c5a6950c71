/**
 * Serve an embedded PGlite database (PostgreSQL + pgvector in WASM) over TCP, so tools that speak the PostgreSQL
 * wire protocol — drizzle-kit push/pull/check/studio, psql, this demo with DATABASE_URL — can use it without a
 * PostgreSQL installation.
 *
 *   pnpm --filter semantic-search-example serve            # in memory, port 5433
 *   PGLITE_DATA=.pglite-data PORT=5434 pnpm … serve        # persisted in a folder
 *
 * PGlite is a single session: every connection shares it (the socket server queues their queries), so keep to one
 * client at a time. Stop with Ctrl-C.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const port = Number(process.env.PORT ?? 5433);
const dataDir = process.env.PGLITE_DATA;
const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector } });
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 8 });
await server.start();
console.log(`PGlite (${dataDir ? `data in ${dataDir}` : 'in memory'}) listening: DATABASE_URL=postgres://postgres@${server.getServerConn()}/postgres`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
