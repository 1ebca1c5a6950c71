import { Column, getTableColumns, is, SQL, sql, type GetColumnData } from 'drizzle-orm';
import type { PgColumn, PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { FEATURE_VERSIONS, METRICS_LIST, SETTINGS, metricsFor, type IndexMethod, type Metric } from '../catalog/index.js';
import { describe, type DenseVectorInput, type SparseVectorInput } from '../codec/index.js';
import { pgVectorError } from '../errors/index.js';
import { getVectorIndexes, type VectorIndexInfo } from '../indexes/index.js';
import { operatorClassForTarget, type VectorTarget } from '../targets/index.js';
import {
  compileFragment,
  compileStatic,
  dialectOf,
  isTransaction,
  runPlainRows,
  runPlainRowsInTransaction,
  runRows,
  sessionOf,
  vectorExtensionVersion,
  versionAtLeast,
  type AnyPgDatabase,
} from '../settings/session.js';
import {
  checkSettingsVersion,
  needsVersionCheck,
  runWithSettings,
  setLocalStatement,
  validateVectorSettings,
  type VectorSettingKey,
  type VectorSettingValue,
  type VectorSettings,
} from '../settings/vector-settings.js';
import { resolveTarget, type VectorTargetInput } from './distance.js';

/**
 * Largest `k` {@link nearest} accepts. HNSW returns at most `hnsw.ef_search` rows (≤ 1000) per scan unless an
 * iterative scan is on, so on HNSW a `k` above 1000 uses `iterativeScan: 'strict_order'` (pgvector ≥ 0.8), which
 * stops after `hnsw.max_scan_tuples` (default 20000) visited tuples; 10000 keeps `k` well inside that budget.
 */
export const NEAREST_MAX_K = 10_000;

/** Columns of the searched table and `sql` expressions (optionally `.as('name')`), by result key. */
export type NearestSelection = Record<string, PgColumn | SQL | SQL.Aliased>;

type FieldValue<T> = T extends Column
  ? GetColumnData<T>
  : T extends SQL.Aliased<infer U>
    ? U
    : T extends SQL<infer U>
      ? U
      : unknown;

/** A row returned by {@link nearest}: the selected fields plus `distance`. */
export type NearestRow<TSelect extends NearestSelection | undefined> = TSelect extends NearestSelection
  ? { [K in keyof TSelect]: FieldValue<TSelect[K]> } & { distance: number }
  : Record<string, unknown> & { distance: number };

/** The query value for {@link nearest}: a dense vector, a sparse vector, or a bit string, checked against the target. */
export type NearestQuery = DenseVectorInput | SparseVectorInput | string;

/** Options of {@link nearest} and {@link nearestSql}. */
export interface NearestOptions<TSelect extends NearestSelection | undefined = undefined> {
  /** How many neighbours, an integer from 1 to {@link NEAREST_MAX_K}. */
  k: number;
  /**
   * Distance metric. Optional when the target's vector indexes (declared on the table) all use one metric;
   * otherwise `METRIC_REQUIRED`. When given, the index with this metric (if any) decides the settings.
   */
  metric?: Metric;
  /** Result fields: columns of the searched table or `sql` expressions. Default: every column of the table. */
  select?: TSelect;
  /**
   * Filter. The search stays an index scan; on HNSW/IVFFlat filtered searches get an iterative scan so they still
   * return `k` rows (see {@link nearest}). For a partial index (`.where(...)` on the index) this condition must
   * imply the index's condition, or PostgreSQL cannot use that index.
   */
  where?: SQL | undefined;
  /** Keep only neighbours with `distance <= maxDistance` (applied after the index scan, never inside it). */
  maxDistance?: number;
  /**
   * Keep only neighbours with similarity ≥ this: cosine (`1 - distance`) or inner product (`-distance`). Only for
   * `'cosine'` and `'innerProduct'`; not together with `maxDistance`.
   */
  minSimilarity?: number;
  /** pgvector settings for this search, applied with `SET LOCAL` in a transaction (see {@link withVectorSettings}). */
  settings?: VectorSettings;
}

/** What {@link nearestSql} returns: exactly what {@link nearest} runs. */
export interface NearestPlan {
  /** The SELECT, with `$1` = the query vector, `$2` = the distance bound (when a threshold is given), then the filter's parameters. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** `SET LOCAL …` statements run first in the same transaction (empty: no transaction is opened). */
  readonly statements: readonly string[];
  /** The settings those statements apply, GUC → value. */
  readonly settings: Readonly<Record<string, string>>;
  /** The metric searched (given or inferred from the index). */
  readonly metric: Metric;
  /** The distance operator, e.g. `<=>`. */
  readonly operator: string;
  /** The declared vector indexes the query is shaped for (same target and metric). Empty: exact search. */
  readonly indexes: readonly { readonly name: string; readonly method: IndexMethod }[];
  /** True when results are re-sorted outside the scan (relaxed-order iterative scans). */
  readonly resorted: boolean;
  /** Why settings were added automatically (filtered searches, large k). */
  readonly notes: readonly string[];
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['k', 'metric', 'select', 'where', 'maxDistance', 'minSimilarity', 'settings']);
const SHAPES = new WeakMap<PgDialect, Map<string, Shape>>();
const MAX_SHAPES_PER_DB = 500;
const IDS = new WeakMap<object, number>();
let nextId = 1;

function idOf(value: object): number {
  let id = IDS.get(value);
  if (id === undefined) {
    id = nextId++;
    IDS.set(value, id);
  }
  return id;
}

type Decoder = ((value: unknown) => unknown) | undefined;

interface Field {
  readonly key: string;
  /** A column (static), or an expression compiled per call. */
  readonly column: PgColumn | undefined;
  readonly expression: SQL | undefined;
  readonly decoder: Decoder;
}

interface Selection {
  readonly fields: readonly Field[];
  /** Cache-key part for the static part of the selection. */
  readonly key: string;
  /** Has sql expressions, compiled per call. */
  readonly dynamic: boolean;
  /** Every field is a column of a type drivers return without Drizzle's type-parser overrides. */
  readonly plain: boolean;
}

/** A compiled query shape: the plan minus the per-call parameters, plus what running it needs. */
interface Shape extends Omit<NearestPlan, 'sql' | 'params'> {
  readonly text: string;
  readonly values: readonly VectorSettingValue[];
  readonly plain: boolean;
  readonly mapRows: (rows: unknown[][]) => Record<string, unknown>[];
}

/** Target × metric, resolved once: the metric, operator and the declared indexes the query is shaped for. */
interface TargetContext {
  readonly id: string;
  readonly table: PgTable;
  readonly metric: Metric;
  readonly operator: string;
  readonly indexes: readonly VectorIndexInfo[];
}

const CONTEXTS = new WeakMap<object, Map<string, TargetContext>>();
const DEFAULT_SELECTIONS = new WeakMap<object, Selection>();
const STATIC_SELECTIONS = new WeakMap<object, Map<string, Selection>>();

/**
 * SQL types whose values every driver returns the same way with or without Drizzle's per-driver type-parser
 * overrides (those only touch timestamp, date, interval and array types).
 */
const PLAIN_SQL_TYPE = /^(integer|smallint|bigint|serial|smallserial|bigserial|text|varchar|char|character|boolean|uuid|real|double precision|numeric|decimal|json|jsonb|vector|halfvec|sparsevec|bit)(\(.*\))?$/;

function invalid(fn: string, message: string, details: Record<string, unknown> = {}): never {
  throw pgVectorError('INVALID_QUERY_OPTION', `${fn}: ${message}`, details);
}

function columnDecoder(column: PgColumn): Decoder {
  return (value) => column.mapFromDriverValue(value);
}

function sqlDecoder(expression: SQL): Decoder {
  const decoder = (expression as unknown as { decoder?: { mapFromDriverValue(value: unknown): unknown } }).decoder;
  return decoder ? (value) => decoder.mapFromDriverValue(value) : undefined;
}

function columnField(key: string, column: PgColumn): Field {
  return { key, column, expression: undefined, decoder: columnDecoder(column) };
}

function isPlain(fields: readonly Field[]): boolean {
  return fields.every((f) => f.column !== undefined && PLAIN_SQL_TYPE.test(f.column.getSQLType()));
}

function defaultSelection(fn: string, table: PgTable): Selection {
  let selection = DEFAULT_SELECTIONS.get(table);
  if (selection) return selection;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  if ('distance' in columns) {
    invalid(fn, `the table has a column keyed 'distance', which would clash with the result's distance. Pass select: { … } without it.`, {
      key: 'distance',
    });
  }
  const fields = Object.entries(columns).map(([key, column]) => columnField(key, column));
  selection = { fields, key: `*${idOf(table)}`, dynamic: false, plain: isPlain(fields) };
  DEFAULT_SELECTIONS.set(table, selection);
  return selection;
}

/** Validate a `select` object and describe it (slow path: first use of a column selection, or any sql field). */
function buildSelection(fn: string, table: PgTable, select: Record<string, unknown>): Selection {
  const fields: Field[] = [];
  let key = '';
  let dynamic = false;
  for (const [name, value] of Object.entries(select)) {
    if (name === 'distance') {
      invalid(fn, `select.distance is reserved: every row already has distance. Rename the field.`, { key: name });
    }
    if (is(value, Column)) {
      if (value.table !== table) {
        invalid(fn, `select.${name} is a column of another table; nearest reads one table. Join afterwards, or select an sql\`(subquery)\`.`, {
          key: name,
        });
      }
      fields.push(columnField(name, value as PgColumn));
      key += `${name}\u0001${idOf(value)}\u0002`;
    } else if (is(value, SQL) || is(value, SQL.Aliased)) {
      const expression = is(value, SQL) ? value : value.sql;
      fields.push({ key: name, column: undefined, expression, decoder: sqlDecoder(expression) });
      key += `${name}\u0001s\u0002`;
      dynamic = true;
    } else {
      invalid(fn, `select.${name} must be a column or an sql\`…\` expression, got ${describe(value)}. Nested objects are not supported.`, {
        key: name,
        received: describe(value),
      });
    }
  }
  return { fields, key, dynamic, plain: isPlain(fields) };
}

function selectionFor(fn: string, table: PgTable, select: unknown): Selection {
  if (select === undefined) return defaultSelection(fn, table);
  if (
    select === null ||
    typeof select !== 'object' ||
    // An object literal is neither SQL nor a Column: skip the two prototype walks of `is()` on the hot path.
    (Object.getPrototypeOf(select) !== Object.prototype && (Array.isArray(select) || is(select, SQL) || is(select, Column)))
  ) {
    invalid(fn, `select must be an object of columns and sql expressions like { id: items.id }, got ${describe(select)}.`, {
      received: describe(select),
    });
  }
  // Fast path: a selection of columns only is identified by its keys and column identities.
  const fields = select as Record<string, unknown>;
  let key = '';
  for (const name in fields) {
    const value = fields[name];
    if (!is(value, Column)) return buildSelection(fn, table, fields);
    key += `${name}\u0001${idOf(value)}\u0002`;
  }
  let byKey = STATIC_SELECTIONS.get(table);
  if (byKey === undefined) {
    byKey = new Map();
    STATIC_SELECTIONS.set(table, byKey);
  }
  let selection = byKey.get(key);
  if (selection === undefined) {
    selection = buildSelection(fn, table, fields);
    byKey.set(key, selection);
  }
  return selection;
}

interface Validated {
  k: number;
  metric: Metric | undefined;
  select: unknown;
  where: SQL | undefined;
  maxDistance: number | undefined;
  minSimilarity: number | undefined;
  settings: readonly VectorSettingValue[];
  settingsKey: string;
}

function checkFinite(fn: string, name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
    invalid(fn, `${name} must be a finite number, got ${describe(value)}.`, { option: name, value });
  }
}

