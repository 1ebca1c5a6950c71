import { entityKind } from 'drizzle-orm';
import { PgColumn, PgColumnBuilder } from 'drizzle-orm/pg-core';
import type { AnyPgTable, PgTable } from 'drizzle-orm/pg-core';
import { VECTOR_TYPES, type VectorType } from '../catalog/index.js';
import type { ColumnBuilderConfigBase, IsDrizzle1 } from '../compat/index.js';
import {
  decodeDense,
  decodeSparse,
  encodeBit,
  encodeDense,
  encodeSparse,
  type SparseVector,
  type ValueSpec,
} from '../codec/index.js';
import { pgVectorError, tableNameOf } from '../errors/index.js';

/**
 * Column types for pgvector. Version-sensitive Drizzle generics live in this file only
 * (Drizzle's Builder/Column pair; see drizzle-orm/pg-core/columns/vector_extension).
 *
 * Written so drizzle-orm 0.45 and 1.0 read the same column without a branch:
 * - The vector's dimension count is kept as `vectorDimensions`, never as `dimensions`: on 1.0 a column's
 *   `dimensions` is its *array* depth (drizzle-kit 1.0 appends `[]` that many times, and drizzle-orm maps values
 *   element by element), while 0.45 reads no `dimensions` at all.
 * - `mapToDriverValue` / `mapFromDriverValue` are set per instance in the constructor: 1.0's `Column` defines them
 *   as instance fields (which would hide prototype methods), 0.45's as prototype methods (which an own property
 *   overrides just as well).
 * - No `codec`: decoding stays in `mapFromDriverValue` (1.0 applies a codec's `normalize` first only when a column
 *   names one); `mapFromJsonValue` decodes values 1.0's relational queries read from JSON.
 */

/** Runtime config every drizzle-pgvector column carries (readable back for index and query validation). */
export interface VectorColumnRuntimeConfig {
  vectorType: VectorType;
  /** The typmod: `vector(3)` → 3; `undefined` for a column of any dimension count. */
  vectorDimensions: number | undefined;
}

export interface VectorColumnOptions {
  /** Fixed dimension count (typmod). Omit for a column that stores values of any dimension count. */
  dimensions?: number;
}

export interface BitColumnOptions {
  /** Number of bits (required: `bit` without a length is `bit(1)` in PostgreSQL). */
  dimensions: number;
}

type ColumnTypeOf<T extends VectorType> = T extends 'vector'
  ? 'PgVectorExt'
  : T extends 'halfvec'
    ? 'PgHalfvecExt'
    : T extends 'sparsevec'
      ? 'PgSparsevecExt'
      : 'PgBitExt';

/** Select type of each vector type. */
export type VectorData<T extends VectorType> = T extends 'vector' | 'halfvec' ? number[] : T extends 'sparsevec' ? SparseVector : string;

/**
 * What Drizzle reads from a builder to type the column: 0.45 wants name, column type and enum values in it too,
 * 1.0 only the data type, select type and driver type (it derives the rest from the builder's own state).
 */
type VectorBuilderConfig<TName extends string, TType extends VectorType> = IsDrizzle1 extends true
  ? { dataType: 'custom'; data: VectorData<TType>; driverParam: string }
  : { name: TName; dataType: 'custom'; columnType: ColumnTypeOf<TType>; data: VectorData<TType>; driverParam: string; enumValues: undefined };

export type VectorColumnBuilderInitial<TName extends string, TType extends VectorType> = VectorColumnBuilder<
  Extract<VectorBuilderConfig<TName, TType>, ColumnBuilderConfigBase>
>;

/** Builder of a drizzle-pgvector column; Drizzle turns it into a {@link VectorColumn} when the table is built. */
export class VectorColumnBuilder<T extends ColumnBuilderConfigBase> extends PgColumnBuilder<T, VectorColumnRuntimeConfig> {
  static override readonly [entityKind]: string = 'DrizzlePgVectorColumnBuilder';

  constructor(name: string, columnType: string, vectorType: VectorType, dimensions: number | undefined) {
    super(name, 'custom', columnType);
    this.config.vectorType = vectorType;
    this.config.vectorDimensions = dimensions;
  }

  /** @internal Called by Drizzle when the table is built. */
  build(table: AnyPgTable): VectorColumn {
    return new VectorColumn(table as PgTable, this.config);
  }
}

/**
 * A pgvector column (`vector`, `halfvec`, `sparsevec` or `bit`) that validates every value it sends. Its Drizzle
 * generics are left open (`PgColumn<any, any, any>`: the parameters mean different things on 0.45 and 1.0); tables
 * type their columns from the builder's config, not from this class.
 */
