import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { metricsFor, operatorClassFor, type Metric } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import { declaredVectorIndexes, type VectorIndexInfo } from '../indexes/index.js';
import { namedIndex } from '../indexes/named-index.js';
import type { VectorTargetInput } from '../queries/index.js';
import { primaryKeyOf } from '../queries/table-key.js';
import { toTarget, type VectorTarget } from '../targets/index.js';

/** Everything a measurement needs to know about the searched target, resolved from the declared schema (no SQL). */
export interface SearchContext {
  readonly target: VectorTarget;
  readonly table: PgTable;
  readonly tableName: string;
  readonly metric: Metric;
  readonly operator: string;
  /** Declared vector indexes on this target with this metric (what `nearest` shapes the search for). */
  readonly indexes: readonly VectorIndexInfo[];
  /** The index named by the `index` option, if any: the one to measure or tune. */
  readonly index: VectorIndexInfo | undefined;
  /** The single-column primary key, if the table has one. */
  readonly primaryKey: PgColumn | undefined;
  /** Row identity as text for the exact query: the primary key, else `ctid`. */
  readonly idText: SQL;
  /** Row identity for nearest's `select`: the key column itself when drivers return it as a plain value. */
  readonly idSelect: PgColumn | SQL;
  /** The query-side value of a row, as text (what a sampled row is searched with). */
  readonly sampleText: SQL;
}

const PLAIN_KEY = /^(integer|smallint|bigint|serial|smallserial|bigserial|text|varchar|char|character|uuid)(\(.*\))?$/;

/**
 * Resolve target, metric (given, the named index's, or inferred from the indexes, like nearest), operator and row
 * identity. `indexName` names one declared index of the target to measure (UNKNOWN_INDEX when it is not one).
 */
export function searchContext(fn: string, targetInput: VectorTargetInput, metric: Metric | undefined, indexName?: unknown): SearchContext {
  const target = toTarget(targetInput, `${fn}()`);
  const table = target.column.table as PgTable;
  const tableName = getTableName(table);
  const matching = declaredVectorIndexes(table).filter((i) => i.target.matches(target));
  const index = indexName === undefined ? undefined : namedIndex(fn, target, indexName, metric, { otherTarget: 'UNKNOWN_INDEX', metric: 'INVALID_TUNING_OPTION' });
  let resolved = metric ?? index?.metric;
  if (resolved === undefined) {
    const metrics = [...new Set(matching.map((i) => i.metric))];
    if (metrics.length !== 1) {
      throw pgVectorError(
        'METRIC_REQUIRED',
        metrics.length === 0
          ? `${fn}(${target.label}): no vector index declared on the table covers this target, so the metric cannot be inferred. Pass { metric } — one of ${metricsFor(target.type)
              .map((m) => `'${m}'`)
              .join(', ')}.`
          : `${fn}(${target.label}): the target has indexes with different metrics (${matching.map((i) => `${i.name}: '${i.metric}'`).join(', ')}). Pass { metric: ${metrics.map((m) => `'${m}'`).join(' | ')} } to pick one.`,
        { target: target.label, candidates: metrics.length === 0 ? metricsFor(target.type) : metrics },
      );
    }
    resolved = metrics[0]!;
  }
  const row = operatorClassFor(target.type, resolved);
  if (row === undefined) {
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      `${fn}(${target.label}): ${target.type} has no '${resolved}' distance. Use one of ${metricsFor(target.type)
        .map((m) => `'${m}'`)
        .join(', ')}.`,
      { metric: resolved, type: target.type, allowed: metricsFor(target.type) },
    );
  }
  const primaryKey = primaryKeyOf(table);
  const idText = primaryKey ? sql`(${primaryKey})::text` : sql`(${table}.ctid)::text`;
  const idSelect = primaryKey && PLAIN_KEY.test(primaryKey.getSQLType()) ? primaryKey : idText;
  const sampleText = target.kind === 'binaryQuantize' ? sql`(${target.column})::text` : sql`(${target.sql})::text`;
  return {
    target,
    table,
    tableName,
    metric: resolved,
    operator: row.operator,
    indexes: matching.filter((i) => i.metric === resolved),
    index,
    primaryKey,
    idText,
    idSelect,
    sampleText,
  };
}

/** Sampling needs a primary key to exclude each query's own row: `PRIMARY_KEY_REQUIRED` otherwise. */
export function requirePrimaryKey(fn: string, context: SearchContext): void {
  if (context.primaryKey !== undefined) return;
  throw pgVectorError(
    'PRIMARY_KEY_REQUIRED',
    `${fn}(${context.target.label}): sampling rows as queries needs a single-column primary key on "${context.tableName}" to exclude each query's own row, and the table has none. Declare one (e.g. id: serial('id').primaryKey()), or pass explicit queries: [...] instead of sampleSize.`,
    { table: context.tableName },
  );
}
