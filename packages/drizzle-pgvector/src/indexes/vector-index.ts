import { entityKind, SQL, sql } from 'drizzle-orm';
import { isEntity } from '../compat/entity.js';
import { Index, IndexBuilder, IndexedColumn } from 'drizzle-orm/pg-core';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { INDEX_OPTIONS, type IndexMethod, type Metric, type OperatorClassInfo } from '../catalog/index.js';
import { pgVectorError, tableNameOf } from '../errors/index.js';
import { checkIndexName } from './check-index-name.js';
import { BUILDER_FN, checkNoParams, checkOptions, checkPredicateText, checkTarget } from './check-index.js';
import { toTarget, type VectorTarget } from '../targets/index.js';

/** HNSW storage parameters (`WITH (m = …, ef_construction = …)`). */
export interface HnswOptions {
  /** Links per node, 2..100 (pgvector default 16). */
  m?: number;
  /** Candidate list size while building, 4..1000 and ≥ 2·m (pgvector default 64). */
  efConstruction?: number;
}

/** IVFFlat storage parameters (`WITH (lists = …)`). */
export interface IvfflatOptions {
  /** Number of k-means clusters, 1..32768 (pgvector default 100; rows/1000 up to 1M rows, sqrt(rows) above). */
  lists?: number;
}

export type VectorIndexOptions<M extends IndexMethod> = M extends 'hnsw' ? HnswOptions : IvfflatOptions;

/** Everything about a vector index, readable back from a table with {@link declaredVectorIndexes}. */
export interface VectorIndexInfo {
  readonly name: string;
  readonly method: IndexMethod;
  readonly metric: Metric;
  readonly target: VectorTarget;
  /** The (type × metric) catalog row: operator and opclass. */
  readonly operatorClass: OperatorClassInfo;
  /** Options as given (camelCase keys), without defaults. */
  readonly options: Readonly<HnswOptions & IvfflatOptions>;
  /** The user's partial-index condition, if any. */
  readonly where: SQL | undefined;
  /** The full index predicate: the user's condition ANDed with the target's (if any). */
  readonly predicate: SQL | undefined;
  readonly concurrently: boolean;
  /** `true` when declared with drizzle-pgvector's builders; `false` when read from a plain Drizzle index. */
  readonly declared: boolean;
}

interface State<M extends IndexMethod> {
  readonly name: string;
  readonly method: M;
  readonly target: VectorTarget;
  readonly metric: Metric;
  readonly operatorClass: OperatorClassInfo;
  readonly options: Readonly<VectorIndexOptions<M>>;
  readonly where: SQL | undefined;
  readonly concurrently: boolean;
}

const META = new WeakMap<object, VectorIndexInfo>();

/** @internal What a drizzle-pgvector builder recorded for the Drizzle index it built, if it built this one. */
export function declaredIndexInfo(index: object): VectorIndexInfo | undefined {
  return META.get(index);
}

function predicateOf(where: SQL | undefined, target: VectorTarget): SQL | undefined {
  if (where && target.predicate) return sql`(${where}) and ${target.predicate}`;
  return where ?? target.predicate;
}

/**
 * A pgvector index under construction: a real Drizzle `IndexBuilder` (so `getTableConfig` and `drizzle-kit`
 * see it) that is immutable — `with`, `where` and `concurrently` return a new builder — and validated at every
 * step.
 */
export class VectorIndexBuilder<M extends IndexMethod = IndexMethod> extends IndexBuilder {
  static override readonly [entityKind]: string = 'DrizzlePgVectorIndexBuilder';
  /** @internal */
  readonly state: State<M>;

  /** @internal use hnswIndex()/ivfflatIndex(). */
  constructor(state: State<M>) {
    const { target, operatorClass } = state;
    const column =
      target.kind === 'column'
        ? new IndexedColumn(target.column.name, (target.column as unknown as { keyAsName: boolean }).keyAsName ?? false, target.column.columnType, {
            order: 'asc',
            nulls: 'last',
            opClass: operatorClass.opclass,
          })
        : sql`${target.sql} ${sql.raw(operatorClass.opclass)}`;
    super([column as never], false, false, state.name, state.method);
    const config = (this as unknown as { config: Record<string, unknown> }).config;
    // Reloptions as strings: the catalog reports m='16', so `drizzle-kit push` then sees no change.
    const withMap: Record<string, string> = {};
    for (const o of INDEX_OPTIONS) {
      const v = (state.options as Record<string, number | undefined>)[o.key];
      if (o.method === state.method && v !== undefined) withMap[o.sqlName] = String(v);
    }
    if (Object.keys(withMap).length > 0) config['with'] = withMap;
    const predicate = predicateOf(state.where, target);
    if (predicate) config['where'] = predicate;
    if (state.concurrently) config['concurrently'] = true;
    this.state = Object.freeze(state);
  }

  /**
   * Storage parameters, validated against pgvector's ranges. Returns a new builder.
   *
   * @example
   * ```ts
   * hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 })
   * // CREATE INDEX "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);
   * ```
   */
  override with(options: VectorIndexOptions<M>): this {
    const checked = checkOptions(this.state.method, this.state.name, options);
    return new VectorIndexBuilder({ ...this.state, options: { ...this.state.options, ...checked } }) as this;
  }