function validateOptions(fn: string, options: unknown): Validated {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    invalid(fn, `options must be an object like { k: 10 }, got ${describe(options)}.`, { received: describe(options) });
  }
  const o = options as Record<string, unknown>;
  for (const key in o) {
    if (!OPTION_KEYS.has(key) && o[key] !== undefined) {
      const hint = key === 'limit' ? " Use 'k'." : key === 'filter' ? " Use 'where'." : '';
      invalid(fn, `unknown option '${key}'.${hint} Options: ${[...OPTION_KEYS].join(', ')}.`, { option: key, allowed: [...OPTION_KEYS] });
    }
  }
  const k = o['k'];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > NEAREST_MAX_K) {
    invalid(fn, `k must be an integer from 1 to ${NEAREST_MAX_K}, got ${describe(k)}. Pass the number of neighbours, e.g. k: 10.`, {
      option: 'k',
      value: k,
      min: 1,
      max: NEAREST_MAX_K,
    });
  }
  const metric = o['metric'];
  if (metric !== undefined && (typeof metric !== 'string' || !(METRICS_LIST as readonly string[]).includes(metric))) {
    throw pgVectorError(
      'UNSUPPORTED_METRIC',
      `${fn}: unknown metric ${describe(metric)}. Use one of ${METRICS_LIST.map((m) => `'${m}'`).join(', ')}.`,
      { metric, allowed: METRICS_LIST },
    );
  }
  const where = o['where'];
  if (where !== undefined && !is(where, SQL)) {
    invalid(fn, `where must be an SQL condition such as eq(items.lang, 'en'), got ${describe(where)}.`, { received: describe(where) });
  }
  const maxDistance = o['maxDistance'];
  const minSimilarity = o['minSimilarity'];
  checkFinite(fn, 'maxDistance', maxDistance);
  checkFinite(fn, 'minSimilarity', minSimilarity);
  if (maxDistance !== undefined && minSimilarity !== undefined) {
    invalid(fn, `pass either maxDistance or minSimilarity, not both (they are the same bound on distance).`, { maxDistance, minSimilarity });
  }
  const settings = o['settings'];
  const values = settings === undefined ? NO_SETTINGS : validateVectorSettings(settings as VectorSettings, `${fn}(…).settings`).values;
  return {
    k,
    metric: metric as Metric | undefined,
    select: o['select'],
    where: where as SQL | undefined,
    maxDistance: maxDistance as number | undefined,
    minSimilarity: minSimilarity as number | undefined,
    settings: values,
    settingsKey: values.length === 0 ? '' : values.map((v) => `${v.key}=${v.value}`).join(','),
  };
}

