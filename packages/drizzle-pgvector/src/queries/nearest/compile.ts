import { sql } from 'drizzle-orm';
import type { PgDialect, PgTable } from 'drizzle-orm/pg-core';
import { FILTERED_SEARCH, type Metric } from '../../catalog/index.js';
import { compileFragment, compileStatic, dialectOf, driverOf, type AnyPgDatabase } from '../../driver/index.js';
import { serverFacts, vectorVersion } from '../../pg-catalog/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import { checkSettingsVersion, needsVersionCheck, planSettings, settingsStatements, type SettingsPlan, type VectorSettingValue } from '../../settings/internal.js';
import { resolveTarget, type VectorTarget } from '../../targets/index.js';
import { BoundedCaches, MAX_SHAPES_PER_DB } from './bounded-cache.js';
import type { TargetContext } from './context.js';
import { candidatesFor, searchContexts, type RerankContext } from './rerank.js';
import { farChecked, farReference, farScaleFor, needsFarCheck, type FarScale } from './far-check.js';
import { cachedBudget, conditionsText, estimatesFor, partialIndexFor, whereClause } from './filter.js';
import type { FilterEstimates } from './estimate.js';
import { decide, FALLBACK_DECISION, mergeSettings, needsEstimate, type Decision, type DecisionInput, type RowEstimate } from './strategy.js';
import { pgVectorError } from '../../errors/index.js';
import type { VectorIndexInfo as IndexInfo } from '../../indexes/index.js';
import { invalid, validateOptions } from './options.js';
import { makeMapper, selectionFor, type Field, type Selection } from './selection.js';
import type { NearestPlan } from './types.js';

/**
 * From arguments to SQL: validate everything, compile the per-call fragments, and find or build the cached
 * query shape (the SQL text per target, metric, k, selection, filter text and settings). No SQL runs before all
 * validation.
 */

const SHAPES = new BoundedCaches<Shape>(MAX_SHAPES_PER_DB);

/** @internal How many query shapes are cached for `db` (tests pin the bound). */
export function cachedShapes(db: AnyPgDatabase): number {
  return SHAPES.size(dialectOf(db));
}

/** A compiled query shape: the plan minus the per-call parameters, plus what running it needs. */
export interface Shape extends Omit<NearestPlan, 'sql' | 'params' | 'strategy' | 'reason' | 'estimatedRows' | 'tableRows' | 'fallback'> {
  readonly text: string;
  readonly values: readonly VectorSettingValue[];
  readonly plain: boolean;
  readonly mapRows: (rows: unknown[][]) => Record<string, unknown>[];
  /** The far check (see far-check.ts): its scale, and whether the last column is the reference. */
  readonly far: { readonly scale: FarScale; readonly sampled: boolean } | undefined;
}

/** @internal A search ready to run: its shape (cached) and this call's parameters. */
export interface Prepared {
  shape: Shape;
  params: unknown[];
  /** Row mapper (per call when sql expressions bring their own decoders). */
  mapRows: (rows: unknown[][]) => Record<string, unknown>[];
  /** How this call searches and why. */
  decision: Decision;
  /** The exact search to run when the index scan returns fewer than `k` rows (filtered auto searches). */
  fallback: Shape | undefined;
  /** The fallback's row mapper. */
  fallbackMapRows: Prepared['mapRows'] | undefined;
  /** Called with how the index scan came out (short or not): short filters' next searches go exact for a while. */
  indexOutcome: ((short: boolean) => void) | undefined;
  k: number;
}

