import { sql, type SQL } from 'drizzle-orm';
import { INDEX_OPTIONS, type IndexMethod } from '../catalog/index.js';
import { qualified, queryRows, type SqlExecutor } from '../driver/index.js';
import { NOT_SYSTEM } from '../pg-catalog/index.js';
import type { LiveIndexOptions } from './types.js';

/** @internal One HNSW / IVFFlat index read from the catalog: the facts both health and drift are computed from. */
export interface LiveIndex {
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
  /** The table's `pg_class.reltuples` (−1: never vacuumed or analysed). */
  readonly tableReltuples: number;
  /** The table's `pg_class.relpages` (pages when reltuples was taken). */
  readonly tableRelpages: number;
  /** The table's pages now (`pg_relation_size / block_size`). */
  readonly tablePages: number;
}

function parseReloptions(value: unknown): Record<string, number> {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : [];
  const out: Record<string, number> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq > 0) out[text.slice(0, eq)] = Number(text.slice(eq + 1));
  }
  return out;
}

/** @internal Options in effect: the stored ones, else pgvector's defaults (from the catalog table). */
export function effectiveOptions(method: string, stored: Readonly<Record<string, number>>): LiveIndexOptions {
  const out: Record<string, number> = {};
  for (const o of INDEX_OPTIONS) if (o.method === method) out[o.key] = stored[o.sqlName] ?? o.default;
  return out;
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
               t.reltuples::float8 AS reltuples, t.relpages::float8 AS relpages,
               (pg_catalog.pg_relation_size(t.oid) / pg_catalog.current_setting('block_size')::int)::float8 AS pages
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
      isColumn: r['is_column'] === true || r['is_column'] === 't',
      typmod: Number(r['typmod'] ?? -1),
      storedOptions,
      options: effectiveOptions(method, storedOptions),
      predicate: predicate === null || predicate === undefined ? undefined : String(predicate),
      definition: String(r['definition'] ?? ''),
      valid: r['valid'] === true || r['valid'] === 't',
      sizeBytes: Number(r['size'] ?? 0),
      tableReltuples: Number(r['reltuples'] ?? -1),
      tableRelpages: Number(r['relpages'] ?? 0),
      tablePages: Number(r['pages'] ?? 0),
    };
  });
}

/** @internal Resolve tables to oids and schemas (`to_regclass`, search_path rules); undefined when not there. */
export async function resolveTables(db: SqlExecutor, names: readonly string[]): Promise<({ oid: number; schema: string; reltuples: number } | undefined)[]> {
  if (names.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT q.ord, c.oid::bigint AS oid, n.nspname AS schema, c.reltuples::float8 AS reltuples
          FROM (SELECT ord, pg_catalog.to_regclass(name) AS rel FROM pg_catalog.unnest(${`{${names.map((n) => `"${n.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`}::text[]) WITH ORDINALITY AS u(name, ord)) q
          LEFT JOIN pg_catalog.pg_class c ON c.oid = q.rel
          LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         ORDER BY q.ord`,
  );
  return rows.map((r) => (r['oid'] === null || r['oid'] === undefined ? undefined : { oid: Number(r['oid']), schema: String(r['schema']), reltuples: Number(r['reltuples']) }));
}

/** @internal Citus shards of the given tables (none without the citus extension), and their indexes' sizes across shards. */
export async function readDistribution(
  db: SqlExecutor,
  tableOids: readonly number[],
): Promise<Map<number, { method: string; shards: number }>> {
  const out = new Map<number, { method: string; shards: number }>();
  if (tableOids.length === 0) return out;
  const [citus] = await queryRows<{ on: unknown }>(db, sql`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus') AS on`);
  if (!(citus?.on === true || citus?.on === 't')) return out;
  const list = tableOids.map((o) => String(Math.trunc(Number(o)))).join(', ');
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql.raw(
      `SELECT p.logicalrelid::oid::bigint AS oid, p.partmethod::text AS method, count(s.shardid)::int AS shards
         FROM pg_dist_partition p LEFT JOIN pg_dist_shard s ON s.logicalrelid = p.logicalrelid
        WHERE p.logicalrelid::oid IN (${list}) GROUP BY 1, 2`,
    ),
  );
  for (const r of rows) out.set(Number(r['oid']), { method: String(r['method']), shards: Number(r['shards']) });
  return out;
}

/** @internal `citus_relation_size` of an index on a distributed table: the shards' indexes together. */
export async function citusIndexSize(db: SqlExecutor, schema: string, name: string): Promise<number> {
  const [row] = await queryRows<{ size: unknown }>(db, sql`SELECT citus_relation_size(pg_catalog.to_regclass(${qualified(schema, name)}))::bigint AS size`);
  return Number(row?.size ?? 0);
}

/**
 * @internal The planner's own row estimate (PostgreSQL's `estimate_rel_size`): `reltuples` scaled by how the table
 * grew since it was taken, `reltuples / relpages × pages now`. Undefined when there is nothing to scale — never
 * analysed (reltuples −1), or analysed empty and grown since — and the caller counts instead.
 */
export function estimatedRows(index: Pick<LiveIndex, 'tableReltuples' | 'tableRelpages' | 'tablePages'>): number | undefined {
  const { tableReltuples: tuples, tableRelpages: relpages, tablePages: pages } = index;
  if (tuples < 0) return undefined;
  if (relpages > 0) return Math.round((tuples / relpages) * pages);
  return pages === 0 ? Math.round(tuples) : undefined;
}
