import { getTableName, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { isEntity } from '../compat/entity.js';
import { driverOf, qualified, queryRows, relationName, type AnyPgDatabase } from '../driver/index.js';
import { checkOptionKeys, describe, pgVectorError } from '../errors/index.js';
import { checkVectorTable, vectorColumnsOf } from '../operations/operation-input.js';
import { declaredVectorIndexes, normaliseDeclared } from './declared-indexes.js';
import { tableDrift } from './index-drift.js';
import { indexStatus } from './index-health.js';
import { schemaTables } from './schema-tables.js';
import { citusIndexSize, estimatedRows, readDistribution, readLiveIndexes, resolveTables, type LiveIndex } from '../pg-catalog/index.js';
import type { IndexDrift, VectorIndexesOptions, VectorIndexesReport, VectorIndexStatus } from './types.js';

const FN = 'vectorIndexes';

function invalid(message: string, details: Record<string, unknown>): never {
  throw pgVectorError('INVALID_OPERATION_OPTION', `${FN}: ${message}`, details);
}

/** @internal The tables option, validated before any SQL: an array of vector tables, or a schema module's tables. */
export function tablesOption(value: unknown): PgTable[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.map((t, i) => {
      if (!isEntity(t, PgTable)) invalid(`tables[${i}] must be a Drizzle table (pgTable(…)), got ${describe(t)}.`, { option: 'tables', index: i, received: describe(t) });
      return checkVectorTable(FN, t);
    });
  }
  if (value !== null && typeof value === 'object' && !isEntity(value, PgTable)) {
    // A schema module: its tables with vector columns (relations, enums and plain tables are not about vectors).
    return schemaTables(value, FN).flatMap(({ table }) => (vectorColumnsOf(table).length > 0 ? [table] : []));
  }
  return invalid(
    `tables must be an array of Drizzle tables or a schema module (import * as schema from './schema'), got ${describe(value)}${isEntity(value, PgTable) ? ` — wrap the table in an array: { tables: [${getTableName(value)}] }` : ''}.`,
    { option: 'tables', received: describe(value) },
  );
}

/** @internal The rows option of the inspection functions: 'estimate' (default) or 'count', checked before any SQL. */
export function rowsOption(fn: string, value: unknown): 'estimate' | 'count' {
  if (value !== undefined && value !== 'estimate' && value !== 'count') {
    throw pgVectorError('INVALID_OPERATION_OPTION', `${fn}: rows must be 'estimate' (the planner's estimate, free) or 'count' (count(*), exact), got ${describe(value)}.`, {
      option: 'rows',
      value,
    });
  }
  return value ?? 'estimate';
}

function checkOptions(options: unknown): { tables: PgTable[] | undefined; rows: 'estimate' | 'count' } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return invalid(`options must be an object ({ tables?, rows? }), got ${describe(options)}.`, { options: describe(options) });
  }
  const o = options as { tables?: unknown; rows?: unknown };
  checkOptionKeys(FN, o, ['tables', 'rows'], 'INVALID_OPERATION_OPTION');
  const rows = rowsOption(FN, o.rows);
  const tables = tablesOption(o.tables);
  return { tables: tables === undefined ? undefined : [...new Set(tables)], rows };
}

function tableText(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return relationName(schema, name);
}

/**
 * Every HNSW / IVFFlat index in the database — or on the given tables — with its health, and, given the schema's
 * tables, the **drift** between the indexes they declare and the database, each difference with the SQL that
 * fixes it. `drizzle-kit push` (0.31) compares an index's name, plain columns, method and `with` but not its operator
 * class, `WHERE` or expression (its push squash leaves them out), and `drizzle-kit generate` compares the schema
 * with its last snapshot, never with the database: an index whose metric, predicate or target changed — or that
 * someone created or altered by hand — keeps its definition in the database without a word. This is the check for it.
 *
 * Per index: name, schema, table, method, opclass, type and metric, dimensions, the indexed column or expression,
 * options in effect, predicate, `valid`, size on disk, the table's rows now (`rowsSource` says from where), and for
 * IVFFlat `lists` against `recommendIvfflat({ rows })` for today's rows: `needsRebuild` when lists is outside
 * [advice / 2, advice · 2] (on Citus: the advice for one shard's rows — each shard has its own index) or the index is INVALID (`problems` carry the SQL: `ALTER INDEX … SET (lists = …)` +
 * `REINDEX INDEX CONCURRENTLY`, or `DROP INDEX CONCURRENTLY` + the CREATE again). A table too small to train
 * k-means is a `too-few-rows` problem (not a rebuild: rebuild when the data is there). The catalog does not record
 * the row count an IVFFlat index was trained on, so a well-sized index trained on an almost empty table is not
 * seen.
 *
 * Drift kinds (`kind`): `table-missing`, `missing`, `undeclared`, `renamed`, `method`, `expression`, `opclass`,
 * `options`, `predicate`. How it compares: each declared index is created from drizzle-kit's own DDL on an
 * empty temporary copy of its table inside a transaction that is always rolled back, and read back from the
 * catalog — so both sides are the server's own rendering (`pg_get_indexdef`, `pg_get_expr`, opclass names,
 * reloptions) and `"items"."tag" = 1` and `tag = 1` compare equal. Options are compared as in effect: a missing
 * `m` equals `m = 16`.
 *
 * SQL it runs:
 * ```sql
 * SELECT to_regclass(name) … FROM unnest($1::text[]);                            -- the given tables
 * SELECT n.nspname, c.relname, am.amname, opc.opcname, pg_get_indexdef(c.oid, 1, true), c.reloptions,
 *        pg_get_expr(i.indpred, i.indrelid, true), i.indisvalid, pg_relation_size(c.oid), t.reltuples …
 *   FROM pg_index i JOIN pg_class c … WHERE am.amname IN ('hnsw', 'ivfflat') AND …;
 * SELECT count(*) FROM "public"."items";                                        -- rows: 'count', or never analysed
 * BEGIN;                                                                         -- per table, for drift
 * SET LOCAL client_min_messages = warning;                                       -- no NOTICE from the probe
 * CREATE TEMP TABLE "items" (LIKE "public"."items");
 * CREATE INDEX "items_embedding_hnsw" ON pg_temp."items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16);
 * SELECT … FROM pg_index … WHERE i.indrelid = to_regclass('pg_temp."items"');
 * ROLLBACK;
 * ```
 *
 * @example
 * ```ts
 * import * as schema from './schema';
 *
 * const { indexes, drift } = await vectorIndexes(db, { tables: schema });
 * for (const i of indexes) if (i.needsRebuild) console.log(i.name, i.reason, i.problems.flatMap((p) => p.sql));
 * for (const d of drift) console.log(d.kind, d.index, d.sql.join('\n'));
 * // options items_embedding_hnsw
 * // ALTER INDEX "public"."items_embedding_hnsw" SET (m = 16, ef_construction = 64);
 * // REINDEX INDEX CONCURRENTLY "public"."items_embedding_hnsw";
 * ```
 *
 * @throws PgVectorError `INVALID_DATABASE` (not a Drizzle database), `INVALID_OPERATION_OPTION` (options not an
 *   object, an unknown option, `tables` not an array of tables / a schema module, `rows` not 'estimate' |
 *   'count'), `NO_VECTOR_COLUMNS` (a table in the `tables` array has no vector column) — all before any SQL;
 *   `INVALID_INDEX_DEFINITION` when the server refuses an index the schema declares.
 */