export class VectorColumn extends PgColumn<any, any, any> {
  static override readonly [entityKind]: string = 'DrizzlePgVectorColumn';

  readonly vectorType: VectorType = (this.config as VectorColumnRuntimeConfig).vectorType;
  /** The typmod: `vector(3)` → 3; `undefined` for a column of any dimension count. */
  readonly vectorDimensions: number | undefined = (this.config as VectorColumnRuntimeConfig).vectorDimensions;
  /** @internal 1.0's relational queries decode JSON-aggregated values with this (0.45 ignores it). */
  readonly mapFromJsonValue: (value: unknown) => unknown;

  constructor(table: PgTable, config: VectorColumnRuntimeConfig & { name: string }) {
    super(table, config as never);
    const { vectorType, vectorDimensions } = config;
    // What values are checked against; built once per column.
    const spec: ValueSpec = {
      type: vectorType,
      dimensions: vectorDimensions,
      label: `column ${quoteForMessage(table)}"${config.name}" (${sqlTypeOf(vectorType, vectorDimensions)})`,
    };
    const decode = decoderOf(vectorType);
    this.mapToDriverValue = encoderOf(vectorType, spec);
    this.mapFromDriverValue = decode;
    this.mapFromJsonValue = decode;
  }

  getSQLType(): string {
    return sqlTypeOf(this.vectorType, this.vectorDimensions);
  }
}

function encoderOf(type: VectorType, spec: ValueSpec): (value: unknown) => unknown {
  switch (type) {
    case 'vector':
    case 'halfvec':
      return (value) => encodeDense(value, spec);
    case 'sparsevec':
      return (value) => encodeSparse(value, spec);
    case 'bit':
      return (value) => encodeBit(value, spec);
  }
}

function decoderOf(type: VectorType): (value: unknown) => unknown {
  switch (type) {
    case 'vector':
    case 'halfvec':
      return decodeDense;
    case 'sparsevec':
      return decodeSparse;
    case 'bit':
      return (value) => (typeof value === 'string' ? value : String(value));
  }
}

/**
 * The pgvector type and dimensions of a drizzle-pgvector column — a built {@link VectorColumn}, or the column
 * Drizzle hands to a table's extra-config callback (an `ExtraConfigColumn` carrying the same config) — or
 * `undefined` for any other column.
 */
export function vectorColumnConfig(column: PgColumn): Readonly<VectorColumnRuntimeConfig> | undefined {
  const config = (column as unknown as { config?: Partial<VectorColumnRuntimeConfig> }).config;
  if (config === undefined || typeof config.vectorType !== 'string' || !(config.vectorType in VECTOR_TYPES)) return undefined;
  return { vectorType: config.vectorType, vectorDimensions: typeof config.vectorDimensions === 'number' ? config.vectorDimensions : undefined };
}

function quoteForMessage(table: PgTable | undefined): string {
  const name = tableNameOf(table);
  return name === '?' ? '' : `"${name}".`;
}

/** The SQL type name: `vector(3)`, `halfvec`, `sparsevec(1000)`, `bit(64)`. */
export function sqlTypeOf(type: VectorType, dimensions: number | undefined): string {
  return dimensions === undefined ? type : `${type}(${dimensions})`;
}

/** Validate a column's dimension option at definition time. */
export function checkColumnDimensions(type: VectorType, name: string, dimensions: unknown, required: boolean): number | undefined {
  if (dimensions === undefined) {
    if (required) {
      throw pgVectorError(
        'INVALID_COLUMN_OPTION',
        `${type} column "${name}": dimensions is required (PostgreSQL's plain bit is bit(1)). Pass { dimensions: n } with 1 <= n <= ${VECTOR_TYPES[type].maxDimensions}.`,
        { column: name, option: 'dimensions', min: 1, max: VECTOR_TYPES[type].maxDimensions },
      );
    }
    return undefined;
  }
  const max = VECTOR_TYPES[type].maxDimensions;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > max) {
    throw pgVectorError(
      dimensions === 0 ? 'EMPTY_VECTOR' : typeof dimensions === 'number' && dimensions > max ? 'TOO_MANY_DIMENSIONS' : 'INVALID_COLUMN_OPTION',
      `${type} column "${name}": dimensions ${String(dimensions)} is invalid; use an integer from 1 to ${max}${
        typeof dimensions === 'number' && dimensions > max && type === 'vector' ? ` (halfvec also stops at ${VECTOR_TYPES.halfvec.maxDimensions}; reduce the embedding size)` : ''
      }.`,
      { column: name, option: 'dimensions', value: dimensions, min: 1, max },
    );
  }
  return dimensions;
}

