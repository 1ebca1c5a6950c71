import { sql, type SQL } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { compileFragment, compileStatic } from '../../driver/index.js';
import type { VectorIndexInfo as IndexInfo } from '../../indexes/index.js';
import type { VectorTarget } from '../../targets/index.js';
import { BoundedCaches, MAX_SHAPES_PER_DB } from './bounded-cache.js';
import type { TargetContext } from './context.js';
import { FilterEstimates } from './estimate.js';
import { budgetFor, type RowEstimate } from './strategy.js';

/**
 * The filter's side of a search: its WHERE text, the statements its row estimates are read with, the index
 * scan's budget per estimate, and the declared partial index it names — each cached per database and query shape.
 */

const BUDGETS = new BoundedCaches<ReturnType<typeof budgetFor>>(MAX_SHAPES_PER_DB);

/** @internal The index scan's budget for an estimate (estimates repeat while cached, so budgets do too). */
export function cachedBudget(dialect: PgDialect, context: TargetContext, k: number, estimate: RowEstimate, version: string | undefined): ReturnType<typeof budgetFor> {
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

/** @internal */
export function estimatesFor(dialect: PgDialect, target: VectorTarget, context: TargetContext, whereText: string, whereStart: number): FilterEstimates {
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
    estimates = new FilterEstimates(`select 1 from ${table}${whereClause(conditionsText(dialect, target, own))}`, `select 1 from ${table}`, count);
    cache.set(key, estimates);
  }
  return estimates;
}

/** @internal The declared partial index whose own condition is exactly `where` (parameters inlined), if any. */
export function partialIndexFor(dialect: PgDialect, indexes: readonly IndexInfo[], where: SQL): IndexInfo | undefined {
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

/**
 * @internal The search's conditions: the filter, the target's own predicate, and `<column> is not null` unless the
 * column is declared `notNull` (pgvector's functions and casts are strict, so no target of it is null then; the
 * check would cost a per-row filter in exact searches). Empty when there are none.
 */
export function conditionsText(dialect: PgDialect, target: VectorTarget, whereText: string | undefined): string {
  const conditions: string[] = [];
  if (whereText !== undefined) conditions.push(`(${whereText})`);
  if (target.predicate !== undefined) conditions.push(compileStatic(dialect, target.predicate, 'a target predicate'));
  if (!target.column.notNull) conditions.push(`${compileStatic(dialect, sql`${target.column}`, 'a column')} is not null`);
  return conditions.join(' and ');
}

/** @internal ` where <conditions>`, or nothing when there are none. */
export const whereClause = (conditions: string): string => (conditions === '' ? '' : ` where ${conditions}`);