const NO_SETTINGS: readonly VectorSettingValue[] = Object.freeze([]);

/** Resolve the metric (given or inferred from the target's indexes) and the indexes the query is shaped for; cached. */
function contextFor(fn: string, target: VectorTarget, metric: Metric | undefined): TargetContext {
  let byKey = CONTEXTS.get(target.column);
  if (byKey === undefined) {
    byKey = new Map();
    CONTEXTS.set(target.column, byKey);
  }
  const key = `${target.key}|${metric ?? ''}`;
  let context = byKey.get(key);
  if (context === undefined) {
    const table = target.column.table as PgTable;
    const resolved = resolveMetric(fn, target, table, metric);
    const row = operatorClassForTarget(target, resolved.metric, `${fn}(${target.label})`);
    context = {
      id: `${idOf(target.column)}|${target.key}|${resolved.metric}`,
      table,
      metric: resolved.metric,
      operator: row.operator,
      indexes: resolved.indexes,
    };
    byKey.set(key, context);
  }
  return context;
}

/** Resolve the metric (given or inferred from the target's indexes) and the indexes the query is shaped for. */
function resolveMetric(fn: string, target: VectorTarget, table: PgTable, metric: Metric | undefined): { metric: Metric; indexes: VectorIndexInfo[] } {
  const matching = getVectorIndexes(table).filter((i) => i.target.matches(target));
  if (metric !== undefined) {
    operatorClassForTarget(target, metric, `${fn}(${target.label})`);
    return { metric, indexes: matching.filter((i) => i.metric === metric) };
  }
  const metrics = [...new Set(matching.map((i) => i.metric))];
  if (metrics.length === 1) return { metric: metrics[0]!, indexes: matching };
  const allowed = metricsFor(target.type);
  if (metrics.length === 0) {
    throw pgVectorError(
      'METRIC_REQUIRED',
      `${fn}(${target.label}): no vector index declared on the table covers this target, so the metric cannot be inferred. Pass { metric } — one of ${allowed
        .map((m) => `'${m}'`)
        .join(', ')} for ${target.type} — or declare an index on ${target.label}.`,
      { target: target.label, candidates: allowed, indexes: [] },
    );
  }
  throw pgVectorError(
    'METRIC_REQUIRED',
    `${fn}(${target.label}): the target has indexes with different metrics (${matching
      .map((i) => `${i.name}: ${i.method} '${i.metric}'`)
      .join(', ')}). Pass { metric: ${metrics.map((m) => `'${m}'`).join(' | ')} } to pick one.`,
    { target: target.label, candidates: metrics, indexes: matching.map((i) => ({ name: i.name, method: i.method, metric: i.metric })) },
  );
}