function makeColumn<TType extends VectorType>(type: TType, columnType: ColumnTypeOf<TType>, required: boolean) {
  function column(options?: VectorColumnOptions): VectorColumnBuilderInitial<'', TType>;
  function column<TName extends string>(name: TName, options?: VectorColumnOptions): VectorColumnBuilderInitial<TName, TType>;
  function column(a?: string | VectorColumnOptions, b?: VectorColumnOptions): VectorColumnBuilder<any> {
    const name = typeof a === 'string' ? a : '';
    const options = (typeof a === 'string' ? b : a) ?? {};
    if (typeof options !== 'object' || options === null) {
      throw pgVectorError('INVALID_COLUMN_OPTION', `${type} column "${name}": options must be an object like { dimensions: 3 }, got ${String(options)}.`, {
        column: name,
      });
    }
    const dims = checkColumnDimensions(type, name, options.dimensions, required);
    return new VectorColumnBuilder(name, columnType, type, dims);
  }
  return column;
}

/**
 * A `vector` column (float4 elements, up to 16000 dimensions; HNSW/IVFFlat index up to 2000).
 * Select type `number[]`; inserts also accept `Float32Array` / `Float64Array` at run time. Every value is
 * validated before SQL is sent (dimensions, NaN/Infinity, float4 range).
 *
 * @example
 * ```ts
 * export const items = pgTable('items', { id: serial('id').primaryKey(), embedding: vector('embedding', { dimensions: 1536 }) });
 * // CREATE TABLE "items" ("id" serial PRIMARY KEY NOT NULL, "embedding" vector(1536));
 * ```
 */
export const vector = makeColumn('vector', 'PgVectorExt', false);

/**
 * A `halfvec` column (half-precision elements within ±65504, up to 16000 dimensions; indexable up to 4000).
 *
 * @example
 * ```ts
 * embedding: halfvec('embedding', { dimensions: 3072 })   // "embedding" halfvec(3072)
 * ```
 */
export const halfvec = makeColumn('halfvec', 'PgHalfvecExt', false);

/**
 * A `sparsevec` column. Select type {@link SparseVector}; inserts accept ours or pgvector-node's `SparseVector`
 * (or `{ dimensions, indices, values }` with 0-based indices), and at run time the text form drizzle-orm's own
 * `sparsevec` takes (`'{1:1,3:2}/3'`, 1-based), validated the same way. HNSW only; at most 1000 non-zeros per
 * indexed value.
 *
 * @example
 * ```ts
 * keywords: sparsevec('keywords', { dimensions: 30000 })   // "keywords" sparsevec(30000)
 * ```
 */
export const sparsevec = makeColumn('sparsevec', 'PgSparsevecExt', false);

function bitColumn(options: BitColumnOptions): VectorColumnBuilderInitial<'', 'bit'>;
function bitColumn<TName extends string>(name: TName, options: BitColumnOptions): VectorColumnBuilderInitial<TName, 'bit'>;
function bitColumn(a: string | BitColumnOptions, b?: BitColumnOptions): VectorColumnBuilder<any> {
  return (makeColumn('bit', 'PgBitExt', true) as (n: string, o?: VectorColumnOptions) => VectorColumnBuilder<any>)(
    typeof a === 'string' ? a : '',
    (typeof a === 'string' ? b : a) as VectorColumnOptions,
  );
}

/**
 * A `bit(n)` column for binary vectors, selected as a string of `0`/`1` (`'0101'`). Hamming and Jaccard
 * distance; indexable up to 64000 bits.
 *
 * @example
 * ```ts
 * code: bit('code', { dimensions: 1024 })   // "code" bit(1024)
 * ```
 */
export const bit = bitColumn;

/**
 * Pass a `Float32Array` / `Float64Array` where Drizzle's insert type says `number[]`, without copying.
 * Drizzle 0.45 gives a column one type for select and insert, so a vector column's insert type is `number[]`;
 * at run time the column accepts typed arrays and validates them like arrays. This is a typed identity.
 *
 * @example
 * ```ts
 * await db.insert(items).values({ embedding: vectorInput(new Float32Array(embeddingBuffer)) });
 * // INSERT INTO "items" ("embedding") VALUES ($1)  -- $1 = '[0.1,0.2,...]'
 * ```
 */
export function vectorInput(value: readonly number[] | Float32Array | Float64Array): number[] {
  return value as number[];
}
