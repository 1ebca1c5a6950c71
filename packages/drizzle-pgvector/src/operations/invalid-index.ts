/**
 * @internal What migrate() and buildIndex() share about indexes a failed `CREATE INDEX CONCURRENTLY` leaves
 * behind: dropping the INVALID leftover (whether the index is there and valid is read by `pg-catalog/`'s `findIndex`).
 */
import { qualified } from '../driver/identifiers.js';
import type { RowQuery } from '../driver/index.js';
import { findIndex, type IndexState } from '../pg-catalog/index.js';

/** `"schema"."name"`. */
export function qualifiedIndexName(state: { schema: string; name: string }): string {
  return qualified(state.schema, state.name);
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
