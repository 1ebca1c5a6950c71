import { getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, pgSchema, pgTable, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { chooseIndex } from '../advice/choose-index.js';
import { CHOOSE_INDEX_RULES, suggestedMetric, type VectorType } from '../catalog/index.js';
import { bit, halfvec, sparsevec, sqlTypeOf, vector } from '../columns/index.js';
import { driverOf, qualified, queryRows, quoteIdent, relationName, type AnyPgDatabase, type SqlExecutor } from '../driver/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { hnswIndex, ivfflatIndex } from '../indexes/index.js';
import { indexDdl } from '../operations/index-ddl.js';
import { estimatedRows, readDistribution, readLiveIndexes, readVectorColumns, resolveTables, type LiveVectorColumn } from '../pg-catalog/index.js';
import { asHalfvec, binaryQuantize } from '../targets/index.js';
import { vectorColumnInfo, type VectorColumnInfo } from '../targets/column-info.js';
import { columnDimensions } from './column-dimensions.js';
import { declaredVectorIndexes } from './declared-indexes.js';
import type { InspectionFinding, VectorColumnReport, VectorColumnsOptions, VectorColumnsReport } from './report-types.js';
import { indexSchemaLine, suggestedIndexName } from '../indexes/index-line.js';
import { columnRef } from './schema-line.js';
import type { ColumnDimensionsReport } from './types.js';
import { rowsOption, tablesOption } from './vector-indexes.js';

const FN = 'vectorColumns';

/** An index as far as matching it with columns goes: where it is, and its key (a column or an expression). */
interface IndexKey {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly key: string;
}

function checkOptions(options: unknown): { tables: PgTable[] | undefined; rows: 'estimate' | 'count'; indexes: readonly IndexKey[] | undefined } {
  const invalid = (message: string, details: Record<string, unknown>): never => {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: ${message}`, details);
  };
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return invalid(`options must be an object ({ tables?, rows?, indexes? }), got ${describe(options)}.`, { options: describe(options) });
  }
  const o = options as VectorColumnsOptions;
  checkOptionKeys(FN, o, ['tables', 'rows', 'indexes'], 'INVALID_OPERATION_OPTION');
  if (o.indexes !== undefined && !Array.isArray(o.indexes)) {
    invalid(`indexes must be the indexes of vectorIndexes(db) (an array), got ${describe(o.indexes)}.`, { option: 'indexes', received: describe(o.indexes) });
  }
  const tables = tablesOption(o.tables);
  return {
    tables: tables === undefined ? undefined : [...new Set(tables)],
    rows: rowsOption(FN, o.rows),
    indexes: o.indexes?.map((i) => ({ schema: i.schema, table: i.table, name: i.name, key: i.column ?? i.expression ?? '' })),
  };
}

/** The identifiers in an index key as the server renders it (`embedding`, `("My Col"::halfvec(3))`). */
function identifiersOf(key: string): Set<string> {
  const out = new Set<string>();
  for (const m of key.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) out.add(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return out;
}

/** The schema's vector column `name` of `table`, if it declares one. */
function declaredColumn(table: PgTable | undefined, name: string): VectorColumnInfo | undefined {
  const column = table ? Object.values(getTableColumns(table)).find((c) => c.name === name) : undefined;
  if (column === undefined) return undefined;
  try {
    return vectorColumnInfo(column);
  } catch {
    return undefined; // declared as another type: the column is not the schema's vector column
  }
}

const COLUMN_BUILDERS = { vector, halfvec, sparsevec, bit } as unknown as Record<VectorType, (name: string, options: { dimensions: number }) => ReturnType<typeof vector>>;

/** A one-column Drizzle table standing in for a table the schema does not declare, so the DDL helpers can write its index. */
function standIn(c: LiveVectorColumn, dimensions: number): PgTable {
  const columns = { [c.column]: COLUMN_BUILDERS[c.type](c.column, { dimensions }) };
  return c.schema === 'public' ? pgTable(c.table, columns) : pgSchema(c.schema).table(c.table, columns);
}

/** `unindexed-column`: chooseIndex's index for the column, written by the library's builders and DDL. */
function unindexedFinding(c: LiveVectorColumn, dimensions: number, rows: number, declaredTable: PgTable | undefined, declared: VectorColumnInfo | undefined): InspectionFinding | undefined {
  const choice = chooseIndex({ rows, dimensions, type: c.type });
  const method = choice.method;
  if (method === undefined || choice.target === 'subvector') return undefined;
  // The schema's table when it declares the column as it is (its DDL and keys); else one standing in for it.
  const table = declaredTable !== undefined && declared?.dimensions === dimensions ? declaredTable : standIn(c, dimensions);
  const column = Object.values(getTableColumns(table)).find((col) => col.name === c.column) as PgColumn;
  const target = choice.target === 'column' ? column : choice.target === 'asHalfvec' ? asHalfvec(column, dimensions) : binaryQuantize(column, dimensions);
  const ref = columnRef(table, c.column);
  const code = choice.target === 'column' ? ref : `${choice.target}(${ref}, ${choice.indexedDimensions})`;
  const metric = suggestedMetric(choice.indexedType, method);
  const name = suggestedIndexName(c.table, c.column, method);
  const index = (method === 'hnsw' ? hnswIndex(name) : ivfflatIndex(name)).on(target, metric).build(table);
  const subject = `${c.table}.${c.column}`;
  const costs = choice.alternatives
    .filter((a) => a.method === 'hnsw')
    .map((a) => `${a.target === 'column' ? `${a.indexedType}(${a.indexedDimensions})` : `${a.target} → ${a.indexedType}`} ${a.maintenanceWorkMem} / ${a.indexSize}`);
  return {
    severity: 'warning',
    kind: 'unindexed-column',
    subject,
    message:
      `${subject} (${rows} rows of ${sqlTypeOf(c.type, dimensions)}) has no vector index: every nearest-neighbour query scans the whole table. ${choice.reasons.map((r) => r.message).join(' ')} Use the metric your queries order by.` +
      (choice.rerank ? ` Search through the column with rerank: { via: binaryQuantize(${subject}) } (exact distances on the full vectors).` : '') +
      ` Build memory / index size: ${costs.join('; ')}.`,
    sql: [indexDdl(table, index, { concurrently: true })],
    schemaLine: indexSchemaLine({ method, name, target: code, metric }),
  };
}

/** `mixed-dimensions`: the partial indexes of the distribution that the schema does not declare yet. */
function mixedFinding(subject: string, table: PgTable, distribution: ColumnDimensionsReport): InspectionFinding | undefined {
  const declared = new Set(declaredVectorIndexes(table).map((i) => i.name));
  const missing = distribution.indexes.filter((s) => !declared.has(s.name));
  if (distribution.dimensions.length === 0 || missing.length === 0) return undefined;
  return {
    severity: 'warning',
    kind: 'mixed-dimensions',
    subject,
    message: `${subject} has no fixed dimensions: ${distribution.dimensions.map((d) => `${d.rows} rows of ${d.dimensions}`).join(', ')}. A column must have one dimension count to be indexed: declare one partial expression index per dimension count.`,
    sql: missing.map((s) => s.sql),
    schemaLine: missing.map((s) => s.schemaLine).join(',\n'),
  };
}

/**
 * Every vector column in the database — or of the given tables — with its dimensions, rows and indexes, and what to
 * change about it (`findings`, each with the SQL or schema line):
 * - `column-dimensions-differ` (`'action'`): the schema declares other dimensions than the database's column has;
 *   the `ALTER TABLE … TYPE` a migration would run.
 * - `mixed-dimensions` (`'warning'`): a declared column without fixed dimensions holds several dimension counts; its
 *   `distribution` is {@link columnDimensions}', and the finding carries the partial indexes not declared yet.
 * - `unindexed-column` (`'warning'`): at least 10,000 rows (`CHOOSE_INDEX_RULES.exactSearchRows`) and no vector index:
 *   {@link chooseIndex}'s index — the column, `asHalfvec` past 2000 dimensions, `binaryQuantize` with re-rank past
 *   4000 — as drizzle-kit's `CREATE INDEX CONCURRENTLY` and as the schema line, with the build memory and index size of
 *   each representation.
 *
 * Without `tables` it reads every non-system schema (`bit` columns only where the schema declares them). Changes
 * nothing.
 *
 * SQL it runs:
 * ```sql
 * SELECT n.nspname, c.relname, a.attname, t.typname, a.atttypmod, c.reltuples … FROM pg_attribute a JOIN pg_class c …
 *  WHERE t.typname = ANY ('{vector,halfvec,sparsevec,bit}') …;                  -- the catalog's type names
 * SELECT … FROM pg_index …;                                                      -- the indexes, unless given
 * SELECT count(*) FROM "public"."items";                                         -- rows: 'count', or never analysed
 * SELECT vector_dims("embedding"), count(*) FROM "public"."docs" GROUP BY 1 …;  -- columns without fixed dimensions
 * ```
 *
 * @example
 * ```ts
 * import * as schema from './schema';
 *
 * const { columns, findings } = await vectorColumns(db, { tables: schema });
 * columns[0]; // { schema: 'public', table: 'docs', column: 'embedding', type: 'vector', dimensions: 3072, rows: 1000000, indexes: [], … }
 * findings[0].sql;        // ['CREATE INDEX CONCURRENTLY "docs_embedding_hnsw" ON "docs" USING hnsw (("embedding"::halfvec(3072)) halfvec_cosine_ops);']
 * findings[0].schemaLine; // "hnswIndex('docs_embedding_hnsw').on(asHalfvec(t.embedding, 3072), 'cosine')"
 * ```
 *
 * @throws PgVectorError before any SQL: `INVALID_DATABASE`, `INVALID_OPERATION_OPTION` (options not an object, an
 *   unknown option, `tables` not an array of tables / a schema module, `rows` not 'estimate' | 'count', `indexes` not
 *   an array), `NO_VECTOR_COLUMNS` (a table in the `tables` array has no vector column).
 */
export async function vectorColumns(db: AnyPgDatabase, options: VectorColumnsOptions = {}): Promise<VectorColumnsReport> {
  const { tables, rows: rowsMode, indexes: given } = checkOptions(options);
  driverOf(db);
  const exec = db as unknown as SqlExecutor;
  const byOid = new Map<number, PgTable>();
  let live: LiveVectorColumn[];
  if (tables === undefined) live = (await readVectorColumns(exec, 'all')).filter((c) => c.type !== 'bit');
  else {
    const resolved = await resolveTables(exec, tables.map((t) => relationName(getTableConfig(t).schema, getTableConfig(t).name)));
    resolved.forEach((r, i) => r && byOid.set(r.oid, tables[i]!));
    live = await readVectorColumns(exec, { tableOids: [...byOid.keys()] });
  }
  const indexes: readonly IndexKey[] =
    given ?? (await readLiveIndexes(exec, tables === undefined ? 'all' : { tableOids: [...byOid.keys()] })).map((i) => ({ schema: i.schema, table: i.table, name: i.name, key: i.key }));
  const distributed = await readDistribution(exec, [...new Set(live.map((c) => c.tableOid))]);
  const rowsByTable = new Map<number, number>();
  const columns: VectorColumnReport[] = [];
  const findings: InspectionFinding[] = [];
  for (const c of live) {
    const table = byOid.get(c.tableOid);
    const declared = declaredColumn(table, c.column);
    if (c.type === 'bit' && declared === undefined) continue; // PostgreSQL's bit: ours only where the schema says so
    let rows = rowsByTable.get(c.tableOid);
    if (rows === undefined) {
      rows = rowsMode === 'estimate' && !distributed.has(c.tableOid) ? estimatedRows(c) : undefined;
      if (rows === undefined) {
        const [row] = await queryRows<{ n: unknown }>(exec, sql.raw(`SELECT count(*)::bigint AS n FROM ${qualified(c.schema, c.table)}`));
        rows = Number(row?.n ?? 0);
      }
      rowsByTable.set(c.tableOid, rows);
    }
    const on = indexes.filter((i) => i.schema === c.schema && i.table === c.table && identifiersOf(i.key).has(c.column));
    const castable = c.type === 'vector' || c.type === 'halfvec';
    const distribution =
      c.dimensions === undefined && table !== undefined && declared !== undefined && declared.dimensions === undefined && castable
        ? await columnDimensions(db, table, declared.column)
        : undefined;
    columns.push(
      Object.freeze({
        schema: c.schema,
        table: c.table,
        column: c.column,
        type: c.type,
        dimensions: c.dimensions,
        declared: table !== undefined,
        declaredDimensions: declared?.dimensions,
        rows,
        indexes: Object.freeze(on.map((i) => i.name)),
        distribution,
      }),
    );
    const subject = `${c.table}.${c.column}`;
    if (declared && declared.dimensions !== c.dimensions) {
      findings.push({
        severity: 'action',
        kind: 'column-dimensions-differ',
        subject,
        message: `The schema declares ${subject} as ${sqlTypeOf(c.type, declared.dimensions)}, the database has ${sqlTypeOf(c.type, c.dimensions)}. Generate and apply a migration (drizzle-kit generate, then migrate), or change the schema to match.`,
        sql: [`ALTER TABLE ${qualified(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.column)} TYPE ${sqlTypeOf(c.type, declared.dimensions)};`],
        schemaLine: undefined,
      });
    }
    const finding = distribution
      ? mixedFinding(subject, table!, distribution)
      : c.dimensions !== undefined && on.length === 0 && rows >= CHOOSE_INDEX_RULES.exactSearchRows
        ? unindexedFinding(c, c.dimensions, rows, table, declared)
        : undefined;
    if (finding) findings.push(finding);
  }
  return Object.freeze({ columns: Object.freeze(columns), findings: Object.freeze(findings.map((f) => Object.freeze({ ...f, sql: Object.freeze([...f.sql]) }))) });
}
