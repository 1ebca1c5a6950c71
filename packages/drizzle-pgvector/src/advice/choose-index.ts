import {
  CHOOSE_INDEX_RULES,
  IVFFLAT_RULES,
  VECTOR_TYPES,
  indexableRepresentations,
  operatorClassFor,
  reducedRepresentationAdvice,
  type IndexMethod,
  type Metric,
  type Representation,
  type VectorType,
} from '../catalog/index.js';
import { checkCount, checkDimensions, checkMetric, checkOptions, checkType } from './advice-input.js';
import { estimateIndexBuildMemory } from './estimate-index-build-memory.js';
import { formatMemorySize, parseMemorySize, type MemorySize } from './memory-size.js';
import { ivfflatTrainingNote, recommendIvfflat } from './recommend-ivfflat.js';

/** Options of {@link chooseIndex}. */
export interface ChooseIndexOptions {
  rows: number;
  dimensions: number;
  /** The column's type (default 'vector'). */
  type?: VectorType;
  /** The distance you query with (some are HNSW-only: l1, jaccard, every sparsevec metric). */
  metric?: Metric;
  /** Rows inserted, updated or deleted per day. */
  writesPerDay?: number;
  /** Memory you can give the build (maintenance_work_mem): bytes or text such as '2GB'. */
  memoryBudget?: MemorySize;
  /** Disk you can give the finished index: bytes or text such as '20GB'. */
  indexSizeBudget?: MemorySize;
}

/** Identifiers of the rules {@link chooseIndex} applies. */
export type ChooseIndexRule =
  | 'too-many-dimensions'
  | 'no-index-possible'
  | 'hnsw-only-type'
  | 'hnsw-only-metric'
  | 'empty-table'
  | 'small-table'
  | 'frequent-writes'
  | 'memory-budget'
  | 'index-size-budget'
  | 'recall-and-speed';

/** What to index: the column itself, or a reduced expression of it. */
export type IndexTarget = 'column' | 'asHalfvec' | 'binaryQuantize' | 'subvector';

/** One way to index the column, with what it costs (see {@link IndexChoice.alternatives}). */
export interface IndexAlternative {
  readonly method: IndexMethod;
  readonly target: Exclude<IndexTarget, 'subvector'>;
  readonly indexedType: VectorType;
  readonly indexedDimensions: number;
  /** Binary quantization: search with `rerank: { via: binaryQuantize(col) }` to re-order by the exact distance. */
  readonly rerank: boolean;
  /** maintenance_work_mem the build needs (HNSW: to keep the graph in memory), bytes and setting text. */
  readonly buildMemoryBytes: number;
  readonly maintenanceWorkMem: string;
  /** Expected size of the finished index on disk, bytes and text. */
  readonly indexBytes: number;
  readonly indexSize: string;
  /** Within `memoryBudget` and `indexSizeBudget` (true when no budget is given). */
  readonly withinBudget: boolean;
}

/** Result of {@link chooseIndex}. */
export interface IndexChoice {
  /** The method to use, or `undefined` when pgvector cannot index this column at all. */
  readonly method: IndexMethod | undefined;
  /** Index the column itself, or `asHalfvec(col, n)` / `binaryQuantize(col, n)` (re-rank with the full vectors) / `subvector(...)`. */
  readonly target: IndexTarget;
  /** Type and dimensions of what gets indexed. */
  readonly indexedType: VectorType;
  readonly indexedDimensions: number;
  /** True for binary quantization: search with `nearest(db, col, q, { k, metric, rerank: { via: binaryQuantize(col) } })`. */
  readonly rerank: boolean;
  /**
   * Every way pgvector can index this column — HNSW and IVFFlat on the column, `asHalfvec` and `binaryQuantize`, most
   * precise first — with build memory and index size, so the trade-off is visible. Empty when nothing can be indexed.
   */
  readonly alternatives: readonly IndexAlternative[];
  /** Every rule that applied, in order, with its reason. */
  readonly reasons: readonly { readonly rule: ChooseIndexRule; readonly message: string }[];
}

const LABEL: Record<Representation['target'], string> = { column: 'full precision', asHalfvec: 'halfvec', binaryQuantize: 'binary quantization' };

/** "binary quantization (bit(1536)): build 1.0GB, index 10MB" */
function describe(a: IndexAlternative): string {
  return `${LABEL[a.target]} (${a.indexedType}(${a.indexedDimensions})): build ${a.maintenanceWorkMem}, index ≈ ${a.indexSize}`;
}