function settingInfo(key: VectorSettingKey) {
  return SETTINGS.find((s) => s.key === key)!;
}

function autoValue(key: VectorSettingKey, value: number | string): VectorSettingValue {
  return validateVectorSettings({ [key]: value } as VectorSettings, 'nearest').values[0]!;
}

interface SettingsPlan {
  values: VectorSettingValue[];
  resorted: boolean;
  notes: string[];
}

/**
 * Settings that keep an approximate search from silently returning fewer than k rows:
 * - HNSW + filter, no iterativeScan: `strict_order` on pgvector ≥ 0.8, else ef_search raised to ≥ k.
 * - HNSW, k > ef_search (40 unless given): ef_search = k when k ≤ 1000 and efSearch was not given, else
 *   `strict_order` (≥ 0.8), else INVALID_QUERY_OPTION.
 * - IVFFlat + filter, no ivfflatIterativeScan: `relaxed_order` (≥ 0.8) and a re-sort outside the scan.
 */
function planSettings(
  fn: string,
  methods: ReadonlySet<IndexMethod>,
  hasWhere: boolean,
  k: number,
  user: readonly VectorSettingValue[],
  version: string | undefined,
): SettingsPlan {
  const final = new Map<VectorSettingKey, VectorSettingValue>(user.map((v) => [v.key, v]));
  const notes: string[] = [];
  const iterative = version !== undefined && versionAtLeast(version, FEATURE_VERSIONS.iterativeScan);
  let resorted = false;
  if (methods.has('hnsw')) {
    const efInfo = settingInfo('efSearch');
    const efMax = efInfo.max!;
    const givenEf = final.get('efSearch');
    const ef = givenEf ? Number(givenEf.value) : (efInfo.default as number);
    const mode = final.get('iterativeScan')?.value;
    const raiseOrIterate = (why: string): void => {
      if (givenEf === undefined && k <= efMax) {
        final.set('efSearch', autoValue('efSearch', k));
        notes.push(`${why}: hnsw.ef_search = ${k} (an HNSW scan returns at most ef_search rows).`);
      } else if (iterative && mode === undefined) {
        final.set('iterativeScan', autoValue('iterativeScan', 'strict_order'));
        notes.push(`${why}: hnsw.iterative_scan = strict_order (an HNSW scan returns at most ef_search rows; bounded by hnsw.max_scan_tuples).`);
      } else {
        invalid(
          fn,
          `k = ${k} is more than HNSW can return with efSearch = ${ef}${mode === 'off' ? " and iterativeScan 'off'" : ''} (a scan returns at most ef_search rows, ef_search ≤ ${efMax}). ${
            iterative ? "Use iterativeScan: 'strict_order', or raise efSearch to at least k." : `Lower k to at most ${efMax}, or upgrade to pgvector ${FEATURE_VERSIONS.iterativeScan} for iterative scans.`
          }`,
          { k, efSearch: ef, iterativeScan: mode },
        );
      }
    };
    if (mode === undefined && hasWhere) {
      if (iterative) {
        final.set('iterativeScan', autoValue('iterativeScan', 'strict_order'));
        notes.push('filtered HNSW search: hnsw.iterative_scan = strict_order, so rows removed by the filter do not shrink the result below k.');
      } else {
        if (k > ef) raiseOrIterate('filtered HNSW search with k above ef_search');
        notes.push(
          `filtered HNSW search on pgvector ${version ?? '< 0.8'}: no iterative scans before 0.8, so a selective filter can return fewer than k rows; raise efSearch.`,
        );
      }
    } else if (mode === undefined || mode === 'off') {
      if (k > ef) raiseOrIterate(`k = ${k} above ef_search = ${ef}`);
    }
    if (final.get('iterativeScan')?.value === 'relaxed_order') resorted = true;
  }
  if (methods.has('ivfflat')) {
    const mode = final.get('ivfflatIterativeScan')?.value;
    if (mode === undefined && hasWhere) {
      if (iterative) {
        final.set('ivfflatIterativeScan', autoValue('ivfflatIterativeScan', 'relaxed_order'));
        notes.push('filtered IVFFlat search: ivfflat.iterative_scan = relaxed_order (re-sorted outside the scan), so the filter does not shrink the result below k.');
      } else {
        notes.push(`filtered IVFFlat search on pgvector ${version ?? '< 0.8'}: no iterative scans before 0.8, so a selective filter can return fewer than k rows; raise probes.`);
      }
    }
  }
  for (const v of final.values()) if (v.value === 'relaxed_order') resorted = true;
  const values = SETTINGS.map((s) => final.get(s.key as VectorSettingKey)).filter((v): v is VectorSettingValue => v !== undefined);
  return { values, resorted, notes };
}

