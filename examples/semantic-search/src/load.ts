import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { buildIndex, declaredVectorIndexes, type BuildIndexResult, type BuildProgress, type VectorIndexInfo } from 'drizzle-pgvector';
import { rowsOf, type Db } from './database.js';

/** One index build after the load: what the schema declares, what `buildIndex` did, and the size on disk. */
export interface IndexBuild {
  readonly table: PgTable;
  readonly declared: VectorIndexInfo;
  readonly result: BuildIndexResult;
  readonly bytes: number;
}

/**
 * Bulk loading pattern: drop the tables' vector indexes, load, then build them again with `buildIndex`. Building an
 * HNSW graph once over all rows is faster than growing it row by row, and an IVFFlat index must be built over real
 * data anyway (its clusters come from the rows present at build time).
 *
 * `buildIndex` builds each index from its declaration in schema.ts with the DDL drizzle-kit generated for the
 * migrations (plus IF NOT EXISTS), so the database still matches them, and `maintenanceWorkMem: 'auto'` sizes
 * `maintenance_work_mem` from pgvector's build-memory model and the row count — for the build only.
 */
export async function loadThenBuildIndexes(
  db: Db,
  tables: readonly PgTable[],
  load: () => Promise<void>,
  onProgress?: (index: string, progress: BuildProgress) => void,
): Promise<IndexBuild[]> {
  const declared = tables.flatMap((table) => declaredVectorIndexes(table).map((info) => ({ table, info })));
  for (const { info } of declared) await db.execute(sql`drop index if exists ${sql.identifier(info.name)}`);
  await load();
  for (const table of tables) await db.execute(sql`analyze ${sql.identifier(getTableName(table))}`);
  const builds: IndexBuild[] = [];
  // IVFFlat first: it is quick, and the order does not matter for the result.
  const order = [...declared].sort((a, b) => (a.info.method === b.info.method ? 0 : a.info.method === 'ivfflat' ? -1 : 1));
  for (const { table, info } of order) {
    const result = await buildIndex(db, table, info.name, {
      maintenanceWorkMem: 'auto',
      ...(onProgress ? { onProgress: (p: BuildProgress) => onProgress(info.name, p) } : {}),
    });
    const [size] = await rowsOf<{ bytes: string }>(db, sql`select pg_relation_size(${info.name}::regclass)::text as bytes`);
    builds.push({ table, declared: info, result, bytes: Number(size?.bytes ?? 0) });
  }
  return builds;
}

/** `HNSW cosine (m=16, ef_construction=64)` */
export function describeIndex(index: VectorIndexInfo): string {
  const options = Object.entries(index.options)
    .map(([k, v]) => `${k === 'efConstruction' ? 'ef_construction' : k}=${v}`)
    .join(', ');
  return `${index.method === 'hnsw' ? 'HNSW' : 'IVFFlat'} ${index.metric}${options ? ` (${options})` : ''}`;
}
