import { sql, type SQL } from 'drizzle-orm';
import type { PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { Metric } from '../../catalog/index.js';
import { compileFragment, compileStatic, dialectOf, driverOf, type AnyPgDatabase } from '../../driver/index.js';
import { serverFacts, vectorVersion } from '../../pg-catalog/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import { checkSettingsVersion, needsVersionCheck, planSettings, settingsStatements, type SettingsPlan, type VectorSettingValue } from '../../settings/internal.js';
import { resolveTarget, type VectorTarget } from '../../targets/index.js';
import { BoundedCaches } from './bounded-cache.js';
import type { TargetContext } from './context.js';
import { candidatesFor, searchContexts, type RerankContext } from './rerank.js';
import { FilterEstimates } from './estimate.js';
import { budgetFor, decide, FALLBACK_DECISION, mergeSettings, needsEstimate, type Decision, type RowEstimate } from './strategy.js';
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

/** Most query shapes cached per database; beyond it the oldest is dropped (then rebuilt on its next use). */
export const MAX_SHAPES_PER_DB = 500;
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
  /** Called when the index scan came back short: the filter's next searches (same values) go exact for a while. */
  cameBackShort: (() => void) | undefined;
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
  const decisionBase = { requested: opts.strategy, hasWhere, userSettings: opts.settings, indexes: search.indexes, partialMatch, k: scanK };
  let estimate;
  let version: string | undefined;
  let estimates: FilterEstimates | undefined;
  if (needsEstimate(decisionBase)) {
    version = await getVersion();
    estimates = estimatesFor(dialect, target, context, whereText!, whereStart);
    const pending = estimates.rows(driver, params.slice(whereStart, whereStart + estimates.params));
    const rows = pending instanceof Promise ? await pending : pending;
    if (Number.isFinite(rows.filtered) && Number.isFinite(rows.table)) estimate = rows;
  }
  const decision = decide({ ...decisionBase, estimate, version }, (e) => cachedBudget(dialect, search, scanK, e, version));
  // An explicit rerank through a representation with no declared index still re-ranks (its index may exist outside the schema).
  const reranked = rerank !== undefined && (decision.strategy === 'index' || search.indexes.length === 0) ? rerank : undefined;
  const found = shapeFor(db, dialect, target, context, opts, selection, expressions, expressionTexts, dynamicKey, whereText, bound !== undefined, decision, getVersion, reranked);
  const shape = found instanceof Promise ? await found : found;
  let fallback: Shape | undefined;
  if (decision.fallback && bound === undefined) {
    const exact = shapeFor(db, dialect, target, context, opts, selection, expressions, expressionTexts, dynamicKey, whereText, false, FALLBACK_DECISION, getVersion);
    fallback = exact instanceof Promise ? await exact : exact;
  }
  const cameBackShort = fallback === undefined || estimates === undefined ? undefined : () => estimates.markShort(params.slice(whereStart, whereStart + estimates.params));
  return { shape, params, mapRows: selection.dynamic ? makeMapper(expressions) : shape.mapRows, decision, fallback, cameBackShort, k: opts.k };
}

const BUDGETS = new BoundedCaches<ReturnType<typeof budgetFor>>(MAX_SHAPES_PER_DB);

/** The index scan's budget for an estimate (estimates repeat while cached, so budgets do too). */
function cachedBudget(dialect: PgDialect, context: TargetContext, k: number, estimate: RowEstimate, version: string | undefined): ReturnType<typeof budgetFor> {
  const cache = BUDGETS.of(dialect);
  const key = `${context.id}|${k}|${estimate.filtered}|${estimate.table}|${version ?? ''}`;
  let budget = cache.get(key);
  if (budget === undefined) {
    budget = budgetFor(context.indexes, estimate, k, version);
    cache.set(key, budget);
  }
  return budget;
}

/** A filter's estimate statements (its placeholders renumbered from $1) and cached estimates, per query shape. */
const ESTIMATES = new BoundedCaches<FilterEstimates>(MAX_SHAPES_PER_DB);

