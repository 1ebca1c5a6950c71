import { SQL, getTableColumns } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { MAX_COPY_COLUMNS } from '../catalog/index.js';
import { quoteIdent, relationName } from '../driver/identifiers.js';
import { describe } from '../errors/index.js';
import { VectorColumn } from '../columns/index.js';
import { jsonLeftToDriver } from '../compat/index.js';
import { PgVectorError, pgVectorError } from '../errors/index.js';
import type { BinaryWriter } from './binary-writer.js';
import { scalarFieldEncoder, scalarKindOf } from './scalar-encoders.js';
import { vectorFieldEncoder, type FieldEncoder } from './vector-encoders.js';

/** One column of a load: where its value comes from and how it is encoded. */
interface PlannedColumn {
  readonly key: string;
  readonly name: string;
  readonly column: PgColumn;
  readonly encode: FieldEncoder;
  /** Drizzle's client-side default for a missing value ($defaultFn, or $onUpdateFn without a default). */
  readonly clientDefault: (() => unknown) | undefined;
  /** The column has a database default, which COPY applies only to columns left out of the load. */
  readonly serverDefault: boolean;
  readonly notNull: boolean;
}

/** What a load sends: the COPY column list, the quoted table, and the per-row encoder. */
export interface CopyPlan {
  /** `"schema"."table"` quoted. */
  readonly table: string;
  /** Quoted column names in COPY order. */
  readonly columnList: string;
  readonly columns: readonly PlannedColumn[];
  /** Table keys left out of the load (database defaults apply); a row giving one of them a value is an error. */
  readonly excluded: ReadonlySet<string>;
}

function columnLabel(tableName: string, column: PgColumn): string {
  return `column "${tableName}"."${column.name}" (${column.getSQLType()})`;
}

/** Drizzle column classes whose mapToDriverValue does not change what the encoder needs (PgTimestamp's Date → ISO text is skipped on purpose). */
const UNMAPPED = new Set([
  'PgText', 'PgVarchar', 'PgChar', 'PgEnumColumn', 'PgInteger', 'PgSerial', 'PgSmallInt', 'PgSmallSerial', 'PgBigInt53', 'PgBigInt64',
  'PgBigSerial53', 'PgBigSerial64', 'PgReal', 'PgDoublePrecision', 'PgBoolean', 'PgUUID', 'PgTimestamp', 'PgTimestampString',
]);

/** The encoder of one column, or UNSUPPORTED_COPY_COLUMN naming it. */
function encoderFor(tableName: string, key: string, column: PgColumn): FieldEncoder {
  const label = columnLabel(tableName, column);
  if (column instanceof VectorColumn) {
    return vectorFieldEncoder(column.vectorType, { type: column.vectorType, dimensions: column.vectorDimensions, label });
  }
  const sqlType = column.getSQLType();
  const isEnum = column.columnType === 'PgEnumColumn';
  const kind = isEnum ? 'text' : scalarKindOf(sqlType);
  if (kind === undefined) {
    throw pgVectorError(
      'UNSUPPORTED_COPY_COLUMN',
      `copyRows: ${label} has a type binary COPY does not encode. Supported: vector, halfvec, sparsevec, bit, smallint, integer, bigint, ` +
        `real, double precision, text, varchar, char, enums, boolean, uuid, timestamp, timestamptz, json, jsonb, bytea. ` +
        `Leave it out with { columns: [...] } (its database default applies) or load that table with db.insert().`,
      { column: column.name, key, sqlType },
    );
  }
  const encode = scalarFieldEncoder(kind, label, sqlType);
  // Drizzle's own timestamp maps Date → ISO text; the encoder takes the Date directly. Other columns go through
  // mapToDriverValue first, as in an insert (jsonb's JSON.stringify, a customType's toDriver …).
  if (UNMAPPED.has(column.columnType)) return encode;
  const map = column.mapToDriverValue.bind(column);
  // drizzle-orm 1.0's json/jsonb columns leave JSON.stringify to the driver's codec: do it here, as 0.45's columns do.
  const json = sqlType === 'json' || sqlType === 'jsonb' ? jsonLeftToDriver(column) : false;
  return (w, value) => {
    const mapped = json ? JSON.stringify(map(value)) : map(value);
    if (mapped === null || mapped === undefined) {
      throw pgVectorError('INVALID_COPY_ROW', `${label}: ${describe(value)} maps to ${String(mapped)}; pass null for NULL.`, { received: describe(value) });
    }
    encode(w, mapped);
  };
}

/**
 * Work out the columns of a load. With `columns`, exactly those (in that order). Without, every insertable
 * column, except database-default columns (serial, identity, `.default(…)`) that the first row leaves undefined.
 */
