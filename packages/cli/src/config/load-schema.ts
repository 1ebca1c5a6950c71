import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { declaredVectorIndexes, PgVectorError, schemaTables } from 'drizzle-pgvector';
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

/** `table.column` (or `schema.table.column`; the column by its SQL name or its schema key) → the Drizzle column. */
export function findColumn(tables: readonly SchemaTable[], target: string): { table: SchemaTable; column: PgColumn; key: string } {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) {
    throw new CliError('INVALID_ARGUMENT', `The target must be <table>.<column> (e.g. items.embedding), got ${JSON.stringify(target)}.`, { target });
  }
  const t = findTable(tables, target.slice(0, dot));
  const name = target.slice(dot + 1);
  const columns = Object.entries(t.table as unknown as Record<string, unknown>);
  const config = getTableConfig(t.table);
  const column = config.columns.find((c) => c.name === name);
  const byKey = columns.find(([key, value]) => key === name && config.columns.includes(value as PgColumn));
  const found = column ?? (byKey?.[1] as PgColumn | undefined);
  if (!found) {
    throw new CliError('UNKNOWN_TARGET', `Table "${t.qualified}" has no column "${name}". Columns: ${config.columns.map((c) => c.name).join(', ')}.`, {
      table: t.qualified,
      column: name,
      columns: config.columns.map((c) => c.name),
    });
  }
  const key = columns.find(([, value]) => value === found)?.[0] ?? found.name;
  return { table: t, column: found, key };
}

/** The table of the schema that declares vector index `name`, or UNKNOWN_INDEX listing every declared one. */
export function declaringTable(tables: readonly SchemaTable[], name: string): SchemaTable {
  const declared: string[] = [];
  for (const t of tables) {
    for (const index of declaredVectorIndexes(t.table)) {
      if (index.name === name) return t;
      declared.push(index.name);
    }
  }
  throw new PgVectorError(
    'UNKNOWN_INDEX',
    `The schema declares no vector index named "${name}". Declared vector indexes: ${declared.length ? declared.map((d) => `"${d}"`).join(', ') : 'none — declare one with hnswIndex(…) / ivfflatIndex(…)'}.`,
    { details: { name, declared } },
  );
}
