import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Rows of a raw query (node-postgres and PGlite both answer `{ rows }`). */
export async function rows<T>(db: PgDatabase<PgQueryResultHKT>, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

export { sql };
