import { sql, type SQL } from 'drizzle-orm';
import { VECTOR_TYPES_LIST, type VectorType } from '../catalog/index.js';
import { queryRows, type SqlExecutor } from '../driver/index.js';

/** @internal One column of a pgvector type (`VECTOR_TYPES_LIST`: vector, halfvec, sparsevec, bit) in the database. */
export interface LiveVectorColumn {
  readonly schema: string;
  readonly table: string;
  readonly tableOid: number;
  readonly column: string;
  readonly type: VectorType;
  /** The typmod (fixed dimensions, bits for bit); undefined when the column has none. */
  readonly dimensions: number | undefined;
  /** The table's `pg_class.reltuples` (−1: never vacuumed or analysed). */
  readonly tableReltuples: number;
  /** The table's `pg_class.relpages` (pages when reltuples was taken). */
  readonly tableRelpages: number;
  /** The table's pages now (`pg_relation_size / block_size`). */
  readonly tablePages: number;
}

/**
 * @internal Schemas never inspected (a condition on `n.nspname`): PostgreSQL's own, TOAST, and temporary schemas
 * (other sessions' temp tables, and the copies drift detection makes).
 */
export const NOT_SYSTEM = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/**
 * @internal The columns of the catalog's vector types on ordinary and partitioned tables: in every non-system
 * schema, or on the tables with the given oids. The type names are the catalog's (`VECTOR_TYPES_LIST`), bound as
 * one array parameter.
 *
 * ```sql
 * SELECT n.nspname, c.relname, c.oid, a.attname, t.typname, a.atttypmod, c.reltuples, c.relpages,
 *        pg_relation_size(c.oid) / current_setting('block_size')::int
 *   FROM pg_attribute a JOIN pg_class c … JOIN pg_namespace n … JOIN pg_type t …
 *  WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = ANY ($1::text[]) AND <n.nspname not a system schema | c.oid IN (…)>
 *  ORDER BY n.nspname, c.relname, a.attnum;
 * ```
 */
export async function readVectorColumns(db: SqlExecutor, where: { tableOids: readonly number[] } | 'all'): Promise<LiveVectorColumn[]> {
  let filter: SQL;
  if (where === 'all') filter = sql.raw(NOT_SYSTEM);
  else if (where.tableOids.length === 0) return [];
  else filter = sql.raw(`c.oid IN (${where.tableOids.map((o) => String(Math.trunc(Number(o)))).join(', ')})`);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT n.nspname AS schema, c.relname AS "table", c.oid::bigint AS table_oid, a.attname AS "column", t.typname AS type,
               a.atttypmod AS typmod, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
               (pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::int)::float8 AS pages
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
           AND t.typname = ANY (${`{${VECTOR_TYPES_LIST.join(',')}}`}::text[]) AND ${filter}
         ORDER BY n.nspname, c.relname, a.attnum`,
  );
  return rows.map((r) => {
    const typmod = Number(r['typmod'] ?? -1);
    return Object.freeze({
      schema: String(r['schema']),
      table: String(r['table']),
      tableOid: Number(r['table_oid']),
      column: String(r['column']),
      type: String(r['type']) as VectorType,
      dimensions: typmod > 0 ? typmod : undefined,
      tableReltuples: Number(r['reltuples'] ?? -1),
      tableRelpages: Number(r['relpages'] ?? 0),
      tablePages: Number(r['pages'] ?? 0),
    });
  });
}