/**
 * Choose between HNSW and IVFFlat, and what to index, from the table's size, dimensions, write rate and budgets, with
 * the reason for each rule that applied: too many dimensions for the type (vector past 2000: `asHalfvec`, up to 4000;
 * past that `binaryQuantize` with re-rank, or `subvector`), types and metrics only HNSW indexes, empty or small
 * tables (IVFFlat must be trained on data), frequent writes (IVFFlat's clusters drift), build memory and index size
 * over budget (a smaller representation — halfvec, then binary quantization searched with re-rank — before
 * IVFFlat), and the default: HNSW's better speed–recall trade-off. `alternatives` lists the build memory and index
 * size of every representation and method, budget or not.
 *
 * @example
 * ```ts
 * const choice = chooseIndex({ rows: 5_000_000, dimensions: 1536, memoryBudget: '8GB' });
 * // { method: 'hnsw', target: 'binaryQuantize', indexedType: 'bit', rerank: true,
 * //   reasons: [{ rule: 'memory-budget', message: 'HNSW on full precision (vector(1536)): build 33015MB, index ≈ 39063MB is over budget: …' }],
 * //   alternatives: [{ method: 'hnsw', target: 'column', maintenanceWorkMem: '33015MB', indexSize: '39063MB', withinBudget: false, … }, …] }
 * const idx = hnswIndex('items_embedding_bq').on(binaryQuantize(t.embedding), 'hamming');
 * await nearest(db, items.embedding, q, { k: 10, metric: 'cosine', rerank: { via: binaryQuantize(items.embedding) } });
 * ```
 * No SQL: pure function. For that choice you would create
 * `CREATE INDEX … USING hnsw ((binary_quantize(embedding)::bit(1536)) bit_hamming_ops)`.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` for bad rows, dimensions, type, metric or writesPerDay;
 *   `INVALID_MEMORY_SIZE` for a bad memoryBudget or indexSizeBudget.
 */
