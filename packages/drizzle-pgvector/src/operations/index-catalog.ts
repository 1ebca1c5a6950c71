import type { RowQuery } from './invalid-index.js';

/** @internal One index as the catalog describes it. */
export interface CatalogIndex {
  readonly schema: string;
  readonly name: string;
  readonly table: string;
  /** Access method: hnsw, ivfflat (or another, for non-vector indexes). */
  readonly method: string;
  readonly opclass: string;
  /** `pg_get_indexdef(oid, 1, true)`: the indexed column or expression. */
  readonly expression: string;
  /** The indexed expression's type modifier: dimensions (vector, halfvec, sparsevec) or bits. */
  readonly typmod: number;
  /** Storage parameters (`m`, `ef_construction`, `lists`) as numbers. */
  readonly options: Readonly<Record<string, number>>;
  readonly predicate: string | undefined;
  readonly valid: boolean;
  readonly sizeBytes: number;
  readonly definition: string;
}

/**
 * @internal Indexes from pg_index, filtered by access method / table / name.
 *
 * ```sql
 * SELECT n.nspname, c.relname, t.relname, am.amname, opc.opcname, pg_get_indexdef(c.oid, 1, true), a.atttypmod,
 *        c.reloptions, pg_get_expr(i.indpred, i.indrelid, true), i.indisvalid, pg_relation_size(c.oid), pg_get_indexdef(c.oid)
 * FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid … WHERE am.amname IN ('hnsw', 'ivfflat') [AND t.relname = $1 …]
 * ```
 */
export async function readIndexes(rows: RowQuery, filter: { table?: string; schema?: string; name?: string; vectorOnly: boolean }): Promise<CatalogIndex[]> {
  const result = await rows(
    `SELECT n.nspname AS schema, c.relname AS name, t.relname AS "table", am.amname AS method, opc.opcname AS opclass,
            pg_catalog.pg_get_indexdef(c.oid, 1, true) AS expression, a.atttypmod AS typmod, c.reloptions::text[] AS reloptions,
            pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate, i.indisvalid AS valid,
            pg_catalog.pg_relation_size(c.oid)::bigint AS size, pg_catalog.pg_get_indexdef(c.oid) AS definition
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_am am ON am.oid = c.relam
       LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[0]
       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1
      WHERE ($1::boolean IS FALSE OR am.amname IN ('hnsw', 'ivfflat'))
        AND ($2::text IS NULL OR t.relname = $2::text)
        AND ($4::text IS NULL OR c.relname = $4::text)
        AND (CASE WHEN $3::text IS NULL THEN n.nspname = ANY (pg_catalog.current_schemas(false)) ELSE n.nspname = $3::text END)
      ORDER BY n.nspname, t.relname, c.relname`,
    [filter.vectorOnly, filter.table ?? null, filter.schema ?? null, filter.name ?? null],
  );
  return result.map((r) => {
    const options: Record<string, number> = {};
    const rel = r['reloptions'];
    const list = Array.isArray(rel) ? rel : typeof rel === 'string' ? rel.replace(/^\{|\}$/g, '').split(',').filter(Boolean) : [];
    for (const item of list) {
      const [k, v] = String(item).split('=');
      if (k !== undefined && v !== undefined) options[k] = Number(v);
    }
    const predicate = r['predicate'];
    return {
      schema: String(r['schema']),
      name: String(r['name']),
      table: String(r['table']),
      method: String(r['method']),
      opclass: String(r['opclass'] ?? ''),
      expression: String(r['expression'] ?? ''),
      typmod: Number(r['typmod'] ?? -1),
      options,
      predicate: predicate === null || predicate === undefined ? undefined : String(predicate),
      valid: r['valid'] === true || r['valid'] === 't',
      sizeBytes: Number(r['size'] ?? 0),
      definition: String(r['definition'] ?? ''),
    };
  });
}
