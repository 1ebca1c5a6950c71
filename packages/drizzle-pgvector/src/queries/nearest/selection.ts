import { Column, getTableColumns, getTableName, is, SQL, Table } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { describe } from '../../errors/index.js';
import { BoundedCaches } from './bounded-cache.js';
import { invalid } from './options.js';

/**
 * The result fields of a search: which columns and expressions, how each value is decoded, and the row mapper.
 * Selections of columns are cached per table, bounded (see {@link MAX_SELECTIONS_PER_TABLE}).
 */

const IDS = new WeakMap<object, number>();
let nextId = 1;

/** @internal A stable number per schema object (table, column), for cache keys. */
export function idOf(value: object): number {
  let id = IDS.get(value);
  if (id === undefined) {
    id = nextId++;
    IDS.set(value, id);
  }
  return id;
}

export type Decoder = ((value: unknown) => unknown) | undefined;

/** @internal One result field. */
export interface Field {
  readonly key: string;
  /** A column (static), or an expression compiled per call. */
  readonly column: PgColumn | undefined;
  readonly expression: SQL | undefined;
  readonly decoder: Decoder;
}

/** @internal The result fields of a search. */
export interface Selection {
  readonly fields: readonly Field[];
  /** Cache-key part for the static part of the selection. */
  readonly key: string;
  /** Has sql expressions, compiled per call. */
  readonly dynamic: boolean;
  /** Every field is a column of a type drivers return without Drizzle's type-parser overrides. */
  readonly plain: boolean;
}


const DEFAULT_SELECTIONS = new WeakMap<object, Selection>();
/** Most column selections cached per table; beyond it the oldest is dropped (then rebuilt on its next use). */
export const MAX_SELECTIONS_PER_TABLE = 256;
const STATIC_SELECTIONS = new BoundedCaches<Selection>(MAX_SELECTIONS_PER_TABLE);

/** @internal How many column selections are cached for `table` (tests pin the bound). */
export function cachedSelections(table: object): number {
  return STATIC_SELECTIONS.size(table);
}

/**
 * SQL types whose values every driver returns the same way with or without Drizzle's per-driver type-parser
 * overrides (those only touch timestamp, date, interval and array types).
 */
const PLAIN_SQL_TYPE = /^(integer|smallint|bigint|serial|smallserial|bigserial|text|varchar|char|character|boolean|uuid|real|double precision|numeric|decimal|json|jsonb|vector|halfvec|sparsevec|bit)(\(.*\))?$/;


function columnDecoder(column: PgColumn): Decoder {
  return (value) => column.mapFromDriverValue(value);
}

function sqlDecoder(expression: SQL): Decoder {
  const decoder = (expression as unknown as { decoder?: { mapFromDriverValue(value: unknown): unknown } }).decoder;
  return decoder ? (value) => decoder.mapFromDriverValue(value) : undefined;
}

function columnField(key: string, column: PgColumn): Field {
  return { key, column, expression: undefined, decoder: columnDecoder(column) };
}

function isPlain(fields: readonly Field[]): boolean {
  return fields.every((f) => f.column !== undefined && PLAIN_SQL_TYPE.test(f.column.getSQLType()));
}

function defaultSelection(fn: string, table: PgTable): Selection {
  let selection = DEFAULT_SELECTIONS.get(table);
  if (selection) return selection;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  if ('distance' in columns) {
    invalid(fn, `the table has a column keyed 'distance', which would clash with the result's distance. Pass select: { … } without it.`, {
      key: 'distance',
    });
  }
  const fields = Object.entries(columns).map(([key, column]) => columnField(key, column));
  selection = { fields, key: `*${idOf(table)}`, dynamic: false, plain: isPlain(fields) };
  DEFAULT_SELECTIONS.set(table, selection);
  return selection;
}

/** Validate a `select` object and describe it (slow path: first use of a column selection, or any sql field). */
function buildSelection(fn: string, table: PgTable, select: Record<string, unknown>): Selection {
  const fields: Field[] = [];
  let key = '';
  let dynamic = false;
  for (const [name, value] of Object.entries(select)) {
    if (name === 'distance') {
      invalid(fn, `select.distance is reserved: every row already has distance. Rename the field.`, { key: name });
    }
    if (is(value, Column)) {
      if (value.table !== table) {
        invalid(fn, `select.${name} is a column of another table; nearest reads one table. Join afterwards, or select an sql\`(subquery)\`.`, {
          key: name,
        });
      }
      fields.push(columnField(name, value as PgColumn));
      key += `${name}\u0001${idOf(value)}\u0002`;
    } else if (is(value, SQL) || is(value, SQL.Aliased)) {
      const expression = is(value, SQL) ? value : value.sql;
      fields.push({ key: name, column: undefined, expression, decoder: sqlDecoder(expression) });
      key += `${name}\u0001s\u0002`;
      dynamic = true;
    } else {
      invalid(fn, `select.${name} must be a column or an sql\`…\` expression, got ${describe(value)}. Nested objects are not supported.`, {
        key: name,
        received: describe(value),
      });
    }
  }
  return { fields, key, dynamic, plain: isPlain(fields) };
}

/** @internal The selection for `select` (default: every column of the table), validated; cached for column selections. */
export function selectionFor(fn: string, table: PgTable, select: unknown): Selection {
  if (select === undefined || select === table) return defaultSelection(fn, table);
  if (typeof select === 'object' && select !== null && Object.getPrototypeOf(select) !== Object.prototype && is(select, Table)) {
    invalid(fn, `select is the table "${getTableName(select)}", but the search reads "${getTableName(table)}". Pass select: ${getTableName(table)} (the searched table) or an object of its columns.`, {
      received: getTableName(select),
      expected: getTableName(table),
    });
  }
  if (
    select === null ||
    typeof select !== 'object' ||
    // An object literal is neither SQL nor a Column: skip the two prototype walks of `is()` on the hot path.
    (Object.getPrototypeOf(select) !== Object.prototype && (Array.isArray(select) || is(select, SQL) || is(select, Column)))
  ) {
    invalid(fn, `select must be an object of columns and sql expressions like { id: items.id }, got ${describe(select)}.`, {
      received: describe(select),
    });
  }
  // Fast path: a selection of columns only is identified by its keys and column identities.
  const fields = select as Record<string, unknown>;
  let key = '';
  for (const name in fields) {
    const value = fields[name];
    if (!is(value, Column)) return buildSelection(fn, table, fields);
    key += `${name}\u0001${idOf(value)}\u0002`;
  }
  const byKey = STATIC_SELECTIONS.of(table);
  let selection = byKey.get(key);
  if (selection === undefined) {
    selection = buildSelection(fn, table, fields);
    byKey.set(key, selection);
  }
  return selection;
}

/** @internal Rows (distance first, then the fields) → result objects. */
export function makeMapper(fields: readonly Field[]): (rows: unknown[][]) => Record<string, unknown>[] {
  const n = fields.length;
  const keys = fields.map((f) => f.key);
  const decoders = fields.map((f) => f.decoder);
  return (rows) => {
    const out: Record<string, unknown>[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const value = row[i + 1];
        const decode = decoders[i];
        obj[keys[i]!] = value === null || value === undefined ? null : decode === undefined ? value : decode(value);
      }
      const d = row[0];
      obj['distance'] = typeof d === 'number' || d === null ? d : Number(d);
      out[r] = obj;
    }
    return out;
  };
}
