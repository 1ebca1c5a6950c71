import { getTableName, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { getVectorIndexes, type VectorIndexInfo } from 'drizzle-pgvector';
import { rowsOf, type Db } from './database.js';

/** One vector index as it exists in the database. */
export interface VectorIndexDefinition {
  readonly schema: string;
  readonly name: string;
  readonly method: string;
  /** `pg_get_indexdef()`: the exact CREATE INDEX statement PostgreSQL would use to recreate it. */
  readonly definition: string;
  /** What schema.ts declares for it (`undefined` if the index is not in the schema). */
  readonly declared: VectorIndexInfo | undefined;
}

export interface IndexBuild extends VectorIndexDefinition {
  readonly ms: number;
  readonly bytes: number;
}

function qualifiedName(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return `"${(schema ?? 'public').replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
}

/** The HNSW and IVFFlat indexes that exist on `table`, read from the catalog. */
export async function vectorIndexesOf(db: Db, table: PgTable): Promise<VectorIndexDefinition[]> {
  const rows = await rowsOf<{ schema: string; name: string; method: string; definition: string }>(db, sql`
    select n.nspname as schema, i.relname as name, am.amname as method, pg_get_indexdef(i.oid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = i.relnamespace
    join pg_am am on am.oid = i.relam
    where x.indrelid = ${qualifiedName(table)}::regclass and am.amname in ('hnsw', 'ivfflat')
    order by i.relname`);
  const declared = getVectorIndexes(table);
  return rows.map((r) => ({ ...r, declared: declared.find((d) => d.name === r.name) }));
}

/**
 * Bulk loading pattern: drop the table's vector indexes, load, and recreate them from their saved
 * definitions. Building an HNSW graph once over all rows is faster than growing it row by row, and an
 * IVFFlat index must be built over real data anyway (its clusters come from the rows present at build time).
 *
 * The indexes come back exactly as the migrations created them (same names, same options), so the schema
 * does not drift. Builds run in one transaction with a larger `maintenance_work_mem` for the build only.
 *
 * @returns each index with its build time and size
 */
export async function loadWithDeferredIndexes(
  db: Db,
  tables: readonly PgTable[],
  load: () => Promise<void>,
  maintenanceWorkMem = '256MB',
): Promise<IndexBuild[]> {
  const saved = (await Promise.all(tables.map((t) => vectorIndexesOf(db, t)))).flat();
  for (const index of saved) await db.execute(sql`drop index if exists ${sql.identifier(index.name)}`);
  await load();
  for (const table of tables) await db.execute(sql`analyze ${sql.identifier(getTableName(table))}`);
  const builds: IndexBuild[] = [];
  // IVFFlat first: it is quick, and the order does not matter for the result.
  const order = [...saved].sort((a, b) => (a.method === b.method ? 0 : a.method === 'ivfflat' ? -1 : 1));
  for (const index of order) {
    const started = performance.now();
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local maintenance_work_mem = '${maintenanceWorkMem.replaceAll("'", "''")}'`));
      await tx.execute(sql.raw(index.definition));
    });
    const ms = performance.now() - started;
    const [size] = await rowsOf<{ bytes: string }>(
      db,
      sql`select pg_relation_size((quote_ident(${index.schema}) || '.' || quote_ident(${index.name}))::regclass)::text as bytes`,
    );
    builds.push({ ...index, ms, bytes: Number(size?.bytes ?? 0) });
  }
  return builds;
}

/** `HNSW cosine (m=16, ef_construction=64)` */
export function describeIndex(index: VectorIndexDefinition): string {
  const d = index.declared;
  if (!d) return `${index.method} (not declared in schema.ts)`;
  const options = Object.entries(d.options)
    .map(([k, v]) => `${k === 'efConstruction' ? 'ef_construction' : k}=${v}`)
    .join(', ');
  return `${d.method === 'hnsw' ? 'HNSW' : 'IVFFlat'} ${d.metric}${options ? ` (${options})` : ''}`;
}
