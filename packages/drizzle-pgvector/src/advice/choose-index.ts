import { CHOOSE_INDEX_RULES, IVFFLAT_RULES, VECTOR_TYPES, operatorClassFor, type IndexMethod, type Metric, type VectorType } from '../catalog/index.js';
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
  | 'recall-and-speed';

/** What to index: the column itself, or a reduced expression of it. */
export type IndexTarget = 'column' | 'asHalfvec' | 'binaryQuantize' | 'subvector';

/** Result of {@link chooseIndex}. */
export interface IndexChoice {
  /** The method to use, or `undefined` when pgvector cannot index this column at all. */
  readonly method: IndexMethod | undefined;
  /** Index the column itself, or `asHalfvec(col, n)` / `binaryQuantize(col, n)` (re-rank with the full vectors) / `subvector(...)`. */
  readonly target: IndexTarget;
  /** Type and dimensions of what gets indexed. */
  readonly indexedType: VectorType;
  readonly indexedDimensions: number;
  /** Every rule that applied, in order, with its reason. */
  readonly reasons: readonly { readonly rule: ChooseIndexRule; readonly message: string }[];
}

/**
 * Choose between HNSW and IVFFlat (and what to index) from the table's size, dimensions, write rate and memory budget,
 * with the reason for each rule that applied: too many dimensions for the type (index `asHalfvec` / `binaryQuantize` /
 * `subvector`), types and metrics only HNSW indexes, empty or small tables (IVFFlat must be trained on data), frequent
 * writes (IVFFlat's clusters drift), build memory, and the default — HNSW's better speed–recall trade-off.
 *
 * @example
 * ```ts
 * const choice = chooseIndex({ rows: 5_000_000, dimensions: 3072, memoryBudget: '4GB' });
 * // { method: 'ivfflat', target: 'asHalfvec', indexedType: 'halfvec', reasons: [{ rule: 'too-many-dimensions', … }, { rule: 'memory-budget', … }] }
 * ```
 * No SQL: pure function. For that choice you would create
 * `CREATE INDEX … USING ivfflat ((embedding::halfvec(3072)) halfvec_l2_ops) WITH (lists = 2236)`.
 *
 * @throws {@link PgVectorError} `INVALID_ADVICE_INPUT` for bad rows, dimensions, type, metric or writesPerDay;
 *   `INVALID_MEMORY_SIZE` for a bad memoryBudget.
 */
export function chooseIndex(options: ChooseIndexOptions): IndexChoice {
  const fn = 'chooseIndex';
  checkOptions(fn, options);
  const rows = checkCount(fn, 'rows', options.rows, "the table's row count");
  const type = checkType(fn, options.type ?? 'vector');
  const dimensions = checkDimensions(fn, type, options.dimensions);
  const writes = options.writesPerDay === undefined ? undefined : checkCount(fn, 'writesPerDay', options.writesPerDay, 'rows written per day');
  const budget = options.memoryBudget === undefined ? undefined : parseMemorySize(options.memoryBudget);
  const reasons: { rule: ChooseIndexRule; message: string }[] = [];
  const say = (rule: ChooseIndexRule, message: string): void => void reasons.push({ rule, message });

  // What can be indexed at all.
  let target: IndexTarget = 'column';
  let indexedType: VectorType = type;
  const indexedDimensions = dimensions;
  const hnswMax = VECTOR_TYPES[type].indexMaxDimensions.hnsw ?? 0;
  if (dimensions > hnswMax) {
    const halfMax = VECTOR_TYPES.halfvec.indexMaxDimensions.hnsw ?? 0;
    const bitMax = VECTOR_TYPES.bit.indexMaxDimensions.hnsw ?? 0;
    if (type === 'vector' && dimensions <= halfMax) {
      target = 'asHalfvec';
      indexedType = 'halfvec';
      say(
        'too-many-dimensions',
        `vector(${dimensions}) has too many dimensions: pgvector indexes vector up to ${hnswMax}. Index asHalfvec(column, ${dimensions}) — halfvec up to ${halfMax}, half the memory, nearly the same recall. Alternatives: binaryQuantize (bit, re-rank with the full vectors) or subvector (the first ${hnswMax} dimensions, if your model allows truncation).`,
      );
    } else if (type !== 'bit' && type !== 'sparsevec' && dimensions <= bitMax) {
      target = 'binaryQuantize';
      indexedType = 'bit';
      say(
        'too-many-dimensions',
        `${type}(${dimensions}) has too many dimensions: pgvector indexes ${type} up to ${hnswMax}${type === 'vector' ? ` and halfvec up to ${halfMax}` : ''}. Index binaryQuantize(column, ${dimensions}) (bit up to ${bitMax}) and re-rank the candidates with the full vectors, or subvector(column, 1, ${type === 'vector' ? hnswMax : halfMax}) if your model allows truncation.`,
      );
    } else {
      say('no-index-possible', `${type}(${dimensions}) has more dimensions than any pgvector index accepts (${hnswMax}). Reduce it before indexing, or search exactly.`);
      return Object.freeze({ method: undefined, target, indexedType, indexedDimensions, reasons });
    }
  }

  let forced: IndexMethod | undefined;
  if (VECTOR_TYPES[indexedType].indexMaxDimensions.ivfflat === undefined) {
    forced = 'hnsw';
    say('hnsw-only-type', `Only HNSW indexes ${indexedType}: IVFFlat has no operator class for it.`);
  }
  if (options.metric !== undefined) {
    const metric = checkMetric(fn, indexedType, 'hnsw', options.metric);
    if (!operatorClassFor(indexedType, metric)?.methods.includes('ivfflat')) {
      forced ??= 'hnsw';
      say('hnsw-only-metric', `Only HNSW has an operator class for ${indexedType} with '${metric}'.`);
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
  if (budget !== undefined && rows > 0) {
    const common = { type: indexedType, dimensions: indexedDimensions, rows };
    const hnsw = estimateIndexBuildMemory({ ...common, method: 'hnsw' });
    const ivf = indexedType === 'sparsevec' ? undefined : estimateIndexBuildMemory({ ...common, method: 'ivfflat' });
    if (hnsw.bytes > budget) {
      if (forced === undefined && ivf && ivf.bytes <= budget) {
        method = 'ivfflat';
        say(
          'memory-budget',
          `An in-memory HNSW build needs ≈ ${hnsw.maintenanceWorkMem}, more than the ${formatMemorySize(budget)} budget (past it the build continues on disk, much more slowly); IVFFlat builds fast in ≈ ${ivf.maintenanceWorkMem}.`,
        );
      } else {
        say(
          'memory-budget',
          `An in-memory HNSW build needs ≈ ${hnsw.maintenanceWorkMem}, more than the ${formatMemorySize(budget)} budget: it will work but finish on disk, much more slowly. Raise maintenance_work_mem for the build if you can.`,
        );
      }
    }
  }
  if (method === 'hnsw' && forced === undefined) {
    say(
      'recall-and-speed',
      'HNSW has the better speed–recall trade-off and handles changing data; it builds slower and needs more memory than IVFFlat. Pick IVFFlat when build time and memory matter more and the data rarely changes.',
    );
  }
  return Object.freeze({ method, target, indexedType, indexedDimensions, reasons });
}
