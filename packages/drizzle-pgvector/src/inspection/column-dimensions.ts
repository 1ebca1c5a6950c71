import { getTableColumns, sql } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { getTableConfig, PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { INDEX_METHODS_LIST, METRICS_LIST, VECTOR_TYPES, indexableRepresentations, representationMetric, type IndexMethod, type Metric, type VectorType } from '../catalog/index.js';
import { booleanOf, driverOf, qualified, queryRows, quoteIdent, relationName, type AnyPgDatabase } from '../driver/index.js';
import { checkOptionKeys, describe, PgVectorError, pgVectorError } from '../errors/index.js';
import { hnswIndex, ivfflatIndex } from '../indexes/index.js';
import { indexDdl } from '../operations/index-ddl.js';
import { checkVectorTable } from '../operations/operation-input.js';
import { asHalfvec, asVector, binaryQuantize, type VectorTarget } from '../targets/index.js';
import { vectorColumnInfo, type VectorColumnInfo } from '../targets/column-info.js';
import { indexSchemaLine, suggestedIndexName } from '../indexes/index-line.js';
import { columnRef } from './schema-line.js';
import type { ColumnArgument, ColumnDimensionsOptions, ColumnDimensionsReport, DimensionCount, PartialIndexSuggestion } from './types.js';

const FN = 'columnDimensions';

/** The column argument → the table's vector column, before any SQL. */
function resolveColumn(table: PgTable, column: unknown): VectorColumnInfo {
  const tableName = getTableConfig(table).name;
  const columns = getTableColumns(table);
  const vectorNames = Object.entries(columns).flatMap(([key, c]) => {
    try {
      vectorColumnInfo(c);
      return [key];
    } catch {
      return [];
    }
  });
  let found: PgColumn | undefined;
  if (typeof column === 'string') found = columns[column] ?? Object.values(columns).find((c) => c.name === column);
  else if (isEntity(column, PgColumn)) found = Object.values(columns).find((c) => c === column);
  if (found === undefined) {
    const what = typeof column === 'string' ? `"${column}"` : isEntity(column, PgColumn) ? `"${(column as PgColumn).name}" (a column of another table)` : describe(column);
    throw pgVectorError(
      'UNKNOWN_COLUMN',
      `${FN}: table "${tableName}" has no column ${what}. Pass one of its vector columns (the column, e.g. ${tableName}.${vectorNames[0] ?? 'embedding'}, or its name): ${vectorNames.join(', ')}.`,
      { table: tableName, column: typeof column === 'string' ? column : describe(column), vectorColumns: vectorNames },
    );
  }
  let info: VectorColumnInfo;
  try {
    info = vectorColumnInfo(found);
  } catch {
    throw pgVectorError(
      'NOT_A_VECTOR_COLUMN',
      `${FN}: "${tableName}"."${found.name}" is ${found.columnType}, not a pgvector column (vector, halfvec, sparsevec). Vector columns of "${tableName}": ${vectorNames.join(', ')}.`,
      { table: tableName, column: found.name, columnType: found.columnType, vectorColumns: vectorNames },
    );
  }
  if (info.dimensions !== undefined) {
    throw pgVectorError(
      'COLUMN_HAS_FIXED_DIMENSIONS',
      `${FN}: "${tableName}"."${info.name}" is ${info.type}(${info.dimensions}): every row has ${info.dimensions} dimensions, so there is no distribution to read — index the column directly, e.g. hnswIndex('${tableName}_${info.name}_hnsw').on(${tableName}.${info.name}, 'cosine').`,
      { table: tableName, column: info.name, type: info.type, dimensions: info.dimensions },
    );
  }
  return info;
}

function checkOptions(options: unknown): { method: IndexMethod; metric: Metric } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: options must be an object ({ method?, metric? }), got ${describe(options)}.`, { options: describe(options) });
  }
  const o = options as { method?: unknown; metric?: unknown };
  checkOptionKeys(FN, o, ['method', 'metric'], 'INVALID_OPERATION_OPTION');
  if (o.method !== undefined && !(INDEX_METHODS_LIST as readonly unknown[]).includes(o.method)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: method must be one of ${INDEX_METHODS_LIST.join(', ')}, got ${describe(o.method)}.`, { option: 'method', value: o.method });
  }
  if (o.metric !== undefined && !(METRICS_LIST as readonly unknown[]).includes(o.metric)) {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: metric must be one of ${METRICS_LIST.join(', ')}, got ${describe(o.metric)}.`, { option: 'metric', value: o.metric });
  }
  return { method: (o.method as IndexMethod | undefined) ?? 'hnsw', metric: (o.metric as Metric | undefined) ?? 'cosine' };
}

/** The partial index for one dimension count: `asVector`, or `asHalfvec` / `binaryQuantize` past the method's limit. */
function suggest(table: PgTable, info: VectorColumnInfo, count: DimensionCount, method: IndexMethod, metric: Metric): PartialIndexSuggestion | string {
  const n = count.dimensions;
  const cast = info.type === 'halfvec' ? 'asHalfvec' : 'asVector';
  const vectorMax = VECTOR_TYPES[info.type].indexMaxDimensions[method] ?? 0;
  const halfMax = VECTOR_TYPES.halfvec.indexMaxDimensions[method] ?? 0;
  // The one representation rule (catalog/representations.ts): the column's own type, then halfvec, then bits.
  const representation = indexableRepresentations(info.type, n, method)[0];
  let target: VectorTarget;
  let code: string;
  let useMetric = metric;
  let note: string | undefined;
  const ref = columnRef(table, info.name);
  if (representation === undefined) return `${n} dimensions: no ${method} index (more than pgvector indexes for ${info.type})`;
  if (representation.target === 'column') {
    target = cast === 'asVector' ? asVector(info.column, n) : asHalfvec(info.column, n);
    code = `${cast}(${ref}, ${n})`;
  } else if (representation.target === 'asHalfvec') {
    target = asHalfvec(info.column, n);
    code = `asHalfvec(${ref}, ${n})`;
    note = `${n} dimensions is more than ${method} indexes on ${info.type} (${vectorMax}): indexed at half precision (halfvec, up to ${halfMax}); query with the same target.`;
  } else {
    target = binaryQuantize(info.column, n);
    code = `binaryQuantize(${ref}, ${n})`;
    useMetric = representationMetric(representation, metric);
    note = `${n} dimensions is more than ${method} indexes even at half precision (${halfMax}): binary-quantized (Hamming distance, up to ${VECTOR_TYPES.bit.indexMaxDimensions[method]!} bits); re-rank the candidates with the full vector.`;
  }
  const name = suggestedIndexName(getTableConfig(table).name, info.name, n);
  const builder = method === 'hnsw' ? hnswIndex(name) : ivfflatIndex(name);
  let ddl: string;
  try {
    ddl = indexDdl(table, builder.on(target, useMetric).build(table));
  } catch (error) {
    // The builder's own validation (e.g. a metric the method has no operator class for on this type).
    if (PgVectorError.is(error)) return `${n} dimensions: no ${method} / ${useMetric} index (${error.message})`;
    throw error;
  }
  return { ...count, name, schemaLine: indexSchemaLine({ method, name, target: code, metric: useMetric }), sql: ddl, note };
}

/**
 * The distribution of actual dimensions in a vector column declared without fixed dimensions (`vector('embedding')`),
 * and the partial expression indexes to declare for it: pgvector indexes one dimension count at a time, so a
 * mixed column gets one index per count, each on `asVector(col, n)` with `WHERE vector_dims(col) = n` (the target
 * adds the condition itself; queries through the same target add it too, so the planner picks that index).
 * Past the method's dimension limit the suggestion is `asHalfvec` (up to 4000), then `binaryQuantize` (note says so).
 *
 * SQL it runs:
 * ```sql
 * SELECT n.nspname, a.atttypmod, t.typname FROM pg_attribute a … WHERE a.attrelid = to_regclass($1) AND a.attname = $2;
 * SELECT vector_dims("embedding") AS dimensions, count(*) AS rows FROM "public"."items" GROUP BY 1 ORDER BY 2 DESC, 1;
 * -- sparsevec: split_part("embedding"::text, '/', 2)::int (pgvector has no dims function for sparsevec)
 * ```
 *
 * @example
 * ```ts
 * const report = await columnDimensions(db, documents, documents.embedding, { metric: 'cosine' });
 * report.dimensions; // [{ dimensions: 1536, rows: 9000 }, { dimensions: 768, rows: 1000 }]
 * report.nulls;      // 12
 * report.indexes.map((i) => i.schemaLine);
 * // ["hnswIndex('documents_embedding_1536').on(asVector(t.embedding, 1536), 'cosine')", …]
 * report.indexes[0].sql;
 * // CREATE INDEX "documents_embedding_1536" ON "documents" USING hnsw (("embedding"::vector(1536)) vector_cosine_ops) WHERE vector_dims("documents"."embedding") = 1536;
 * ```
 *
 * @throws PgVectorError before any SQL: `INVALID_DATABASE`, `INVALID_OPERATION_OPTION` (not a Drizzle table, bad
 *   options), `NO_VECTOR_COLUMNS` (the table has none), `UNKNOWN_COLUMN` (not a column of the table),
 *   `NOT_A_VECTOR_COLUMN`, `COLUMN_HAS_FIXED_DIMENSIONS` (index it directly); after reading the catalog (nothing
 *   changed): `TABLE_NOT_FOUND` (the table is not in the database), `UNKNOWN_COLUMN` (the database's table has no
 *   such column), `COLUMN_HAS_FIXED_DIMENSIONS` (the database's column has a typmod the schema does not declare).
 */
export async function columnDimensions(db: AnyPgDatabase, table: PgTable, column: ColumnArgument, options: ColumnDimensionsOptions = {}): Promise<ColumnDimensionsReport> {
  const { method, metric } = checkOptions(options);
  checkVectorTable(FN, table);
  const info = resolveColumn(table, column);
  driverOf(db);
  const config = getTableConfig(table);
  const regclass = relationName(config.schema, config.name);
  const [found] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT n.nspname AS schema, a.atttypmod AS typmod, t.typname AS type, a.attname IS NOT NULL AS has_column
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = ${info.name} AND NOT a.attisdropped AND a.attnum > 0
          LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
         WHERE c.oid = pg_catalog.to_regclass(${regclass})`,
  );
  if (found === undefined) {
    throw pgVectorError('TABLE_NOT_FOUND', `${FN}: table ${regclass} is not in the database (on the search_path). Run your migrations first.`, { table: config.name, schema: config.schema ?? null });
  }
  const schema = String(found['schema']);
  const label = `${qualified(schema, config.name)}.${quoteIdent(info.name)}`;
  if (!(booleanOf(found['has_column']))) {
    throw pgVectorError('UNKNOWN_COLUMN', `${FN}: the database's table ${qualified(schema, config.name)} has no column "${info.name}" (the schema declares it). Run your migrations first.`, {
      table: config.name,
      column: info.name,
    });
  }
  const typmod = Number(found['typmod']);
  if (typmod > 0) {
    throw pgVectorError(
      'COLUMN_HAS_FIXED_DIMENSIONS',
      `${FN}: in the database ${label} is ${String(found['type'])}(${typmod}), though the schema declares no dimensions: every row has ${typmod}. Index it directly, and declare { dimensions: ${typmod} } in the schema.`,
      { table: config.name, column: info.name, dimensions: typmod },
    );
  }
  const type = info.type as VectorType;
  const col = quoteIdent(info.name);
  const dims = type === 'sparsevec' ? `pg_catalog.split_part(${col}::text, '/', 2)::int` : `${VECTOR_TYPES[type].dimsFunction ?? 'vector_dims'}(${col})`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql.raw(`SELECT ${dims} AS dimensions, count(*)::bigint AS rows FROM ${qualified(schema, config.name)} GROUP BY 1 ORDER BY 2 DESC, 1`),
  );
  let nulls = 0;
  const counts: DimensionCount[] = [];
  for (const r of rows) {
    if (r['dimensions'] === null || r['dimensions'] === undefined) nulls = Number(r['rows']);
    else counts.push(Object.freeze({ dimensions: Number(r['dimensions']), rows: Number(r['rows']) }));
  }
  const suggestions = type === 'sparsevec' ? [] : counts.map((c) => suggest(table, info, c, method, metric));
  const indexes = suggestions.filter((s): s is PartialIndexSuggestion => typeof s !== 'string');
  const skipped = suggestions.filter((s): s is string => typeof s === 'string');
  return Object.freeze({
    schema,
    table: config.name,
    column: info.name,
    type,
    dimensions: Object.freeze(counts),
    nulls,
    rows: nulls + counts.reduce((s, c) => s + c.rows, 0),
    indexes: Object.freeze(indexes.map((i) => Object.freeze(i))),
    note:
      type === 'sparsevec'
        ? 'sparsevec has no cast target (asVector / asHalfvec take vector or halfvec columns): declare a plain Drizzle index on an sql`(col::sparsevec(n))` expression per count, or give the column fixed dimensions.'
        : skipped.length
          ? skipped.join(' ')
          : undefined,
  });
}