export function planCopy(table: PgTable, columns: readonly string[] | undefined, firstRow: unknown): CopyPlan {
  const config = getTableConfig(table);
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const insertable = Object.entries(all).filter(([, c]) => !insertDisabled(c));
  let chosen: [string, PgColumn][];
  if (columns !== undefined) {
    if (!Array.isArray(columns) || columns.length === 0) {
      throw pgVectorError('INVALID_COPY_OPTION', `copyRows: columns must be a non-empty array of ${config.name}'s keys, got ${describe(columns)}.`, {
        option: 'columns',
      });
    }
    const seen = new Set<string>();
    chosen = columns.map((key) => {
      const column = all[key];
      if (column === undefined || insertDisabled(column)) {
        throw pgVectorError(
          'INVALID_COPY_OPTION',
          `copyRows: columns contains ${JSON.stringify(key)}, which is not ${column ? 'an insertable (non-generated)' : 'a'} column key of "${config.name}". ` +
            `Use keys of the table object: ${insertable.map(([k]) => k).join(', ')}.`,
          { option: 'columns', value: key, allowed: insertable.map(([k]) => k) },
        );
      }
      if (seen.has(key)) throw pgVectorError('INVALID_COPY_OPTION', `copyRows: columns lists ${JSON.stringify(key)} twice; list each once.`, { option: 'columns', value: key });
      seen.add(key);
      return [key, column];
    });
  } else {
    const row = firstRow !== null && typeof firstRow === 'object' ? (firstRow as Record<string, unknown>) : {};
    chosen = insertable.filter(([key, c]) => !(serverDefaultOnly(c) && row[key] === undefined));
  }
  if (chosen.length === 0 || chosen.length > MAX_COPY_COLUMNS) {
    throw pgVectorError('INVALID_COPY_OPTION', `copyRows: nothing to load into "${config.name}": every column is left to its database default. Pass { columns: [...] }.`, {
      option: 'columns',
    });
  }
  const keys = new Set(chosen.map(([k]) => k));
  const planned = chosen.map(([key, column]): PlannedColumn => {
    const clientDefault = column.defaultFn ?? (column.default === undefined ? column.onUpdateFn : undefined);
    return {
      key,
      name: column.name,
      column,
      encode: encoderFor(config.name, key, column),
      clientDefault,
      serverDefault: clientDefault === undefined && column.hasDefault === true,
      notNull: column.notNull,
    };
  });
  return {
    table: relationName(config.schema, config.name),
    columnList: planned.map((c) => quoteIdent(c.name)).join(', '),
    columns: planned,
    excluded: new Set(insertable.map(([k]) => k).filter((k) => !keys.has(k))),
  };
}

/** Drizzle's own rule (Column.shouldDisableInsert, internal): generated columns other than identity BY DEFAULT. */
function insertDisabled(c: PgColumn): boolean {
  const own = (c as { shouldDisableInsert?: () => boolean }).shouldDisableInsert;
  return own !== undefined ? own.call(c) : c.generated !== undefined && c.generated.type !== 'byDefault';
}

function serverDefaultOnly(c: PgColumn): boolean {
  return c.hasDefault && c.defaultFn === undefined && !(c.default === undefined && c.onUpdateFn !== undefined);
}

/** Re-throw a column's validation error with the row index and column in front. */
function rowError(error: unknown, index: number, column: PlannedColumn | undefined): never {
  if (error instanceof PgVectorError) {
    throw new PgVectorError(error.code, `row ${index}: ${error.message}`, {
      details: { ...error.details, row: index, ...(column ? { column: column.name } : {}) },
      cause: error,
    });
  }
  throw error;
}

function invalidRow(index: number, column: PlannedColumn | undefined, message: string, details: Record<string, unknown> = {}): never {
  throw pgVectorError('INVALID_COPY_ROW', `row ${index}: ${message}`, { row: index, ...(column ? { column: column.name } : {}), ...details });
}

/** Validate and encode one row as a tuple. Throws a PgVectorError naming the row index and column. */
export function encodeRow(plan: CopyPlan, w: BinaryWriter, row: unknown, index: number): void {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) {
    invalidRow(index, undefined, `expected an insert object (typeof table.$inferInsert), got ${describe(row)}.`);
  }
  const values = row as Record<string, unknown>;
  const columns = plan.columns;
  w.beginRow(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    let value = values[c.key];
    if (value === undefined) {
      if (c.clientDefault !== undefined) {
        value = c.clientDefault();
        if (isEntity(value, SQL)) invalidRow(index, c, `the $defaultFn of column "${c.name}" returned an SQL expression, which COPY cannot send. Return a value, or use db.insert().`);
      } else if (c.serverDefault) {
        invalidRow(
          index,
          c,
          `no value for column "${c.name}", which has a database default; COPY applies database defaults only to columns left out of the load. ` +
            `Give every row a value for it, or leave it out of every row (or of { columns }).`,
        );
      } else value = null;
    }
    if (value === null || value === undefined) {
      if (c.notNull) invalidRow(index, c, `column "${c.name}" is NOT NULL but the row has ${String(value ?? 'no value')}. Give it a value.`);
      w.nullField();
      continue;
    }
    if (isEntity(value, SQL)) invalidRow(index, c, `column "${c.name}" has an SQL expression, which COPY cannot send. Pass a value, or use db.insert().`);
    try {
      c.encode(w, value);
    } catch (error) {
      rowError(error, index, c);
    }
  }
  if (plan.excluded.size > 0) {
    for (const key of plan.excluded) {
      if (values[key] !== undefined) {
        invalidRow(
          index,
          undefined,
          `gives a value for "${key}", which this load leaves out (it has a database default and the first row had no value for it). ` +
            `Give the first row a value for it too, or pass { columns: [...] } listing it.`,
          { key },
        );
      }
    }
  }
  w.endRow();
}

/** `COPY "items" ("id", "embedding") FROM STDIN (FORMAT binary)`, or FROM `source` (PGlite's '/dev/blob'). */
export function copySql(plan: CopyPlan, source = 'STDIN'): string {
  return `COPY ${plan.table} (${plan.columnList}) FROM ${source} (FORMAT binary)`;
}
