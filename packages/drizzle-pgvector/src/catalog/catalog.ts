/**
 * The one table of pgvector facts. Every validation and every SQL fragment in drizzle-pgvector reads from here:
 * vector types and their limits, metrics and their operators, which (type × metric × method) has an operator
 * class, index options and session settings with their ranges.
 *
 * Source: pgvector 0.8.x (src/vector.h, src/halfvec.h, src/sparsevec.h, src/hnsw.h, src/ivfflat.h,
 * sql/vector.sql). See `shared/reference/pgvector.md` in the project for the citations.
 */

/** The four pgvector value types. `bit` is PostgreSQL's own bit string type, indexed by pgvector. */
export type VectorType = 'vector' | 'halfvec' | 'sparsevec' | 'bit';
/** Distance metrics. */
export type Metric = 'l2' | 'innerProduct' | 'cosine' | 'l1' | 'hamming' | 'jaccard';
/** pgvector's approximate index access methods. */
export type IndexMethod = 'hnsw' | 'ivfflat';

export const VECTOR_TYPES_LIST = ['vector', 'halfvec', 'sparsevec', 'bit'] as const satisfies readonly VectorType[];
export const METRICS_LIST = ['l2', 'innerProduct', 'cosine', 'l1', 'hamming', 'jaccard'] as const satisfies readonly Metric[];
export const INDEX_METHODS_LIST = ['hnsw', 'ivfflat'] as const satisfies readonly IndexMethod[];

export interface VectorTypeInfo {
  readonly type: VectorType;
  /** Largest dimension count the type can store (typmod limit). */
  readonly maxDimensions: number;
  /** Largest dimension count each index method accepts; `undefined`: the method cannot index this type. */
  readonly indexMaxDimensions: Readonly<Record<IndexMethod, number | undefined>>;
  /** Largest absolute finite element value (float4 for vector/sparsevec, binary16 for halfvec). */
  readonly maxAbsValue: number | undefined;
  /** Most non-zero elements a value may store (sparsevec only). */
  readonly maxNonZero: number | undefined;
  /** Most non-zero elements a value may have to be inserted into an HNSW index (sparsevec only). */
  readonly indexMaxNonZero: number | undefined;
  /** First pgvector version with this type (bit: first version that can index it). */
  readonly sinceVersion: string;
  /** Name of pgvector's dimension function for this type, when one exists (used for partial predicates). */
  readonly dimsFunction: string | undefined;
}

/** Largest finite float4 (what `vector` and `sparsevec` store). */
export const FLOAT4_MAX = 3.4028234663852886e38;
/** Largest finite IEEE binary16 value (what `halfvec` stores), pgvector's HALF_MAX. */
export const HALF_MAX = 65504;

export const VECTOR_TYPES: Readonly<Record<VectorType, VectorTypeInfo>> = {
  vector: {
    type: 'vector',
    maxDimensions: 16000,
    indexMaxDimensions: { hnsw: 2000, ivfflat: 2000 },
    maxAbsValue: FLOAT4_MAX,
    maxNonZero: undefined,
    indexMaxNonZero: undefined,
    sinceVersion: '0.1.0',
    dimsFunction: 'vector_dims',
  },
  halfvec: {
    type: 'halfvec',
    maxDimensions: 16000,
    indexMaxDimensions: { hnsw: 4000, ivfflat: 4000 },
    maxAbsValue: HALF_MAX,
    maxNonZero: undefined,
    indexMaxNonZero: undefined,
    sinceVersion: '0.7.0',
    dimsFunction: 'vector_dims',
  },
  sparsevec: {
    type: 'sparsevec',
    maxDimensions: 1_000_000_000,
    indexMaxDimensions: { hnsw: 1_000_000_000, ivfflat: undefined },
    maxAbsValue: FLOAT4_MAX,
    maxNonZero: 16000,
    indexMaxNonZero: 1000,
    sinceVersion: '0.7.0',
    dimsFunction: undefined,
  },
  bit: {
    type: 'bit',
    // PostgreSQL's own limit for bit(n): 83886080 ("length for type bit cannot exceed 83886080").
    maxDimensions: 83_886_080,
    indexMaxDimensions: { hnsw: 64000, ivfflat: 64000 },
    maxAbsValue: undefined,
    maxNonZero: undefined,
    indexMaxNonZero: undefined,
    sinceVersion: '0.7.0',
    dimsFunction: 'length',
  },
};

