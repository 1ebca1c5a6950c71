import { entityKind, is, Param, SQL, sql } from 'drizzle-orm';
import { Index, IndexBuilder, IndexedColumn, PgDialect, getTableConfig } from 'drizzle-orm/pg-core';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  INDEX_METHOD_LABELS,
  INDEX_OPTIONS,
  INDEX_RULES,
  VECTOR_TYPES,
  metricsFor,
  operatorClassByName,
  type IndexMethod,
  type Metric,
  type OperatorClassInfo,
} from '../catalog/index.js';
import { pgVectorError, tableNameOf } from '../errors/index.js';
import { checkIndexName } from './check-index-name.js';
import { operatorClassForTarget, toTarget, type VectorTarget } from '../targets/index.js';

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

/** Everything about a vector index, readable back from a table with {@link getVectorIndexes}. */
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

const BUILDER_FN: Record<IndexMethod, string> = { hnsw: 'hnswIndex', ivfflat: 'ivfflatIndex' };
/** drizzle-kit splits its snapshot's index string on `;`: a predicate containing one breaks `drizzle-kit generate`. */
function checkPredicateText(method: IndexMethod, name: string, condition: SQL): void {
  let text: string;
  try {
    text = new PgDialect().sqlToQuery(condition).sql;
  } catch {
    return; // not renderable on its own; drizzle-kit reports it
  }
  const position = text.indexOf(';');
  if (position < 0) return;
  throw pgVectorError(
    'INVALID_INDEX_DEFINITION',
    `${BUILDER_FN[method]}('${name}').where(…): the condition ${JSON.stringify(text)} contains a semicolon (position ${position}); drizzle-kit stores the index as a ;-separated string and would cut the condition there (drizzle-kit generate fails or writes a different index). Write the condition without ';' (for a literal containing one, use chr(59), e.g. sql\`\${t.tag} = 'a' || chr(59) || 'b'\`).`,
    { name, condition: text, position },
  );
}

/** Check (type × metric × method) compatibility and dimension limits; returns the catalog row. */
function checkTarget(method: IndexMethod, name: string, target: VectorTarget, metric: unknown): OperatorClassInfo {
  const where = `${BUILDER_FN[method]}('${name}').on(${target.label}, …)`;
  const row = operatorClassForTarget(target, metric, where);
  if (!row.methods.includes(method)) {
    const allowed = metricsFor(target.type, method);
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      allowed.length === 0
        ? `${where}: ${INDEX_METHOD_LABELS[method]} cannot index ${target.type} (pgvector has no ${method} operator class for it). Use hnswIndex.`
        : `${where}: ${INDEX_METHOD_LABELS[method]} has no operator class for ${target.type} with '${metric}' (${row.opclass} exists for ${row.methods.map((m) => INDEX_METHOD_LABELS[m]).join(', ')} only). Use hnswIndex, or one of ${allowed.map((m) => `'${m}'`).join(', ')}.`,
      { metric, type: target.type, method, allowed },
    );
  }
  if (target.dimensions === undefined) {
    const col = target.label;
    throw pgVectorError(
      'COLUMN_HAS_NO_DIMENSIONS',
      `${where}: ${col} has no fixed dimensions and pgvector cannot index it ("column does not have dimensions"). Index a cast per dimension count instead: .on(asVector(t.${target.column.name}, 1536), '${metric}') — it becomes a partial index WHERE vector_dims(${col}) = 1536 — or declare the column with { dimensions }.`,
      { column: target.column.name, type: target.type },
    );
  }
  const max = VECTOR_TYPES[target.type].indexMaxDimensions[method]!;
  if (target.dimensions > max) {
    const advice =
      target.type === 'vector'
        ? target.dimensions <= VECTOR_TYPES.halfvec.indexMaxDimensions[method]!
          ? ` Index asHalfvec(t.${target.column.name}, ${target.dimensions}) (half precision, up to ${VECTOR_TYPES.halfvec.indexMaxDimensions[method]} dimensions), or binaryQuantize(t.${target.column.name}, ${target.dimensions}) with 'hamming', or a subvector.`
          : ` Index binaryQuantize(t.${target.column.name}, ${target.dimensions}) with 'hamming' (up to ${VECTOR_TYPES.bit.indexMaxDimensions[method]} bits), or subvector(t.${target.column.name}, 1, ${max}).`
        : target.type === 'halfvec'
          ? ` Index binaryQuantize(t.${target.column.name}, ${target.dimensions}) with 'hamming', or a subvector of at most ${max} dimensions.`
          : '';
    throw pgVectorError(
      'INDEX_DIMENSIONS_EXCEEDED',
      `${where}: ${target.sqlType} has ${target.dimensions} dimensions; ${INDEX_METHOD_LABELS[method]} indexes ${target.type} up to ${max}.${advice}`,
      { dimensions: target.dimensions, max, type: target.type, method },
    );
  }
  if (method === 'ivfflat' && (INDEX_RULES.ivfflatSphericalMetrics as readonly unknown[]).includes(metric) && target.dimensions < INDEX_RULES.ivfflatSphericalMinDimensions) {
    throw pgVectorError(
      'INDEX_DIMENSIONS_EXCEEDED',
      `${where}: IVFFlat with '${metric}' needs at least ${INDEX_RULES.ivfflatSphericalMinDimensions} dimensions (pgvector: "${INDEX_RULES.ivfflatSphericalMessage}"); ${target.sqlType} has ${target.dimensions}. Use 'l2' or hnswIndex.`,
      { dimensions: target.dimensions, min: 2, method, metric },
    );
  }
  return row;
}