function makeMapper(fields: readonly Field[]): (rows: unknown[][]) => Record<string, unknown>[] {
  const n = fields.length;
  const keys = fields.map((f) => f.key);
  const decoders = fields.map((f) => f.decoder);
  return (rows) => {
    const out: Record<string, unknown>[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const value = row[i + 1];
        const decode = decoders[i];
        obj[keys[i]!] = value === null || value === undefined ? null : decode === undefined ? value : decode(value);
      }
      const d = row[0];
      obj['distance'] = typeof d === 'number' || d === null ? d : Number(d);
      out[r] = obj;
    }
    return out;
  };
}

interface Prepared {
  shape: Shape;
  params: unknown[];
  /** Row mapper (per call when sql expressions bring their own decoders). */
  mapRows: (rows: unknown[][]) => Record<string, unknown>[];
}

/** Validate everything, compile the per-call fragments, find or build the cached shape. No SQL runs before all validation. */
async function prepare(fn: string, db: AnyPgDatabase, targetInput: unknown, query: unknown, options: unknown): Promise<Prepared> {
  const opts = validateOptions(fn, options);
  const target = resolveTarget(targetInput, `${fn}()`);
  const context = contextFor(fn, target, opts.metric);
  const metric = context.metric;
  let bound: number | undefined = opts.maxDistance;
  if (opts.minSimilarity !== undefined) {
    if (metric === 'cosine') bound = 1 - opts.minSimilarity;
    else if (metric === 'innerProduct') bound = -opts.minSimilarity;
    else {
      invalid(fn, `minSimilarity is defined for 'cosine' and 'innerProduct' only; this search uses '${metric}'. Use maxDistance instead.`, {
        option: 'minSimilarity',
        metric,
      });
    }
  }
  const selection = selectionFor(fn, context.table, opts.select);
  const queryText = target.encodeQuery(query);
  const dialect = dialectOf(db);

  // Per-call fragments: expressions in select, then the filter; their parameters follow $1 (query) and $2 (bound).
  const params: unknown[] = bound === undefined ? [queryText] : [queryText, bound];
  let dynamicKey = '';
  const expressions = selection.fields;
  const expressionTexts: string[] = [];
  if (selection.dynamic) {
    // A selection with sql fields is built per call (never cached), so these are this call's expressions.
    for (const field of expressions) {
      if (field.expression === undefined) continue;
      const compiled = compileFragment(dialect, field.expression, params.length);
      expressionTexts.push(compiled.sql);
      for (const p of compiled.params) params.push(p);
      dynamicKey += `${compiled.sql}\u0001`;
    }
  }
  let whereText: string | undefined;
  if (opts.where !== undefined) {
    const compiled = compileFragment(dialect, opts.where, params.length);
    whereText = compiled.sql;
    for (const p of compiled.params) params.push(p);
  }

  const key = `${context.id}|${opts.k}|${bound === undefined ? '' : 'b'}|${opts.settingsKey}|${selection.key}|${dynamicKey}|${whereText ?? '\u0000'}`;
  let shapes = SHAPES.get(dialect);
  if (shapes === undefined) {
    shapes = new Map();
    SHAPES.set(dialect, shapes);
  }
  let shape = shapes.get(key);
  if (shape === undefined) {
    const methods = new Set(context.indexes.map((i) => i.method));
    const needVersion = methods.size > 0 || needsVersionCheck(opts.settings);
    const version = needVersion ? await vectorExtensionVersion(db) : undefined;
    if (version !== undefined) checkSettingsVersion(opts.settings, version, fn);
    const plan = planSettings(fn, methods, whereText !== undefined, opts.k, opts.settings, version);
    shape = buildShape({
      dialect,
      target,
      table: context.table,
      operator: context.operator,
      metric,
      k: opts.k,
      fields: expressions,
      selection,
      expressionTexts,
      whereText,
      bounded: bound !== undefined,
      plan,
      indexes: context.indexes,
    });
    if (shapes.size >= MAX_SHAPES_PER_DB) shapes.delete(shapes.keys().next().value!);
    shapes.set(key, shape);
  }
  return { shape, params, mapRows: selection.dynamic ? makeMapper(expressions) : shape.mapRows };
}