/** Validate everything, compile the per-call fragments, find or build the cached shape. No SQL runs before all validation. */
export async function prepare(fn: string, db: AnyPgDatabase, targetInput: unknown, query: unknown, options: unknown): Promise<Prepared> {
  const opts = validateOptions(fn, options);
  const target = resolveTarget(targetInput, `${fn}()`);
  const contexts = searchContexts(fn, target, opts);
  const context = contexts.outer;
  const metric = context.metric;
  // A re-ranked search scans `via`'s index for `candidates` rows: the decision, budget and settings are about that scan.
  const rerank = contexts.rerank === undefined ? undefined : { ...contexts.rerank, candidates: candidatesFor(contexts.rerank.via, opts.k, opts.rerank?.candidates) };
  const search = rerank?.context ?? context;
  const scanK = rerank?.candidates ?? opts.k;
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
  const whereStart = params.length;
  if (opts.where !== undefined) {
    const compiled = compileFragment(dialect, opts.where, whereStart);
    whereText = compiled.sql;
    for (const p of compiled.params) params.push(p);
  }

  if (search.indexes.length === 0 && (opts.requireIndex || opts.strategy === 'index')) {
    throw pgVectorError(
      'NO_USABLE_INDEX',
      `${fn}(${rerank?.via.label ?? target.label}): no vector index declared on the table serves '${search.metric}' on this target, so the search would be an exact scan of every row${
        opts.strategy === 'index' ? " (strategy: 'index' was asked for)" : ' (requireIndex: true)'
      }. Declare one, e.g. hnswIndex('…').on(${target.label}, '${metric}'), or search with a metric an index serves.`,
      { target: target.label, metric, requireIndex: opts.requireIndex, strategy: opts.strategy },
    );
  }
  const hasWhere = whereText !== undefined;
  const partialMatch = hasWhere ? partialIndexFor(dialect, search.indexes, opts.where!) : undefined;
  const driver = driverOf(db);
  // The pgvector version is read once per database; a cached shape does not need it at all.
  const needVersion = search.indexes.length > 0 || needsVersionCheck(opts.settings);
  let versionRead: Promise<string> | undefined;
  const getVersion = (): Promise<string | undefined> => (needVersion ? (versionRead ??= vectorVersion(db, driver)) : Promise.resolve(undefined));
  const input: BudgetInput = { requested: opts.strategy, hasWhere, userSettings: opts.settings, indexes: search.indexes, partialMatch, k: scanK, estimate: undefined, version: undefined, dialect, context: search };
  let estimates: FilterEstimates | undefined;
  if (needsEstimate(input)) {
    input.version = await getVersion();
    estimates = estimatesFor(dialect, target, context, whereText!, whereStart);
    const pending = estimates.rows(driver, params.slice(whereStart, whereStart + estimates.params));
    const rows = pending instanceof Promise ? await pending : pending;
    if (Number.isFinite(rows.filtered) && Number.isFinite(rows.table)) input.estimate = rows;
  }
  const decision = decide(input, budgetOf);
  // An explicit rerank through a representation with no declared index still re-ranks (its index may exist outside the schema).
  const reranked = rerank !== undefined && (decision.strategy === 'index' || search.indexes.length === 0) ? rerank : undefined;
  // IVFFlat far check (see far-check.ts): on a sample of the searches the statement also reads the reference. Only
  // where the fallback runs (nearest; nearestSql shows it); a hybrid search embeds the text and has no fallback.
  const farScale = (fn === 'nearest' || fn === 'nearestSql') && needsFarCheck(decision, bound !== undefined, reranked !== undefined, search.indexes, context.metric) ? farScaleFor(dialect, search.id, opts.k) : undefined;
  const sampled = farScale?.sample() === true;
  const found = shapeFor(db, dialect, target, context, opts, selection, expressions, expressionTexts, dynamicKey, whereText, bound !== undefined, decision, getVersion, reranked, farScale, sampled);
  const shape = found instanceof Promise ? await found : found;
  let fallback: Shape | undefined;
  if (decision.fallback && bound === undefined) {
    const exact = shapeFor(db, dialect, target, context, opts, selection, expressions, expressionTexts, dynamicKey, whereText, false, FALLBACK_DECISION, getVersion);
    fallback = exact instanceof Promise ? await exact : exact;
  }
  const indexOutcome = fallback === undefined || estimates === undefined ? undefined : (short: boolean) => estimates.indexOutcome(params.slice(whereStart, whereStart + estimates.params), short);
  // Per call when sql expressions bring their own decoders; the fallback's rows are never far-checked.
  const dynamicMap = selection.dynamic ? makeMapper(expressions) : undefined;
  const mapRows = dynamicMap === undefined ? shape.mapRows : shape.far ? farChecked(dynamicMap, expressions.length + 1, shape.far.scale, shape.far.sampled) : dynamicMap;
  const fallbackMapRows = fallback === undefined ? undefined : (dynamicMap ?? fallback.mapRows);
  return { shape, params, mapRows, decision, fallback, fallbackMapRows, indexOutcome, k: opts.k };
}

