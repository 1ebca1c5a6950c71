import { representationMetric, suggestedMetric, type IndexMethod, type Metric, type Representation } from '../catalog/index.js';
import { indexSchemaLine, keyRef, suggestedIndexName } from '../indexes/index-line.js';
import type { VectorSettings } from '../settings/index.js';
import { checkOptions } from './advice-input.js';
import { chooseIndex, type ChooseIndexOptions, type IndexChoice } from './choose-index.js';
import { estimateIndexBuildMemory, type IndexBuildMemoryEstimate } from './estimate-index-build-memory.js';
import { recommendHnsw, type HnswRecommendation } from './recommend-hnsw.js';
import { recommendIvfflat, type IvfflatRecommendation } from './recommend-ivfflat.js';

/** Options of {@link adviseIndex}: {@link chooseIndex}'s, and what the parameters and the memory estimate take. */
export interface AdviseIndexOptions extends ChooseIndexOptions {
  /** Recall target of the HNSW parameters (`recommendHnsw`), in (0, 1]. Default 0.9. */
  recallTarget?: number;
  /** Rows per query (`LIMIT`): HNSW `efSearch` is at least this. */
  k?: number;
  /** Parallel workers of the HNSW build estimate. Default 0. */
  parallelWorkers?: number;
  /** PostgreSQL major or `server_version_num` of the build estimate (memory headers differ from 16). */
  serverVersion?: number;
  /** The column's key in the table, for the schema line (`t.<column>`). Default `'embedding'`. */
  column?: string;
  /** The table's name, for the index name in the schema line. Default `'items'`. */
  table?: string;
}

/** What {@link adviseIndex} returns. */
export interface IndexAdvice {
  /** `chooseIndex`: the method, what to index (the column, `asHalfvec`, `binaryQuantize`), every alternative and why. */
  readonly choice: IndexChoice;
  /** `recommendHnsw` for what is indexed; undefined when HNSW cannot index it (or nothing can be indexed). */
  readonly hnsw: HnswRecommendation | undefined;
  /** `recommendIvfflat`; undefined when IVFFlat cannot index it (sparsevec, past its limit). */
  readonly ivfflat: IvfflatRecommendation | undefined;
  /** Build memory per method, for what is indexed, with the recommended `m` / `lists`. */
  readonly memory: { readonly hnsw: IndexBuildMemoryEstimate | undefined; readonly ivfflat: IndexBuildMemoryEstimate | undefined };
  /** The metric the chosen index is built with: the query's (default cosine where the type has it), Hamming for bits. */
  readonly indexMetric: Metric | undefined;
  /** The chosen index as a schema line, e.g. `hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 })`. */
  readonly schemaLine: string | undefined;
  /** The search settings for the chosen index (`{ efSearch }` or `{ probes }`), for `nearest(…, { settings })`. */
  readonly settings: VectorSettings | undefined;
}

const supports = (choice: IndexChoice, method: IndexMethod): boolean => choice.alternatives.some((a) => a.method === method && a.target === choice.target);

/**
 * Everything to decide and declare an index for a table shape, in one call: {@link chooseIndex} (which method and
 * representation — the column, `asHalfvec` past 2000 dimensions, `binaryQuantize` with re-rank past 4000 — and why),
 * {@link recommendHnsw} / {@link recommendIvfflat} for what gets indexed (each method only where it can index it),
 * {@link estimateIndexBuildMemory} per method with those parameters, and the chosen index as a schema line with its
 * search settings. No SQL: a pure function (the CLI's `advise`).
 *
 * @example
 * ```ts
 * const advice = adviseIndex({ rows: 1_000_000, dimensions: 1536, metric: 'cosine', indexSizeBudget: '1GB' });
 * advice.choice.target;  // 'binaryQuantize'
 * advice.schemaLine;     // "hnswIndex('items_embedding_hnsw').on(binaryQuantize(t.embedding, 1536), 'hamming').with({ m: 16, efConstruction: 64 })"
 * advice.settings;       // { efSearch: 40 }
 * advice.memory.hnsw?.maintenanceWorkMem; // '927MB'
 * ```
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` for bad rows, dimensions, type, metric, writesPerDay,
 *   recallTarget, k, parallelWorkers or serverVersion; `INVALID_MEMORY_SIZE` for a bad memoryBudget or indexSizeBudget.
 */
export function adviseIndex(options: AdviseIndexOptions): IndexAdvice {
  checkOptions('adviseIndex', options);
  const { recallTarget, k, parallelWorkers, serverVersion, column = 'embedding', table = 'items', ...shape } = options;
  const choice = chooseIndex(shape);
  const { method, indexedType: type, indexedDimensions: dimensions } = choice;
  const rows = shape.rows;
  const ivfflat = method !== undefined && supports(choice, 'ivfflat') ? recommendIvfflat({ rows }) : undefined;
  const hnsw =
    method !== undefined && supports(choice, 'hnsw')
      ? recommendHnsw({ rows, dimensions, type, ...(recallTarget !== undefined ? { recallTarget } : {}), ...(k !== undefined ? { k } : {}) })
      : undefined;
  const representation = { target: choice.target, type, dimensions, rerank: choice.rerank } as Representation;
  // The memory estimate takes the metric only when one is given (or implied: Hamming for bits).
  const estimateMetric = shape.metric !== undefined || choice.rerank ? representationMetric(representation, shape.metric ?? 'hamming') : undefined;
  const common = { type, dimensions, rows, ...(estimateMetric ? { metric: estimateMetric } : {}), ...(serverVersion !== undefined ? { serverVersion } : {}) };
  const memory = Object.freeze({
    hnsw: hnsw ? estimateIndexBuildMemory({ method: 'hnsw', ...common, m: hnsw.m, ...(parallelWorkers !== undefined ? { parallelWorkers } : {}) }) : undefined,
    ivfflat: ivfflat ? estimateIndexBuildMemory({ method: 'ivfflat', ...common, lists: ivfflat.lists }) : undefined,
  });
  let indexMetric: Metric | undefined;
  let schemaLine: string | undefined;
  let settings: VectorSettings | undefined;
  if (method !== undefined) {
    indexMetric = representationMetric(representation, shape.metric ?? suggestedMetric(type, method));
    const ref = keyRef(column);
    const target = choice.target === 'column' ? ref : `${choice.target}(${ref}, ${dimensions})`;
    const withOptions = method === 'hnsw' && hnsw ? ([['m', hnsw.m], ['efConstruction', hnsw.efConstruction]] as const) : ivfflat ? ([['lists', ivfflat.lists]] as const) : [];
    schemaLine = indexSchemaLine({ method, name: suggestedIndexName(table, column, method), target, metric: indexMetric, options: withOptions });
    settings = method === 'hnsw' && hnsw ? { efSearch: hnsw.efSearch } : ivfflat ? { probes: ivfflat.probes } : {};
  }
  return Object.freeze({ choice, hnsw, ivfflat, memory, indexMetric, schemaLine, settings });
}
