import type { PgTable } from 'drizzle-orm/pg-core';
import type { Metric } from '../catalog/index.js';
import { describe, pgVectorError, type PgVectorErrorCode } from '../errors/index.js';
import type { VectorTarget } from '../targets/index.js';
import { declaredVectorIndexes } from './declared-vector-indexes.js';
import type { VectorIndexInfo } from './vector-index.js';

/** @internal The codes a caller's `index` option fails with, where its API already had its own. */
export interface NamedIndexCodes {
  /** The name is an index of the table, but on another target. */
  readonly otherTarget: 'UNKNOWN_INDEX' | 'INVALID_QUERY_OPTION';
  /** The index serves another metric than the `metric` passed: the caller's option code. */
  readonly metric: 'INVALID_QUERY_OPTION' | 'INVALID_TUNING_OPTION';
}

const listed = (indexes: readonly VectorIndexInfo[]): string =>
  indexes.length === 0 ? 'none' : indexes.map((i) => `"${i.name}" (${i.method} '${i.metric}')`).join(', ');

/**
 * @internal The index an `index` option names (nearest's `{ index }`, measureRecall's and tuneSearch's): declared
 * on the searched table, on this target, and serving `metric` when one is given. No SQL.
 *
 * @throws PgVectorError `UNKNOWN_INDEX` when `name` is not a string or not a vector index the table declares
 *   (the message lists the target's indexes); `codes.otherTarget` when it is one on another target;
 *   `codes.metric` when it serves another metric than `metric`.
 */
export function namedIndex(fn: string, target: VectorTarget, name: unknown, metric: Metric | undefined, codes: NamedIndexCodes): VectorIndexInfo {
  const declared = declaredVectorIndexes(target.column.table as PgTable);
  const onTarget = declared.filter((i) => i.target.matches(target));
  const found = typeof name === 'string' ? declared.find((i) => i.name === name) : undefined;
  const where = `${fn}(${target.label})`;
  if (found === undefined || !found.target.matches(target)) {
    const elsewhere = found === undefined ? '' : ` (it is on ${found.target.label})`;
    throw pgVectorError(
      found === undefined ? 'UNKNOWN_INDEX' : (codes.otherTarget satisfies PgVectorErrorCode),
      `${where}: index ${typeof name === 'string' ? `"${name}"` : describe(name)} is not a vector index declared on this target${elsewhere}. Declared on ${target.label}: ${listed(onTarget)}. ${
        onTarget.length === 0 ? 'Declare one with hnswIndex(…) / ivfflatIndex(…)' : 'Pass one of these names as index'
      }${found === undefined ? '' : ', or search that target'}, or leave index out.`,
      {
        ...(found === undefined ? {} : { option: 'index', indexTarget: found.target.label }),
        index: name,
        target: target.label,
        declared: onTarget.map((i) => ({ name: i.name, method: i.method, metric: i.metric })),
      },
    );
  }
  if (metric !== undefined && metric !== found.metric) {
    throw pgVectorError(
      codes.metric,
      `${where}: index "${found.name}" is an ${found.method} index for '${found.metric}', but metric '${metric}' was passed. Pass metric: '${found.metric}', or leave metric out.`,
      { option: 'metric', value: metric, index: found.name, indexMetric: found.metric },
    );
  }
  return found;
}
