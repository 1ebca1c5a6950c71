import { booleanOf, type RowQuery } from '../driver/index.js';
import { parseReloptions } from './reloptions.js';

/** @internal An index (any method) as the catalog has it. */
export interface IndexState {
  readonly schema: string;
  readonly name: string;
  /** `pg_index.indisvalid`. */
  readonly valid: boolean;
  /** `pg_index.indisready`: false while (or after a failure early in) a concurrent build. */
  readonly ready: boolean;
  readonly table: string;
  /** Options exactly as stored (`pg_class.reloptions`), keyed by SQL name (`lists`, `ef_construction`). */
  readonly storedOptions: Readonly<Record<string, number>>;
}

/**
 * @internal The index named `name` (in `schema`, default: the first schema of the search_path that has it), or
 * undefined.
 *
 * ```sql
 * SELECT n.nspname, c.relname, i.indisvalid, i.indisready, t.relname, c.reloptions FROM pg_class c JOIN pg_namespace n … WHERE c.relname = $1 AND c.relkind IN ('i','I')
 * ```
 */
export async function findIndex(query: RowQuery, name: string, schema?: string): Promise<IndexState | undefined> {
  const rows = await query(
    `SELECT n.nspname AS schema, c.relname AS name, i.indisvalid AS valid, i.indisready AS ready, t.relname AS "table", c.reloptions::text[] AS reloptions
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
       JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
      WHERE c.relname = $1 AND c.relkind IN ('i', 'I')
        AND (CASE WHEN $2::text IS NULL THEN n.nspname = ANY (pg_catalog.current_schemas(false)) ELSE n.nspname = $2::text END)
      ORDER BY pg_catalog.array_position(pg_catalog.current_schemas(false), n.nspname::text)
      LIMIT 1`,
    [name, schema ?? null],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    schema: String(row['schema']),
    name: String(row['name']),
    valid: booleanOf(row['valid']),
    ready: booleanOf(row['ready']),
    table: String(row['table']),
    storedOptions: parseReloptions(row['reloptions']),
  };
}
