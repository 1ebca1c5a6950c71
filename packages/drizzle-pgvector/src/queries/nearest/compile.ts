import { sql } from 'drizzle-orm';
import type { PgDialect, PgTable } from 'drizzle-orm/pg-core';
import type { Metric } from '../../catalog/index.js';
import { compileFragment, compileStatic, dialectOf, driverOf, serverFacts, vectorVersion, type AnyPgDatabase } from '../../driver/index.js';
import type { VectorIndexInfo } from '../../indexes/index.js';
import { checkSettingsVersion, needsVersionCheck, planSettings, settingsStatements, type SettingsPlan, type VectorSettingValue } from '../../settings/internal.js';
import { resolveTarget, type VectorTarget } from '../../targets/index.js';
import { BoundedCaches } from './bounded-cache.js';
import { contextFor } from './context.js';
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
export interface Shape extends Omit<NearestPlan, 'sql' | 'params'> {
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
}

/** Validate everything, compile the per-call fragments, find or build the cached shape. No SQL runs before all validation. */
export async function prepare(fn: string, db: AnyPgDatabase, targetInput: unknown, query: unknown, options: unknown): Promise<Prepared> {
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
  const shapes = SHAPES.of(dialect);
  let shape = shapes.get(key);
  if (shape === undefined) {
    const methods = new Set(context.indexes.map((i) => i.method));
    const driver = driverOf(db);
    const needVersion = methods.size > 0 || needsVersionCheck(opts.settings);
    const version = needVersion ? await vectorVersion(db, driver) : undefined;
    if (version !== undefined) checkSettingsVersion(opts.settings, version, fn);
    const plan = planSettings(fn, methods, whereText !== undefined, opts.k, opts.settings, version);
    const statements = plan.values.length === 0 ? [] : settingsStatements(plan.values, await serverFacts(db, driver));
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
      statements,
      indexes: context.indexes,
    });
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
  statements: readonly string[];
  indexes: readonly VectorIndexInfo[];
}): Shape {
  const { dialect, target, table, fields, plan } = input;
  const distanceText = compileStatic(dialect, target.distanceTo(input.operator, target.queryExpression(sql.raw('$1'))), 'a vector target');
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
    statements: Object.freeze([...input.statements]),
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
