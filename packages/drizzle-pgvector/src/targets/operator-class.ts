import { METRICS, METRICS_LIST, metricsFor, operatorClassFor, type Metric, type OperatorClassInfo } from '../catalog/index.js';
import { describe } from '../errors/index.js';
import { pgVectorError } from '../errors/index.js';
import type { VectorTarget } from './vector-target.js';

/**
 * The catalog row for (target type × metric), or `UNSUPPORTED_METRIC` listing what the type supports. Shared by
 * index builders and query helpers so both speak the same way about metrics.
 *
 * @param context names the call in messages, e.g. `cosineDistance("items"."embedding")`
 */
export function operatorClassForTarget(target: VectorTarget, metric: unknown, context: string): OperatorClassInfo {
  const allowed = metricsFor(target.type);
  const list = allowed.map((m) => `'${m}'`).join(', ');
  if (typeof metric !== 'string' || !(METRICS_LIST as readonly string[]).includes(metric)) {
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      `${context}: unknown metric ${typeof metric === 'string' ? JSON.stringify(metric) : describe(metric)}. ${target.type} supports ${list}.`,
      { metric, type: target.type, allowed },
    );
  }
  const row = operatorClassFor(target.type, metric as Metric);
  if (row === undefined) {
    const hint =
      (metric === 'hamming' || metric === 'jaccard') && (target.type === 'vector' || target.type === 'halfvec')
        ? ` For ${metric} on a dense vector, use binaryQuantize(column, n).`
        : '';
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      `${context}: pgvector has no ${METRICS[metric as Metric].label} for ${target.type}. ${target.type} supports ${list}.${hint}`,
      { metric, type: target.type, allowed },
    );
  }
  return row;
}
