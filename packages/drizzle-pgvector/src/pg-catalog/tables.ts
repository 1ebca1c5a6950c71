import { sql } from 'drizzle-orm';
import { queryRows, type SqlExecutor } from '../driver/index.js';

/** @internal A table found by name: its oid, schema and row estimate (`pg_class.reltuples`, −1 when never analysed). */
export interface ResolvedTable {
  readonly oid: number;
  readonly schema: string;
  readonly reltuples: number;
}

/**
 * @internal Resolve table names (as written in SQL: `"items"`, `"public"."items"`) to oids and schemas, by
 * `to_regclass` (search_path rules); undefined where a table is not there. The names are bound as one JSON array,
 * sent as text (a driver that serialises `jsonb` parameters itself, postgres.js under drizzle-orm 1.0, would
 * otherwise encode the string again).
 *
 * ```sql
 * SELECT q.ord, c.oid, n.nspname, c.reltuples
 *   FROM (SELECT ord, to_regclass(name) AS rel FROM jsonb_array_elements_text($1::text::jsonb) WITH ORDINALITY AS u(name, ord)) q
 *   LEFT JOIN pg_class c ON c.oid = q.rel LEFT JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY q.ord;
 * ```
 */
export async function resolveTables(db: SqlExecutor, names: readonly string[]): Promise<(ResolvedTable | undefined)[]> {
  if (names.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT q.ord, c.oid::bigint AS oid, n.nspname AS schema, c.reltuples::float8 AS reltuples
          FROM (SELECT ord, pg_catalog.to_regclass(name) AS rel FROM pg_catalog.jsonb_array_elements_text((${JSON.stringify(names)}::text)::jsonb) WITH ORDINALITY AS u(name, ord)) q
          LEFT JOIN pg_catalog.pg_class c ON c.oid = q.rel
          LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         ORDER BY q.ord`,
  );
  return rows.map((r) => (r['oid'] === null || r['oid'] === undefined ? undefined : { oid: Number(r['oid']), schema: String(r['schema']), reltuples: Number(r['reltuples']) }));
}