function estimatesFor(dialect: PgDialect, target: VectorTarget, context: TargetContext, whereText: string, whereStart: number): FilterEstimates {
  const cache = ESTIMATES.of(dialect);
  const key = `${context.id}|${whereStart}|${whereText}`;
  let estimates = cache.get(key);
  if (estimates === undefined) {
    let count = 0;
    const own = whereText.replace(/\$(\d+)/g, (_, n: string) => {
      const i = Number(n) - whereStart;
      count = Math.max(count, i);
      return `$${i}`;
    });
    const table = compileStatic(dialect, sql`${context.table}`, 'a table');
    estimates = new FilterEstimates(`select 1 from ${table} where ${conditionsText(dialect, target, own)}`, `select 1 from ${table}`, count);
    cache.set(key, estimates);
  }
  return estimates;
}

/** The declared partial index whose own condition is exactly `where` (parameters inlined), if any. */
function partialIndexFor(dialect: PgDialect, indexes: readonly IndexInfo[], where: SQL): IndexInfo | undefined {
  const partial = indexes.filter((i) => i.where !== undefined);
  if (partial.length === 0) return undefined;
  const compiled = compileFragment(dialect, where, 0);
  const inlined = inlineParams(compiled.sql, compiled.params);
  if (inlined === undefined) return undefined;
  const text = normalise(inlined);
  return partial.find((i) => normalise(compileStatic(dialect, i.where!, 'an index condition')) === text);
}

/** `$n` replaced by SQL literals (strings, numbers, booleans); undefined when a parameter has another type. */
function inlineParams(text: string, params: readonly unknown[]): string | undefined {
  let ok = true;
  const out = text.replace(/\$(\d+)/g, (_, n: string) => {
    const p = params[Number(n) - 1];
    if (typeof p === 'string') return `'${p.replace(/'/g, "''")}'`;
    if (typeof p === 'number' && Number.isFinite(p)) return String(p);
    if (typeof p === 'boolean') return String(p);
    ok = false;
    return '';
  });
  return ok ? out : undefined;
}

function normalise(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The search's WHERE: the filter, the target's own predicate, and `<column> is not null`. */
function conditionsText(dialect: PgDialect, target: VectorTarget, whereText: string | undefined): string {
  const conditions: string[] = [];
  if (whereText !== undefined) conditions.push(`(${whereText})`);
  if (target.predicate !== undefined) conditions.push(compileStatic(dialect, target.predicate, 'a target predicate'));
  conditions.push(`${compileStatic(dialect, sql`${target.column}`, 'a column')} is not null`);
  return conditions.join(' and ');
}

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
): Shape | Promise<Shape> {
  const budgetKey = decision.budget.length === 0 ? '' : decision.budget.map((v) => `${v.key}=${v.value}`).join(',');
  const key = `${context.id}|${opts.k}|${bounded ? 'b' : ''}|${opts.settingsKey}|${decision.strategy}|${budgetKey}|${rerank === undefined ? '' : `${rerank.context.id}:${rerank.candidates}`}|${selection.key}|${dynamicKey}|${whereText ?? '\u0000'}`;
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
    if (!conditions.includes(own)) conditions += ` and ${own}`;
  }
  const inner =
    `select ${[`${distanceText} as "distance"`, ...fieldTexts].join(', ')} from ${compileStatic(dialect, sql`${table}`, 'a table')}` +
    ` where ${conditions} order by ${order} limit ${rerank?.candidates ?? input.k}`;
  let text = inner;
  if (rerank !== undefined) {
    const outerFields = ['"nn"."distance"', ...fields.map((_, i) => `"nn"."_${i}"`)].join(', ');
    const filter = input.bounded ? ` where "nn"."distance" <= $2` : '';
    text = `select ${outerFields} from (${inner}) as "nn"${filter} order by "nn"."distance" limit ${input.k}`;
  } else if (wrapped) {
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
    mapRows: makeMapper(fields),
  });
}
