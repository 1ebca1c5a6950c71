import { isEntity } from '../compat/entity.js';
import { PgColumn } from 'drizzle-orm/pg-core';
import { VECTOR_TYPES_LIST, type VectorType } from '../catalog/index.js';
import { vectorColumnConfig } from '../columns/index.js';
import { builtinVectorDimensions } from '../compat/index.js';
import { describe, pgVectorError, tableNameOf } from '../errors/index.js';

/** What drizzle-pgvector knows about a vector column: its pgvector type, fixed dimensions, names. */
export interface VectorColumnInfo {
  readonly column: PgColumn;
  readonly type: VectorType;
  readonly dimensions: number | undefined;
  readonly name: string;
  readonly tableName: string;
}

/** Drizzle's built-in pgvector column types (drizzle-orm/pg-core vector_extension) → pgvector type. */
const DRIZZLE_BUILTIN: Readonly<Record<string, VectorType>> = {
  PgVector: 'vector',
  PgHalfVector: 'halfvec',
  PgSparseVector: 'sparsevec',
  PgBinaryVector: 'bit',
};

/**
 * Read the pgvector type and dimensions of a column: ours, or Drizzle's built-in `vector`/`halfvec`/
 * `sparsevec`/`bit`. Works on the columns Drizzle hands to a table's extra-config callback too.
 *
 * @throws PgVectorError `INVALID_TARGET` when the column is not a pgvector column.
 */
export function vectorColumnInfo(column: unknown, what = 'target'): VectorColumnInfo {
  if (!isEntity(column, PgColumn)) {
    throw pgVectorError(
      'INVALID_TARGET',
      `${what}: expected a vector column (e.g. items.embedding) or an expression target (asVector, asHalfvec, binaryQuantize, subvector), got ${describe(column)}.`,
      { received: describe(column) },
    );
  }
  const ours = vectorColumnConfig(column);
  const type: VectorType | undefined = ours ? ours.vectorType : DRIZZLE_BUILTIN[column.columnType];
  const tableName = tableNameOf(column.table);
  if (type === undefined || !(VECTOR_TYPES_LIST as readonly string[]).includes(type)) {
    throw pgVectorError(
      'INVALID_TARGET',
      `${what}: column "${tableName}"."${column.name}" is ${column.columnType}, not a pgvector column. Use vector(), halfvec(), sparsevec() or bit() from drizzle-pgvector.`,
      { column: column.name, columnType: column.columnType },
    );
  }
  return {
    column,
    type,
    dimensions: ours ? ours.vectorDimensions : builtinVectorDimensions(column),
    name: column.name,
    tableName,
  };
}