function buildShape(input: {
  dialect: PgDialect;
  target: VectorTarget;
  table: PgTable;
  operator: string;
  metric: Metric;
  k: number;
  fields: readonly Field[];
  selection: Selection;
  expressionTexts: readonly string[];
  whereText: string | undefined;
  bounded: boolean;
  plan: SettingsPlan;
  indexes: readonly VectorIndexInfo[];
}): Shape {
  const { dialect, target, table, fields, plan } = input;
  const targetText = compileStatic(dialect, target.sql, 'a vector target');
  const queryText = compileStatic(dialect, target.queryExpression(sql.raw('$1')), 'a vector target');
  const distanceText = `${targetText} ${input.operator} ${queryText}`;
  const conditions: string[] = [];
  if (input.whereText !== undefined) conditions.push(`(${input.whereText})`);
  if (target.predicate !== undefined) conditions.push(compileStatic(dialect, target.predicate, 'a target predicate'));
  conditions.push(`${compileStatic(dialect, sql`${target.column}`, 'a column')} is not null`);
  const wrapped = input.bounded || plan.resorted;
  let e = 0;
  const fieldTexts = fields.map((field, i) => {
    const text = field.column !== undefined ? compileStatic(dialect, sql`${field.column}`, 'a column') : `(${input.expressionTexts[e++]!})`;
    return wrapped ? `${text} as "_${i}"` : text;
  });
  const inner =
    `select ${[`${distanceText} as "distance"`, ...fieldTexts].join(', ')} from ${compileStatic(dialect, sql`${table}`, 'a table')}` +
    ` where ${conditions.join(' and ')} order by ${distanceText} limit ${input.k}`;
  let text = inner;
  if (wrapped) {
    const outerFields = ['"nn"."distance"', ...fields.map((_, i) => `"nn"."_${i}"`)].join(', ');
    const filter = input.bounded ? ` where "nn"."distance" <= $2` : '';
    text = plan.resorted
      ? `with "nn" as materialized (${inner}) select ${outerFields} from "nn"${filter} order by "nn"."distance" + 0`
      : `select ${outerFields} from (${inner}) as "nn"${filter} order by "nn"."distance"`;
  }
  const settings: Record<string, string> = {};
  for (const v of plan.values) settings[v.guc] = v.value;
  return Object.freeze({
    text,
    values: Object.freeze(plan.values),
    statements: Object.freeze(plan.values.map(setLocalStatement)),
    settings: Object.freeze(settings),
    metric: input.metric,
    operator: input.operator,
    indexes: Object.freeze(input.indexes.map((i) => Object.freeze({ name: i.name, method: i.method }))),
    resorted: plan.resorted,
    notes: Object.freeze(plan.notes),
    plain: input.selection.plain,
    mapRows: makeMapper(fields),
  });
}

