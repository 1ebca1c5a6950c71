import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { rowsOf, startTestDatabase, type PgVectorTestDatabase } from '@drizzle-pgvector/testing';

/**
 * A test database reached over a URL (PGlite served on a loopback socket, or DATABASE_URL) through one node-postgres
 * client, so pgvector's NOTICEs ("hnsw graph no longer fits …") can be captured with `client.on('notice')` on every
 * backend, plus the server facts the memory models need.
 */
export interface BuildDatabase {
  readonly database: PgVectorTestDatabase;
  readonly db: NodePgDatabase;
  /** Notices received since the last `takeNotices()`. */
  takeNotices(): string[];
  readonly serverVersion: number;
  readonly serverBits: 32 | 64;
  readonly label: string;
  close(): Promise<void>;
}

export async function startBuildDatabase(): Promise<BuildDatabase> {
  const database = await startTestDatabase({ serve: true });
  const url = database.url;
  if (!url) throw new Error('test database has no URL');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  const db = drizzle({ client });
  const [facts] = rowsOf<{ num: string; version: string }>(
    await db.execute(sql`select current_setting('server_version_num') as num, version() as version`),
  );
  if (!facts) throw new Error('no server facts');
  const serverBits = /\b32-bit\b/.test(facts.version) ? 32 : 64;
  return {
    database,
    db,
    takeNotices: () => {
      const out = notices;
      notices = [];
      return out;
    },
    serverVersion: Number(facts.num),
    serverBits,
    label: `${database.backend} (PG ${facts.num}, ${serverBits}-bit)`,
    close: async () => {
      await client.end();
      await database.close();
    },
  };
}

/** Create `name` with `rows` random vectors of `dimensions` (one random() per element; the `i > 0` makes it per row). */
export async function fillTable(db: NodePgDatabase, name: string, dimensions: number, rows: number): Promise<void> {
  await db.execute(sql.raw(`DROP TABLE IF EXISTS ${name}`));
  await db.execute(sql.raw(`CREATE TABLE ${name} (id int, v vector(${dimensions}))`));
  await db.execute(
    sql.raw(
      `INSERT INTO ${name} SELECT i, array(SELECT random() FROM generate_series(1, ${dimensions}) WHERE i > 0)::vector FROM generate_series(1, ${rows}) i`,
    ),
  );
}

/** Make `name` hold at least `rows` random vectors, appending only the missing ones (the table must exist). */
export async function growTable(db: NodePgDatabase, name: string, dimensions: number, rows: number): Promise<void> {
  const [row] = rowsOf<{ n: string }>(await db.execute(sql.raw(`SELECT count(*) AS n FROM ${name}`)));
  const have = Number(row?.n);
  if (have >= rows) return;
  await db.execute(
    sql.raw(
      `INSERT INTO ${name} SELECT i, array(SELECT random() FROM generate_series(1, ${dimensions}) WHERE i > 0)::vector FROM generate_series(${have + 1}, ${rows}) i`,
    ),
  );
}

/**
 * Run `ddl` with a transaction-local maintenance_work_mem (and other `SET LOCAL`s); returns the server's error
 * message, if any.
 */
export async function buildWith(
  db: NodePgDatabase,
  maintenanceWorkMem: string,
  ddl: string,
  settings: Record<string, string> = {},
): Promise<string | undefined> {
  try {
    await db.transaction(async (tx) => {
      for (const [name, value] of Object.entries(settings)) await tx.execute(sql.raw(`SET LOCAL ${name} = '${value}'`));
      await tx.execute(sql.raw(`SET LOCAL maintenance_work_mem = '${maintenanceWorkMem}'`));
      await tx.execute(sql.raw(ddl));
    });
    return undefined;
  } catch (e) {
    const err = e as { message?: string; cause?: { message?: string } };
    return `${err.cause?.message ?? ''} ${err.message ?? ''}`;
  }
}

/** Heap pages of a table (what caps IVFFlat's sample count). */
export async function heapPages(db: NodePgDatabase, name: string): Promise<number> {
  const [row] = rowsOf<{ pages: string }>(
    await db.execute(sql.raw(`SELECT pg_relation_size('${name}') / current_setting('block_size')::int AS pages`)),
  );
  return Number(row?.pages);
}
