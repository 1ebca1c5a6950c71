import { getTableName, SQL } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { getTableConfig, IndexedColumn, PgDialect, type Index, type PgTable } from 'drizzle-orm/pg-core';
import { drizzleLine } from '../compat/index.js';
import { quoteIdent, relationName } from '../driver/identifiers.js';

/** How {@link indexDdl} writes the statement. */
export interface IndexDdlOptions {
  /** `CREATE INDEX IF NOT EXISTS`. Default false (drizzle-kit never writes it). */
  ifNotExists?: boolean;
  /** Override the index's own `.concurrently()`. */
  concurrently?: boolean;
}

const DIALECT = new PgDialect();

/** @internal The index's name as drizzle-kit names it (`<table>_<columns>_index` when unnamed). */
export function indexNameOf(table: PgTable, index: Index): string {
  const config = index.config;
  if (config.name) return config.name;
  const columns = config.columns.map((c) => (isEntity(c, SQL) ? '' : (c as IndexedColumn).name ?? ''));
  return `${getTableName(table)}_${columns.join('_')}_index`;
}

/**
 * @internal The `CREATE INDEX` statement the installed line's drizzle-kit writes for a Drizzle index (`index()`,
 * `hnswIndex()`, `ivfflatIndex()`), character for character — drizzle-kit itself is a dev tool, not a runtime
 * dependency — with `IF NOT EXISTS` on request. drizzle-kit 0.31 (drizzle-orm 0.45):
 *
 * ```sql
 * CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64) [WHERE "items"."lang" = 'en'];
 * ```
 *
 * drizzle-kit 1.0 spells the same index `WITH (m=16, ef_construction=64)`, with the predicate's columns unqualified
 * (`WHERE "lang" = 'en'`) and without `USING btree` for the default method.
 */
export function indexDdl(table: PgTable, index: Index, options: IndexDdlOptions = {}): string {
  const config = index.config;
  const { schema, name: tableName } = getTableConfig(table);
  const columns = config.columns.map((it) => {
    if (isEntity(it, SQL)) return DIALECT.sqlToQuery(it, 'indexes').sql;
    const c = it as IndexedColumn;
    const asc = c.indexConfig.order === 'asc';
    const nulls = c.indexConfig.nulls ?? (c.indexConfig.order === 'desc' ? 'first' : 'last');
    const opclass = c.indexConfig.opClass;
    return `"${c.name ?? ''}"${opclass ? ` ${opclass}` : asc ? '' : ' DESC'}${(asc && nulls === 'last') || opclass ? '' : ` NULLS ${nulls.toUpperCase()}`}`;
  });
  const withMap = (config.with ?? {}) as Record<string, unknown>;
  const kit1 = drizzleLine === '1';
  const withText = Object.entries(withMap)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(kit1 ? ', ' : ',');
  const where = config.where ? (kit1 ? DIALECT.sqlToQuery(config.where, 'indexes') : DIALECT.sqlToQuery(config.where)).sql : undefined;
  const method = config.method ?? 'btree';
  const using = kit1 && method === 'btree' ? '' : `USING ${method} `;
  const concurrently = options.concurrently ?? config.concurrently ?? false;
  const target = relationName(schema, tableName);
  return (
    `CREATE ${config.unique ? 'UNIQUE INDEX' : 'INDEX'}${concurrently ? ' CONCURRENTLY' : ''}${options.ifNotExists ? ' IF NOT EXISTS' : ''} ` +
    `${quoteIdent(indexNameOf(table, index))} ON ${target} ${using}(${columns.join(',')})` +
    `${withText ? ` WITH (${withText})` : ''}${where ? ` WHERE ${where}` : ''};`
  );
}
