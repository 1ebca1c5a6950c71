import { sql, type SQL } from 'drizzle-orm';
import type { IndexMethod } from '../catalog/index.js';
import { booleanOf, queryRows, type SqlExecutor } from '../driver/index.js';
import { effectiveOptions, parseReloptions, type LiveIndexOptions } from './reloptions.js';
import { tableStatsColumns, tableStatsOf, type TableStats } from './table-stats.js';
import { NOT_SYSTEM } from './vector-columns.js';

/** @internal One HNSW / IVFFlat index read from the catalog: the facts both health and drift are computed from. */
export interface LiveIndex extends TableStats {
  readonly schema: string;
  readonly name: string;
  readonly table: string;
  readonly tableOid: number;
  readonly method: IndexMethod;
  readonly opclass: string;
  /** `pg_get_indexdef(oid, 1, true)`: the key as the server renders it (`embedding`, `(e2::halfvec(3))`). */
  readonly key: string;
  /** True when the key is a plain column (`indkey[0] <> 0`). */
  readonly isColumn: boolean;
  readonly typmod: number;
  readonly storedOptions: Readonly<Record<string, number>>;
  readonly options: LiveIndexOptions;
  readonly predicate: string | undefined;
  readonly definition: string;
  readonly valid: boolean;
  readonly sizeBytes: number;
}


/**
 * @internal HNSW / IVFFlat indexes from the catalog: on the tables with the given oids, on one table found by
 * `regclass` text (the temp copies drift detection makes), by index name (or all) in one schema or on the
 * search_path (`rebuildIndex`), or in every non-system schema.
 *
 * ```sql
 * SELECT n.nspname, c.relname, t.relname, t.oid, am.amname, opc.opcname, pg_get_indexdef(c.oid, 1, true), i.indkey[0] <> 0,
 *        a.atttypmod, c.reloptions, pg_get_expr(i.indpred, i.indrelid, true), pg_get_indexdef(c.oid), i.indisvalid,
 *        pg_relation_size(c.oid), t.reltuples
 *   FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid …
 *  WHERE am.amname IN ('hnsw', 'ivfflat') AND <n.nspname not a system schema | i.indrelid IN (…)>
 * ```
 */
export async function readLiveIndexes(
  db: SqlExecutor,
  where: { tableOids: readonly number[] } | { regclass: string } | { index: string | undefined; schema: string | undefined } | 'all',
): Promise<LiveIndex[]> {
  let filter: SQL;
  if (where === 'all') filter = sql.raw(NOT_SYSTEM);
  else if ('regclass' in where) filter = sql`i.indrelid = pg_catalog.to_regclass(${where.regclass})`;
  else if ('index' in where) {
    const inSchema = where.schema === undefined ? sql`n.nspname = ANY (pg_catalog.current_schemas(false))` : sql`n.nspname = ${where.schema}`;
    filter = where.index === undefined ? inSchema : sql`c.relname = ${where.index} AND ${inSchema}`;
  }
  else if (where.tableOids.length === 0) return [];
  else filter = sql.raw(`i.indrelid IN (${where.tableOids.map((o) => String(Math.trunc(Number(o)))).join(', ')})`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT n.nspname AS schema, c.relname AS name, t.relname AS "table", t.oid::bigint AS table_oid, am.amname AS method,
               opc.opcname AS opclass, pg_catalog.pg_get_indexdef(c.oid, 1, true) AS key, (i.indkey[0] <> 0) AS is_column,
               a.atttypmod AS typmod, c.reloptions::text[] AS reloptions, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
               pg_catalog.pg_get_indexdef(c.oid) AS definition, i.indisvalid AS valid, pg_catalog.pg_relation_size(c.oid)::bigint AS size,
               ${sql.raw(tableStatsColumns('t'))}
          FROM pg_catalog.pg_index i
          JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
          JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_am am ON am.oid = c.relam
          LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[0]
          LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
         WHERE am.amname IN ('hnsw', 'ivfflat') AND ${filter}
         ORDER BY n.nspname, t.relname, c.relname`,
  );
  return rows.map((r) => {
    const storedOptions = parseReloptions(r['reloptions']);
    const method = String(r['method']) as IndexMethod;
    const predicate = r['predicate'];
    return {
      schema: String(r['schema']),
      name: String(r['name']),
      table: String(r['table']),
      tableOid: Number(r['table_oid']),
      method,
      opclass: String(r['opclass'] ?? ''),
      key: String(r['key'] ?? ''),
      isColumn: booleanOf(r['is_column']),
      typmod: Number(r['typmod'] ?? -1),
      storedOptions,
      options: effectiveOptions(method, storedOptions),
      predicate: predicate === null || predicate === undefined ? undefined : String(predicate),
      definition: String(r['definition'] ?? ''),
      valid: booleanOf(r['valid']),
      sizeBytes: Number(r['size'] ?? 0),
      ...tableStatsOf(r),
    };
  });
}
