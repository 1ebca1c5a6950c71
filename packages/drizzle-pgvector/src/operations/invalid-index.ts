/**
 * @internal What migrate() and buildIndex() share about indexes a failed `CREATE INDEX CONCURRENTLY` leaves
 * behind: is the index there, is it valid, and dropping the INVALID leftover.
 */
import { qualified } from '../driver/identifiers.js';

/** Runs one statement with bound parameters and returns row objects (a DriverConnection's `query`, or db.execute). */
export type RowQuery = (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** An index as the catalog has it. */
export interface IndexState {
  readonly schema: string;
  readonly name: string;
  /** `pg_index.indisvalid`. */
  readonly valid: boolean;
  /** `pg_index.indisready`: false while (or after a failure early in) a concurrent build. */
  readonly ready: boolean;
  readonly table: string;
}


/** `"schema"."name"`. */
export function qualifiedIndexName(state: { schema: string; name: string }): string {
  return qualified(state.schema, state.name);
}

/**
 * The index named `name` (in `schema`, default: the first schema of the search_path that has it), or undefined.
 *
 * ```sql
 * SELECT n.nspname, c.relname, i.indisvalid, i.indisready, t.relname FROM pg_class c JOIN pg_namespace n … WHERE c.relname = $1 AND c.relkind IN ('i','I')
 * ```
 */
export async function findIndex(query: RowQuery, name: string, schema?: string): Promise<IndexState | undefined> {
  const rows = await query(
    `SELECT n.nspname AS schema, c.relname AS name, i.indisvalid AS valid, i.indisready AS ready, t.relname AS "table"
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
    valid: row['valid'] === true || row['valid'] === 't',
    ready: row['ready'] === true || row['ready'] === 't',
    table: String(row['table']),
  };
}

/** The statement that drops an INVALID leftover (outside a transaction block). */
export function dropInvalidStatement(state: { schema: string; name: string }): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedIndexName(state)};`;
}

/**
 * Drop the index `name` if it exists and is INVALID; returns what was dropped (undefined when there was nothing
 * to drop). A valid index is never touched.
 *
 * ```sql
 * DROP INDEX CONCURRENTLY IF EXISTS "public"."items_embedding_hnsw";
 * ```
 */
export async function dropInvalidIndex(query: RowQuery, name: string, schema?: string): Promise<IndexState | undefined> {
  const state = await findIndex(query, name, schema);
  if (state === undefined || state.valid) return undefined;
  await query(dropInvalidStatement(state), []);
  return state;
}

const PART = String.raw`("(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = new RegExp(String.raw`^${PART}(?:\s*\.\s*${PART})?$`);

function unquote(part: string): string {
  return part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase();
}

/** `"Items_hnsw"`, `public.items_hnsw` (as written in SQL) → schema and name as the catalog has them. */
export function parseIndexName(text: string): { schema: string | undefined; name: string } | undefined {
  const m = QUALIFIED.exec(text.trim());
  if (m === null) return undefined;
  return m[2] === undefined ? { schema: undefined, name: unquote(m[1]!) } : { schema: unquote(m[1]!), name: unquote(m[2]) };
}
