import { entityKind, sql, SQL } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { VECTOR_TYPES, type VectorType } from '../catalog/index.js';
import { encodeValue, type ValueSpec } from '../codec/index.js';
import { pgVectorError } from '../errors/index.js';
import { vectorColumnInfo, type VectorColumnInfo } from './column-info.js';

/** How a target derives its value from the column. */
export type TargetKind = 'column' | 'asVector' | 'asHalfvec' | 'binaryQuantize' | 'subvector';

/**
 * What an index covers and a similarity query orders by: a vector column, or an expression over one
 * (`asVector`, `asHalfvec`, `binaryQuantize`, `subvector`). Index builders and query helpers share the same
 * target so the planner matches the query to the expression/partial index.
 *
 * Immutable. `sql` is the expression; `predicate` is `vector_dims(col) = n` when the source column has no
 * fixed dimensions (pgvector's advice for mixed-dimension columns is one partial index per dimension count).
 */
export class VectorTarget<TTableName extends string = string> {
  static readonly [entityKind]: string = 'DrizzlePgVectorTarget';

  /**
   * Type-level only (never set at run time): the source column's table name, so {@link nearest} can type rows
   * as that table's select model.
   */
  declare readonly _tableName: TTableName;

  readonly kind: TargetKind;
  /** The source column. */
  readonly column: PgColumn;
  /** pgvector type of the source column. */
  readonly sourceType: VectorType;
  /** Fixed dimensions of the source column, if any. */
  readonly sourceDimensions: number | undefined;
  /** pgvector type of the target expression. */
  readonly type: VectorType;
  /** Dimensions of the target expression (`undefined` only for a column without fixed dimensions). */
  readonly dimensions: number | undefined;
  /** 1-based start for `subvector` targets. */
  readonly start: number | undefined;
  /** The expression, e.g. `("embedding"::halfvec(3072))`, or the column itself. */
  readonly sql: SQL;
  /** Partial-index predicate the target needs (`vector_dims("embedding") = 1536`), if any. */
  readonly predicate: SQL | undefined;
  /** Stable identity: same key ⇔ same expression over the same column. */
  readonly key: string;
  /** Human description for messages, e.g. `asHalfvec("items"."embedding", 3072)`. */
  readonly label: string;
  /** Spec that query vectors are validated against. */
  readonly querySpec: ValueSpec;

  /** @internal use the factory functions. */
  constructor(init: {
    kind: TargetKind;
    info: VectorColumnInfo;
    type: VectorType;
    dimensions: number | undefined;
    start?: number;
    sql: SQL;
    predicate: SQL | undefined;
    label: string;
  }) {
    this.kind = init.kind;
    this.column = init.info.column;
    this.sourceType = init.info.type;
    this.sourceDimensions = init.info.dimensions;
    this.type = init.type;
    this.dimensions = init.dimensions;
    this.start = init.start;
    this.sql = init.sql;
    this.predicate = init.predicate;
    this.label = init.label;
    this.key = `${init.info.tableName}.${init.info.name}|${init.kind}|${init.type}|${init.dimensions ?? '*'}|${init.start ?? ''}`;
    // binaryQuantize targets are queried with a dense vector of the source type, quantized in SQL.
    const queryType = init.kind === 'binaryQuantize' ? init.info.type : init.type;
    this.querySpec = { type: queryType, dimensions: init.dimensions, label: `query vector for ${init.label}` };
    Object.freeze(this);
  }

  /** The SQL type of the target, e.g. `halfvec(3072)`. */
  get sqlType(): string {
    return this.dimensions === undefined ? this.type : `${this.type}(${this.dimensions})`;
  }

  /** The SQL type query vectors are cast to, e.g. `vector(1536)` (the source type for `binaryQuantize`). */
  get queryCast(): string {
    return this.querySpec.dimensions === undefined ? this.querySpec.type : `${this.querySpec.type}(${this.querySpec.dimensions})`;
  }

  /** True when both targets are the same expression over the same column. */
  matches(other: VectorTarget): boolean {
    return this.key === other.key;
  }

  /** Validate a query value for this target and encode it as pgvector text (throws a PgVectorError). */
  encodeQuery(value: unknown): string {
    return encodeValue(value, this.querySpec);
  }

  /**
   * The query side of a distance expression: `param` cast to the target's type, e.g. `$1::halfvec(3072)`,
   * or `binary_quantize($1::vector(1536))::bit(1536)` for binary-quantized targets.
   */
  queryExpression(param: SQL | SQL.Aliased | unknown): SQL {
    const cast = sql.raw(this.queryCast);
    if (this.kind === 'binaryQuantize') return sql`binary_quantize(${param}::${cast})::bit(${sql.raw(String(this.dimensions))})`;
    return sql`${param}::${cast}`;
  }