export function chooseIndex(options: ChooseIndexOptions): IndexChoice {
  const fn = 'chooseIndex';
  checkOptions(fn, options);
  const rows = checkCount(fn, 'rows', options.rows, "the table's row count");
  const type = checkType(fn, options.type ?? 'vector');
  const dimensions = checkDimensions(fn, type, options.dimensions);
  const writes = options.writesPerDay === undefined ? undefined : checkCount(fn, 'writesPerDay', options.writesPerDay, 'rows written per day');
  const budget = options.memoryBudget === undefined ? undefined : parseMemorySize(options.memoryBudget);
  const sizeBudget = options.indexSizeBudget === undefined ? undefined : parseMemorySize(options.indexSizeBudget);
  const reasons: { rule: ChooseIndexRule; message: string }[] = [];
  const say = (rule: ChooseIndexRule, message: string): void => void reasons.push({ rule, message });

  // What can be indexed at all: the one rule (catalog/representations.ts).
  const representations = indexableRepresentations(type, dimensions, 'hnsw');
  const first = representations[0];
  const hnswMax = VECTOR_TYPES[type].indexMaxDimensions.hnsw ?? 0;
  if (first === undefined) {
    say('no-index-possible', `${type}(${dimensions}) has more dimensions than any pgvector index accepts (${hnswMax}). Reduce it before indexing, or search exactly.`);
    return Object.freeze({ method: undefined, target: 'column', indexedType: type, indexedDimensions: dimensions, rerank: false, alternatives: [], reasons });
  }
  if (first.target !== 'column') {
    say(
      'too-many-dimensions',
      `${type}(${dimensions}) has too many dimensions: pgvector indexes ${type} up to ${hnswMax}. ${reducedRepresentationAdvice(type, dimensions, 'hnsw', 'column')}`,
    );
  }
  const alternatives = alternativesFor(type, dimensions, rows, budget, sizeBudget);
  let chosen: Representation = first;

  let forced: IndexMethod | undefined;
  if (VECTOR_TYPES[first.type].indexMaxDimensions.ivfflat === undefined) {
    forced = 'hnsw';
    say('hnsw-only-type', `Only HNSW indexes ${first.type}: IVFFlat has no operator class for it.`);
  }
  if (options.metric !== undefined) {
    const metric = checkMetric(fn, first.type, 'hnsw', options.metric);
    if (!operatorClassFor(first.type, metric)?.methods.includes('ivfflat')) {
      forced ??= 'hnsw';
      say('hnsw-only-metric', `Only HNSW has an operator class for ${first.type} with '${metric}'.`);
    }
  }
  if (rows === 0) {
    forced ??= 'hnsw';
    say('empty-table', 'The table is empty: IVFFlat trains its clusters on existing rows (on an empty table they are random, recall is poor), HNSW needs no training and can be created now.');
  } else if (rows < IVFFLAT_RULES.minTrainingRows) {
    forced ??= 'hnsw';
    say(
      'small-table',
      ivfflatTrainingNote(rows, recommendIvfflat({ rows }).lists) +
        (rows < CHOOSE_INDEX_RULES.exactSearchRows ? ' At this size an exact search (no index) is often fast enough.' : ''),
    );
  }
  if (writes !== undefined && rows > 0 && writes / rows >= CHOOSE_INDEX_RULES.highChurnShare) {
    forced ??= 'hnsw';
    say(
      'frequent-writes',
      `${writes} writes a day is ${Math.round((100 * writes) / rows)} % of the table: IVFFlat keeps the clusters it was trained with and degrades as data drifts (rebuild needed); HNSW handles inserts and updates well.`,
    );
  }

  let method: IndexMethod = forced ?? 'hnsw';
  const find = (m: IndexMethod, r: Representation): IndexAlternative | undefined => alternatives.find((a) => a.method === m && a.target === r.target);
  const full = find('hnsw', first);
  if ((budget !== undefined || sizeBudget !== undefined) && rows > 0 && full && !full.withinBudget) {
    const memoryOver = budget !== undefined && full.buildMemoryBytes > budget;
    const rule: ChooseIndexRule = memoryOver ? 'memory-budget' : 'index-size-budget';
    const sizeOver = sizeBudget !== undefined && full.indexBytes > sizeBudget;
    const over =
      `HNSW on ${describe(full)} is over budget: ` +
      [
        memoryOver ? `an in-memory build needs more than the ${formatMemorySize(budget)} memory budget (past it the build continues on disk, much more slowly)` : '',
        sizeOver ? `the index is larger than the ${formatMemorySize(sizeBudget)} index size budget` : '',
      ]
        .filter(Boolean)
        .join(', and ');
    const smaller = representations.slice(1).find((r) => find('hnsw', r)?.withinBudget);
    const ivf = find('ivfflat', first);
    const table = ` Trade-off: ${alternatives.filter((a) => a.method === 'hnsw').map(describe).join('; ')}.`;
    if (smaller) {
      chosen = smaller;
      say(
        rule,
        `${over}. Index ${smaller.target}(column, ${smaller.dimensions}) instead: ${describe(find('hnsw', smaller)!)}` +
          (smaller.rerank
            ? `, and re-rank: nearest(db, col, q, { k, metric, rerank: { via: binaryQuantize(col) } }) searches the bits for more candidates and orders them by the exact distance on the full vectors.`
            : ', nearly the same recall.') +
          table,
      );
    } else if (forced === undefined && ivf?.withinBudget) {
      method = 'ivfflat';
      say(rule, `${over}, and so is every smaller representation; IVFFlat builds fast in ≈ ${ivf.maintenanceWorkMem} (index ≈ ${ivf.indexSize}).${table}`);
    } else {
      say(
        rule,
        `${over}, and no representation pgvector indexes fits.` +
          (memoryOver ? ' The build will work but finish on disk, much more slowly: raise maintenance_work_mem for the build if you can.' : '') +
          table,
      );
    }
  }
  if (method === 'hnsw' && forced === undefined && chosen === first) {
    say(
      'recall-and-speed',
      'HNSW has the better speed–recall trade-off and handles changing data; it builds slower and needs more memory than IVFFlat. Pick IVFFlat when build time and memory matter more and the data rarely changes.',
    );
  }
  return Object.freeze({
    method,
    target: chosen.target,
    indexedType: chosen.type,
    indexedDimensions: chosen.dimensions,
    rerank: chosen.rerank,
    alternatives,
    reasons,
  });
}

/** Build memory and index size of every (method × representation) pgvector can index (the one rule), HNSW first. */
function alternativesFor(type: VectorType, dimensions: number, rows: number, budget: number | undefined, sizeBudget: number | undefined): IndexAlternative[] {
  const out: IndexAlternative[] = [];
  for (const method of ['hnsw', 'ivfflat'] as const) {
    for (const r of indexableRepresentations(type, dimensions, method)) {
      const e = estimateIndexBuildMemory({ method, type: r.type, dimensions: r.dimensions, rows });
      // IVFFlat's build memory is k-means' arrays; HNSW's, the graph: both compared with the same budget.
      const withinBudget = (budget === undefined || e.bytes <= budget) && (sizeBudget === undefined || e.indexBytes <= sizeBudget);
      out.push(
        Object.freeze({
          method,
          target: r.target,
          indexedType: r.type,
          indexedDimensions: r.dimensions,
          rerank: r.rerank,
          buildMemoryBytes: e.bytes,
          maintenanceWorkMem: e.maintenanceWorkMem,
          indexBytes: e.indexBytes,
          indexSize: e.indexSize,
          withinBudget,
        }),
      );
    }
  }
  return out;
}