export async function vectorIndexes(db: AnyPgDatabase, options: VectorIndexesOptions = {}): Promise<VectorIndexesReport> {
  const { tables, rows: rowsMode } = checkOptions(options);
  const driver = driverOf(db);
  const resolved = tables === undefined ? [] : await resolveTables(db, tables.map(tableText));
  const live: LiveIndex[] =
    tables === undefined ? await readLiveIndexes(db, 'all') : await readLiveIndexes(db, { tableOids: [...new Set(resolved.flatMap((r) => (r ? [r.oid] : [])))] });

  // Rows per table: the estimate, or count(*) when asked for, when the table was never analysed, or on Citus
  // (the coordinator's shell of a distributed table is empty).
  const distributed = await readDistribution(db, [...new Set(live.map((l) => l.tableOid))]);
  const rowsByTable = new Map<number, { rows: number; source: 'estimate' | 'count' }>();
  for (const index of live) {
    if (rowsByTable.has(index.tableOid)) continue;
    const estimate = rowsMode === 'estimate' && !distributed.has(index.tableOid) ? estimatedRows(index) : undefined;
    if (estimate !== undefined) {
      rowsByTable.set(index.tableOid, { rows: estimate, source: 'estimate' });
      continue;
    }
    const [row] = await queryRows<{ n: unknown }>(db, sql.raw(`SELECT count(*)::bigint AS n FROM ${qualified(index.schema, index.table)}`));
    rowsByTable.set(index.tableOid, { rows: Number(row?.n ?? 0), source: 'count' });
  }
  const indexes: VectorIndexStatus[] = [];
  for (const index of live) {
    const r = rowsByTable.get(index.tableOid)!;
    const shards = distributed.get(index.tableOid);
    if (shards === undefined) {
      indexes.push(indexStatus(index, r.rows, r.source));
      continue;
    }
    const rowsPerShard = shards.method === 'n' ? r.rows : Math.round(r.rows / Math.max(shards.shards, 1));
    const sized = { ...index, sizeBytes: await citusIndexSize(db, index.schema, index.name) };
    indexes.push(indexStatus(sized, r.rows, r.source, { method: shards.method, shards: shards.shards, rowsPerShard }));
  }

  const drift: IndexDrift[] = [];
  for (const [i, table] of (tables ?? []).entries()) {
    const where = resolved[i];
    const name = getTableConfig(table).name;
    const declared = declaredVectorIndexes(table);
    if (where === undefined) {
      drift.push({
        kind: 'table-missing',
        schema: getTableConfig(table).schema ?? '',
        table: name,
        index: '',
        message: `Table ${tableText(table)} is not in the database${declared.length ? `, so its ${declared.length} vector index(es) are not either` : ''}. Run your migrations (drizzle-kit migrate / push) first.`,
        declared: undefined,
        live: undefined,
        sql: [],
        schemaLine: undefined,
      });
      continue;
    }
    const normalised = await normaliseDeclared(driver, table, where.schema, declared);
    drift.push(...tableDrift(table, where.schema, declared, normalised, live.filter((l) => l.tableOid === where.oid)));
  }
  return Object.freeze({ indexes: Object.freeze(indexes), drift: Object.freeze(drift.map((d) => Object.freeze({ ...d, sql: Object.freeze([...d.sql]) }))) });
}
