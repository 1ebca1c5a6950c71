import type { PgTable } from 'drizzle-orm/pg-core';
import { metricsFor, type Metric } from '../../catalog/index.js';
import { pgVectorError } from '../../errors/index.js';
import { declaredVectorIndexes, type VectorIndexInfo } from '../../indexes/index.js';
import { namedIndex } from '../../indexes/named-index.js';
import { operatorClassForTarget, type VectorTarget } from '../../targets/index.js';
import { BoundedCaches } from './bounded-cache.js';
import { idOf } from './selection.js';

/** Target × metric → the operator and the declared indexes a search is shaped for, resolved once and cached. */

/** Most target contexts cached per column (one per distinct expression target × metric, e.g. `subvector` ranges). */
export const MAX_CONTEXTS_PER_COLUMN = 64;

/** @internal Target × metric, resolved once: the metric, operator and the declared indexes the query is shaped for. */
export interface TargetContext {
  readonly id: string;
  readonly table: PgTable;
  readonly metric: Metric;
  readonly operator: string;
  readonly indexes: readonly VectorIndexInfo[];
}

const CONTEXTS = new BoundedCaches<TargetContext>(MAX_CONTEXTS_PER_COLUMN);

/** @internal How many target contexts are cached for `column` (tests pin the bound). */
export function cachedContexts(column: object): number {
  return CONTEXTS.size(column);
}

/** Resolve the metric (given or inferred from the target's indexes) and the indexes the query is shaped for; cached. */
export function contextFor(fn: string, target: VectorTarget, metric: Metric | undefined, index?: string): TargetContext {
  const byKey = CONTEXTS.of(target.column);
  const key = `${target.key}|${metric ?? ''}|${index ?? ''}`;
  let context = byKey.get(key);
  if (context === undefined) {
    const table = target.column.table as PgTable;
    const resolved = index === undefined ? resolveMetric(fn, target, table, metric) : byName(fn, target, index, metric);
    const row = operatorClassForTarget(target, resolved.metric, `${fn}(${target.label})`);
    context = {
      id: `${idOf(target.column)}|${target.key}|${resolved.metric}|${index ?? ''}`,
      table,
      metric: resolved.metric,
      operator: row.operator,
      indexes: resolved.indexes,
    };
    byKey.set(key, context);
  }
  return context;
}

/** The index named by `{ index }` (declared on this target, serving `metric` if given): the only one the query is shaped for. */
function byName(fn: string, target: VectorTarget, name: string, metric: Metric | undefined): { metric: Metric; indexes: VectorIndexInfo[] } {
  const found = namedIndex(fn, target, name, metric, { otherTarget: 'INVALID_QUERY_OPTION', metric: 'INVALID_QUERY_OPTION' });
  return { metric: found.metric, indexes: [found] };
}

/** Resolve the metric (given or inferred from the target's indexes) and the indexes the query is shaped for. */
function resolveMetric(fn: string, target: VectorTarget, table: PgTable, metric: Metric | undefined): { metric: Metric; indexes: VectorIndexInfo[] } {
  const matching = declaredVectorIndexes(table).filter((i) => i.target.matches(target));
  if (metric !== undefined) {
    operatorClassForTarget(target, metric, `${fn}(${target.label})`);
    return { metric, indexes: matching.filter((i) => i.metric === metric) };
  }
  const metrics = [...new Set(matching.map((i) => i.metric))];
  if (metrics.length === 1) return { metric: metrics[0]!, indexes: matching };
  const allowed = metricsFor(target.type);
  if (metrics.length === 0) {
    throw pgVectorError(
      'METRIC_REQUIRED',
      `${fn}(${target.label}): no vector index declared on the table covers this target, so the metric cannot be inferred. Pass { metric } — one of ${allowed
        .map((m) => `'${m}'`)
        .join(', ')} for ${target.type} — or declare an index on ${target.label}.`,
      { target: target.label, candidates: allowed, indexes: [] },
    );
  }
  throw pgVectorError(
    'METRIC_REQUIRED',
    `${fn}(${target.label}): the target has indexes with different metrics (${matching
      .map((i) => `${i.name}: ${i.method} '${i.metric}'`)
      .join(', ')}). Pass { metric: ${metrics.map((m) => `'${m}'`).join(' | ')} } to pick one.`,
    { target: target.label, candidates: metrics, indexes: matching.map((i) => ({ name: i.name, method: i.method, metric: i.metric })) },
  );
}