  /**
   * The query side when the query is a vector of the source column (`sourceCast`, e.g. `vector(1536)`), as a
   * re-ranked search passes it: `binary_quantize($1::vector(1536))::bit(1536)`, `$1::vector(1536)::halfvec(1536)`,
   * `subvector($1::vector(1536), 1, 256)::vector(256)`. The parameter is typed as the source first, so the exact
   * distance on the full column sees the query at full precision.
   */
  queryFromSource(param: SQL, sourceCast: string): SQL {
    const source = sql`${param}::${sql.raw(sourceCast)}`;
    if (this.kind === 'binaryQuantize') return sql`binary_quantize(${source})::${sql.raw(this.sqlType)}`;
    if (this.kind === 'subvector') return sql`subvector(${source}, ${sql.raw(String(this.start))}, ${sql.raw(String(this.dimensions))})::${sql.raw(this.sqlType)}`;
    return this.kind === 'column' ? source : sql`${source}::${sql.raw(this.sqlType)}`;
  }

  /**
   * The distance expression, `<target> <operator> <query>`, exactly as an index on this target orders by it: the
   * one place the distance SQL is written (similarity functions and `nearest` both use it). `operand` is the
   * query side, already cast with {@link VectorTarget.queryExpression}.
   */
  distanceTo(operator: string, operand: SQL): SQL {
    return sql`${this.sql} ${sql.raw(operator)} ${operand}`;
  }
}

/** Is `value` a VectorTarget (checked by entity kind, safe across duplicated package copies)? */
export function isVectorTarget(value: unknown): value is VectorTarget {
  return isEntity(value, VectorTarget);
}

/** Accepts a vector column or a target; returns a target (`kind: 'column'` for a bare column). */
export function toTarget(value: PgColumn | VectorTarget | unknown, what = 'target'): VectorTarget {
  if (isVectorTarget(value)) return value;
  const info = vectorColumnInfo(value, what);
  return new VectorTarget({
    kind: 'column',
    info,
    type: info.type,
    dimensions: info.dimensions,
    sql: sql`${info.column}`,
    predicate: undefined,
    label: `"${info.tableName}"."${info.name}"`,
  });
}

function checkInt(fn: string, arg: string, value: unknown, min: number, max: number, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw pgVectorError(
      'INVALID_TARGET',
      `${fn}(${label}, …): ${arg} must be an integer from ${min} to ${max}, got ${String(value)}.`,
      { function: fn, argument: arg, value, min, max },
    );
  }
  return value;
}

function sourceOf(fn: string, column: PgColumn, allowed: readonly VectorType[]): VectorColumnInfo {
  const info = vectorColumnInfo(column, `${fn}()`);
  if (!allowed.includes(info.type)) {
    throw pgVectorError(
      'INVALID_TARGET',
      `${fn}("${info.tableName}"."${info.name}"): the column is ${info.type}; ${fn} takes a ${allowed.join(' or ')} column.`,
      { function: fn, columnType: info.type, allowed },
    );
  }
  return info;
}

/** Resolve the dimension argument: required when the column has none, must equal the column's when it has. */
function resolveDims(fn: string, info: VectorColumnInfo, dims: number | undefined, max: number): number {
  const label = `"${info.tableName}"."${info.name}"`;
  if (dims === undefined) {
    if (info.dimensions === undefined) {
      throw pgVectorError(
        'COLUMN_HAS_NO_DIMENSIONS',
        `${fn}(${label}): the column has no fixed dimensions, so pass them: ${fn}(column, n). The target then covers rows where vector_dims(${label}) = n.`,
        { function: fn, column: info.name },
      );
    }
    return info.dimensions;
  }
  checkInt(fn, 'dimensions', dims, 1, max, label);
  if (info.dimensions !== undefined && info.dimensions !== dims) {
    throw pgVectorError(
      'DIMENSION_MISMATCH',
      `${fn}(${label}, ${dims}): the column is ${info.type}(${info.dimensions}); the cast would fail with "expected ${dims} dimensions, not ${info.dimensions}". Pass ${info.dimensions} or omit it.`,
      { function: fn, expected: info.dimensions, actual: dims },
    );
  }
  return dims;
}

function dimsPredicate(info: VectorColumnInfo, op: '=' | '>=', n: number): SQL | undefined {
  if (info.dimensions !== undefined) return undefined;
  const fn = VECTOR_TYPES[info.type].dimsFunction!;
  return sql`${sql.raw(fn)}(${info.column}) ${sql.raw(op)} ${sql.raw(String(n))}`;
}

function castTarget(kind: 'asVector' | 'asHalfvec', type: 'vector' | 'halfvec', column: PgColumn, dims?: number): VectorTarget {
  const info = sourceOf(kind, column, ['vector', 'halfvec']);
  const n = resolveDims(kind, info, dims, VECTOR_TYPES[type].maxDimensions);
  return new VectorTarget({
    kind,
    info,
    type,
    dimensions: n,
    sql: sql`(${info.column}::${sql.raw(`${type}(${n})`)})`,
    predicate: dimsPredicate(info, '=', n),
    label: `${kind}("${info.tableName}"."${info.name}", ${n})`,
  });
}