/** What the decision needs, and where its budgets are cached. */
type BudgetInput = { -readonly [K in keyof DecisionInput]: DecisionInput[K] } & { readonly dialect: PgDialect; readonly context: TargetContext };

/** The index scan's budget for an estimate, cached per database and target (no closure per call). */
const budgetOf = (input: BudgetInput, estimate: RowEstimate): readonly VectorSettingValue[] => cachedBudget(input.dialect, input.context, input.k, estimate, input.version);

type Opts = ReturnType<typeof validateOptions>;

/** A re-ranked search's scan: the representation, its context, how many candidates. */
type Rerank = RerankContext & { readonly candidates: number };

/** Find or build the cached shape for this search and decision. */
function shapeFor(
  db: AnyPgDatabase,
  dialect: PgDialect,
  target: VectorTarget,
  context: TargetContext,
  opts: Opts,
  selection: Selection,
  expressions: readonly Field[],
  expressionTexts: readonly string[],
  dynamicKey: string,
  whereText: string | undefined,
  bounded: boolean,
  decision: Decision,
  getVersion: () => Promise<string | undefined>,
  rerank?: Rerank,
  farScale?: FarScale,
  sampled = false,
): Shape | Promise<Shape> {
  const budgetKey = decision.budget.length === 0 ? '' : decision.budget.map((v) => `${v.key}=${v.value}`).join(',');
  const key = `${context.id}|${opts.k}|${bounded ? 'b' : ''}|${opts.settingsKey}|${decision.strategy}${farScale === undefined ? '' : sampled ? '+r' : '+'}|${budgetKey}|${rerank === undefined ? '' : `${rerank.context.id}:${rerank.candidates}`}|${selection.key}|${dynamicKey}|${whereText ?? '\u0000'}`;
  const shapes = SHAPES.of(dialect);
  const cached = shapes.get(key);
  if (cached !== undefined) return cached;
  return (async () => {
    const exact = decision.strategy === 'exact';
    const scanned = rerank?.context ?? context;
    const methods = exact ? new Set<IndexInfo['method']>() : new Set(scanned.indexes.map((i) => i.method));
    const version = await getVersion();
    if (version !== undefined) checkSettingsVersion(opts.settings, version, 'nearest');
    const user = exact ? [] : mergeSettings(decision.budget, opts.settings);
    const plan = planSettings('nearest', methods, whereText !== undefined, rerank?.candidates ?? opts.k, user, version);
    const statements = plan.values.length === 0 ? [] : settingsStatements(plan.values, await serverFacts(db, driverOf(db)));
    if (rerank !== undefined) {
      plan.notes.push(
        `re-ranked: ${rerank.candidates} candidates by ${rerank.via.label} (${rerank.context.operator}${rerank.context.indexes.length > 0 ? `, ${rerank.context.indexes.map((i) => i.name).join(', ')}` : ''}), re-ordered by the exact '${context.metric}' distance on ${target.label}${
          rerank.automatic ? ' (automatic: the column has no index of its own for this metric)' : ''
        }.`,
      );
      if (rerank.context.indexes.length === 0) plan.notes.push(`no vector index declared on the table serves ${rerank.via.label} with ${rerank.context.operator}: its candidates come from an exact scan.`);
    } else if (context.indexes.length === 0) {
      plan.notes.push(
        `no vector index declared on the table serves '${context.metric}' on ${target.label}: this is an exact scan of every row. Declare one, or pass requireIndex: true to make this an error.`,
      );
    }
    const far = farScale === undefined ? undefined : { scale: farScale, sampled };
    if (far !== undefined) {
      plan.notes.push(
        `IVFFlat far check: a result whose nearest row lies more than ${FILTERED_SEARCH.farRatio}× farther than the ${opts.k}th nearest row without the filter (the filter's rows lie away from the query) is re-run exactly; ${
          sampled ? 'this search reads that distance (the last column)' : 'this search compares with the largest of the last ones read (one search in ' + String(FILTERED_SEARCH.farSampleEvery) + ' reads it)'
        }.`,
      );
    }
    const shape = buildShape({
      dialect,
      target,
      table: context.table,
      operator: context.operator,
      metric: context.metric,
      k: opts.k,
      fields: expressions,
      selection,
      expressionTexts,
      whereText,
      bounded,
      plan,
      statements,
      indexes: exact ? [] : scanned.indexes,
      rerank,
      // Without a declared index the plain ordering stays, so an index created outside the schema can still serve it.
      exact: exact && context.indexes.length > 0,
      far,
    });
    shapes.set(key, shape);
    return shape;
  })();
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
  statements: readonly string[];
  indexes: readonly VectorIndexInfo[];
  rerank: Rerank | undefined;
  exact: boolean;
  far: Shape['far'];
}): Shape {
  const { dialect, target, table, fields, plan } = input;
  const distanceText = compileStatic(dialect, target.distanceTo(input.operator, target.queryExpression(sql.raw('$1'))), 'a vector target');
  const rerank = input.rerank;
  const wrapped = input.bounded || plan.resorted || rerank !== undefined;
  let e = 0;
  const fieldTexts = fields.map((field, i) => {
    const text = field.column !== undefined ? compileStatic(dialect, sql`${field.column}`, 'a column') : `(${input.expressionTexts[e++]!})`;
    return wrapped ? `${text} as "_${i}"` : text;
  });
  // Re-ranked: the scan orders by via's distance for `candidates` rows; the exact distance is computed for those only.
  const order =
    rerank !== undefined
      ? compileStatic(dialect, rerank.via.distanceTo(rerank.context.operator, rerank.via.queryFromSource(sql.raw('$1'), target.queryCast)), 'a vector target')
      : input.exact
        ? `(${distanceText}) + 0`
        : distanceText;
  let conditions = conditionsText(dialect, rerank?.via ?? target, input.whereText);
  if (rerank !== undefined && target.predicate !== undefined) {
    const own = compileStatic(dialect, target.predicate, 'a target predicate');
    if (!conditions.includes(own)) conditions = conditions === '' ? own : `${conditions} and ${own}`;
  }
  const tableText = compileStatic(dialect, sql`${table}`, 'a table');
  // The far check's reference (the unfiltered k-th distance) is the last column of the outermost select.
  const reference = input.far?.sampled === true ? [farReference(distanceText, tableText, whereClause(conditionsText(dialect, target, undefined)), input.k)] : [];
  const inner =
    `select ${[`${distanceText} as "distance"`, ...fieldTexts, ...(wrapped ? [] : reference)].join(', ')} from ${tableText}` +
    `${whereClause(conditions)} order by ${order} limit ${rerank?.candidates ?? input.k}`;
  let text = inner;
  if (rerank !== undefined) {
    const outerFields = ['"nn"."distance"', ...fields.map((_, i) => `"nn"."_${i}"`)].join(', ');
    const filter = input.bounded ? ` where "nn"."distance" <= $2` : '';
    text = `select ${outerFields} from (${inner}) as "nn"${filter} order by "nn"."distance" limit ${input.k}`;
  } else if (wrapped) {
    const outerFields = ['"nn"."distance"', ...fields.map((_, i) => `"nn"."_${i}"`), ...reference].join(', ');
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
    statements: Object.freeze([...input.statements]),
    settings: Object.freeze(settings),
    metric: input.metric,
    operator: input.operator,
    indexes: Object.freeze(input.indexes.map((i) => Object.freeze({ name: i.name, method: i.method }))),
    resorted: plan.resorted || rerank !== undefined,
    notes: Object.freeze(plan.notes),
    rerank:
      rerank === undefined
        ? undefined
        : Object.freeze({ via: rerank.via.label, metric: rerank.context.metric, operator: rerank.context.operator, candidates: rerank.candidates, automatic: rerank.automatic }),
    plain: input.selection.plain,
    mapRows: input.far === undefined ? makeMapper(fields) : farChecked(makeMapper(fields), fields.length + 1, input.far.scale, input.far.sampled),
    far: input.far,
  });
}