export interface MetricInfo {
  readonly metric: Metric;
  /** The distance operator. Index scans happen only for `ORDER BY <target> <operator> <query> LIMIT n` ascending. */
  readonly operator: '<->' | '<#>' | '<=>' | '<+>' | '<~>' | '<%>';
  /** Opclass suffix: `${type}_${opclassSuffix}`. */
  readonly opclassSuffix: 'l2_ops' | 'ip_ops' | 'cosine_ops' | 'l1_ops' | 'hamming_ops' | 'jaccard_ops';
  /** Human name used in messages and docs. */
  readonly label: string;
}

export const METRICS: Readonly<Record<Metric, MetricInfo>> = {
  l2: { metric: 'l2', operator: '<->', opclassSuffix: 'l2_ops', label: 'Euclidean (L2) distance' },
  innerProduct: { metric: 'innerProduct', operator: '<#>', opclassSuffix: 'ip_ops', label: 'negative inner product' },
  cosine: { metric: 'cosine', operator: '<=>', opclassSuffix: 'cosine_ops', label: 'cosine distance' },
  l1: { metric: 'l1', operator: '<+>', opclassSuffix: 'l1_ops', label: 'taxicab (L1) distance' },
  hamming: { metric: 'hamming', operator: '<~>', opclassSuffix: 'hamming_ops', label: 'Hamming distance' },
  jaccard: { metric: 'jaccard', operator: '<%>', opclassSuffix: 'jaccard_ops', label: 'Jaccard distance' },
};

/** One row of the (type × metric) table: the operator, its operator class and the methods that index it. */
export interface OperatorClassInfo {
  readonly type: VectorType;
  readonly metric: Metric;
  readonly operator: MetricInfo['operator'];
  /** e.g. `vector_cosine_ops` */
  readonly opclass: string;
  /** Index methods that have this operator class. Empty: the operator exists but nothing indexes it. */
  readonly methods: readonly IndexMethod[];
  /** First pgvector version where this operator/opclass exists. */
  readonly sinceVersion: string;
}

function row(type: VectorType, metric: Metric, methods: readonly IndexMethod[], sinceVersion: string): OperatorClassInfo {
  const m = METRICS[metric];
  return Object.freeze({ type, metric, operator: m.operator, opclass: `${type}_${m.opclassSuffix}`, methods, sinceVersion });
}

const BOTH: readonly IndexMethod[] = Object.freeze(['hnsw', 'ivfflat']);
const HNSW_ONLY: readonly IndexMethod[] = Object.freeze(['hnsw']);

/**
 * Every (type × metric) pair pgvector supports. A pair that is absent has no operator at all
 * (e.g. `vector` × `hamming`). 21 operator classes in total (sql/vector.sql).
 */
export const OPERATOR_CLASSES: readonly OperatorClassInfo[] = Object.freeze([
  row('vector', 'l2', BOTH, '0.1.0'),
  row('vector', 'innerProduct', BOTH, '0.1.0'),
  row('vector', 'cosine', BOTH, '0.1.0'),
  row('vector', 'l1', HNSW_ONLY, '0.7.0'),
  row('halfvec', 'l2', BOTH, '0.7.0'),
  row('halfvec', 'innerProduct', BOTH, '0.7.0'),
  row('halfvec', 'cosine', BOTH, '0.7.0'),
  row('halfvec', 'l1', HNSW_ONLY, '0.7.0'),
  row('sparsevec', 'l2', HNSW_ONLY, '0.7.0'),
  row('sparsevec', 'innerProduct', HNSW_ONLY, '0.7.0'),
  row('sparsevec', 'cosine', HNSW_ONLY, '0.7.0'),
  row('sparsevec', 'l1', HNSW_ONLY, '0.7.0'),
  row('bit', 'hamming', BOTH, '0.7.0'),
  row('bit', 'jaccard', HNSW_ONLY, '0.7.0'),
]);

