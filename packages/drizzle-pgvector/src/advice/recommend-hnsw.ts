import { DEFAULT_RECALL_TARGET, HNSW_PRESETS, INDEX_OPTIONS, SETTINGS, type VectorType } from '../catalog/index.js';
import { pgVectorError } from '../errors/index.js';
import { checkCount, checkDimensions, checkOptions, checkType } from './advice-input.js';
import { estimateIndexBuildMemory } from './estimate-index-build-memory.js';

const range = (key: string): { min: number; max: number } => {
  const o = INDEX_OPTIONS.find((x) => x.key === key) ?? SETTINGS.find((x) => x.key === key);
  return { min: o?.min ?? 1, max: o?.max ?? 1 };
};
const M = range('m');
const EF_CONSTRUCTION = range('efConstruction');
const EF_SEARCH = range('efSearch');
const clamp = (v: number, r: { min: number; max: number }): number => Math.min(Math.max(v, r.min), r.max);

/** Options of {@link recommendHnsw}. */
export interface RecommendHnswOptions {
  /** Rows the index will hold. */
  rows: number;
  dimensions: number;
  /** Wanted recall@k, in (0, 1]. Default 0.9. */
  recallTarget?: number;
  /** The indexed type (default 'vector'). */
  type?: VectorType;
  /** The k (LIMIT) of your queries: ef_search is at least this (an HNSW scan returns at most ef_search rows). */
  k?: number;
}

/** Result of {@link recommendHnsw}. */
export interface HnswRecommendation {
  /** `WITH (m = …)`. */
  readonly m: number;
  /** `WITH (ef_construction = …)`, always ≥ 2·m. */
  readonly efConstruction: number;
  /** `SET LOCAL hnsw.ef_search = …` (the `efSearch` query setting). */
  readonly efSearch: number;
  /** maintenance_work_mem for the build to stay in memory (see estimateIndexBuildMemory). */
  readonly maintenanceWorkMem: string;
  readonly why: string;
}

/**
 * HNSW parameters for a recall target: pgvector's defaults (m 16, ef_construction 64, ef_search 40) for ≈ 0.9, then
 * higher ef_search (query time, no rebuild) and, for 0.98 and above, a denser graph (m, ef_construction). All within
 * pgvector's ranges (m 2..100, ef_construction 4..1000 and ≥ 2·m, ef_search 1..1000). Heuristics: measure recall.
 *
 * @example
 * ```ts
 * const { m, efConstruction, efSearch } = recommendHnsw({ rows: 1_000_000, dimensions: 1536, recallTarget: 0.95 });
 * const idx = hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m, efConstruction });
 * await nearest(db, items.embedding, q, { k: 10, metric: 'cosine', settings: { efSearch } });
 * ```
 * SQL its numbers go into: `CREATE INDEX … USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`
 * and `SET LOCAL hnsw.ef_search = 100`.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` for bad rows, dimensions (above the HNSW limit of the type:
 *   index `asHalfvec` / `binaryQuantize` / `subvector` instead), recallTarget outside (0, 1] or a bad k.
 */
export function recommendHnsw(options: RecommendHnswOptions): HnswRecommendation {
  const fn = 'recommendHnsw';
  checkOptions(fn, options);
  const rows = checkCount(fn, 'rows', options.rows, "the table's row count");
  const type = checkType(fn, options.type ?? 'vector');
  const dimensions = checkDimensions(fn, type, options.dimensions, 'hnsw');
  const recall = options.recallTarget ?? DEFAULT_RECALL_TARGET;
  if (typeof recall !== 'number' || !Number.isFinite(recall) || recall <= 0 || recall > 1) {
    throw pgVectorError(
      'INVALID_ADVICE_INPUT',
      `${fn}: recallTarget must be a fraction in (0, 1] (e.g. 0.95 for 95 % recall), got ${String(recall)}.`,
      { recallTarget: recall, min: 0, max: 1 },
    );
  }
  const limit = options.k === undefined ? undefined : checkCount(fn, 'k', options.k, 'the LIMIT of your queries');
  const preset = HNSW_PRESETS.find((p) => recall <= p.maxRecall) ?? HNSW_PRESETS[HNSW_PRESETS.length - 1];
  if (!preset) throw new Error('catalog has no HNSW presets');
  const m = clamp(preset.m, M);
  const efConstruction = clamp(Math.max(preset.efConstruction, 2 * m), EF_CONSTRUCTION);
  const efSearch = clamp(Math.max(preset.efSearch, limit ?? 0), EF_SEARCH);
  const memory = estimateIndexBuildMemory({ method: 'hnsw', type, dimensions, rows, m });
  const limitNote =
    limit !== undefined && limit > preset.efSearch
      ? ` ef_search raised to your k = ${limit}: without iterative scans an HNSW scan returns at most ef_search rows.`
      : '';
  const why =
    `For recall ≈ ${recall}: m = ${m} links per node and ef_construction = ${efConstruction} candidates while building (≥ 2·m, as pgvector requires); ` +
    `ef_search = ${efSearch} candidates per query — raise it first if recall is short (no rebuild needed), raise m / ef_construction only when ef_search alone is not enough (rebuild).` +
    limitNote +
    ` Building ${rows} rows of ${type}(${dimensions}) in memory needs maintenance_work_mem ≈ ${memory.maintenanceWorkMem}. HNSW needs no training: create it on an empty table or after loading (faster).`;
  return Object.freeze({ m, efConstruction, efSearch, maintenanceWorkMem: memory.maintenanceWorkMem, why });
}