function checkOptions<M extends IndexMethod>(method: M, name: string, options: unknown): VectorIndexOptions<M> {
  const where = `${BUILDER_FN[method]}('${name}').with(…)`;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw pgVectorError('INVALID_INDEX_OPTION', `${where}: options must be an object, got ${String(options)}.`, { options });
  }
  const own = INDEX_OPTIONS.filter((o) => o.method === method);
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const info = own.find((o) => o.key === key);
    if (info === undefined) {
      const other = INDEX_OPTIONS.find((o) => o.key === key || o.sqlName === key);
      const allowed = own.map((o) => o.key).join(', ');
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        other && other.method !== method
          ? `${where}: '${key}' is an ${INDEX_METHOD_LABELS[other.method]} option; ${INDEX_METHOD_LABELS[method]} takes ${allowed}.`
          : other
            ? `${where}: use '${other.key}' instead of '${key}'.`
            : `${where}: unknown option '${key}'; ${INDEX_METHOD_LABELS[method]} takes ${allowed}.`,
        { option: key, allowed: own.map((o) => o.key) },
      );
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < info.min || value > info.max) {
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        `${where}: ${key} must be an integer from ${info.min} to ${info.max} (${info.description}), got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`,
        { option: key, value, min: info.min, max: info.max },
      );
    }
    out[key] = value;
  }
  if (method === 'hnsw') {
    const m = out['m'] ?? own.find((o) => o.key === 'm')!.default;
    const ef = out['efConstruction'] ?? own.find((o) => o.key === 'efConstruction')!.default;
    const min = INDEX_RULES.efConstructionPerM * m;
    if (ef < min) {
      throw pgVectorError(
        'INVALID_INDEX_OPTION',
        `${where}: efConstruction (${ef}${out['efConstruction'] === undefined ? ', the default' : ''}) must be at least 2 * m = ${min} (pgvector: "${INDEX_RULES.efConstructionMessage}"). Set efConstruction to ${min} or more, or lower m.`,
        { option: 'efConstruction', value: ef, min, m },
      );
    }
  }
  return out as VectorIndexOptions<M>;
}

/** Index predicates are emitted verbatim into DDL: bound parameters would appear as `$1` there. */
function checkNoParams(method: IndexMethod, name: string, condition: SQL): void {
  const visit = (chunk: unknown): boolean => {
    if (is(chunk, Param)) return true;
    if (is(chunk, SQL)) return chunk.queryChunks.some(visit);
    if (chunk !== null && typeof chunk === 'object' && 'getSQL' in chunk && !('name' in chunk && 'table' in chunk)) return false;
    return typeof chunk === 'string' || typeof chunk === 'number' || typeof chunk === 'boolean' || typeof chunk === 'bigint';
  };
  if (condition.queryChunks.some(visit)) {
    throw pgVectorError(
      'INVALID_INDEX_DEFINITION',
      `${BUILDER_FN[method]}('${name}').where(…): the condition contains a bound parameter, which DDL cannot carry (drizzle-kit would write $1). Write the literal into the SQL: sql\`\${t.lang} = 'en'\` or sql.raw(...) for trusted constants.`,
      {},
    );
  }
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
    if (!is(condition, SQL)) {
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

  /** What this builder declares (same shape as {@link getVectorIndexes} returns). */
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

const TABLE_CACHE = new WeakMap<PgTable, readonly VectorIndexInfo[]>();

/**
 * The vector indexes of a table: those declared with {@link hnswIndex}/{@link ivfflatIndex}, and plain
 * Drizzle `index().using('hnsw' | 'ivfflat', t.col.op('vector_cosine_ops'))` indexes on a column.
 *
 * @example
 * ```ts
 * getVectorIndexes(items).map((i) => `${i.name}: ${i.method} ${i.metric} on ${i.target.label}`);
 * // ['items_embedding_hnsw: hnsw cosine on "items"."embedding"']
 * ```
 */
export function getVectorIndexes(table: PgTable): readonly VectorIndexInfo[] {
  const cached = TABLE_CACHE.get(table);
  if (cached) return cached;
  const config = getTableConfig(table);
  const out: VectorIndexInfo[] = [];
  for (const index of config.indexes) {
    const declared = META.get(index);
    if (declared) {
      out.push(declared);
      continue;
    }
    const ic = index.config as { name?: string; method?: string; columns: unknown[]; where?: SQL; with?: Record<string, unknown>; concurrently?: boolean };
    if ((ic.method !== 'hnsw' && ic.method !== 'ivfflat') || ic.columns.length !== 1) continue;
    const col = ic.columns[0];
    if (!is(col, IndexedColumn) || !col.indexConfig.opClass) continue;
    const row = operatorClassByName(col.indexConfig.opClass);
    const column = Object.values(config.columns).find((c) => c.name === col.name);
    if (!row || !column) continue;
    let target: VectorTarget;
    try {
      target = toTarget(column);
    } catch {
      continue;
    }
    const options: Record<string, number> = {};
    for (const o of INDEX_OPTIONS) {
      const v = ic.with?.[o.sqlName] ?? ic.with?.[o.key];
      if (o.method === ic.method && v !== undefined) options[o.key] = Number(v);
    }
    out.push(
      Object.freeze({
        name: ic.name ?? `${config.name}_${col.name}_index`,
        method: ic.method,
        metric: row.metric,
        target,
        operatorClass: row,
        options: Object.freeze(options),
        where: ic.where,
        predicate: ic.where,
        concurrently: ic.concurrently ?? false,
        declared: false,
      }),
    );
  }
  const frozen = Object.freeze(out);
  TABLE_CACHE.set(table, frozen);
  return frozen;
}
