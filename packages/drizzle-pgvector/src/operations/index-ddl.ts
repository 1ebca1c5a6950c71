import { getTableName, is, SQL } from 'drizzle-orm';
import { getTableConfig, IndexedColumn, PgDialect, type Index, type PgTable } from 'drizzle-orm/pg-core';

/** How {@link indexDdl} writes the statement. */
export interface IndexDdlOptions {
  /** `CREATE INDEX IF NOT EXISTS`. Default false (drizzle-kit never writes it). */
  ifNotExists?: boolean;
  /** Override the index's own `.concurrently()`. */
  concurrently?: boolean;
}

const DIALECT = new PgDialect();

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** @internal The index's name as drizzle-kit names it (`<table>_<columns>_index` when unnamed). */
export function indexNameOf(table: PgTable, index: Index): string {
  const config = index.config;
  if (config.name) return config.name;
  const columns = config.columns.map((c) => (is(c, SQL) ? '' : (c as IndexedColumn).name ?? ''));
  return `${getTableName(table)}_${columns.join('_')}_index`;
}

/**
 * @internal The `CREATE INDEX` statement drizzle-kit 0.31 writes for a Drizzle index (`index()`, `hnswIndex()`,
 * `ivfflatIndex()`), character for character — drizzle-kit itself is a dev tool, not a runtime dependency — with
 * `IF NOT EXISTS` on request.
 *
 * ```sql
 * CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64) [WHERE …];
 * ```
 */
export function indexDdl(table: PgTable, index: Index, options: IndexDdlOptions = {}): string {
  const config = index.config;
  const { schema, name: tableName } = getTableConfig(table);
  const columns = config.columns.map((it) => {
    if (is(it, SQL)) return DIALECT.sqlToQuery(it, 'indexes').sql;
    const c = it as IndexedColumn;
    const asc = c.indexConfig.order === 'asc';
    const nulls = c.indexConfig.nulls ?? (c.indexConfig.order === 'desc' ? 'first' : 'last');
    const opclass = c.indexConfig.opClass;
    return `"${c.name ?? ''}"${opclass ? ` ${opclass}` : asc ? '' : ' DESC'}${(asc && nulls === 'last') || opclass ? '' : ` NULLS ${nulls.toUpperCase()}`}`;
  });
  const withMap = (config.with ?? {}) as Record<string, unknown>;
  const withText = Object.entries(withMap)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  const where = config.where ? DIALECT.sqlToQuery(config.where).sql : undefined;
  const concurrently = options.concurrently ?? config.concurrently ?? false;
  const target = schema ? `${quote(schema)}.${quote(tableName)}` : quote(tableName);
  return (
    `CREATE ${config.unique ? 'UNIQUE INDEX' : 'INDEX'}${concurrently ? ' CONCURRENTLY' : ''}${options.ifNotExists ? ' IF NOT EXISTS' : ''} ` +
    `${quote(indexNameOf(table, index))} ON ${target} USING ${config.method ?? 'btree'} (${columns.join(',')})` +
    `${withText ? ` WITH (${withText})` : ''}${where ? ` WHERE ${where}` : ''};`
  );
}
