/**
 * `drizzle-pgvector/catalog`: the table of pgvector facts every validation and SQL fragment of the library reads,
 * for tools built on top (a CLI, an admin UI, a code generator). Applications do not need it: the root entry's
 * functions apply these facts for them. The names a signature takes (`VectorType`, `Metric`, `IndexMethod`) are
 * exported from the root entry.
 *
 * - `VECTOR_TYPES`: per type, the column and index dimension limits, storage, element size; `VECTOR_TYPES_LIST`.
 * - `METRICS`: operator and label per metric; `METRICS_LIST`; `metricsFor(type, method?)`.
 * - `OPERATOR_CLASSES`: type × metric → operator class, operator and index methods; `operatorClassFor`,
 *   `operatorClassByName`; `INDEX_METHODS_LIST`.
 * - `INDEX_OPTIONS` (HNSW `m` / `ef_construction`, IVFFlat `lists`: ranges and defaults), `SETTINGS` (the
 *   `hnsw.*` / `ivfflat.*` session settings: ranges, values, since which version), `FEATURE_VERSIONS`.
 * - `FLOAT4_MAX` / `HALF_MAX`: the largest finite value a `vector` / `halfvec` element takes.
 * - `HNSW_PRESETS`: the starting points `recommendHnsw` picks from.
 * - `FILTERED_SEARCH` / `QUANTIZED_SEARCH`: the rules `nearest` follows for filtered searches (when exact, the
 *   index scan's budget) and re-ranked ones (default candidates), with their sources.
 *
 * @example
 * ```ts
 * import { metricsFor, operatorClassFor } from 'drizzle-pgvector/catalog';
 *
 * operatorClassFor('halfvec', 'cosine'); // { operator: '<=>', opclass: 'halfvec_cosine_ops', methods: ['hnsw', 'ivfflat'], … }
 * metricsFor('bit', 'ivfflat');          // ['hamming']
 * ```
 *
 * @packageDocumentation
 */
export {
  FEATURE_VERSIONS,
  FILTERED_SEARCH,
  FLOAT4_MAX,
  HALF_MAX,
  HNSW_PRESETS,
  INDEX_METHODS_LIST,
  INDEX_OPTIONS,
  METRICS,
  METRICS_LIST,
  OPERATOR_CLASSES,
  QUANTIZED_SEARCH,
  SETTINGS,
  VECTOR_TYPES,
  VECTOR_TYPES_LIST,
  metricsFor,
  operatorClassByName,
  operatorClassFor,
} from './index.js';
export type { IndexOptionInfo, MetricInfo, OperatorClassInfo, SettingInfo, SettingKind, VectorTypeInfo } from './index.js';
