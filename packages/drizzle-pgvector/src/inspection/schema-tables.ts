import { PgTable } from 'drizzle-orm/pg-core';
import { isEntity } from '../compat/entity.js';
import { describe, pgVectorError } from '../errors/index.js';

/** One table of a schema module, with the name the module exports it under. */
export interface SchemaTable {
  /** The export name (`documents` for `export const documents = pgTable('docs', …)`). */
  readonly exportName: string;
  readonly table: PgTable;
}

/**
 * The Drizzle tables a schema module exports — an ES module namespace (`import * as schema from './schema'`, an
 * object without prototype) or a plain object of tables — in export order, each once (a table exported under two
 * names keeps the first). Its other values (relations, enums, sequences, nested namespaces) are skipped. This is
 * how `vectorIndexes(db, { tables: schema })` and the CLI read a schema. Runs no SQL.
 *
 * @example
 * ```ts
 * import * as schema from './schema';
 *
 * schemaTables(schema).map((t) => t.exportName); // ['documents', 'users']
 * ```
 *
 * @throws PgVectorError `INVALID_OPERATION_OPTION` when `schema` is not an object, or is one table (pass `[table]`).
 */
export function schemaTables(schema: object, fn = 'schemaTables'): SchemaTable[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || isEntity(schema, PgTable)) {
    throw pgVectorError(
      'INVALID_OPERATION_OPTION',
      `${fn}: expected a schema module (import * as schema from './schema') or an object of tables, got ${describe(schema)}${isEntity(schema, PgTable) ? ' (one table: pass an array of tables instead)' : ''}.`,
      { received: describe(schema) },
    );
  }
  const seen = new Set<PgTable>();
  const out: SchemaTable[] = [];
  for (const exportName of Object.keys(schema)) {
    const value = (schema as Record<string, unknown>)[exportName];
    if (!isEntity(value, PgTable) || seen.has(value)) continue;
    seen.add(value);
    out.push(Object.freeze({ exportName, table: value }));
  }
  return out;
}
