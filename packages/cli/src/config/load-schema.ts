import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { schemaTables } from 'drizzle-pgvector';
import { globSync } from 'tinyglobby';
import { CliError } from '../errors.js';
import { loadModule } from './load-module.js';

/** A table the schema exports, with its SQL name (`schema.table` outside `public`). */
export interface SchemaTable {
  readonly table: PgTable;
  readonly name: string;
  readonly schema: string | undefined;
  /** `name`, or `schema.name` when the table has a schema. */
  readonly qualified: string;
  /** The name the schema module exports it under (what code imports: `documentsIvfflat`). */
  readonly exportName: string;
}

/**
 * Load every schema file (paths or globs, resolved against `cwd` as drizzle-kit does) and collect the pgTables
 * they export. Throws `SCHEMA_NOT_FOUND` when nothing matches and `SCHEMA_LOAD_FAILED` when a file fails.
 */
export async function loadSchema(patterns: readonly string[], cwd = process.cwd()): Promise<SchemaTable[]> {
  if (patterns.length === 0) {
    throw new CliError('SCHEMA_NOT_FOUND', 'No schema: pass --schema <path|glob> or run where a drizzle.config.ts with `schema` is (or pass --config).', {});
  }
  const files = globSync([...patterns], { cwd, absolute: true, onlyFiles: true, ignore: ['**/node_modules/**'] }).sort();
  if (files.length === 0) {
    throw new CliError('SCHEMA_NOT_FOUND', `The schema ${patterns.map((p) => JSON.stringify(p)).join(', ')} matches no file (relative to ${cwd}).`, { schema: patterns, cwd });
  }
  const seen = new Set<PgTable>();
  const out: SchemaTable[] = [];
  for (const file of files) {
    let mod: Record<string, unknown>;
    try {
      mod = await loadModule(file);
    } catch (error) {
      throw new CliError('SCHEMA_LOAD_FAILED', `Loading the schema file ${file} failed: ${error instanceof Error ? error.message : String(error)}`, { file }, error);
    }
    // A module namespace has no prototype: schemaTables reads it (and skips relations, enums, nested namespaces).
    for (const { exportName, table } of schemaTables(mod)) {
      if (seen.has(table)) continue;
      seen.add(table);
      const { name, schema } = getTableConfig(table);
      out.push({ table, name, schema, qualified: schema ? `${schema}.${name}` : name, exportName });
    }
  }
  return out;
}

/** The table `name` (or `schema.name`), or UNKNOWN_TARGET listing the ones declared. */
export function findTable(tables: readonly SchemaTable[], name: string): SchemaTable {
  const found = tables.find((t) => t.qualified === name) ?? tables.find((t) => t.name === name && t.schema === undefined);
  if (found) return found;
  throw new CliError('UNKNOWN_TARGET', `The schema declares no table "${name}". Tables: ${tables.map((t) => t.qualified).join(', ') || 'none'}.`, {
    table: name,
    tables: tables.map((t) => t.qualified),
  });
}
