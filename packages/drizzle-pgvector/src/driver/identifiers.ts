/**
 * @internal SQL identifiers written into statement text (DDL, catalog queries on a named relation): always
 * double-quoted, embedded quotes doubled. Values never go through here — they are bound parameters.
 */

/** `"name"`. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"` of an index or table. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** `"schema"."name"`, or `"name"` when the schema is not given (resolved on the search_path, as drizzle-kit writes it). */
export function relationName(schema: string | undefined, name: string): string {
  return schema ? qualified(schema, name) : quoteIdent(name);
}

/**
 * An identifier as the server prints it in `pg_get_indexdef` and friends: bare when it is a plain lower-case name,
 * double-quoted otherwise (PostgreSQL's `quote_ident`, without its keyword check).
 */
export function printedIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : quoteIdent(name);
}