  /**
   * Partial index: only rows matching `condition` (ANDed with the target's own predicate, if any). Queries
   * must repeat the condition for the planner to use the index; `nearest(..., { where })` does.
   *
   * @example
   * ```ts
   * hnswIndex('items_en').on(t.embedding, 'cosine').where(sql`${t.lang} = 'en'`)
   * // CREATE INDEX "items_en" ON "items" USING hnsw ("embedding" vector_cosine_ops) WHERE "items"."lang" = 'en';
   * ```
   */
  override where(condition: SQL): this {
    if (!isEntity(condition, SQL)) {
      throw pgVectorError('INVALID_INDEX_DEFINITION', `${BUILDER_FN[this.state.method]}('${this.state.name}').where(…): expected an sql\`…\` condition.`, {});
    }
    checkNoParams(this.state.method, this.state.name, condition);
    checkPredicateText(this.state.method, this.state.name, condition);
    return new VectorIndexBuilder({ ...this.state, where: condition }) as this;
  }

  /**
   * `CREATE INDEX CONCURRENTLY`: builds without blocking writes. Run such migrations with drizzle-pgvector's
   * `migrate` (it runs them outside a transaction). Returns a new builder.
   */
  override concurrently(): this {
    return new VectorIndexBuilder({ ...this.state, concurrently: true }) as this;
  }

  /** @internal Called by Drizzle's getTableConfig / drizzle-kit. */
  override build(table: PgTable): Index {
    const { target } = this.state;
    if (target.column.table !== table && tableNameOf(target.column.table) !== tableNameOf(table)) {
      throw pgVectorError(
        'INVALID_INDEX_DEFINITION',
        `${BUILDER_FN[this.state.method]}('${this.state.name}'): ${target.label} belongs to table "${tableNameOf(target.column.table)}", not "${tableNameOf(table)}".`,
        {},
      );
    }
    const index = new Index((this as unknown as { config: never }).config, table);
    META.set(index, infoOf(this.state, true));
    return index;
  }

  /** What this builder declares (same shape as {@link declaredVectorIndexes} returns). */
  get info(): VectorIndexInfo {
    return infoOf(this.state, true);
  }
}

function infoOf(state: State<IndexMethod>, declared: boolean): VectorIndexInfo {
  return Object.freeze({
    name: state.name,
    method: state.method,
    metric: state.metric,
    target: state.target,
    operatorClass: state.operatorClass,
    options: Object.freeze({ ...state.options }),
    where: state.where,
    predicate: predicateOf(state.where, state.target),
    concurrently: state.concurrently,
    declared,
  });
}


/** First step of a vector index: pick what it covers and the metric. */
export class VectorIndexBuilderOn<M extends IndexMethod> {
  static readonly [entityKind]: string = 'DrizzlePgVectorIndexBuilderOn';
  constructor(
    private readonly method: M,
    private readonly name: string,
  ) {
    Object.freeze(this);
  }

  /**
   * @param target a vector column (`t.embedding`) or an expression target (`asHalfvec`, `asVector`,
   *   `binaryQuantize`, `subvector`)
   * @param metric `'l2' | 'innerProduct' | 'cosine' | 'l1' | 'hamming' | 'jaccard'`
   */
  on(target: PgColumn | VectorTarget, metric: Metric): VectorIndexBuilder<M> {
    const t = toTarget(target, `${BUILDER_FN[this.method]}('${this.name}').on()`);
    const operatorClass = checkTarget(this.method, this.name, t, metric);
    return new VectorIndexBuilder<M>({
      name: this.name,
      method: this.method,
      target: t,
      metric,
      operatorClass,
      options: {} as VectorIndexOptions<M>,
      where: undefined,
      concurrently: false,
    });
  }
}

/**
 * An HNSW index. Can be built on an empty table; better speed/recall trade-off than IVFFlat, slower build,
 * more memory. Validated when declared: metric × type (vector/halfvec/sparsevec/bit), dimensions (vector 2000,
 * halfvec 4000, bit 64000), `m` 2..100, `efConstruction` 4..1000 and ≥ 2·m.
 *
 * @example
 * ```ts
 * export const items = pgTable('items', {
 *   id: serial('id').primaryKey(),
 *   embedding: vector('embedding', { dimensions: 1536 }),
 * }, (t) => [hnswIndex('items_embedding_hnsw').on(t.embedding, 'cosine').with({ m: 16, efConstruction: 64 })]);
 * // CREATE INDEX "items_embedding_hnsw" ON "items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);
 * ```
 */
export function hnswIndex(name: string): VectorIndexBuilderOn<'hnsw'> {
  return new VectorIndexBuilderOn('hnsw', checkIndexName('hnswIndex', name));
}

/**
 * An IVFFlat index (k-means clusters; create it after the table has data). `lists` 1..32768; metrics l2,
 * innerProduct, cosine (vector/halfvec) and hamming (bit).
 *
 * @example
 * ```ts
 * ivfflatIndex('items_embedding_ivf').on(t.embedding, 'l2').with({ lists: 1000 })
 * // CREATE INDEX "items_embedding_ivf" ON "items" USING ivfflat ("embedding" vector_l2_ops) WITH (lists=1000);
 * ```
 */
export function ivfflatIndex(name: string): VectorIndexBuilderOn<'ivfflat'> {
  return new VectorIndexBuilderOn('ivfflat', checkIndexName('ivfflatIndex', name));
}