/** The (type × metric) row, or `undefined` when pgvector has no such operator. */
export function operatorClassFor(type: VectorType, metric: Metric): OperatorClassInfo | undefined {
  return OPERATOR_CLASSES.find((r) => r.type === type && r.metric === metric);
}

/** Metrics pgvector has an operator for on `type` (and, when `method` is given, an operator class for it). */
export function metricsFor(type: VectorType, method?: IndexMethod): Metric[] {
  return OPERATOR_CLASSES.filter((r) => r.type === type && (method === undefined || r.methods.includes(method))).map(
    (r) => r.metric,
  );
}

/** Find the row for an opclass name (e.g. read back from a plain drizzle index). */
export function operatorClassByName(opclass: string): OperatorClassInfo | undefined {
  return OPERATOR_CLASSES.find((r) => r.opclass === opclass);
}

/** An integer option or setting: its SQL name, range and default. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

export interface IndexOptionInfo extends IntegerRange {
  /** Option key in drizzle-pgvector's `.with({...})`. */
  readonly key: string;
  /** Reloption name in SQL. */
  readonly sqlName: string;
  readonly method: IndexMethod;
  readonly default: number;
  readonly description: string;
}

/** Index storage parameters (src/hnsw.c HnswInit, src/ivfflat.c IvfflatInit). */
export const INDEX_OPTIONS: readonly IndexOptionInfo[] = Object.freeze([
  { key: 'm', sqlName: 'm', method: 'hnsw', min: 2, max: 100, default: 16, description: 'links per node' },
  {
    key: 'efConstruction',
    sqlName: 'ef_construction',
    method: 'hnsw',
    min: 4,
    max: 1000,
    default: 64,
    description: 'candidate list size while building; must be at least 2 * m',
  },
  { key: 'lists', sqlName: 'lists', method: 'ivfflat', min: 1, max: 32768, default: 100, description: 'number of k-means clusters' },
] as const);

/** How messages name each index method. */
export const INDEX_METHOD_LABELS: Readonly<Record<IndexMethod, string>> = Object.freeze({ hnsw: 'HNSW', ivfflat: 'IVFFlat' });

/**
 * Rules across fields that pgvector checks when an index is built (not when its options are parsed), with the
 * server's own wording.
 */
export const INDEX_RULES = Object.freeze({
  /** src/hnswbuild.c InitBuildState: `if (efConstruction / 2 < m)` → error; i.e. ef_construction ≥ 2·m. */
  efConstructionPerM: 2,
  efConstructionMessage: 'ef_construction must be greater than or equal to 2 * m',
  /**
   * IVFFlat with inner product or cosine runs spherical k-means (support function 4), which needs vectors of at
   * least 2 dimensions.
   */
  ivfflatSphericalMetrics: Object.freeze(['innerProduct', 'cosine'] as const satisfies readonly Metric[]),
  ivfflatSphericalMinDimensions: 2,
  ivfflatSphericalMessage: 'dimensions must be greater than one for this opclass',
});

export type SettingKind = 'integer' | 'real' | 'enum';

export interface SettingInfo<K extends string = SettingKey> {
  /** Key in drizzle-pgvector's settings objects. */
  readonly key: K;
  /** The GUC name. */
  readonly guc: string;
  readonly kind: SettingKind;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  readonly default: number | string;
  readonly method: IndexMethod;
  /** First pgvector version with this setting. */
  readonly sinceVersion: string;
}