/**
 * The k nearest rows to `query`, as an index scan that HNSW/IVFFlat can serve, with tuned settings that never
 * leave the query's transaction.
 *
 * - **Always index-usable**: `ORDER BY <target> <op> $1 LIMIT k` ascending, with the operator expression itself
 *   (never an alias + 0, never DESC), the target's cast expression and its partial-index predicate exactly as the
 *   index was declared, so expression and partial indexes (`asHalfvec`, `binaryQuantize`, `subvector`, mixed
 *   dimensions) match. Distance thresholds are applied outside the ordered scan, never as `WHERE distance < x`.
 *   A partial index declared with `.where(...)` is only used when your `where` implies its condition.
 * - **Metric**: optional when the target's declared indexes use one metric; else `METRIC_REQUIRED`.
 * - **No silent under-return**: with a `where` and no explicit `iterativeScan`, HNSW gets
 *   `hnsw.iterative_scan = strict_order` (pgvector ≥ 0.8; before that `ef_search` is raised to ≥ k), IVFFlat gets
 *   `ivfflat.iterative_scan = relaxed_order` with a re-sort; `k` above `ef_search` raises `ef_search` to `k` (HNSW
 *   returns at most ef_search rows), above 1000 it uses `strict_order`. The choice is visible in
 *   {@link nearestSql}'s `statements` and `notes`. Relaxed-order results are re-sorted outside the scan with a
 *   `MATERIALIZED` CTE and `ORDER BY distance + 0`, as pgvector's README prescribes.
 * - **Settings** (yours and the automatic ones) are applied with `SET LOCAL` in a transaction around the query
 *   (see {@link withVectorSettings}); without settings no transaction is opened. The transaction costs round
 *   trips, kept to a minimum: node-postgres sends `BEGIN; SET LOCAL …` as one simple query (3 round trips in all),
 *   postgres.js pipelines the `SET LOCAL` statements with the search (3), PGlite runs in-process. When `db` is a
 *   transaction, a savepoint is used and the caller's values are restored afterwards.
 * - **Validation first**: options, the metric and the query vector (dimensions, finite values, type) are checked
 *   before any SQL runs: `INVALID_QUERY_OPTION`, `UNSUPPORTED_METRIC`, `METRIC_REQUIRED`,
 *   `INVALID_SEARCH_SETTING`, `DIMENSION_MISMATCH`, `NON_FINITE_VALUE`, `EMPTY_VECTOR`, … .
 * - **Fast**: the SQL text of each query shape (target, metric, k, selection, filter text, settings) is built once
 *   per database and cached; a call only validates, encodes the vector, compiles the filter and runs one query.
 *   Selections of plain columns (no timestamp/date/interval/array types) are run straight on the driver client
 *   (node-postgres, postgres.js, PGlite), skipping Drizzle's per-query objects; Drizzle's logger still sees them.
 *
 * `distance` is the operator's value: for `innerProduct` the negative inner product (`<#>`), for cosine
 * `1 - similarity`. Rows come back ascending by distance. Works with every Drizzle Postgres driver
 * (node-postgres, postgres.js, PGlite …); `db` may be a transaction.
 *
 * @example
 * ```ts
 * const rows = await nearest(db, items.embedding, q, {
 *   k: 10,
 *   select: { id: items.id, title: items.title },
 *   where: eq(items.lang, 'en'),
 *   minSimilarity: 0.75,
 * });
 * // rows: { id: number; title: string | null; distance: number }[]
 * // BEGIN; SET LOCAL hnsw.iterative_scan = 'strict_order'       -- one round trip on node-postgres
 * // select "nn"."distance", "nn"."_0", "nn"."_1" from (
 * //   select "items"."embedding" <=> $1::vector(3) as "distance", "items"."id" as "_0", "items"."title" as "_1"
 * //   from "items" where ("items"."lang" = $3) and "items"."embedding" is not null
 * //   order by "items"."embedding" <=> $1::vector(3) limit 10
 * // ) as "nn" where "nn"."distance" <= $2 order by "nn"."distance"          -- $2 = 0.25 (1 - 0.75)
 * // COMMIT
 * ```
 */