/**
 * The column cast to `vector(n)`: index a column without fixed dimensions (one partial index per dimension
 * count), or a halfvec column at full precision. When the column has no fixed dimensions the target carries
 * `vector_dims(col) = n`, which index builders add to the index's `WHERE` and queries add to theirs.
 *
 * @example
 * ```ts
 * hnswIndex('items_1536').on(asVector(t.embedding, 1536), 'l2')
 * // CREATE INDEX "items_1536" ON "items" USING hnsw (("embedding"::vector(1536)) vector_l2_ops) WHERE vector_dims("items"."embedding") = 1536;
 * ```
 */
export function asVector<TColumn extends PgColumn>(column: TColumn, dimensions?: number): VectorTarget<TColumn['_']['tableName']> {
  return castTarget('asVector', 'vector', column, dimensions) as VectorTarget<TColumn['_']['tableName']>;
}

/**
 * The column cast to `halfvec(n)`: half-precision indexing, which halves index size and allows up to 4000
 * dimensions.
 *
 * @example
 * ```ts
 * hnswIndex('items_half').on(asHalfvec(t.embedding, 3072), 'cosine')
 * // CREATE INDEX "items_half" ON "items" USING hnsw (("embedding"::halfvec(3072)) halfvec_cosine_ops);
 * ```
 */
export function asHalfvec<TColumn extends PgColumn>(column: TColumn, dimensions?: number): VectorTarget<TColumn['_']['tableName']> {
  return castTarget('asHalfvec', 'halfvec', column, dimensions) as VectorTarget<TColumn['_']['tableName']>;
}

/**
 * `binary_quantize(col)::bit(n)`: one bit per dimension (x > 0), indexed with Hamming or Jaccard distance, up to
 * 64000 dimensions. Queries on it take a dense vector and quantize it in SQL; re-rank with the full vector.
 *
 * @example
 * ```ts
 * hnswIndex('items_bq').on(binaryQuantize(t.embedding, 1536), 'hamming')
 * // CREATE INDEX "items_bq" ON "items" USING hnsw ((binary_quantize("embedding")::bit(1536)) bit_hamming_ops);
 * ```
 */
export function binaryQuantize<TColumn extends PgColumn>(column: TColumn, dimensions?: number): VectorTarget<TColumn['_']['tableName']> {
  const info = sourceOf('binaryQuantize', column, ['vector', 'halfvec']);
  const n = resolveDims('binaryQuantize', info, dimensions, VECTOR_TYPES[info.type].maxDimensions);
  return new VectorTarget({
    kind: 'binaryQuantize',
    info,
    type: 'bit',
    dimensions: n,
    sql: sql`(binary_quantize(${info.column})::${sql.raw(`bit(${n})`)})`,
    predicate: dimsPredicate(info, '=', n),
    label: `binaryQuantize("${info.tableName}"."${info.name}", ${n})`,
  }) as VectorTarget<TColumn['_']['tableName']>;
}

/**
 * `subvector(col, start, count)::vector(count)` (1-based start, like SQL substring): index the first dimensions
 * of a Matryoshka-style embedding, then re-rank with the full vector. On a column without fixed dimensions the
 * target carries `vector_dims(col) >= start + count - 1`.
 *
 * @example
 * ```ts
 * hnswIndex('items_sub').on(subvector(t.embedding, 1, 512), 'cosine')
 * // CREATE INDEX "items_sub" ON "items" USING hnsw ((subvector("embedding", 1, 512)::vector(512)) vector_cosine_ops);
 * ```
 */
export function subvector<TColumn extends PgColumn>(column: TColumn, start: number, count: number): VectorTarget<TColumn['_']['tableName']> {
  const info = sourceOf('subvector', column, ['vector', 'halfvec']);
  const label = `"${info.tableName}"."${info.name}"`;
  const max = info.dimensions ?? VECTOR_TYPES[info.type].maxDimensions;
  checkInt('subvector', 'start', start, 1, max, label);
  checkInt('subvector', 'count', count, 1, max - start + 1, label);
  const type = info.type as 'vector' | 'halfvec';
  return new VectorTarget({
    kind: 'subvector',
    info,
    type,
    dimensions: count,
    start,
    sql: sql`(subvector(${info.column}, ${sql.raw(String(start))}, ${sql.raw(String(count))})::${sql.raw(`${type}(${count})`)})`,
    predicate: dimsPredicate(info, '>=', start + count - 1),
    label: `subvector(${label}, ${start}, ${count})`,
  }) as VectorTarget<TColumn['_']['tableName']>;
}

/** True for an SQL object (used to accept `where` conditions). */
export function isSQL(value: unknown): value is SQL {
  return isEntity(value, SQL);
}