const SETTING_ROWS = [
  { key: 'efSearch', guc: 'hnsw.ef_search', kind: 'integer', min: 1, max: 1000, default: 40, method: 'hnsw', sinceVersion: '0.5.0' },
  {
    key: 'iterativeScan',
    guc: 'hnsw.iterative_scan',
    kind: 'enum',
    values: ['off', 'strict_order', 'relaxed_order'],
    default: 'off',
    method: 'hnsw',
    sinceVersion: '0.8.0',
  },
  {
    key: 'maxScanTuples',
    guc: 'hnsw.max_scan_tuples',
    kind: 'integer',
    min: 1,
    max: 2147483647,
    default: 20000,
    method: 'hnsw',
    sinceVersion: '0.8.0',
  },
  {
    key: 'scanMemMultiplier',
    guc: 'hnsw.scan_mem_multiplier',
    kind: 'real',
    min: 1,
    max: 1000,
    default: 1,
    method: 'hnsw',
    sinceVersion: '0.8.0',
  },
  { key: 'probes', guc: 'ivfflat.probes', kind: 'integer', min: 1, max: 32768, default: 1, method: 'ivfflat', sinceVersion: '0.1.0' },
  {
    key: 'maxProbes',
    guc: 'ivfflat.max_probes',
    kind: 'integer',
    min: 1,
    max: 32768,
    default: 32768,
    method: 'ivfflat',
    sinceVersion: '0.8.0',
  },
  {
    key: 'ivfflatIterativeScan',
    guc: 'ivfflat.iterative_scan',
    kind: 'enum',
    values: ['off', 'relaxed_order'],
    default: 'off',
    method: 'ivfflat',
    sinceVersion: '0.8.0',
  },
] as const satisfies readonly SettingInfo<string>[];

/** A key of pgvector's settings in drizzle-pgvector's settings objects (`efSearch`, `probes` …). */
export type SettingKey = (typeof SETTING_ROWS)[number]['key'];

/** The values a setting takes: the enum's values, or a number. */
export type SettingValue<K extends SettingKey> = Extract<(typeof SETTING_ROWS)[number], { key: K }> extends { values: readonly (infer V)[] } ? V : number;

/** pgvector's session settings (all PGC_USERSET; there are no others). */
export const SETTINGS: readonly SettingInfo[] = Object.freeze(SETTING_ROWS);

/** A pgvector feature with the version that introduced it and how messages name it. */
export interface FeatureInfo {
  readonly since: string;
  readonly label: string;
}

/** pgvector features by the version that introduced them (CHANGELOG.md), with the name messages use. */
export const FEATURES = Object.freeze({
  hnsw: { since: '0.5.0', label: 'HNSW indexes' },
  halfvec: { since: '0.7.0', label: 'halfvec' },
  sparsevec: { since: '0.7.0', label: 'sparsevec' },
  bitIndexing: { since: '0.7.0', label: 'bit indexing' },
  l1Index: { since: '0.7.0', label: 'L1 distance indexes' },
  iterativeScan: { since: '0.8.0', label: 'iterative index scans' },
} as const satisfies Record<string, FeatureInfo>);

/** Versions at which features appeared, for `ensureVectorExtension({ minVersion })` advice. */
export const FEATURE_VERSIONS: { readonly [K in keyof typeof FEATURES]: (typeof FEATURES)[K]['since'] } = Object.freeze(
  Object.fromEntries(Object.entries(FEATURES).map(([k, v]) => [k, v.since])) as { [K in keyof typeof FEATURES]: (typeof FEATURES)[K]['since'] },
);

/**
 * From this pgvector version on, the `hnsw.` and `ivfflat.` setting prefixes are reserved ("Added validation for GUC
 * parameters", 0.6.0): an unknown or too-new setting is rejected. Before it, PostgreSQL accepts any `hnsw.*` /
 * `ivfflat.*` name as a placeholder and the setting is silently ignored.
 */
export const SETTING_VALIDATION_SINCE = '0.6.0';

/** The oldest pgvector version with any query-time setting (`hnsw.ef_search` arrived with HNSW). */
export const SETTINGS_BASELINE_VERSION = FEATURES.hnsw.since;