export async function nearest<TSelect extends NearestSelection | undefined = undefined>(
  db: AnyPgDatabase,
  target: VectorTargetInput,
  query: NearestQuery,
  options: NearestOptions<TSelect>,
): Promise<NearestRow<TSelect>[]> {
  const { shape, params, mapRows } = await prepare('nearest', db, target, query, options);
  const run = shape.plain ? runPlainRows : runRows;
  if (shape.values.length === 0) return run(sessionOf(db), shape.text, params, mapRows) as Promise<NearestRow<TSelect>[]>;
  if (shape.plain && !isTransaction(db)) {
    const direct = runPlainRowsInTransaction(sessionOf(db), shape.statements, shape.text, params, mapRows);
    if (direct !== undefined) return direct as Promise<NearestRow<TSelect>[]>;
  }
  return runWithSettings(db, shape.values, (tx) => run(sessionOf(tx), shape.text, params, mapRows)) as Promise<NearestRow<TSelect>[]>;
}

/**
 * Exactly what {@link nearest} would run for these arguments — the SQL, its parameters, the `SET LOCAL`
 * statements and why they were chosen — without running it (it may read the pgvector version once). Use it to
 * `EXPLAIN` a search or log it.
 *
 * @example
 * ```ts
 * const plan = await nearestSql(db, items.embedding, q, { k: 5, where: eq(items.lang, 'en') });
 * plan.sql;        // select "items"."embedding" <=> $1::vector(3) as "distance", … order by "items"."embedding" <=> $1::vector(3) limit 5
 * plan.statements; // ["SET LOCAL hnsw.iterative_scan = 'strict_order'"]
 * plan.indexes;    // [{ name: 'items_embedding_hnsw', method: 'hnsw' }]
 * ```
 */
export async function nearestSql<TSelect extends NearestSelection | undefined = undefined>(
  db: AnyPgDatabase,
  target: VectorTargetInput,
  query: NearestQuery,
  options: NearestOptions<TSelect>,
): Promise<NearestPlan> {
  const { shape, params } = await prepare('nearestSql', db, target, query, options);
  return Object.freeze({
    sql: shape.text,
    params: Object.freeze(params),
    statements: shape.statements,
    settings: shape.settings,
    metric: shape.metric,
    operator: shape.operator,
    indexes: shape.indexes,
    resorted: shape.resorted,
    notes: shape.notes,
  });
}
